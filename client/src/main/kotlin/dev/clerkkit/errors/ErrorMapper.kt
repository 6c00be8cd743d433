package dev.clerkkit.errors

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import java.time.Duration
import java.time.Instant
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter

/** The one place that turns a non-2xx response into a [ClerkApiException]. Never throws while parsing. */
internal object ErrorMapper {
    private val json = Json { ignoreUnknownKeys = true; isLenient = true }

    fun map(
        operation: String,
        status: Int,
        headers: Map<String, List<String>>,
        body: String,
        now: () -> Instant = Instant::now,
    ): ClerkApiException {
        val root = runCatching { json.parseToJsonElement(body) as? JsonObject }.getOrNull()
        val errors = (root?.get("errors") as? JsonArray).orEmpty().mapNotNull { e ->
            val o = e as? JsonObject ?: return@mapNotNull null
            ClerkError(
                code = o.string("code") ?: "unknown",
                message = o.string("message") ?: "",
                longMessage = o.string("long_message"),
                meta = o["meta"] as? JsonObject,
            )
        }
        val meta = root?.get("meta") as? JsonObject
        val traceId = root?.string("clerk_trace_id") ?: headers.first("x-clerk-trace-id")
        val retryAfter = headers.first("retry-after")?.let { parseRetryAfter(it, now()) }
        val create: (String, ResponseDetails) -> ClerkApiException =
            when {
                status == 400 -> ::BadRequestException
                status == 401 -> ::AuthenticationException
                status == 403 -> ::PermissionDeniedException
                status == 404 -> ::NotFoundException
                status == 410 -> ::GoneException
                status == 422 -> ::UnprocessableEntityException
                status == 429 -> ::RateLimitException
                status in 500..599 -> ::ServerException
                else -> ::UnexpectedStatusException
            }
        return create(operation, ResponseDetails(status, errors, meta, traceId, retryAfter, headers, body))
    }

    /** `Retry-After` as delta-seconds or HTTP-date; negative or unparseable -> null. */
    fun parseRetryAfter(value: String, now: Instant): Duration? {
        val v = value.trim()
        v.toLongOrNull()?.let { return if (it >= 0) Duration.ofSeconds(it) else null }
        v.toDoubleOrNull()?.let { return if (it >= 0) Duration.ofMillis((it * 1000).toLong()) else null }
        return runCatching {
            val at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
            Duration.between(now, at).let { if (it.isNegative) Duration.ZERO else it }
        }.getOrNull()
    }

    private fun JsonObject.string(key: String): String? = (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.contentOrNull
    private fun Map<String, List<String>>.first(name: String): String? = this[name]?.firstOrNull()
}
