package dev.clerkkit.sessions

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import kotlinx.serialization.json.JsonObject
import java.time.Instant
import java.util.Optional

/*
 * Wire models, named and typed as in Clerk's spec (`Session`, `SessionActivityResponse`, `SessionTask`, `Token`,
 * `Cookies`). Timestamps are epoch milliseconds (`Long`). Free-form objects stay JSON. Unknown fields are ignored.
 * Nullable properties are hidden from Java, which gets an `Optional` getter of the same name instead.
 */

/** A Clerk session. */
@Serializable
public data class Session(
    /** Always `session`. */
    @SerialName("object") val objectType: String = "session",
    /** Session id, `sess_...`. */
    val id: String,
    /** Owner, `user_...`. */
    @SerialName("user_id") val userId: String,
    /** Client (device/browser) the session lives on, `client_...`. */
    @SerialName("client_id") val clientId: String,
    /** Impersonation actor claims, kept as JSON; null when nobody impersonates. */
    @get:JvmSynthetic val actor: JsonObject? = null,
    /** Status; unknown future values are kept. */
    val status: SessionStatus,
    /** Last active organization; null when none. */
    @SerialName("last_active_organization_id") @get:JvmSynthetic val lastActiveOrganizationId: String? = null,
    /** Last activity, epoch ms. */
    @SerialName("last_active_at") val lastActiveAt: Long,
    /** Latest activity details; null when unknown. */
    @SerialName("latest_activity") @get:JvmSynthetic val latestActivity: SessionActivity? = null,
    /** Expiry, epoch ms. */
    @SerialName("expire_at") val expireAt: Long,
    /** Abandonment time, epoch ms. */
    @SerialName("abandon_at") val abandonAt: Long,
    /** Last update, epoch ms. */
    @SerialName("updated_at") val updatedAt: Long,
    /** Creation, epoch ms. */
    @SerialName("created_at") val createdAt: Long,
    /** Pending tasks (API versions from 2025-04-10); null when absent. */
    @get:JvmName("tasksOrNull") @get:JvmSynthetic val tasks: List<SessionTask>? = null,
) {
    /** [actor] for Java. */
    @JvmName("getActor") public fun actorOptional(): Optional<JsonObject> = Optional.ofNullable(actor)
    /** [lastActiveOrganizationId] for Java. */
    @JvmName("getLastActiveOrganizationId") public fun lastActiveOrganizationIdOptional(): Optional<String> =
        Optional.ofNullable(lastActiveOrganizationId)
    /** [latestActivity] for Java. */
    @JvmName("getLatestActivity") public fun latestActivityOptional(): Optional<SessionActivity> = Optional.ofNullable(latestActivity)
    /** [tasks] for Java (absent tasks read as an empty list). */
    @JvmName("getTasks") public fun tasksOrEmpty(): List<SessionTask> = tasks.orEmpty()
    /** [lastActiveAt] as an [Instant]. */
    public fun lastActiveAtInstant(): Instant = Instant.ofEpochMilli(lastActiveAt)
    /** [expireAt] as an [Instant]. */
    public fun expireAtInstant(): Instant = Instant.ofEpochMilli(expireAt)
    /** [createdAt] as an [Instant]. */
    public fun createdAtInstant(): Instant = Instant.ofEpochMilli(createdAt)
}

/** Where and how a session was last used (`SessionActivityResponse`). */
@Serializable
public data class SessionActivity(
    /** Object type as sent by Clerk. */
    @SerialName("object") val objectType: String,
    /** Activity id. */
    val id: String,
    /** Whether the device is mobile. */
    @SerialName("is_mobile") val isMobile: Boolean,
    /** Device type; null when unknown. */
    @SerialName("device_type") @get:JvmSynthetic val deviceType: String? = null,
    /** Browser name; null when unknown. */
    @SerialName("browser_name") @get:JvmSynthetic val browserName: String? = null,
    /** Browser version; null when unknown. */
    @SerialName("browser_version") @get:JvmSynthetic val browserVersion: String? = null,
    /** IP address; null when unknown. */
    @SerialName("ip_address") @get:JvmSynthetic val ipAddress: String? = null,
    /** City; null when unknown. */
    @get:JvmSynthetic val city: String? = null,
    /** Country; null when unknown. */
    @get:JvmSynthetic val country: String? = null,
) {
    /** [deviceType] for Java. */ @JvmName("getDeviceType") public fun deviceTypeOptional(): Optional<String> = Optional.ofNullable(deviceType)
    /** [browserName] for Java. */ @JvmName("getBrowserName") public fun browserNameOptional(): Optional<String> = Optional.ofNullable(browserName)
    /** [browserVersion] for Java. */ @JvmName("getBrowserVersion") public fun browserVersionOptional(): Optional<String> = Optional.ofNullable(browserVersion)
    /** [ipAddress] for Java. */ @JvmName("getIpAddress") public fun ipAddressOptional(): Optional<String> = Optional.ofNullable(ipAddress)
    /** [city] for Java. */ @JvmName("getCity") public fun cityOptional(): Optional<String> = Optional.ofNullable(city)
    /** [country] for Java. */ @JvmName("getCountry") public fun countryOptional(): Optional<String> = Optional.ofNullable(country)
}

/** A task the user must complete before the session becomes active (`SessionTask`). */
@Serializable
public data class SessionTask(
    /** Task key, e.g. `choose-organization`. */
    val key: String,
)

/** One page of sessions with the total count (`paginated=true`). */
public data class SessionPage(
    /** Sessions on this page, newest first. */
    val data: List<Session>,
    /** Sessions matching the filter across all pages. */
    val totalCount: Long,
) {
    /**
     * The offset of the page after this one, given that this page was fetched at [offset] with limit [pageSize];
     * null when this is the last page (a short page, or `total_count` reached). The one paging rule of clerkkit.
     */
    public fun nextOffset(offset: Int, pageSize: Int): Int? {
        val next = offset + data.size
        return if (data.size < pageSize || next >= totalCount) null else next
    }
}

/** A session token (`Token`): a signed JWT. */
@Serializable
public data class SessionToken(
    /** Always `token`. */
    @SerialName("object") val objectType: String = "token",
    /** The encoded JWT. */
    val jwt: String,
) {
    override fun toString(): String = "SessionToken(jwt=${jwt.take(16)}...)"
}

/** Result of `refresh`: a [Token] (format `token`, the default) or [Cookies] (format `cookie`). */
public sealed class SessionRefresh {
    /** A new session token. */
    public data class Token(
        /** The encoded JWT. */
        val jwt: String,
    ) : SessionRefresh() {
        override fun toString(): String = "SessionRefresh.Token(jwt=${jwt.take(16)}...)"
    }

    /** `Set-Cookie` directives to send to the browser. */
    public data class Cookies(
        /** Cookie directives. */
        val cookies: List<String>,
    ) : SessionRefresh() {
        override fun toString(): String = "SessionRefresh.Cookies(${cookies.size} cookies)"
    }
}

/** `format` of a refresh: the response shape. */
public enum class RefreshFormat(
    /** Wire value. */
    public val value: String,
) {
    /** Answer a [SessionRefresh.Token]. */
    TOKEN("token"),
    /** Answer [SessionRefresh.Cookies]. */
    COOKIE("cookie"),
}
