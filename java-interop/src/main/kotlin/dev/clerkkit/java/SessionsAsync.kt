package dev.clerkkit.java

import dev.clerkkit.RequestOptions
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.sessions.Sessions
import java.util.concurrent.CompletableFuture
import java.util.stream.Stream

/**
 * The Sessions resource for Java: every operation of [dev.clerkkit.sessions.Sessions], returning a
 * [CompletableFuture]. Get it from [ClerkJavaClient.sessions]. Thread-safe.
 *
 * An interface so that your own tests can fake it: implement the abstract methods you need (the overloads without
 * [RequestOptions] are default methods that pass [RequestOptions.NONE]), or mock it with any mocking library.
 * clerkkit's implementation is a thin adapter over the suspend operation of the same name on the shared
 * [dev.clerkkit.ClerkClient]: same validation, same retries, same typed errors.
 *
 * Contract of every method (of clerkkit's implementation):
 * - **Input errors throw synchronously.** A blank id, an out-of-range number or a `null` argument throws
 *   [IllegalArgumentException] (or [NullPointerException]) from the method itself, before any I/O; no future is
 *   returned. Calling a method after [ClerkJavaClient.close] throws [IllegalStateException].
 * - **Failures complete the future exceptionally** with the core's typed [dev.clerkkit.errors.ClerkException]
 *   subtype (e.g. [dev.clerkkit.errors.NotFoundException] for a 404). `get()` wraps it in
 *   `ExecutionException`, `join()` in `CompletionException`; the cause is the typed exception itself, never
 *   re-wrapped.
 * - **Cancellation:** `future.cancel(true)` (or `cancel(false)`) cancels the underlying coroutine and aborts the HTTP
 *   exchange; retries stop. Closing the client cancels every future still running.
 * - **Threads:** a future completes on the client's own I/O threads (no extra hop) unless
 *   [ClerkJavaClient.Builder.executor] was given, in which case it completes on that executor. Do not block inside
 *   non-async callbacks (`thenApply`, `whenComplete`) when no executor is set: they run on the client's I/O threads.
 * - [RequestOptions] (last parameter of each overload) overrides headers, timeout and retry policy for one call;
 *   the overloads without it use [RequestOptions.NONE].
 */
public interface SessionsAsync {
    /** `GET /sessions`: sessions matching [params], newest first. */
    public fun list(params: SessionListParams): CompletableFuture<List<Session>> = list(params, RequestOptions.NONE)

    /** [list] with per-call [options]. */
    public fun list(params: SessionListParams, options: RequestOptions): CompletableFuture<List<Session>>

    /**
     * `GET /sessions` without filters ([SessionListParams.NONE]). Clerk asks for a `user_id` or `client_id` filter
     * (see [SessionListParams]) and may refuse the call with a typed [dev.clerkkit.errors.ClerkApiException];
     * prefer [list] with params.
     */
    public fun list(): CompletableFuture<List<Session>> = list(SessionListParams.NONE, RequestOptions.NONE)

    /**
     * `GET /sessions?paginated=true`: one page ([SessionListParams.limit], default Clerk's 10, starting at
     * [SessionListParams.offset], default 0) plus the total count.
     */
    public fun listPage(params: SessionListParams): CompletableFuture<SessionPage> = listPage(params, RequestOptions.NONE)

    /** [listPage] with per-call [options]. */
    public fun listPage(params: SessionListParams, options: RequestOptions): CompletableFuture<SessionPage>

    /**
     * Every session matching [params], as a lazy, sequential [Stream] that fetches pages of
     * [Sessions.DEFAULT_PAGE_SIZE] (100) on demand, starting at `params.offset` (`params.limit` is replaced by the
     * page size).
     *
     * **Blocking:** the stream's terminal operation blocks the calling thread while a page is fetched; a page is
     * requested only when the consumer reaches it (`limit(n)` never fetches past the page holding element `n`).
     * A failed page throws the typed [dev.clerkkit.errors.ClerkException] directly (not wrapped) from the terminal
     * operation; an interrupted wait cancels the page request and throws
     * [java.util.concurrent.CancellationException] with the interrupt flag set.
     * Each terminal operation on a new stream starts over; do not call it from the client's own I/O threads.
     */
    public fun listAll(params: SessionListParams): Stream<Session> = listAll(params, Sessions.DEFAULT_PAGE_SIZE, RequestOptions.NONE)

    /**
     * [listAll] with [pageSize] sessions per request (1..500, default 100).
     * @throws IllegalArgumentException synchronously when [pageSize] is out of range.
     */
    public fun listAll(params: SessionListParams, pageSize: Int): Stream<Session> = listAll(params, pageSize, RequestOptions.NONE)

    /** [listAll] with [pageSize] and per-call [options] applied to every page request. */
    public fun listAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Stream<Session>

    /**
     * The same lazy, blocking traversal as [listAll], as an [Iterable] for `for (Session s : ...)` loops.
     * Each call of `iterator()` starts from `params.offset` again. Page size [Sessions.DEFAULT_PAGE_SIZE] (100).
     */
    public fun iterateAll(params: SessionListParams): Iterable<Session> = iterateAll(params, Sessions.DEFAULT_PAGE_SIZE, RequestOptions.NONE)

    /** [iterateAll] with [pageSize] (1..500). @throws IllegalArgumentException synchronously when out of range. */
    public fun iterateAll(params: SessionListParams, pageSize: Int): Iterable<Session> = iterateAll(params, pageSize, RequestOptions.NONE)

    /** [iterateAll] with [pageSize] and per-call [options] applied to every page request. */
    public fun iterateAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Iterable<Session>

    /** `GET /sessions/{session_id}`. @throws IllegalArgumentException when [sessionId] is blank, `.` or `..`. */
    public fun get(sessionId: String): CompletableFuture<Session> = get(sessionId, RequestOptions.NONE)

    /** [get] with per-call [options]. */
    public fun get(sessionId: String, options: RequestOptions): CompletableFuture<Session>

    /**
     * `POST /sessions`: a new active session for [userId] (testing instances only; Clerk refuses it in production).
     * Not retried after a failure that may have reached Clerk (it could create two sessions).
     * @throws IllegalArgumentException when [userId] is blank.
     */
    public fun create(userId: String): CompletableFuture<Session> = create(userId, null, RequestOptions.NONE)

    /** [create] with per-call [options]. */
    public fun create(userId: String, options: RequestOptions): CompletableFuture<Session> = create(userId, null, options)

    /**
     * [create] with the session's active organization.
     * @throws IllegalArgumentException when [userId] or [activeOrganizationId] is blank.
     */
    public fun create(userId: String, activeOrganizationId: String): CompletableFuture<Session> =
        create(userId, activeOrganizationId, RequestOptions.NONE)

    /** [create] with an optional [activeOrganizationId] (`null` = none) and per-call [options]. */
    public fun create(userId: String, activeOrganizationId: String?, options: RequestOptions): CompletableFuture<Session>

    /**
     * `POST /sessions/{session_id}/refresh`: a new session token ([SessionRefresh.Token]) or cookies
     * ([SessionRefresh.Cookies]) by [RefreshSessionParams.format]. A 401 ([dev.clerkkit.errors.AuthenticationException])
     * means the handshake flow must be used.
     */
    public fun refresh(sessionId: String, params: RefreshSessionParams): CompletableFuture<SessionRefresh> =
        refresh(sessionId, params, RequestOptions.NONE)

    /** [refresh] with per-call [options]. */
    public fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions): CompletableFuture<SessionRefresh>

    /** `POST /sessions/{session_id}/revoke`: sets the status to `revoked`. Safe to repeat, so it is retried. */
    public fun revoke(sessionId: String): CompletableFuture<Session> = revoke(sessionId, RequestOptions.NONE)

    /** [revoke] with per-call [options]. */
    public fun revoke(sessionId: String, options: RequestOptions): CompletableFuture<Session>

    /**
     * `POST /sessions/{session_id}/verify` (API versions up to 2024-10-01): the session if [token] is a valid
     * session token for it. Newer API versions answer 410 ([dev.clerkkit.errors.GoneException]).
     *
     * @deprecated Clerk deprecated this endpoint. Verify session tokens locally, without a network call
     * ([ClerkJavaClient.verifyToken]).
     */
    @Deprecated(
        "Clerk deprecated this endpoint (gone, 410, from API version 2025-04-10 on). Verify the session token locally, " +
            "without a network call: ClerkJavaClient.verifyToken(token).",
    )
    @Suppress("DEPRECATION")
    public fun verify(sessionId: String, token: String): CompletableFuture<Session> = verify(sessionId, token, RequestOptions.NONE)

    /** [verify] with per-call [options]. @deprecated See [verify]. */
    @Deprecated(
        "Clerk deprecated this endpoint (gone, 410, from API version 2025-04-10 on). Verify the session token locally, " +
            "without a network call: ClerkJavaClient.verifyToken(token).",
    )
    public fun verify(sessionId: String, token: String, options: RequestOptions): CompletableFuture<Session>

    /** `POST /sessions/{session_id}/tokens`: a session JWT with the instance's default lifetime. */
    public fun createToken(sessionId: String): CompletableFuture<SessionToken> = createToken(sessionId, RequestOptions.NONE)

    /** [createToken] with per-call [options]. */
    public fun createToken(sessionId: String, options: RequestOptions): CompletableFuture<SessionToken>

    /**
     * [createToken] with a lifetime of [expiresInSeconds] (30..315360000).
     * @throws IllegalArgumentException when [expiresInSeconds] is out of range.
     */
    public fun createToken(sessionId: String, expiresInSeconds: Long): CompletableFuture<SessionToken> =
        createToken(sessionId, expiresInSeconds, RequestOptions.NONE)

    /** [createToken] with a lifetime and per-call [options]. */
    public fun createToken(sessionId: String, expiresInSeconds: Long, options: RequestOptions): CompletableFuture<SessionToken>

    /** `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template (default lifetime). */
    public fun createTokenFromTemplate(sessionId: String, templateName: String): CompletableFuture<SessionToken> =
        createTokenFromTemplate(sessionId, templateName, RequestOptions.NONE)

    /** [createTokenFromTemplate] with per-call [options]. */
    public fun createTokenFromTemplate(sessionId: String, templateName: String, options: RequestOptions): CompletableFuture<SessionToken>

    /**
     * [createTokenFromTemplate] with a lifetime of [expiresInSeconds] (30..315360000).
     * @throws IllegalArgumentException when [expiresInSeconds] is out of range or an id is blank.
     */
    public fun createTokenFromTemplate(sessionId: String, templateName: String, expiresInSeconds: Long): CompletableFuture<SessionToken> =
        createTokenFromTemplate(sessionId, templateName, expiresInSeconds, RequestOptions.NONE)

    /** [createTokenFromTemplate] with a lifetime and per-call [options]. */
    public fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long,
        options: RequestOptions,
    ): CompletableFuture<SessionToken>
}
