package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import dev.clerkkit.http.ApiCall
import dev.clerkkit.http.ClerkHttp
import dev.clerkkit.http.Replay
import dev.clerkkit.http.pathSegment
import dev.clerkkit.sessions.SessionJson.decodeList
import dev.clerkkit.sessions.SessionJson.decodeRefresh
import dev.clerkkit.sessions.SessionJson.decodeSession
import dev.clerkkit.sessions.SessionJson.decodeToken
import dev.clerkkit.sessions.SessionJson.sessionNamed
import io.ktor.http.HttpMethod
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * The Sessions resource: the eight operations of Clerk's Backend API, named as in Clerk's SDKs.
 *
 * Every operation checks its input before any I/O (blank ids, `.`/`..`, out-of-range numbers throw
 * [IllegalArgumentException]), encodes each path parameter as exactly one path segment, and throws a
 * [dev.clerkkit.errors.ClerkException] subtype when the call fails. [options] overrides headers, timeout and retries
 * for one call (default [RequestOptions.NONE]).
 */
public class Sessions internal constructor(private val http: ClerkHttp) {

    /** `GET /sessions`: sessions matching [params], newest first (a bare array; see [listPage] for the total). */
    public suspend fun list(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): List<Session> =
        http.execute(ApiCall("sessions.list", HttpMethod.Get, listOf(SESSIONS), params.query(paginated = false)), options) {
            decodeList(it).data
        }

    /** [list] with named filters: `list(userId = "user_1", status = SessionStatus.ACTIVE, limit = 20)`. */
    public suspend fun list(
        userId: String? = null,
        clientId: String? = null,
        status: SessionStatus? = null,
        limit: Int? = null,
        offset: Int? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): List<Session> = list(params(userId, clientId, status, limit, offset), options)

    /** `GET /sessions?paginated=true`: one page plus `total_count`. */
    public suspend fun listPage(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): SessionPage =
        http.execute(ApiCall("sessions.list", HttpMethod.Get, listOf(SESSIONS), params.query(paginated = true)), options, ::decodeList)

    /** [listPage] with named filters. */
    public suspend fun listPage(
        userId: String? = null,
        clientId: String? = null,
        status: SessionStatus? = null,
        limit: Int? = null,
        offset: Int? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): SessionPage = listPage(params(userId, clientId, status, limit, offset), options)

    /**
     * Every session matching [params], fetched lazily page by page ([pageSize] per request, default 100, 1..500)
     * starting at `params.offset`. Cold: each collection starts over. Errors surface as the same typed exceptions.
     */
    public fun listAll(
        params: SessionListParams = SessionListParams.NONE,
        pageSize: Int = DEFAULT_PAGE_SIZE,
        options: RequestOptions = RequestOptions.NONE,
    ): Flow<Session> {
        require(pageSize in 1..SessionListParams.MAX_LIMIT) { "pageSize must be in 1..${SessionListParams.MAX_LIMIT}, was $pageSize" }
        return flow {
            var offset: Int? = params.offset ?: 0
            while (offset != null) {
                val page = listPage(params.toBuilder().limit(pageSize).offset(offset).build(), options)
                page.data.forEach { emit(it) }
                offset = page.nextOffset(offset, pageSize)
            }
        }
    }

    /**
     * `POST /sessions`: a new active session for [userId] (testing instances only; Clerk refuses it in production).
     * Not retried on 5xx or after a connection failure that may have reached Clerk (it could create two sessions).
     */
    public suspend fun create(userId: String, activeOrganizationId: String? = null, options: RequestOptions = RequestOptions.NONE): Session {
        require(userId.isNotBlank()) { "userId must not be blank" }
        activeOrganizationId?.let { require(it.isNotBlank()) { "activeOrganizationId must not be blank" } }
        val body = buildJsonObject {
            put("user_id", userId)
            activeOrganizationId?.let { put("active_organization_id", it) }
        }
        return http.execute(ApiCall("sessions.create", HttpMethod.Post, listOf(SESSIONS), body = body.toString(), replay = Replay.UNSAFE), options, ::decodeSession)
    }

    /** `GET /sessions/{session_id}`. */
    public suspend fun get(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session =
        http.execute(ApiCall("sessions.get", HttpMethod.Get, listOf(SESSIONS, pathSegment("sessionId", sessionId))), options, sessionNamed(sessionId))

    /**
     * `POST /sessions/{session_id}/refresh`: a new session token ([SessionRefresh.Token]) or cookies
     * ([SessionRefresh.Cookies]) by [RefreshSessionParams.format]. A 401 means the handshake flow must be used.
     */
    public suspend fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions = RequestOptions.NONE): SessionRefresh {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "refresh")
        val body = buildJsonObject {
            put("expired_token", params.expiredToken)
            put("refresh_token", params.refreshToken)
            put("request_origin", params.requestOrigin)
            params.requestHeaders?.let { put("request_headers", it) }
            params.format?.let { put("format", it.value) }
            params.requestOriginatingIp?.let { put("request_originating_ip", it) }
        }
        return http.execute(ApiCall("sessions.refresh", HttpMethod.Post, path, body = body.toString()), options, ::decodeRefresh)
    }

    /** `POST /sessions/{session_id}/revoke`: sets the status to `revoked`. Safe to repeat, so it is retried. */
    public suspend fun revoke(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session =
        http.execute(
            ApiCall("sessions.revoke", HttpMethod.Post, listOf(SESSIONS, pathSegment("sessionId", sessionId), "revoke")),
            options, sessionNamed(sessionId),
        )

    /**
     * `POST /sessions/{session_id}/verify` (API versions up to 2024-10-01): the session if [token] is a valid
     * session token for it. Newer API versions answer 410 ([dev.clerkkit.errors.GoneException]).
     */
    @Deprecated(
        "Clerk deprecated this endpoint (gone, 410, from API version 2025-04-10 on). Verify the session token locally, " +
            "without a network call: ClerkClient.verifyToken(token).",
    )
    public suspend fun verify(sessionId: String, token: String, options: RequestOptions = RequestOptions.NONE): Session {
        require(token.isNotBlank()) { "token must not be blank" }
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "verify")
        val body = buildJsonObject { put("token", token) }
        return http.execute(ApiCall("sessions.verify", HttpMethod.Post, path, body = body.toString()), options, sessionNamed(sessionId))
    }

    /**
     * `POST /sessions/{session_id}/tokens`: a session JWT. [expiresInSeconds] (30..315360000) overrides the lifetime;
     * the body is sent only when it is given.
     */
    public suspend fun createToken(sessionId: String, expiresInSeconds: Long? = null, options: RequestOptions = RequestOptions.NONE): SessionToken {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "tokens")
        return http.execute(ApiCall("sessions.createToken", HttpMethod.Post, path, body = lifetimeBody(expiresInSeconds)), options, ::decodeToken)
    }

    /** `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template. */
    public suspend fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): SessionToken {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "tokens", pathSegment("templateName", templateName))
        return http.execute(
            ApiCall("sessions.createTokenFromTemplate", HttpMethod.Post, path, body = lifetimeBody(expiresInSeconds)),
            options, ::decodeToken,
        )
    }

    internal companion object {
        const val SESSIONS = "sessions"
        const val DEFAULT_PAGE_SIZE = 100
        const val MIN_TOKEN_LIFETIME = 30L
        const val MAX_TOKEN_LIFETIME = 315_360_000L

    fun params(userId: String?, clientId: String?, status: SessionStatus?, limit: Int?, offset: Int?) =
        SessionListParams.builder().userId(userId).clientId(clientId).status(status).limit(limit).offset(offset).build()

    fun lifetimeBody(expiresInSeconds: Long?): String? {
        expiresInSeconds ?: return null
        require(expiresInSeconds in MIN_TOKEN_LIFETIME..MAX_TOKEN_LIFETIME) {
            "expiresInSeconds must be in $MIN_TOKEN_LIFETIME..$MAX_TOKEN_LIFETIME, was $expiresInSeconds"
        }
        return buildJsonObject { put("expires_in_seconds", expiresInSeconds) }.toString()
    }
    }
}
