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
import java.util.function.Consumer
import java.util.stream.Stream

/**
 * The Sessions resource for Java, blocking: the twin of [SessionsAsync] with the same params objects, each method
 * returning its value when the call has ended. Get it from `clerk.blocking().sessions()` ([ClerkBlockingClient]) or
 * [of]. Thread-safe.
 *
 * - A failure throws the typed [dev.clerkkit.errors.ClerkException] subtype itself (unchecked; never wrapped in
 *   `ExecutionException` or `CompletionException`); input errors throw [IllegalArgumentException] before any I/O.
 * - An interrupt of the waiting thread cancels the call, keeps the interrupt flag set and throws
 *   [java.util.concurrent.CancellationException]; so does closing the client while a call waits.
 * - Do not call these from the client's own I/O threads (e.g. inside a callback of a [SessionsAsync] future).
 */
public interface SessionsBlocking {
    /** `GET /sessions`: sessions matching [params], newest first. */
    public fun list(params: SessionListParams): List<Session> = list(params, RequestOptions.NONE)

    /** [list] with per-call [options]. */
    public fun list(params: SessionListParams, options: RequestOptions): List<Session>

    /** `GET /sessions?paginated=true`: one page and the total count. */
    public fun listPage(params: SessionListParams): SessionPage = listPage(params, RequestOptions.NONE)

    /** [listPage] with per-call [options]. */
    public fun listPage(params: SessionListParams, options: RequestOptions): SessionPage

    /** Every session matching [params], lazily, page by page: see [SessionsAsync.listAll]. */
    public fun listAll(params: SessionListParams): Stream<Session> = listAll(params, RequestOptions.NONE)

    /** [listAll] with per-call [options] applied to every page request. */
    public fun listAll(params: SessionListParams, options: RequestOptions): Stream<Session>

    /** `POST /sessions`: a new active session (testing instances only). */
    public fun create(params: CreateSessionParams): Session = create(params, RequestOptions.NONE)

    /** [create] with per-call [options]. */
    public fun create(params: CreateSessionParams, options: RequestOptions): Session

    /** [create] for [userId], with no active organization. */
    public fun create(userId: String): Session = create(CreateSessionParams.builder().userId(userId).build())

    /** `GET /sessions/{session_id}`. */
    public fun get(params: GetSessionParams): Session = get(params, RequestOptions.NONE)

    /** [get] with per-call [options]. */
    public fun get(params: GetSessionParams, options: RequestOptions): Session

    /** [get] of [sessionId]. */
    public fun get(sessionId: String): Session = get(GetSessionParams.builder().sessionId(sessionId).build())

    /** `POST /sessions/{session_id}/refresh`: see [SessionsAsync.refresh]. */
    public fun refresh(params: RefreshSessionParams): SessionRefresh = refresh(params, RequestOptions.NONE)

    /** [refresh] with per-call [options]. */
    public fun refresh(params: RefreshSessionParams, options: RequestOptions): SessionRefresh

    /** `POST /sessions/{session_id}/revoke`. */
    public fun revoke(params: RevokeSessionParams): Session = revoke(params, RequestOptions.NONE)

    /** [revoke] with per-call [options]. */
    public fun revoke(params: RevokeSessionParams, options: RequestOptions): Session

    /** [revoke] of [sessionId]. */
    public fun revoke(sessionId: String): Session = revoke(RevokeSessionParams.builder().sessionId(sessionId).build())

    /** The deprecated `POST /sessions/{session_id}/verify`: see [SessionsAsync.verify]. @deprecated Verify tokens locally. */
    @Deprecated("Clerk deprecated this endpoint (410 from API version 2025-04-10 on). Verify the session token locally: ClerkBlockingClient.verifyToken(token).")
    @Suppress("DEPRECATION")
    public fun verify(params: VerifySessionParams): Session = verify(params, RequestOptions.NONE)

    /** [verify] with per-call [options]. @deprecated See [verify]. */
    @Deprecated("Clerk deprecated this endpoint (410 from API version 2025-04-10 on). Verify the session token locally: ClerkBlockingClient.verifyToken(token).")
    public fun verify(params: VerifySessionParams, options: RequestOptions): Session

    /** `POST /sessions/{session_id}/tokens`: a session JWT. */
    public fun createToken(params: CreateTokenParams): SessionToken = createToken(params, RequestOptions.NONE)

    /** [createToken] with per-call [options]. */
    public fun createToken(params: CreateTokenParams, options: RequestOptions): SessionToken

    /** [createToken] for [sessionId] with the instance's lifetime. */
    public fun createToken(sessionId: String): SessionToken = createToken(CreateTokenParams.builder().sessionId(sessionId).build())

    /** `POST /sessions/{session_id}/tokens/{template_name}`: a JWT shaped by the named JWT template. */
    public fun createTokenFromTemplate(params: CreateTokenFromTemplateParams): SessionToken = createTokenFromTemplate(params, RequestOptions.NONE)

    /** [createTokenFromTemplate] with per-call [options]. */
    public fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): SessionToken

    /** [createTokenFromTemplate] for [sessionId] and [templateName] with the template's lifetime. */
    public fun createTokenFromTemplate(sessionId: String, templateName: String): SessionToken =
        createTokenFromTemplate(CreateTokenFromTemplateParams.builder().sessionId(sessionId).templateName(templateName).build())

    /** The user's active sessions, newest first, lazily: see [SessionsAsync.listActive]. Default: unsupported. */
    public fun listActive(userId: String): Stream<Session> = throw UnsupportedOperationException("${javaClass.name} has no listActive")

    /** The active sessions of the client [clientId], newest first: see [SessionsAsync.listActive]. Default: unsupported. */
    public fun listActiveByClient(clientId: String): Stream<Session> = throw UnsupportedOperationException("${javaClass.name} has no listActiveByClient")

    /** Signs [userId] out everywhere and waits for the report: see [SessionsAsync.revokeAll]. */
    public fun revokeAll(userId: String): RevokeAllReport = revokeAll(RevokeAllParams.of(userId), null)

    /** [revokeAll] keeping the sessions in [except] active. */
    public fun revokeAll(userId: String, except: Set<String>): RevokeAllReport =
        revokeAll(RevokeAllParams.builder().userId(userId).except(except).build(), null)

    /** [revokeAll] of the [RevokeAllParams] with these values (checked before anything runs). */
    public fun revokeAll(userId: String, except: Set<String>, concurrency: Int, onProgress: Consumer<RevokeAllReport>?): RevokeAllReport =
        revokeAll(RevokeAllParams.builder().userId(userId).except(except).concurrency(concurrency).build(), onProgress)

    /** [revokeAll] of [params] without a progress listener. */
    public fun revokeAll(params: RevokeAllParams): RevokeAllReport = revokeAll(params, null)

    /**
     * [revokeAll] of [params] with [onProgress] (nullable): see [SessionsAsync.revokeAll]. An interrupt of the waiting
     * thread cancels the run; [onProgress] then gets the last report. Default: unsupported.
     */
    public fun revokeAll(params: RevokeAllParams, onProgress: Consumer<RevokeAllReport>?): RevokeAllReport =
        throw UnsupportedOperationException("${javaClass.name} has no revokeAll")

    /** The same operations answering with a [ClerkResponse]; by default [UnsupportedOperationException]. */
    public fun withRawResponse(): WithRawResponse =
        throw UnsupportedOperationException("${javaClass.name} has no raw responses (only clerkkit's own SessionsBlocking has)")

    /** The operations of [SessionsBlocking] answering with a [ClerkResponse]. */
    public interface WithRawResponse {
        /** [SessionsBlocking.list] with its raw response. */
        public fun list(params: SessionListParams, options: RequestOptions): ClerkResponse<List<Session>>
        /** [SessionsBlocking.listPage] with its raw response. */
        public fun listPage(params: SessionListParams, options: RequestOptions): ClerkResponse<SessionPage>
        /** [SessionsBlocking.create] with its raw response. */
        public fun create(params: CreateSessionParams, options: RequestOptions): ClerkResponse<Session>
        /** [SessionsBlocking.get] with its raw response. */
        public fun get(params: GetSessionParams, options: RequestOptions): ClerkResponse<Session>
        /** [get] of [sessionId], default options. */
        public fun get(sessionId: String): ClerkResponse<Session> = get(GetSessionParams.builder().sessionId(sessionId).build(), RequestOptions.NONE)
        /** [SessionsBlocking.refresh] with its raw response. */
        public fun refresh(params: RefreshSessionParams, options: RequestOptions): ClerkResponse<SessionRefresh>
        /** [SessionsBlocking.revoke] with its raw response. */
        public fun revoke(params: RevokeSessionParams, options: RequestOptions): ClerkResponse<Session>
        /** [SessionsBlocking.createToken] with its raw response. */
        public fun createToken(params: CreateTokenParams, options: RequestOptions): ClerkResponse<SessionToken>
        /** [SessionsBlocking.createTokenFromTemplate] with its raw response. */
        public fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): ClerkResponse<SessionToken>
    }

    /** Factories. */
    public companion object {
        /** [sessions] (clerkkit's own, or your fake) as a [SessionsBlocking]. */
        @JvmStatic
        public fun of(sessions: Sessions): SessionsBlocking = DefaultSessionsBlocking(sessions, Futures(CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)))
    }
}

/** [SessionsBlocking] over a [Sessions]: each operation is the suspend operation of the same name, waited for. */
internal class DefaultSessionsBlocking(private val sessions: Sessions, private val calls: Futures) : SessionsBlocking {
    override fun list(params: SessionListParams, options: RequestOptions) = calls.blocking { sessions.list(params, options) }
    override fun listPage(params: SessionListParams, options: RequestOptions) = calls.blocking { sessions.listPage(params, options) }
    override fun listAll(params: SessionListParams, options: RequestOptions): Stream<Session> = FlowStreams.blockingStream(sessions.listAll(params, options))
    override fun listActive(userId: String): Stream<Session> = FlowStreams.blockingStream(sessions.listActive(userId))
    override fun listActiveByClient(clientId: String): Stream<Session> = FlowStreams.blockingStream(sessions.listActiveByClient(clientId))
    override fun revokeAll(params: RevokeAllParams, onProgress: Consumer<RevokeAllReport>?): RevokeAllReport =
        calls.blocking { sessions.revokeAll(params, onProgress) }
    override fun create(params: CreateSessionParams, options: RequestOptions) = calls.blocking { sessions.create(params, options) }
    override fun get(params: GetSessionParams, options: RequestOptions) = calls.blocking { sessions.get(params, options) }
    override fun refresh(params: RefreshSessionParams, options: RequestOptions) = calls.blocking { sessions.refresh(params, options) }
    override fun revoke(params: RevokeSessionParams, options: RequestOptions) = calls.blocking { sessions.revoke(params, options) }

    @Deprecated("See SessionsBlocking.verify")
    @Suppress("DEPRECATION")
    override fun verify(params: VerifySessionParams, options: RequestOptions) = calls.blocking { sessions.verify(params, options) }

    override fun createToken(params: CreateTokenParams, options: RequestOptions) = calls.blocking { sessions.createToken(params, options) }
    override fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions) =
        calls.blocking { sessions.createTokenFromTemplate(params, options) }

    override fun withRawResponse(): SessionsBlocking.WithRawResponse = Raw(sessions.withRawResponse())

    override fun toString(): String = "SessionsBlocking($sessions)"

    private inner class Raw(private val raw: Sessions.WithRawResponse) : SessionsBlocking.WithRawResponse {
        override fun list(params: SessionListParams, options: RequestOptions) = calls.blocking { raw.list(params, options) }
        override fun listPage(params: SessionListParams, options: RequestOptions) = calls.blocking { raw.listPage(params, options) }
        override fun create(params: CreateSessionParams, options: RequestOptions) = calls.blocking { raw.create(params, options) }
        override fun get(params: GetSessionParams, options: RequestOptions) = calls.blocking { raw.get(params, options) }
        override fun refresh(params: RefreshSessionParams, options: RequestOptions) = calls.blocking { raw.refresh(params, options) }
        override fun revoke(params: RevokeSessionParams, options: RequestOptions) = calls.blocking { raw.revoke(params, options) }
        override fun createToken(params: CreateTokenParams, options: RequestOptions) = calls.blocking { raw.createToken(params, options) }
        override fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions) =
            calls.blocking { raw.createTokenFromTemplate(params, options) }
    }
}
