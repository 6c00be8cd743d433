package dev.clerkkit.testkit.internal

import java.time.LocalDate
import java.time.format.DateTimeParseException

/**
 * The `Clerk-API-Version` a request is served as. [date] `null` means *unversioned*: no header and no
 * `SandboxConfig.defaultApiVersion`, served with the sandbox's version-agnostic behaviour.
 */
internal class ApiVersion private constructor(val date: LocalDate?) {
    /** Sessions carry `tasks`: every version after 2024-10-01 (and unversioned requests, except on `verify`). */
    val hasTasks: Boolean get() = date == null || date > ApiVersions.LAST_WITHOUT_TASKS

    /** `POST /sessions/{id}/verify` exists (before 2025-04-10; always for unversioned requests). */
    val hasVerify: Boolean get() = date == null || date < ApiVersions.VERIFY_REMOVED_IN

    /** Whether a `verify` answer carries `tasks`: only versions that have both (2025-03-12). */
    val verifyHasTasks: Boolean get() = date != null && hasTasks && hasVerify

    override fun toString(): String = date?.toString() ?: "unversioned"

    companion object {
        val UNVERSIONED = ApiVersion(null)

        fun of(date: LocalDate): ApiVersion = ApiVersion(date)
    }
}

/** Parsing and the feature cut-offs of `Clerk-API-Version` (see `SandboxConfig.defaultApiVersion`). */
internal object ApiVersions {
    /** The first published version. */
    val FIRST: LocalDate = LocalDate.of(2021, 2, 5)

    /** The newest published version whose Session schema lacks `tasks` (2025-03-12's has it). */
    val LAST_WITHOUT_TASKS: LocalDate = LocalDate.of(2024, 10, 1)

    /** The first published version without `POST /sessions/{id}/verify` (2025-03-12 still documents it). */
    val VERIFY_REMOVED_IN: LocalDate = LocalDate.of(2025, 4, 10)

    /** Parses a version (`YYYY-MM-DD`, not before 2021-02-05); `null` when invalid. */
    fun parse(value: String): LocalDate? {
        val v = value.trim()
        if (!Regex("\\d{4}-\\d{2}-\\d{2}").matches(v)) return null
        val date = try {
            LocalDate.parse(v)
        } catch (_: DateTimeParseException) {
            return null
        }
        return date.takeIf { it >= FIRST }
    }

    /** The version of a request: its header, else [default] (already validated), else unversioned. */
    fun resolve(header: String?, default: LocalDate?): ApiVersion {
        if (header == null) return default?.let { ApiVersion.of(it) } ?: ApiVersion.UNVERSIONED
        val date = parse(header) ?: throw ApiError(
            400,
            "api_version_invalid",
            "Invalid API version",
            "Clerk-API-Version must be a published API version date (YYYY-MM-DD, 2021-02-05 or later), e.g. 2026-05-12.",
        )
        return ApiVersion.of(date)
    }
}
