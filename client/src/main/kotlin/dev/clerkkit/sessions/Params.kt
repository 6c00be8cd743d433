package dev.clerkkit.sessions

import dev.clerkkit.internal.checkedId
import dev.clerkkit.internal.plainMap
import dev.clerkkit.internal.plainMapToJson
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.util.Optional

/**
 * Filters and paging of `GET /sessions`. Clerk asks for at least one of [userId] or [clientId].
 * Defaults: no filter, Clerk's own limit (10) and offset (0). Java reads each value through an `Optional` getter.
 */
public class SessionListParams protected constructor(builder: Builder) {
    /** Sessions of this user; null (the default) = any. */
    @get:JvmSynthetic public val userId: String? = builder.userId
    /** Sessions of this client; null (the default) = any. */
    @get:JvmSynthetic public val clientId: String? = builder.clientId
    /** Only this status; null (the default) = any. */
    @get:JvmSynthetic public val status: SessionStatus? = builder.status
    /**
     * Page size, 1..500; null (the default) = Clerk's default (10) for [Sessions.list] and [Sessions.listPage], and
     * [Sessions.DEFAULT_PAGE_SIZE] (100) per request for [Sessions.listAll], which fetches every page.
     */
    @get:JvmSynthetic public val limit: Int? = builder.limit
    /** Results to skip, >= 0; null (the default) = 0. */
    @get:JvmSynthetic public val offset: Int? = builder.offset

    init {
        userId?.let { require(it.isNotBlank()) { "userId must not be blank" } }
        clientId?.let { require(it.isNotBlank()) { "clientId must not be blank" } }
        limit?.let { require(it in 1..MAX_LIMIT) { "limit must be in 1..$MAX_LIMIT, was $it" } }
        offset?.let { require(it >= 0) { "offset must be >= 0, was $it" } }
    }

    /** [userId] for Java. */ @JvmName("getUserId") public fun userIdOptional(): Optional<String> = Optional.ofNullable(userId)
    /** [clientId] for Java. */ @JvmName("getClientId") public fun clientIdOptional(): Optional<String> = Optional.ofNullable(clientId)
    /** [status] for Java. */ @JvmName("getStatus") public fun statusOptional(): Optional<SessionStatus> = Optional.ofNullable(status)
    /** [limit] for Java. */ @JvmName("getLimit") public fun limitOptional(): Optional<Int> = Optional.ofNullable(limit)
    /** [offset] for Java. */ @JvmName("getOffset") public fun offsetOptional(): Optional<Int> = Optional.ofNullable(offset)

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

    /** Mutable builder (every value starts unset: no filter); [build] checks the ranges. */
    public class Builder {
        /** See [SessionListParams.userId]. */ @get:JvmSynthetic @set:JvmSynthetic public var userId: String? = null
        /** See [SessionListParams.clientId]. */ @get:JvmSynthetic @set:JvmSynthetic public var clientId: String? = null
        /** See [SessionListParams.status]. */ @get:JvmSynthetic @set:JvmSynthetic public var status: SessionStatus? = null
        /** See [SessionListParams.limit]. */ @get:JvmSynthetic @set:JvmSynthetic public var limit: Int? = null
        /** See [SessionListParams.offset]. */ @get:JvmSynthetic @set:JvmSynthetic public var offset: Int? = null

        /** Sets [userId] (null = any). */ public fun userId(value: String?): Builder = apply { userId = value }
        /** Sets [clientId] (null = any). */ public fun clientId(value: String?): Builder = apply { clientId = value }
        /** Sets [status] (null = any). */ public fun status(value: SessionStatus?): Builder = apply { status = value }
        /** Sets [limit] (null = Clerk's default). */ public fun limit(value: Int?): Builder = apply { limit = value }
        /** Sets [offset] (null = 0). */ public fun offset(value: Int?): Builder = apply { offset = value }
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
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): SessionListParams = Builder().apply(block).build()
    }
}

/**
 * Params of `POST /sessions/{session_id}/refresh` ([Sessions.refresh]). [sessionId], [expiredToken], [refreshToken]
 * and [requestOrigin] are required; the rest are sent only when set (default: not sent). Java reads the optional ones
 * through `Optional` getters. [toString] never shows the tokens.
 */
public class RefreshSessionParams protected constructor(builder: Builder) {
    /** The session to refresh, `sess_...` (the `sid` of the expired token). Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)
    /** The JWT from the `__session` cookie; must belong to the session. Required. */
    public val expiredToken: String = requireNotNull(builder.expiredToken) { "expiredToken is required" }
    /** The refresh token from the `__refresh` cookie. Required. */
    public val refreshToken: String = requireNotNull(builder.refreshToken) { "refreshToken is required" }
    /** The request's origin, e.g. `https://app.example.com`. Required. */
    public val requestOrigin: String = requireNotNull(builder.requestOrigin) { "requestOrigin is required" }
    /**
     * The request's headers, a free-form JSON object as plain values (e.g. `{"User-Agent": ["..."]}`: a header's
     * values as a list of strings, or one string); null (the default) = not sent.
     */
    @get:JvmSynthetic public val requestHeaders: Map<String, Any?>? = builder.requestHeaders?.let(::plainMap)
    /** Response shape; null (the default) = not sent (Clerk's default, [RefreshFormat.TOKEN]). */
    @get:JvmSynthetic public val format: RefreshFormat? = builder.format
    /** The client's IP address; null (the default) = not sent. */
    @get:JvmSynthetic public val requestOriginatingIp: String? = builder.requestOriginatingIp

    init {
        require(expiredToken.isNotBlank()) { "expiredToken must not be blank" }
        require(refreshToken.isNotBlank()) { "refreshToken must not be blank" }
        require(requestOrigin.isNotBlank()) { "requestOrigin must not be blank" }
    }

    /** [requestHeaders] for Java. */
    @JvmName("getRequestHeaders") public fun requestHeadersOptional(): Optional<Map<String, Any?>> = Optional.ofNullable(requestHeaders)
    /** [format] for Java. */
    @JvmName("getFormat") public fun formatOptional(): Optional<RefreshFormat> = Optional.ofNullable(format)
    /** [requestOriginatingIp] for Java. */
    @JvmName("getRequestOriginatingIp") public fun requestOriginatingIpOptional(): Optional<String> = Optional.ofNullable(requestOriginatingIp)

    /** The JSON body sent to Clerk. */
    internal fun body(): String = buildJsonObject {
        put("expired_token", expiredToken)
        put("refresh_token", refreshToken)
        put("request_origin", requestOrigin)
        requestHeaders?.let { put("request_headers", plainMapToJson(it)) }
        format?.let { put("format", it.value) }
        requestOriginatingIp?.let { put("request_originating_ip", it) }
    }.toString()

    override fun toString(): String =
        "RefreshSessionParams(sessionId=$sessionId, requestOrigin=$requestOrigin, format=$format, requestOriginatingIp=$requestOriginatingIp, " +
            "requestHeaders=${requestHeaders?.keys}, expiredToken=<${expiredToken.length} chars>, refreshToken=<${refreshToken.length} chars>)"

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().also {
        it.sessionId = sessionId; it.expiredToken = expiredToken; it.refreshToken = refreshToken; it.requestOrigin = requestOrigin
        it.requestHeaders = requestHeaders; it.format = format; it.requestOriginatingIp = requestOriginatingIp
    }

    override fun equals(other: Any?): Boolean = other is RefreshSessionParams && other.sessionId == sessionId &&
        other.expiredToken == expiredToken && other.refreshToken == refreshToken && other.requestOrigin == requestOrigin &&
        other.requestHeaders == requestHeaders && other.format == format && other.requestOriginatingIp == requestOriginatingIp
    override fun hashCode(): Int = java.util.Objects.hash(sessionId, expiredToken, refreshToken, requestOrigin, requestHeaders, format, requestOriginatingIp)

    /** Mutable builder; every value starts unset. */
    public class Builder {
        /** See [RefreshSessionParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** See [RefreshSessionParams.expiredToken]. */ @get:JvmSynthetic @set:JvmSynthetic public var expiredToken: String? = null
        /** See [RefreshSessionParams.refreshToken]. */ @get:JvmSynthetic @set:JvmSynthetic public var refreshToken: String? = null
        /** See [RefreshSessionParams.requestOrigin]. */ @get:JvmSynthetic @set:JvmSynthetic public var requestOrigin: String? = null
        /** See [RefreshSessionParams.requestHeaders]. */ @get:JvmSynthetic @set:JvmSynthetic public var requestHeaders: Map<String, Any?>? = null
        /** See [RefreshSessionParams.format]. */ @get:JvmSynthetic @set:JvmSynthetic public var format: RefreshFormat? = null
        /** See [RefreshSessionParams.requestOriginatingIp]. */ @get:JvmSynthetic @set:JvmSynthetic public var requestOriginatingIp: String? = null

        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Sets [expiredToken]. */ public fun expiredToken(value: String): Builder = apply { expiredToken = value }
        /** Sets [refreshToken]. */ public fun refreshToken(value: String): Builder = apply { refreshToken = value }
        /** Sets [requestOrigin]. */ public fun requestOrigin(value: String): Builder = apply { requestOrigin = value }
        /**
         * Sets [requestHeaders] (null = not sent). Values must be JSON-like: strings, numbers, booleans, null, lists
         * and maps of them. @throws IllegalArgumentException for anything else.
         */
        public fun requestHeaders(value: Map<String, Any?>?): Builder = apply { requestHeaders = value }
        /** Sets [format] (null = not sent). */ public fun format(value: RefreshFormat?): Builder = apply { format = value }
        /** Sets [requestOriginatingIp] (null = not sent). */ public fun requestOriginatingIp(value: String?): Builder = apply { requestOriginatingIp = value }
        /** Checks and freezes. @throws IllegalArgumentException when a required field is missing or blank. */
        public fun build(): RefreshSessionParams = RefreshSessionParams(this)

        override fun toString(): String = "RefreshSessionParams.Builder(sessionId=$sessionId, requestOrigin=$requestOrigin)"
    }

    /** Factories. */
    public companion object {
        /** A new builder. */
        @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL. */
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): RefreshSessionParams = Builder().apply(block).build()
    }
}
