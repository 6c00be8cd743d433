package dev.clerkkit.java

import dev.clerkkit.ClerkResponse
import dev.clerkkit.RequestOptions
import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.sessions.CreateTokenFromTemplateParams
import dev.clerkkit.sessions.CreateTokenParams
import dev.clerkkit.sessions.GetSessionParams
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.RevokeAllParams
import dev.clerkkit.sessions.RevokeAllReport
import dev.clerkkit.sessions.RevokeSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.sessions.VerifySessionParams
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import java.util.concurrent.CompletableFuture
import java.util.function.Consumer
import java.util.stream.Stream

/**
 * The Sessions resource for Java, answering with [CompletableFuture]s: every operation of
 * [dev.clerkkit.sessions.Sessions], over that interface. Get it from [ClerkJavaClient.sessions] (or [of] for any
 * `Sessions`, e.g. a fake); [SessionsBlocking] is its blocking twin. Thread-safe.
 *
 * Each operation takes its params object (built with its builder, e.g. `GetSessionParams.builder().sessionId(id)
 * .build()`), optionally with [RequestOptions]; operations with required ids also have a shorthand taking just those.
 *
 * Contract of every method:
 * - **Input errors throw on the caller's thread**: a params object checks itself when built, and the shorthands build
 *   theirs before anything starts ([IllegalArgumentException]; [NullPointerException] for a `null` argument). Calling
 *   a method after [ClerkJavaClient.close] throws [IllegalStateException].
 * - **Failures complete the future exceptionally** with the typed [dev.clerkkit.errors.ClerkException] subtype (e.g.
 *   [dev.clerkkit.errors.NotFoundException] for a 404); `get()` wraps it in `ExecutionException`, `join()` in
 *   `CompletionException`.
 * - **Cancellation:** `future.cancel(...)` cancels the call and aborts its HTTP exchange; retries stop. Closing the
 *   client cancels every future still running.
 * - **Threads:** a future completes on the client's own I/O threads unless [ClerkJavaClient.Builder.executor] was given.
 *   Do not block inside non-async callbacks (`thenApply`, `whenComplete`) when no executor is set.
 *
 * An interface so that your own tests can fake it (implement the params forms; the rest are default methods).
 */
public interface SessionsAsync {
    /** `GET /sessions`: sessions matching [params], newest first. */
    public fun list(params: SessionListParams): CompletableFuture<List<Session>> = list(params, RequestOptions.NONE)

    /** [list] with per-call [options]. */
    public fun list(params: SessionListParams, options: RequestOptions): CompletableFuture<List<Session>>

    /** `GET /sessions?paginated=true`: one page ([SessionListParams.limit], default Clerk's 10) and the total count. */
    public fun listPage(params: SessionListParams): CompletableFuture<SessionPage> = listPage(params, RequestOptions.NONE)

    /** [listPage] with per-call [options]. */
    public fun listPage(params: SessionListParams, options: RequestOptions): CompletableFuture<SessionPage>

    /**
     * Every session matching [params] as a lazy, sequential [Stream], `params.limit` per request (default 100),
     * starting at `params.offset`. **Blocking:** the terminal operation blocks while a page is fetched, and a page is
     * requested only when the stream reaches it (`limit(n)` never fetches past the page holding element `n`). A failed
     * page throws the typed [dev.clerkkit.errors.ClerkException] itself from the terminal operation; an interrupt
     * while waiting cancels the request and throws [java.util.concurrent.CancellationException] with the interrupt
     * flag set. Closing the stream stops it. Do not call it from the client's own I/O threads.
     */
    public fun listAll(params: SessionListParams): Stream<Session> = listAll(params, RequestOptions.NONE)

    /** [listAll] with per-call [options] applied to every page request. */
    public fun listAll(params: SessionListParams, options: RequestOptions): Stream<Session>

    /** `POST /sessions`: a new active session (testing instances only). Not retried after a failure that may have reached Clerk. */
    public fun create(params: CreateSessionParams): CompletableFuture<Session> = create(params, RequestOptions.NONE)

    /** [create] with per-call [options]. */
    public fun create(params: CreateSessionParams, options: RequestOptions): CompletableFuture<Session>

    /** [create] for [userId], with no active organization. */
    public fun create(userId: String): CompletableFuture<Session> = create(CreateSessionParams.builder().userId(userId).build())

    /** `GET /sessions/{session_id}`. */
    public fun get(params: GetSessionParams): CompletableFuture<Session> = get(params, RequestOptions.NONE)

    /** [get] with per-call [options]. */
    public fun get(params: GetSessionParams, options: RequestOptions): CompletableFuture<Session>

    /** [get] of [sessionId]. */
    public fun get(sessionId: String): CompletableFuture<Session> = get(GetSessionParams.builder().sessionId(sessionId).build())

    /**
     * `POST /sessions/{session_id}/refresh`: a new session token ([SessionRefresh.Token]) or cookies
     * ([SessionRefresh.Cookies]). A 401 ([dev.clerkkit.errors.AuthenticationException]) means the handshake flow must be used.
     */
    public fun refresh(params: RefreshSessionParams): CompletableFuture<SessionRefresh> = refresh(params, RequestOptions.NONE)

    /** [refresh] with per-call [options]. */
    public fun refresh(params: RefreshSessionParams, options: RequestOptions): CompletableFuture<SessionRefresh>

    /** `POST /sessions/{session_id}/revoke`: sets the status to `revoked`. Safe to repeat, so it is retried. */
    public fun revoke(params: RevokeSessionParams): CompletableFuture<Session> = revoke(params, RequestOptions.NONE)

    /** [revoke] with per-call [options]. */
    public fun revoke(params: RevokeSessionParams, options: RequestOptions): CompletableFuture<Session>

    /** [revoke] of [sessionId]. */
    public fun revoke(sessionId: String): CompletableFuture<Session> = revoke(RevokeSessionParams.builder().sessionId(sessionId).build())

    /**
     * `POST /sessions/{session_id}/verify` (API versions up to 2024-10-01). Newer API versions answer 410
     * ([dev.clerkkit.errors.GoneException]).
     * @deprecated Clerk deprecated this endpoint. Verify session tokens locally ([ClerkJavaClient.verifyToken]).
     */
    @Deprecated("Clerk deprecated this endpoint (410 from API version 2025-04-10 on). Verify the session token locally: ClerkJavaClient.verifyToken(token).")
    @Suppress("DEPRECATION")
    public fun verify(params: VerifySessionParams): CompletableFuture<Session> = verify(params, RequestOptions.NONE)

    /** [verify] with per-call [options]. @deprecated See [verify]. */
    @Deprecated("Clerk deprecated this endpoint (410 from API version 2025-04-10 on). Verify the session token locally: ClerkJavaClient.verifyToken(token).")
    public fun verify(params: VerifySessionParams, options: RequestOptions): CompletableFuture<Session>

    /** `POST /sessions/{session_id}/tokens`: a session JWT, with [CreateTokenParams.getExpiresInSeconds] as its lifetime if set. */
    public fun createToken(params: CreateTokenParams): CompletableFuture<SessionToken> = createToken(params, RequestOptions.NONE)

    /** [createToken] with per-call [options]. */
    public fun createToken(params: CreateTokenParams, options: RequestOptions): CompletableFuture<SessionToken>

    /** [createToken] for [sessionId] with the instance's lifetime. */
    public fun createToken(sessionId: String): CompletableFuture<SessionToken> =
        createToken(CreateTokenParams.builder().sessionId(sessionId).build())

    /** `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template. */
    public fun createTokenFromTemplate(params: CreateTokenFromTemplateParams): CompletableFuture<SessionToken> =
        createTokenFromTemplate(params, RequestOptions.NONE)

    /** [createTokenFromTemplate] with per-call [options]. */
    public fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): CompletableFuture<SessionToken>

    /** [createTokenFromTemplate] for [sessionId] and [templateName] with the template's lifetime. */
    public fun createTokenFromTemplate(sessionId: String, templateName: String): CompletableFuture<SessionToken> =
        createTokenFromTemplate(CreateTokenFromTemplateParams.builder().sessionId(sessionId).templateName(templateName).build())

    /**
     * The user's active sessions, newest first, lazily page by page: [dev.clerkkit.sessions.Sessions.listActive].
     * Close the stream (try-with-resources) if you stop early. By default (for implementations other than
     * clerkkit's, e.g. your fake; wrap a fake `Sessions` with [of] instead) this throws [UnsupportedOperationException].
     */
    public fun listActive(userId: String): Stream<Session> = Unsupported.on(this, "listActive")

    /** The active sessions of the client (device) [clientId], newest first: see [listActive]. */
    public fun listActiveByClient(clientId: String): Stream<Session> = Unsupported.on(this, "listActiveByClient")

    /**
     * Signs [userId] out everywhere: [dev.clerkkit.sessions.Sessions.revokeAll] with nothing kept, 8 at a time,
     * no progress listener. The future completes with the report (failures are in it, not thrown); cancelling it
     * stops the run promptly.
     */
    public fun revokeAll(userId: String): CompletableFuture<RevokeAllReport> = revokeAll(RevokeAllParams.of(userId), null)

    /** [revokeAll] keeping the sessions in [except] (e.g. the current one) active. */
    public fun revokeAll(userId: String, except: Set<String>): CompletableFuture<RevokeAllReport> =
        revokeAll(RevokeAllParams.builder().userId(userId).except(except).build(), null)

    /** [revokeAll] of the [RevokeAllParams] with these values (checked on the caller's thread). */
    public fun revokeAll(userId: String, except: Set<String>, concurrency: Int, onProgress: Consumer<RevokeAllReport>?): CompletableFuture<RevokeAllReport> =
        revokeAll(RevokeAllParams.builder().userId(userId).except(except).concurrency(concurrency).build(), onProgress)

    /** [revokeAll] of [params] without a progress listener. */
    public fun revokeAll(params: RevokeAllParams): CompletableFuture<RevokeAllReport> = revokeAll(params, null)

    /**
     * [dev.clerkkit.sessions.Sessions.revokeAll] of [params] (user, sessions kept, revokes at once), [onProgress]
     * (nullable) getting a report after every page listed, at most every 2 s while revoking, and at the end, also when
     * cancelled (then the future is cancelled and this last report says what was done). By default (other
     * implementations) throws [UnsupportedOperationException].
     */
    public fun revokeAll(params: RevokeAllParams, onProgress: Consumer<RevokeAllReport>?): CompletableFuture<RevokeAllReport> =
        Unsupported.on(this, "revokeAll")

    /**
     * The same operations answering with a [ClerkResponse] (HTTP status, headers, Clerk's trace id and the value).
     * By default (for implementations other than clerkkit's) this throws [UnsupportedOperationException].
     */
    public fun withRawResponse(): WithRawResponse =
        throw UnsupportedOperationException("${javaClass.name} has no raw responses (only clerkkit's own SessionsAsync has)")

    /** The operations of [SessionsAsync] answering with a [ClerkResponse]. */
    public interface WithRawResponse {
        /** [SessionsAsync.list] with its raw response. */
        public fun list(params: SessionListParams, options: RequestOptions): CompletableFuture<ClerkResponse<List<Session>>>
        /** [SessionsAsync.listPage] with its raw response. */
        public fun listPage(params: SessionListParams, options: RequestOptions): CompletableFuture<ClerkResponse<SessionPage>>
        /** [SessionsAsync.create] with its raw response. */
        public fun create(params: CreateSessionParams, options: RequestOptions): CompletableFuture<ClerkResponse<Session>>
        /** [SessionsAsync.get] with its raw response. */
        public fun get(params: GetSessionParams, options: RequestOptions): CompletableFuture<ClerkResponse<Session>>
        /** [get] of [sessionId], default options. */
        public fun get(sessionId: String): CompletableFuture<ClerkResponse<Session>> =
            get(GetSessionParams.builder().sessionId(sessionId).build(), RequestOptions.NONE)
        /** [SessionsAsync.refresh] with its raw response. */
        public fun refresh(params: RefreshSessionParams, options: RequestOptions): CompletableFuture<ClerkResponse<SessionRefresh>>
        /** [SessionsAsync.revoke] with its raw response. */
        public fun revoke(params: RevokeSessionParams, options: RequestOptions): CompletableFuture<ClerkResponse<Session>>
        /** [SessionsAsync.createToken] with its raw response. */
        public fun createToken(params: CreateTokenParams, options: RequestOptions): CompletableFuture<ClerkResponse<SessionToken>>
        /** [SessionsAsync.createTokenFromTemplate] with its raw response. */
        public fun createTokenFromTemplate(
            params: CreateTokenFromTemplateParams,
            options: RequestOptions,
        ): CompletableFuture<ClerkResponse<SessionToken>>
    }

    /** Factories. */
    public companion object {
        /**
         * [sessions] (clerkkit's own, or your fake) as a [SessionsAsync]: futures complete on the threads that finish
         * the calls. [ClerkJavaClient.sessions] is this over its client's `Sessions`.
         */
        @JvmStatic
        public fun of(sessions: Sessions): SessionsAsync = DefaultSessionsAsync(sessions, Futures(CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)))
    }
}

/** [SessionsAsync] over a [Sessions]: each operation is the suspend operation of the same name, as a future. */
internal class DefaultSessionsAsync(private val sessions: Sessions, private val calls: Futures) : SessionsAsync {
    override fun list(params: SessionListParams, options: RequestOptions) = calls.future { sessions.list(params, options) }
    override fun listPage(params: SessionListParams, options: RequestOptions) = calls.future { sessions.listPage(params, options) }
    override fun listAll(params: SessionListParams, options: RequestOptions): Stream<Session> = FlowStreams.blockingStream(sessions.listAll(params, options))
    override fun listActive(userId: String): Stream<Session> = FlowStreams.blockingStream(sessions.listActive(userId))
    override fun listActiveByClient(clientId: String): Stream<Session> = FlowStreams.blockingStream(sessions.listActiveByClient(clientId))
    override fun revokeAll(params: RevokeAllParams, onProgress: Consumer<RevokeAllReport>?): CompletableFuture<RevokeAllReport> =
        calls.future { sessions.revokeAll(params, onProgress) }
    override fun create(params: CreateSessionParams, options: RequestOptions) = calls.future { sessions.create(params, options) }
    override fun get(params: GetSessionParams, options: RequestOptions) = calls.future { sessions.get(params, options) }
    override fun refresh(params: RefreshSessionParams, options: RequestOptions) = calls.future { sessions.refresh(params, options) }
    override fun revoke(params: RevokeSessionParams, options: RequestOptions) = calls.future { sessions.revoke(params, options) }

    @Deprecated("See SessionsAsync.verify")
    @Suppress("DEPRECATION")
    override fun verify(params: VerifySessionParams, options: RequestOptions) = calls.future { sessions.verify(params, options) }

    override fun createToken(params: CreateTokenParams, options: RequestOptions) = calls.future { sessions.createToken(params, options) }
    override fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions) =
        calls.future { sessions.createTokenFromTemplate(params, options) }

    override fun withRawResponse(): SessionsAsync.WithRawResponse = Raw(sessions.withRawResponse())

    override fun toString(): String = "SessionsAsync($sessions)"

    private inner class Raw(private val raw: Sessions.WithRawResponse) : SessionsAsync.WithRawResponse {
        override fun list(params: SessionListParams, options: RequestOptions) = calls.future { raw.list(params, options) }
        override fun listPage(params: SessionListParams, options: RequestOptions) = calls.future { raw.listPage(params, options) }
        override fun create(params: CreateSessionParams, options: RequestOptions) = calls.future { raw.create(params, options) }
        override fun get(params: GetSessionParams, options: RequestOptions) = calls.future { raw.get(params, options) }
        override fun refresh(params: RefreshSessionParams, options: RequestOptions) = calls.future { raw.refresh(params, options) }
        override fun revoke(params: RevokeSessionParams, options: RequestOptions) = calls.future { raw.revoke(params, options) }
        override fun createToken(params: CreateTokenParams, options: RequestOptions) = calls.future { raw.createToken(params, options) }
        override fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions) =
            calls.future { raw.createTokenFromTemplate(params, options) }
    }
}

/** What a [SessionsAsync] that is not over a `Sessions` answers to the workflows it cannot run. */
private object Unsupported {
    fun on(owner: Any, what: String): Nothing =
        throw UnsupportedOperationException("${owner.javaClass.name} has no $what (wrap a Sessions with SessionsAsync.of instead)")
}
