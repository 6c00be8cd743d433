package dev.clerkkit.sessions

import dev.clerkkit.internal.describeExtra
import dev.clerkkit.internal.describeExtraKeys
import dev.clerkkit.internal.frozenList
import dev.clerkkit.internal.frozenMap
import dev.clerkkit.internal.plainMap
import dev.clerkkit.internal.plainValue
import dev.clerkkit.internal.replacePlain
import dev.clerkkit.internal.requiredField
import java.time.Instant
import java.util.Objects
import java.util.Optional

/*
 * Wire models, named and typed as in Clerk's spec (`Session`, `SessionActivityResponse`, `SessionTask`, `Token`,
 * `Cookies`). Timestamps are epoch milliseconds (`Long`).
 *
 * Why plain final classes and not `data class`es: a data class's constructor, `componentN` and `copy` are part of
 * its binary API, so adding a field (Clerk adds some every few API versions) would break every caller compiled
 * against the old shape. Here the only way in is a builder (`Session.builder()`, `session.toBuilder()`), which can
 * grow without breaking anyone. Decoding lives in `SessionJson`; nothing of kotlinx.serialization is reachable from
 * these classes.
 *
 * Free-form JSON (`Session.actor`, every `additionalProperties()`) is kept as plain values: unmodifiable
 * `Map<String, Any?>` / `List<Any?>`, String, Boolean, Long (integral numbers that fit), BigDecimal (other numbers)
 * or null. Builders normalize what they are given the same way (an `Int` becomes a `Long`, a `Double` a
 * `BigDecimal`), so a built model equals a decoded one with the same content.
 *
 * Absent values: a nullable property is hidden from Java, which gets an `Optional` getter of the same name instead.
 *
 * Why `protected constructor` (in final classes, so no subclass can use it): a nested `Builder` calling a `private`
 * constructor makes Kotlin emit a public synthetic constructor `(Builder, DefaultConstructorMarker)` for it; a
 * protected one is reached directly (same package), so the only public way in stays `builder()`.
 */

/**
 * A Clerk session (`Session`). Build one with [builder] (e.g. for tests); clerkkit decodes them from Clerk's answers.
 * Equality covers every field, [additionalProperties] included.
 */
public class Session protected constructor(builder: Builder) {
    /** Always `session` (the default when building). */
    public val objectType: String = builder.objectType
    /** Session id, `sess_...`. Required. */
    public val id: String = builder.id.requiredField("Session", "id")
    /** Owner, `user_...`. Required. */
    public val userId: String = builder.userId.requiredField("Session", "userId")
    /** Client (device/browser) the session lives on, `client_...`. Required. */
    public val clientId: String = builder.clientId.requiredField("Session", "clientId")
    /**
     * Impersonation actor claims as plain values (see the file comment), e.g. `{"sub": "user_..."}`; null (the
     * default) when nobody impersonates. Java: `getActor()`, an `Optional`.
     */
    @get:JvmSynthetic public val actor: Map<String, Any?>? = builder.actor
    /** Status; a value this version does not know is kept ([SessionStatus.isKnown] false). Required. */
    public val status: SessionStatus = builder.status.requiredField("Session", "status")
    /** Last active organization, `org_...`; null (the default) when none. Java: an `Optional` getter. */
    @get:JvmSynthetic public val lastActiveOrganizationId: String? = builder.lastActiveOrganizationId
    /** Last activity, epoch ms. Required. */
    public val lastActiveAt: Long = builder.lastActiveAt.requiredField("Session", "lastActiveAt")
    /** Latest activity details; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val latestActivity: SessionActivity? = builder.latestActivity
    /** Expiry, epoch ms. Required. */
    public val expireAt: Long = builder.expireAt.requiredField("Session", "expireAt")
    /** Abandonment time, epoch ms. Required. */
    public val abandonAt: Long = builder.abandonAt.requiredField("Session", "abandonAt")
    /** Last update, epoch ms. Required. */
    public val updatedAt: Long = builder.updatedAt.requiredField("Session", "updatedAt")
    /** Creation, epoch ms. Required. */
    public val createdAt: Long = builder.createdAt.requiredField("Session", "createdAt")
    /**
     * Pending tasks (API versions from 2025-04-10); null (the default) when the answer has none (older API versions),
     * which is not the same as an empty list. Java: `getTasks()`, an `Optional`.
     */
    @get:JvmSynthetic public val tasks: List<SessionTask>? = builder.tasks
    private val extra: Map<String, Any?> = builder.extra.frozenMap()

    /** [actor] for Java: empty when nobody impersonates. */
    @JvmName("getActor") public fun actorOptional(): Optional<Map<String, Any?>> = Optional.ofNullable(actor)
    /** [lastActiveOrganizationId] for Java: empty when none. */
    @JvmName("getLastActiveOrganizationId") public fun lastActiveOrganizationIdOptional(): Optional<String> =
        Optional.ofNullable(lastActiveOrganizationId)
    /** [latestActivity] for Java: empty when unknown. */
    @JvmName("getLatestActivity") public fun latestActivityOptional(): Optional<SessionActivity> = Optional.ofNullable(latestActivity)
    /** [tasks] for Java: empty when the answer has no `tasks` (an empty list is present and empty). */
    @JvmName("getTasks") public fun tasksOptional(): Optional<List<SessionTask>> = Optional.ofNullable(tasks)
    /** Fields of the answer this version does not know, as plain values (unmodifiable; empty by default). */
    public fun additionalProperties(): Map<String, Any?> = extra

    /** [lastActiveAt] as an [Instant]. */
    public fun lastActiveAtInstant(): Instant = Instant.ofEpochMilli(lastActiveAt)
    /** [expireAt] as an [Instant]. */
    public fun expireAtInstant(): Instant = Instant.ofEpochMilli(expireAt)
    /** [abandonAt] as an [Instant]. */
    public fun abandonAtInstant(): Instant = Instant.ofEpochMilli(abandonAt)
    /** [updatedAt] as an [Instant]. */
    public fun updatedAtInstant(): Instant = Instant.ofEpochMilli(updatedAt)
    /** [createdAt] as an [Instant]. */
    public fun createdAtInstant(): Instant = Instant.ofEpochMilli(createdAt)

    /** A builder holding every value of this session. */
    public fun toBuilder(): Builder = Builder().also {
        it.objectType = objectType; it.id = id; it.userId = userId; it.clientId = clientId; it.actor = actor
        it.status = status; it.lastActiveOrganizationId = lastActiveOrganizationId; it.lastActiveAt = lastActiveAt
        it.latestActivity = latestActivity; it.expireAt = expireAt; it.abandonAt = abandonAt; it.updatedAt = updatedAt
        it.createdAt = createdAt; it.tasks = tasks; it.extra.putAll(extra)
    }

    override fun equals(other: Any?): Boolean = this === other || (
        other is Session && objectType == other.objectType && id == other.id && userId == other.userId &&
            clientId == other.clientId && actor == other.actor && status == other.status &&
            lastActiveOrganizationId == other.lastActiveOrganizationId && lastActiveAt == other.lastActiveAt &&
            latestActivity == other.latestActivity && expireAt == other.expireAt && abandonAt == other.abandonAt &&
            updatedAt == other.updatedAt && createdAt == other.createdAt && tasks == other.tasks && extra == other.extra
        )

    override fun hashCode(): Int = Objects.hash(
        objectType, id, userId, clientId, actor, status, lastActiveOrganizationId, lastActiveAt, latestActivity,
        expireAt, abandonAt, updatedAt, createdAt, tasks, extra,
    )

    override fun toString(): String =
        "Session{id=$id, userId=$userId, clientId=$clientId, status=$status, actor=$actor, " +
            "lastActiveOrganizationId=$lastActiveOrganizationId, lastActiveAt=$lastActiveAt, latestActivity=$latestActivity, " +
            "expireAt=$expireAt, abandonAt=$abandonAt, updatedAt=$updatedAt, createdAt=$createdAt, tasks=$tasks" +
            extra.describeExtra() + "}"

    /**
     * Builder of a [Session]. Required: `id`, `userId`, `clientId`, `status`, `lastActiveAt`, `expireAt`,
     * `abandonAt`, `updatedAt`, `createdAt`; [build] throws [IllegalStateException] naming the first one missing.
     * Everything else defaults as documented on [Session].
     */
    public class Builder {
        internal var objectType: String = "session"
        internal var id: String? = null
        internal var userId: String? = null
        internal var clientId: String? = null
        internal var actor: Map<String, Any?>? = null
        internal var status: SessionStatus? = null
        internal var lastActiveOrganizationId: String? = null
        internal var lastActiveAt: Long? = null
        internal var latestActivity: SessionActivity? = null
        internal var expireAt: Long? = null
        internal var abandonAt: Long? = null
        internal var updatedAt: Long? = null
        internal var createdAt: Long? = null
        internal var tasks: List<SessionTask>? = null
        internal val extra: MutableMap<String, Any?> = LinkedHashMap()

        /** Sets [Session.objectType] (default `session`). */
        public fun objectType(value: String): Builder = apply { objectType = value }
        /** Sets [Session.id]. */
        public fun id(value: String): Builder = apply { id = value }
        /** Sets [Session.userId]. */
        public fun userId(value: String): Builder = apply { userId = value }
        /** Sets [Session.clientId]. */
        public fun clientId(value: String): Builder = apply { clientId = value }
        /**
         * Sets [Session.actor] (default null); the map is copied as plain values.
         * @throws IllegalArgumentException if a value is not JSON-like (see the file comment).
         */
        public fun actor(value: Map<String, Any?>?): Builder = apply { actor = value?.let(::plainMap) }
        /** Sets [Session.status]. */
        public fun status(value: SessionStatus): Builder = apply { status = value }
        /** Sets [Session.lastActiveOrganizationId] (default null). */
        public fun lastActiveOrganizationId(value: String?): Builder = apply { lastActiveOrganizationId = value }
        /** Sets [Session.lastActiveAt], epoch ms. */
        public fun lastActiveAt(value: Long): Builder = apply { lastActiveAt = value }
        /** Sets [Session.latestActivity] (default null). */
        public fun latestActivity(value: SessionActivity?): Builder = apply { latestActivity = value }
        /** Sets [Session.expireAt], epoch ms. */
        public fun expireAt(value: Long): Builder = apply { expireAt = value }
        /** Sets [Session.abandonAt], epoch ms. */
        public fun abandonAt(value: Long): Builder = apply { abandonAt = value }
        /** Sets [Session.updatedAt], epoch ms. */
        public fun updatedAt(value: Long): Builder = apply { updatedAt = value }
        /** Sets [Session.createdAt], epoch ms. */
        public fun createdAt(value: Long): Builder = apply { createdAt = value }
        /** Sets [Session.tasks] (default null: absent, not empty); the list is copied. */
        public fun tasks(value: List<SessionTask>?): Builder = apply { tasks = value?.let { frozenList(it, "Session.tasks") } }
        /** Replaces [Session.additionalProperties] (default empty) with a plain-value copy of [value]. */
        public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
        /** Adds or replaces one of [Session.additionalProperties]; [value] is copied as a plain value. */
        public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
        /** The session. @throws IllegalStateException if a required field is missing. */
        public fun build(): Session = Session(this)
    }

    /** Factory. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic public fun builder(): Builder = Builder()
    }
}

/**
 * Where and how a session was last used (`SessionActivityResponse`). Equality covers every field,
 * [additionalProperties] included.
 */
public class SessionActivity protected constructor(builder: Builder) {
    /** Object type as sent by Clerk (default `session_activity` when building). */
    public val objectType: String = builder.objectType
    /** Activity id. Required. */
    public val id: String = builder.id.requiredField("SessionActivity", "id")
    /** Whether the device is mobile. Required. */
    public val isMobile: Boolean = builder.isMobile.requiredField("SessionActivity", "isMobile")
    /** Device type; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val deviceType: String? = builder.deviceType
    /** Browser name; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val browserName: String? = builder.browserName
    /** Browser version; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val browserVersion: String? = builder.browserVersion
    /** IP address; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val ipAddress: String? = builder.ipAddress
    /** City; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val city: String? = builder.city
    /** Country; null (the default) when unknown. Java: an `Optional` getter. */
    @get:JvmSynthetic public val country: String? = builder.country
    private val extra: Map<String, Any?> = builder.extra.frozenMap()

    /** [deviceType] for Java. */
    @JvmName("getDeviceType") public fun deviceTypeOptional(): Optional<String> = Optional.ofNullable(deviceType)
    /** [browserName] for Java. */
    @JvmName("getBrowserName") public fun browserNameOptional(): Optional<String> = Optional.ofNullable(browserName)
    /** [browserVersion] for Java. */
    @JvmName("getBrowserVersion") public fun browserVersionOptional(): Optional<String> = Optional.ofNullable(browserVersion)
    /** [ipAddress] for Java. */
    @JvmName("getIpAddress") public fun ipAddressOptional(): Optional<String> = Optional.ofNullable(ipAddress)
    /** [city] for Java. */
    @JvmName("getCity") public fun cityOptional(): Optional<String> = Optional.ofNullable(city)
    /** [country] for Java. */
    @JvmName("getCountry") public fun countryOptional(): Optional<String> = Optional.ofNullable(country)
    /** Fields of the answer this version does not know, as plain values (unmodifiable; empty by default). */
    public fun additionalProperties(): Map<String, Any?> = extra

    /** A builder holding every value of this activity. */
    public fun toBuilder(): Builder = Builder().also {
        it.objectType = objectType; it.id = id; it.isMobile = isMobile; it.deviceType = deviceType
        it.browserName = browserName; it.browserVersion = browserVersion; it.ipAddress = ipAddress; it.city = city
        it.country = country; it.extra.putAll(extra)
    }

    override fun equals(other: Any?): Boolean = this === other || (
        other is SessionActivity && objectType == other.objectType && id == other.id && isMobile == other.isMobile &&
            deviceType == other.deviceType && browserName == other.browserName && browserVersion == other.browserVersion &&
            ipAddress == other.ipAddress && city == other.city && country == other.country && extra == other.extra
        )

    override fun hashCode(): Int =
        Objects.hash(objectType, id, isMobile, deviceType, browserName, browserVersion, ipAddress, city, country, extra)

    override fun toString(): String =
        "SessionActivity{id=$id, isMobile=$isMobile, deviceType=$deviceType, browserName=$browserName, " +
            "browserVersion=$browserVersion, ipAddress=$ipAddress, city=$city, country=$country" + extra.describeExtra() + "}"

    /**
     * Builder of a [SessionActivity]. Required: `id`, `isMobile`; [build] throws [IllegalStateException] naming the
     * first one missing. Everything else defaults as documented on [SessionActivity].
     */
    public class Builder {
        internal var objectType: String = "session_activity"
        internal var id: String? = null
        internal var isMobile: Boolean? = null
        internal var deviceType: String? = null
        internal var browserName: String? = null
        internal var browserVersion: String? = null
        internal var ipAddress: String? = null
        internal var city: String? = null
        internal var country: String? = null
        internal val extra: MutableMap<String, Any?> = LinkedHashMap()

        /** Sets [SessionActivity.objectType] (default `session_activity`). */
        public fun objectType(value: String): Builder = apply { objectType = value }
        /** Sets [SessionActivity.id]. */
        public fun id(value: String): Builder = apply { id = value }
        /** Sets [SessionActivity.isMobile]. */
        public fun isMobile(value: Boolean): Builder = apply { isMobile = value }
        /** Sets [SessionActivity.deviceType] (default null). */
        public fun deviceType(value: String?): Builder = apply { deviceType = value }
        /** Sets [SessionActivity.browserName] (default null). */
        public fun browserName(value: String?): Builder = apply { browserName = value }
        /** Sets [SessionActivity.browserVersion] (default null). */
        public fun browserVersion(value: String?): Builder = apply { browserVersion = value }
        /** Sets [SessionActivity.ipAddress] (default null). */
        public fun ipAddress(value: String?): Builder = apply { ipAddress = value }
        /** Sets [SessionActivity.city] (default null). */
        public fun city(value: String?): Builder = apply { city = value }
        /** Sets [SessionActivity.country] (default null). */
        public fun country(value: String?): Builder = apply { country = value }
        /** Replaces [SessionActivity.additionalProperties] (default empty) with a plain-value copy of [value]. */
        public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
        /** Adds or replaces one of [SessionActivity.additionalProperties]; [value] is copied as a plain value. */
        public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
        /** The activity. @throws IllegalStateException if a required field is missing. */
        public fun build(): SessionActivity = SessionActivity(this)
    }

    /** Factory. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic public fun builder(): Builder = Builder()
    }
}

/**
 * A task the user must complete before the session becomes active (`SessionTask`). Equality covers [key] and
 * [additionalProperties].
 */
public class SessionTask protected constructor(builder: Builder) {
    /** Task key, e.g. `choose-organization`. Required. */
    public val key: String = builder.key.requiredField("SessionTask", "key")
    private val extra: Map<String, Any?> = builder.extra.frozenMap()

    /** Fields of the answer this version does not know, as plain values (unmodifiable; empty by default). */
    public fun additionalProperties(): Map<String, Any?> = extra

    /** A builder holding every value of this task. */
    public fun toBuilder(): Builder = Builder().also { it.key = key; it.extra.putAll(extra) }

    override fun equals(other: Any?): Boolean = this === other || (other is SessionTask && key == other.key && extra == other.extra)
    override fun hashCode(): Int = Objects.hash(key, extra)
    override fun toString(): String = "SessionTask{key=$key" + extra.describeExtra() + "}"

    /** Builder of a [SessionTask]. Required: `key` ([build] throws [IllegalStateException] without it). */
    public class Builder {
        internal var key: String? = null
        internal val extra: MutableMap<String, Any?> = LinkedHashMap()

        /** Sets [SessionTask.key]. */
        public fun key(value: String): Builder = apply { key = value }
        /** Replaces [SessionTask.additionalProperties] (default empty) with a plain-value copy of [value]. */
        public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
        /** Adds or replaces one of [SessionTask.additionalProperties]; [value] is copied as a plain value. */
        public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
        /** The task. @throws IllegalStateException if `key` is missing. */
        public fun build(): SessionTask = SessionTask(this)
    }

    /** Factory. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic public fun builder(): Builder = Builder()
    }
}

/**
 * One page of sessions with the total count: the answer to `GET /sessions` in either of its shapes (a bare array,
 * whose total is its size, or `{"data": [...], "total_count": N}` with `paginated=true`).
 *
 * No `additionalProperties` here, by design: a page is clerkkit's view of two answer shapes, not one of Clerk's
 * objects, and the bare-array shape has nowhere to carry them. The sessions on it keep theirs.
 */
public class SessionPage protected constructor(builder: Builder) {
    /** Sessions on this page, newest first (unmodifiable). Required. */
    public val data: List<Session> = builder.data.requiredField("SessionPage", "data")
    /** Sessions matching the filter across all pages. Required. */
    public val totalCount: Long = builder.totalCount.requiredField("SessionPage", "totalCount")

    /**
     * The offset of the page after this one, given that this page was fetched at [offset] with limit [pageSize];
     * null when this is the last page (a short page, or `total_count` reached). The one paging rule of clerkkit.
     * Java: `nextOffset(offset, pageSize)`, an `Optional`.
     */
    @JvmSynthetic
    public fun nextOffset(offset: Int, pageSize: Int): Int? {
        val next = offset + data.size
        return if (data.size < pageSize || next >= totalCount) null else next
    }

    /** [nextOffset] for Java: empty when this is the last page. */
    @JvmName("nextOffset")
    public fun nextOffsetOptional(offset: Int, pageSize: Int): Optional<Int> = Optional.ofNullable(nextOffset(offset, pageSize))

    /** A builder holding every value of this page. */
    public fun toBuilder(): Builder = Builder().also { it.data = data; it.totalCount = totalCount }

    override fun equals(other: Any?): Boolean =
        this === other || (other is SessionPage && totalCount == other.totalCount && data == other.data)
    override fun hashCode(): Int = Objects.hash(data, totalCount)
    override fun toString(): String = "SessionPage{totalCount=$totalCount, data=$data}"

    /** Builder of a [SessionPage]. Required: `data`, `totalCount` ([build] throws [IllegalStateException]). */
    public class Builder {
        internal var data: List<Session>? = null
        internal var totalCount: Long? = null

        /** Sets [SessionPage.data]; the list is copied. */
        public fun data(value: List<Session>): Builder = apply { data = frozenList(value, "SessionPage.data") }
        /** Sets [SessionPage.totalCount]. @throws IllegalArgumentException if negative. */
        public fun totalCount(value: Long): Builder = apply {
            require(value >= 0) { "SessionPage.totalCount must be >= 0, was $value" }
            totalCount = value
        }
        /** The page. @throws IllegalStateException if a required field is missing. */
        public fun build(): SessionPage = SessionPage(this)
    }

    /** Factory. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic public fun builder(): Builder = Builder()
    }
}

/**
 * A session token (`Token`): a signed JWT. [toString] shows only the JWT's length, never the token. Equality covers
 * every field, [additionalProperties] included.
 */
public class SessionToken protected constructor(builder: Builder) {
    /** Always `token` (the default when building). */
    public val objectType: String = builder.objectType
    /** The encoded JWT. Required. A secret: never log it. */
    public val jwt: String = builder.jwt.requiredField("SessionToken", "jwt")
    private val extra: Map<String, Any?> = builder.extra.frozenMap()

    /** Fields of the answer this version does not know, as plain values (unmodifiable; empty by default). */
    public fun additionalProperties(): Map<String, Any?> = extra

    /** A builder holding every value of this token. */
    public fun toBuilder(): Builder = Builder().also { it.objectType = objectType; it.jwt = jwt; it.extra.putAll(extra) }

    override fun equals(other: Any?): Boolean = this === other ||
        (other is SessionToken && objectType == other.objectType && jwt == other.jwt && extra == other.extra)
    override fun hashCode(): Int = Objects.hash(objectType, jwt, extra)
    override fun toString(): String = "SessionToken{jwt=<${jwt.length} chars>" + extra.describeExtraKeys() + "}"

    /** Builder of a [SessionToken]. Required: `jwt` ([build] throws [IllegalStateException] without it). */
    public class Builder {
        internal var objectType: String = "token"
        internal var jwt: String? = null
        internal val extra: MutableMap<String, Any?> = LinkedHashMap()

        /** Sets [SessionToken.objectType] (default `token`). */
        public fun objectType(value: String): Builder = apply { objectType = value }
        /** Sets [SessionToken.jwt]. */
        public fun jwt(value: String): Builder = apply { jwt = value }
        /** Replaces [SessionToken.additionalProperties] (default empty) with a plain-value copy of [value]. */
        public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
        /** Adds or replaces one of [SessionToken.additionalProperties]; [value] is copied as a plain value. */
        public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
        /** The token. @throws IllegalStateException if `jwt` is missing. */
        public fun build(): SessionToken = SessionToken(this)
    }

    /** Factory. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic public fun builder(): Builder = Builder()
    }
}

/**
 * Result of `refresh` (`SessionRefresh`): a [Token] (format `token`, the default) or [Cookies] (format `cookie`).
 * Sealed: exactly these two kinds.
 */
public sealed class SessionRefresh {
    /** Fields of the answer this version does not know, as plain values (unmodifiable; empty by default). */
    public abstract fun additionalProperties(): Map<String, Any?>

    /**
     * A new session token (`Token`). [toString] shows only the JWT's length. Equality covers [jwt] and
     * [additionalProperties].
     */
    public class Token protected constructor(builder: Builder) : SessionRefresh() {
        /** The encoded JWT. Required. A secret: never log it. */
        public val jwt: String = builder.jwt.requiredField("SessionRefresh.Token", "jwt")
        private val extra: Map<String, Any?> = builder.extra.frozenMap()

        override fun additionalProperties(): Map<String, Any?> = extra

        /** A builder holding every value of this result. */
        public fun toBuilder(): Builder = Builder().also { it.jwt = jwt; it.extra.putAll(extra) }

        override fun equals(other: Any?): Boolean = this === other || (other is Token && jwt == other.jwt && extra == other.extra)
        override fun hashCode(): Int = Objects.hash(jwt, extra)
        override fun toString(): String = "SessionRefresh.Token{jwt=<${jwt.length} chars>" + extra.describeExtraKeys() + "}"

        /** Builder of a [Token]. Required: `jwt` ([build] throws [IllegalStateException] without it). */
        public class Builder {
            internal var jwt: String? = null
            internal val extra: MutableMap<String, Any?> = LinkedHashMap()

            /** Sets [Token.jwt]. */
            public fun jwt(value: String): Builder = apply { jwt = value }
            /** Replaces [Token.additionalProperties] (default empty) with a plain-value copy of [value]. */
            public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
            /** Adds or replaces one of [Token.additionalProperties]; [value] is copied as a plain value. */
            public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
            /** The result. @throws IllegalStateException if `jwt` is missing. */
            public fun build(): Token = Token(this)
        }

        /** Factory. */
        public companion object {
            /** A new, empty builder. */
            @JvmStatic public fun builder(): Builder = Builder()
        }
    }

    /**
     * `Set-Cookie` directives to send to the browser (`Cookies`). They carry session secrets: [toString] shows only
     * how many there are. Equality covers [cookies] and [additionalProperties].
     */
    public class Cookies protected constructor(builder: Builder) : SessionRefresh() {
        /** Cookie directives (unmodifiable). Required (may be empty). */
        public val cookies: List<String> = builder.cookies.requiredField("SessionRefresh.Cookies", "cookies")
        private val extra: Map<String, Any?> = builder.extra.frozenMap()

        override fun additionalProperties(): Map<String, Any?> = extra

        /** A builder holding every value of this result. */
        public fun toBuilder(): Builder = Builder().also { it.cookies = cookies; it.extra.putAll(extra) }

        override fun equals(other: Any?): Boolean =
            this === other || (other is Cookies && cookies == other.cookies && extra == other.extra)
        override fun hashCode(): Int = Objects.hash(cookies, extra)
        override fun toString(): String = "SessionRefresh.Cookies{${cookies.size} cookies" + extra.describeExtraKeys() + "}"

        /** Builder of [Cookies]. Required: `cookies` ([build] throws [IllegalStateException] without it). */
        public class Builder {
            internal var cookies: List<String>? = null
            internal val extra: MutableMap<String, Any?> = LinkedHashMap()

            /** Sets [Cookies.cookies]; the list is copied. */
            public fun cookies(value: List<String>): Builder = apply { cookies = frozenList(value, "SessionRefresh.Cookies.cookies") }
            /** Replaces [Cookies.additionalProperties] (default empty) with a plain-value copy of [value]. */
            public fun additionalProperties(value: Map<String, Any?>): Builder = apply { extra.replacePlain(value) }
            /** Adds or replaces one of [Cookies.additionalProperties]; [value] is copied as a plain value. */
            public fun putAdditionalProperty(key: String, value: Any?): Builder = apply { extra[key] = plainValue(value) }
            /** The result. @throws IllegalStateException if `cookies` is missing. */
            public fun build(): Cookies = Cookies(this)
        }

        /** Factory. */
        public companion object {
            /** A new, empty builder. */
            @JvmStatic public fun builder(): Builder = Builder()
        }
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
