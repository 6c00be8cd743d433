package dev.clerkkit.sessions

import dev.clerkkit.ClerkResponse
import dev.clerkkit.RequestOptions
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * The Sessions resource: the eight operations of Clerk's Backend API, named as in Clerk's SDKs. Get it from
 * [dev.clerkkit.ClerkClient.sessions]; thread-safe.
 *
 * Each operation takes its params object (`GetSessionParams`, `CreateTokenParams`, ...), which checks its values when
 * it is built (blank ids, `.`/`..`, out-of-range numbers throw [IllegalArgumentException] before any I/O); the
 * operations with required ids also have a shorthand taking just those (`get("sess_1")`). Each path parameter is sent
 * as exactly one path segment. A failed call throws a [dev.clerkkit.errors.ClerkException] subtype. `options`
 * overrides headers, timeouts and retries for one call (default [RequestOptions.NONE]). [withRawResponse] gives the
 * same operations answering with the HTTP status, headers and Clerk's trace id as well.
 *
 * An interface so that your own tests can fake it (implement the params forms; the shorthands, [listAll] and
 * [withRawResponse] have default implementations); clerkkit's implementation is internal. The Java facade
 * (`clerkkit-java`) is built on this interface, so it can wrap a fake too.
 */
public interface Sessions {

    /** `GET /sessions`: sessions matching [params] (default: no filter), newest first, as a bare list (see [listPage] for the total). */
    public suspend fun list(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): List<Session>

    /** `GET /sessions?paginated=true`: one page plus `total_count`. Default params: no filter, Clerk's limit (10), offset 0. */
    public suspend fun listPage(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): SessionPage

    /**
     * Every session matching [params], fetched lazily page by page through [listPage], starting at `params.offset`,
     * `params.limit` sessions per request (default [DEFAULT_PAGE_SIZE] = 100). Cold: each collection starts over, and
     * a page is requested only when the collector gets past the previous one. Errors surface as the same typed
     * exceptions.
     */
    public fun listAll(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): Flow<Session> {
        val pageSize = params.limit ?: DEFAULT_PAGE_SIZE
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
     * The user's active sessions, newest first, read lazily page by page as [listAll] does (one flow reads like one
     * call; a session that moves between pages while it is read is emitted once).
     * @throws IllegalArgumentException if [userId] is blank.
     */
    public fun listActive(userId: String, options: RequestOptions = RequestOptions.NONE): Flow<Session> =
        SessionWorkflows.activeSessions(this, SessionListParams { this.userId = userId; status = SessionStatus.ACTIVE }, options)

    /** The active sessions of the client (device) [clientId], newest first: see [listActive]. */
    public fun listActiveByClient(clientId: String, options: RequestOptions = RequestOptions.NONE): Flow<Session> =
        SessionWorkflows.activeSessions(this, SessionListParams { this.clientId = clientId; status = SessionStatus.ACTIVE }, options)

    /**
     * [revokeAll] of [RevokeAllParams] with these values.
     * @throws IllegalArgumentException for a blank [userId] or [concurrency] out of 1..[RevokeAllParams.MAX_CONCURRENCY], before any I/O.
     */
    public suspend fun revokeAll(
        userId: String,
        except: Set<String> = emptySet(),
        concurrency: Int = DEFAULT_REVOKE_CONCURRENCY,
        onProgress: java.util.function.Consumer<RevokeAllReport>? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): RevokeAllReport = revokeAll(RevokeAllParams { this.userId = userId; this.except = except; this.concurrency = concurrency }, onProgress, options)

    /**
     * Signs [RevokeAllParams.userId] out everywhere: lists the user's active sessions (every page, before revoking any: a listing
     * failure is thrown and nothing is revoked), then revokes each except those in [RevokeAllParams.except],
     * [RevokeAllParams.concurrency] at a time (default 8, at most 64), each revoke through the client's rate budget
     * and retries.
     * Never stops at a failure: the [RevokeAllReport] says what was revoked, what was already gone (revoked, ended or
     * not found: not an error) and what failed with which error. Sessions created after the listing are not revoked.
     *
     * [onProgress], when given, gets a report after every page listed, after revokes at most every 2 s, and the final
     * one (called on the workers' threads; keep it short). Cancelling the call stops it promptly (revokes in flight
     * are aborted): the run ends with [RevokeAllCancelledException] inside the cancelled coroutine, and its report, the
     * last one passed to [onProgress] (`cancelled` true), says what was done. Built on [listPage], [revoke] and [get]
     * only, so it works over any implementation of this interface.
     */
    public suspend fun revokeAll(
        params: RevokeAllParams,
        onProgress: java.util.function.Consumer<RevokeAllReport>? = null,
        options: RequestOptions = RequestOptions.NONE,
    ): RevokeAllReport = SessionWorkflows.revokeAllOf(this, params, onProgress, options)

    /**
     * `POST /sessions`: a new active session (testing instances only; Clerk refuses it in production). Not retried on
     * 5xx or after a connection failure that may have reached Clerk (it could create two sessions).
     */
    public suspend fun create(params: CreateSessionParams, options: RequestOptions = RequestOptions.NONE): Session

    /** [create] for [userId], with no active organization. */
    public suspend fun create(userId: String, options: RequestOptions = RequestOptions.NONE): Session =
        create(CreateSessionParams { this.userId = userId }, options)

    /** `GET /sessions/{session_id}`. */
    public suspend fun get(params: GetSessionParams, options: RequestOptions = RequestOptions.NONE): Session

    /** [get] of [sessionId]. */
    public suspend fun get(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session =
        get(GetSessionParams { this.sessionId = sessionId }, options)

    /**
     * `POST /sessions/{session_id}/refresh`: a new session token ([SessionRefresh.Token]) or cookies
     * ([SessionRefresh.Cookies]) by [RefreshSessionParams.format]. A 401 means the handshake flow must be used.
     */
    public suspend fun refresh(params: RefreshSessionParams, options: RequestOptions = RequestOptions.NONE): SessionRefresh

    /** `POST /sessions/{session_id}/revoke`: sets the status to `revoked`. Safe to repeat, so it is retried. */
    public suspend fun revoke(params: RevokeSessionParams, options: RequestOptions = RequestOptions.NONE): Session

    /** [revoke] of [sessionId]. */
    public suspend fun revoke(sessionId: String, options: RequestOptions = RequestOptions.NONE): Session =
        revoke(RevokeSessionParams { this.sessionId = sessionId }, options)

    /**
     * `POST /sessions/{session_id}/verify` (API versions up to 2024-10-01): the session if the token is a valid
     * session token for it. Newer API versions answer 410 ([dev.clerkkit.errors.GoneException]).
     */
    @Deprecated(
        "Clerk deprecated this endpoint (gone, 410, from API version 2025-04-10 on). Verify the session token locally, " +
            "without a network call: ClerkClient.verifyToken(token).",
    )
    public suspend fun verify(params: VerifySessionParams, options: RequestOptions = RequestOptions.NONE): Session

    /** `POST /sessions/{session_id}/tokens`: a session JWT, with the lifetime of [CreateTokenParams.expiresInSeconds] if set. */
    public suspend fun createToken(params: CreateTokenParams, options: RequestOptions = RequestOptions.NONE): SessionToken

    /** [createToken] for [sessionId] with the instance's lifetime. */
    public suspend fun createToken(sessionId: String, options: RequestOptions = RequestOptions.NONE): SessionToken =
        createToken(CreateTokenParams { this.sessionId = sessionId }, options)

    /** `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template. */
    public suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions = RequestOptions.NONE): SessionToken

    /** [createTokenFromTemplate] for [sessionId] and [templateName] with the template's lifetime. */
    public suspend fun createTokenFromTemplate(sessionId: String, templateName: String, options: RequestOptions = RequestOptions.NONE): SessionToken =
        createTokenFromTemplate(CreateTokenFromTemplateParams { this.sessionId = sessionId; this.templateName = templateName }, options)

    /**
     * The same operations, each answering with a [ClerkResponse]: the HTTP status, the response headers and Clerk's
     * trace id besides the value. By default (for implementations other than clerkkit's) this throws
     * [UnsupportedOperationException].
     */
    public fun withRawResponse(): WithRawResponse =
        throw UnsupportedOperationException("${javaClass.name} has no raw responses (only clerkkit's own Sessions has)")

    /** The Sessions operations answering with a [ClerkResponse]; see [Sessions] for each operation. */
    public interface WithRawResponse {
        /** [Sessions.list] with its raw response. */
        public suspend fun list(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): ClerkResponse<List<Session>>

        /** [Sessions.listPage] with its raw response. */
        public suspend fun listPage(params: SessionListParams = SessionListParams.NONE, options: RequestOptions = RequestOptions.NONE): ClerkResponse<SessionPage>

        /** [Sessions.create] with its raw response. */
        public suspend fun create(params: CreateSessionParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<Session>

        /** [Sessions.get] with its raw response. */
        public suspend fun get(params: GetSessionParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<Session>

        /** [get] of [sessionId]. */
        public suspend fun get(sessionId: String, options: RequestOptions = RequestOptions.NONE): ClerkResponse<Session> =
            get(GetSessionParams { this.sessionId = sessionId }, options)

        /** [Sessions.refresh] with its raw response. */
        public suspend fun refresh(params: RefreshSessionParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<SessionRefresh>

        /** [Sessions.revoke] with its raw response. */
        public suspend fun revoke(params: RevokeSessionParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<Session>

        /** [Sessions.verify] with its raw response. */
        @Deprecated("See Sessions.verify.")
        public suspend fun verify(params: VerifySessionParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<Session>

        /** [Sessions.createToken] with its raw response. */
        public suspend fun createToken(params: CreateTokenParams, options: RequestOptions = RequestOptions.NONE): ClerkResponse<SessionToken>

        /** [Sessions.createTokenFromTemplate] with its raw response. */
        public suspend fun createTokenFromTemplate(
            params: CreateTokenFromTemplateParams,
            options: RequestOptions = RequestOptions.NONE,
        ): ClerkResponse<SessionToken>
    }

    /** Constants. */
    public companion object {
        /** Sessions per request of [listAll] when `params.limit` is not set: 100. */
        public const val DEFAULT_PAGE_SIZE: Int = 100

        /** Revokes [revokeAll] runs at once unless told: 8 ([RevokeAllParams.DEFAULT_CONCURRENCY]). */
        public const val DEFAULT_REVOKE_CONCURRENCY: Int = RevokeAllParams.DEFAULT_CONCURRENCY
    }
}
