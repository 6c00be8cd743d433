package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import kotlinx.coroutines.flow.Flow

/**
 * The Sessions resource: the eight operations of Clerk's Backend API, named as in Clerk's SDKs. Get it from
 * [dev.clerkkit.ClerkClient.sessions]; thread-safe.
 *
 * Every operation checks its input before any I/O (blank ids, `.`/`..`, out-of-range numbers throw
 * [IllegalArgumentException]), encodes each path parameter as exactly one path segment, and throws a
 * [dev.clerkkit.errors.ClerkException] subtype when the call fails. `options` overrides headers, timeout and retries
 * for one call (default [RequestOptions.NONE]).
 *
 * An interface so that your own tests can fake it (implement it, or mock it with any mocking library); clerkkit's
 * implementation is internal.
 */
public interface Sessions {

    /** `GET /sessions`: sessions matching [params] (default: no filter), newest first (a bare array; see [listPage] for the total). */
    public suspend fun list(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): List<Session>

    /** [list] with named filters: `list(userId = "user_1", status = SessionStatus.ACTIVE, limit = 20)`; null = no filter. */
    public suspend fun list(
        userId: String? = null,
        clientId: String? = null,
        status: SessionStatus? = null,
        limit: Int? = null,
        offset: Int? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): List<Session> = list(SessionListParams.of(userId, clientId, status, limit, offset), options)

    /** `GET /sessions?paginated=true`: one page plus `total_count`. Default params: no filter, Clerk's limit (10), offset 0. */
    public suspend fun listPage(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): SessionPage

    /** [listPage] with named filters; null = no filter. */
    public suspend fun listPage(
        userId: String? = null,
        clientId: String? = null,
        status: SessionStatus? = null,
        limit: Int? = null,
        offset: Int? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): SessionPage = listPage(SessionListParams.of(userId, clientId, status, limit, offset), options)

    /**
     * Every session matching [params], fetched lazily page by page ([pageSize] per request, default
     * [DEFAULT_PAGE_SIZE] = 100, 1..500) starting at `params.offset`. Cold: each collection starts over. Errors surface
     * as the same typed exceptions. @throws IllegalArgumentException at once when [pageSize] is out of range.
     */
    public fun listAll(
        params: SessionListParams = SessionListParams.NONE,
        pageSize: Int = DEFAULT_PAGE_SIZE,
        options: RequestOptions = RequestOptions.NONE,
    ): Flow<Session>

    /**
     * `POST /sessions`: a new active session for [userId] (testing instances only; Clerk refuses it in production),
     * optionally with an active organization (default none). Not retried on 5xx or after a connection failure that
     * may have reached Clerk (it could create two sessions).
     */
    public suspend fun create(userId: String, activeOrganizationId: String? = null, options: RequestOptions = RequestOptions.NONE): Session

    /** `GET /sessions/{session_id}`. */
    public suspend fun get(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session

    /**
     * `POST /sessions/{session_id}/refresh`: a new session token ([SessionRefresh.Token]) or cookies
     * ([SessionRefresh.Cookies]) by [RefreshSessionParams.format]. A 401 means the handshake flow must be used.
     */
    public suspend fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions = RequestOptions.NONE): SessionRefresh

    /** `POST /sessions/{session_id}/revoke`: sets the status to `revoked`. Safe to repeat, so it is retried. */
    public suspend fun revoke(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session

    /**
     * `POST /sessions/{session_id}/verify` (API versions up to 2024-10-01): the session if [token] is a valid
     * session token for it. Newer API versions answer 410 ([dev.clerkkit.errors.GoneException]).
     */
    @Deprecated(
        "Clerk deprecated this endpoint (gone, 410, from API version 2025-04-10 on). Verify the session token locally, " +
            "without a network call: ClerkClient.verifyToken(token).",
    )
    public suspend fun verify(sessionId: String, token: String, options: RequestOptions = RequestOptions.NONE): Session

    /**
     * `POST /sessions/{session_id}/tokens`: a session JWT. [expiresInSeconds] (30..315360000; default null: the
     * instance's lifetime) overrides the lifetime; the body is sent only when it is given.
     */
    public suspend fun createToken(sessionId: String, expiresInSeconds: Long? = null, options: RequestOptions = RequestOptions.NONE): SessionToken

    /**
     * `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template; [expiresInSeconds]
     * as in [createToken].
     */
    public suspend fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): SessionToken

    /** Constants. */
    public companion object {
        /** Sessions per request of [listAll] when no page size is given: 100. */
        public const val DEFAULT_PAGE_SIZE: Int = 100
    }
}
