package dev.clerkkit.sessions

import kotlinx.serialization.json.JsonObject

/**
 * Filters and paging of `GET /sessions`. Clerk asks for at least one of [userId] or [clientId].
 * Defaults: no filter, Clerk's own limit (10) and offset (0).
 */
public class SessionListParams private constructor(builder: Builder) {
    /** Sessions of this user; null = any. */
    @get:JvmSynthetic public val userId: String? = builder.userId
    /** Sessions of this client; null = any. */
    @get:JvmSynthetic public val clientId: String? = builder.clientId
    /** Only this status; null = any. */
    @get:JvmSynthetic public val status: SessionStatus? = builder.status
    /** Page size, 1..500; null = Clerk's default (10). */
    @get:JvmSynthetic public val limit: Int? = builder.limit
    /** Results to skip, >= 0; null = 0. */
    @get:JvmSynthetic public val offset: Int? = builder.offset

    init {
        userId?.let { require(it.isNotBlank()) { "userId must not be blank" } }
        clientId?.let { require(it.isNotBlank()) { "clientId must not be blank" } }
        limit?.let { require(it in 1..MAX_LIMIT) { "limit must be in 1..$MAX_LIMIT, was $it" } }
        offset?.let { require(it >= 0) { "offset must be >= 0, was $it" } }
    }

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().also {
        it.userId = userId; it.clientId = clientId; it.status = status; it.limit = limit; it.offset = offset
    }

    internal fun query(paginated: Boolean): List<Pair<String, String>> = buildList {
        clientId?.let { add("client_id" to it) }
        userId?.let { add("user_id" to it) }
        status?.let { add("status" to it.value) }
        if (paginated) add("paginated" to "true")
        limit?.let { add("limit" to it.toString()) }
        offset?.let { add("offset" to it.toString()) }
    }

    override fun toString(): String =
        "SessionListParams(userId=$userId, clientId=$clientId, status=$status, limit=$limit, offset=$offset)"
    override fun equals(other: Any?): Boolean = other is SessionListParams && other.toString() == toString()
    override fun hashCode(): Int = toString().hashCode()

    /** Mutable builder; [build] checks the ranges. */
    public class Builder {
        /** See [SessionListParams.userId]. */ public var userId: String? = null
        /** See [SessionListParams.clientId]. */ public var clientId: String? = null
        /** See [SessionListParams.status]. */ public var status: SessionStatus? = null
        /** See [SessionListParams.limit]. */ public var limit: Int? = null
        /** See [SessionListParams.offset]. */ public var offset: Int? = null

        /** Sets [userId]. */ public fun userId(value: String?): Builder = apply { userId = value }
        /** Sets [clientId]. */ public fun clientId(value: String?): Builder = apply { clientId = value }
        /** Sets [status]. */ public fun status(value: SessionStatus?): Builder = apply { status = value }
        /** Sets [limit]. */ public fun limit(value: Int?): Builder = apply { limit = value }
        /** Sets [offset]. */ public fun offset(value: Int?): Builder = apply { offset = value }
        /** Checks and freezes. @throws IllegalArgumentException for blank ids or out-of-range limit/offset. */
        public fun build(): SessionListParams = SessionListParams(this)
    }

    /** Factories. */
    public companion object {
        /** Most sessions per page Clerk allows. */
        public const val MAX_LIMIT: Int = 500
        /** No filter. */
        @JvmField public val NONE: SessionListParams = Builder().build()
        /** A new builder. */
        @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `SessionListParams { userId = "user_1"; status = SessionStatus.ACTIVE }`. */
        public operator fun invoke(block: Builder.() -> Unit): SessionListParams = Builder().apply(block).build()
    }
}

/**
 * Body of `POST /sessions/{id}/refresh`. [expiredToken], [refreshToken] and [requestOrigin] are required;
 * the rest are sent only when set.
 */
public class RefreshSessionParams private constructor(builder: Builder) {
    /** The JWT from the `__session` cookie; must belong to the session. */
    public val expiredToken: String = requireNotNull(builder.expiredToken) { "expiredToken is required" }
    /** The refresh token from the `__refresh` cookie. */
    public val refreshToken: String = requireNotNull(builder.refreshToken) { "refreshToken is required" }
    /** The request's origin, e.g. `https://app.example.com`. */
    public val requestOrigin: String = requireNotNull(builder.requestOrigin) { "requestOrigin is required" }
    /** The request's headers as a JSON object; null = not sent. */
    @get:JvmSynthetic public val requestHeaders: JsonObject? = builder.requestHeaders
    /** Response shape; null = not sent (Clerk's default, [RefreshFormat.TOKEN]). */
    @get:JvmSynthetic public val format: RefreshFormat? = builder.format
    /** The client's IP address; null = not sent. */
    @get:JvmSynthetic public val requestOriginatingIp: String? = builder.requestOriginatingIp

    init {
        require(expiredToken.isNotBlank()) { "expiredToken must not be blank" }
        require(refreshToken.isNotBlank()) { "refreshToken must not be blank" }
        require(requestOrigin.isNotBlank()) { "requestOrigin must not be blank" }
    }

    override fun toString(): String =
        "RefreshSessionParams(requestOrigin=$requestOrigin, format=$format, requestOriginatingIp=$requestOriginatingIp, " +
            "expiredToken=<${expiredToken.length} chars>, refreshToken=<${refreshToken.length} chars>)"

    /** Mutable builder. */
    public class Builder {
        /** See [RefreshSessionParams.expiredToken]. */ public var expiredToken: String? = null
        /** See [RefreshSessionParams.refreshToken]. */ public var refreshToken: String? = null
        /** See [RefreshSessionParams.requestOrigin]. */ public var requestOrigin: String? = null
        /** See [RefreshSessionParams.requestHeaders]. */ public var requestHeaders: JsonObject? = null
        /** See [RefreshSessionParams.format]. */ public var format: RefreshFormat? = null
        /** See [RefreshSessionParams.requestOriginatingIp]. */ public var requestOriginatingIp: String? = null

        /** Sets [expiredToken]. */ public fun expiredToken(value: String): Builder = apply { expiredToken = value }
        /** Sets [refreshToken]. */ public fun refreshToken(value: String): Builder = apply { refreshToken = value }
        /** Sets [requestOrigin]. */ public fun requestOrigin(value: String): Builder = apply { requestOrigin = value }
        /** Sets [requestHeaders]. */ public fun requestHeaders(value: JsonObject?): Builder = apply { requestHeaders = value }
        /** Sets [requestHeaders] from a plain map (each header's values as a JSON array). */
        public fun requestHeaders(value: Map<String, List<String>>): Builder = apply {
            requestHeaders = JsonObject(value.mapValues { (_, v) -> kotlinx.serialization.json.JsonArray(v.map(::jsonString)) })
        }
        /** Sets [format]. */ public fun format(value: RefreshFormat?): Builder = apply { format = value }
        /** Sets [requestOriginatingIp]. */ public fun requestOriginatingIp(value: String?): Builder = apply { requestOriginatingIp = value }
        /** Checks and freezes. @throws IllegalArgumentException when a required field is missing or blank. */
        public fun build(): RefreshSessionParams = RefreshSessionParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */
        @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL. */
        public operator fun invoke(block: Builder.() -> Unit): RefreshSessionParams = Builder().apply(block).build()
    }
}

private fun jsonString(s: String) = kotlinx.serialization.json.JsonPrimitive(s)
