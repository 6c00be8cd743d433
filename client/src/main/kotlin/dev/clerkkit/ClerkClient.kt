package dev.clerkkit

import dev.clerkkit.auth.AuthRequest
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import dev.clerkkit.auth.RequestAuthenticator
import dev.clerkkit.http.CapturedCall
import dev.clerkkit.http.Operations
import dev.clerkkit.http.Pipeline
import dev.clerkkit.internal.InternalClerkkitApi
import dev.clerkkit.sessions.DefaultSessions
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.sessions.TokenCachingSessions
import dev.clerkkit.tokens.InstanceJwks
import dev.clerkkit.tokens.JwksFetcher
import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.SessionTokenVerifier
import dev.clerkkit.tokens.TokenVerificationException
import dev.clerkkit.tokens.TokenVerifierOptions
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/**
 * Entry point of clerkkit: owns its Ktor clients (by default one on the OkHttp engine for every call, see
 * [ClerkConfig.builtInEngine]; an injected [ClerkConfig.engine] instead), their connection pools and their threads
 * (OkHttp: a thread per call in flight, idle ones leave after 5 s; CIO: the machine's cores, 2 to 8). On CIO a pool
 * with a bad pooled connection is replaced by a fresh one and the old one closes once its calls have ended
 * (docs/retries.md, "Keep-alive hygiene"). Create one per application and share it; [close] releases connections and
 * threads.
 *
 * ```kotlin
 * ClerkClient { secretKey = System.getenv("CLERK_SECRET_KEY") }.use { clerk ->
 *     val sessions = clerk.sessions.list(SessionListParams { userId = "user_123"; status = SessionStatus.ACTIVE })
 * }
 * ```
 */
public class ClerkClient(
    /** The configuration this client was built with. */
    public val config: ClerkConfig,
) : AutoCloseable {
    internal val pipeline: Pipeline = Pipeline(config)

    /** The Sessions resource; with [ClerkConfig.tokenCache] set, its token operations answer from that cache. */
    public val sessions: Sessions = DefaultSessions(pipeline).let { s -> config.tokenCache?.let { TokenCachingSessions(s, it) } ?: s }

    /**
     * The client's shared session-token verifier: networkless with [ClerkConfig.jwtKey] (PEM), otherwise keys from
     * `GET /jwks` through this client's pipeline, cached (1 h TTL, single-flight). Default [TokenVerifierOptions]
     * otherwise (5 s clock skew, no azp/aud checks). Use [tokenVerifier] for other options.
     */
    public val tokens: SessionTokenVerifier by lazy { tokenVerifier(TokenVerifierOptions { jwtKey = config.jwtKey }) }

    /**
     * Verifies a session token (the `__session` cookie or `Authorization: Bearer` JWT) locally and returns its claims.
     * The modern replacement for the deprecated `sessions.verify`: no network call per request.
     * @throws TokenVerificationException with a machine-readable reason when the token is not valid.
     */
    public suspend fun verifyToken(token: String): SessionClaims = tokens.verify(token)

    /**
     * A new verifier with [options] whose keys come through this client when no PEM key is set. Every verifier of a
     * client shares the client's JWKS cache (one per instance: this client's base URL and secret key).
     */
    public fun tokenVerifier(options: TokenVerifierOptions): SessionTokenVerifier =
        SessionTokenVerifier(options, instanceJwks).also { v -> pipeline.listeners?.let { v.listeners = it } }

    private val instanceJwks: JwksFetcher = InstanceJwks { fetchJwks() }

    /**
     * Decides who is calling, as `@clerk/backend`'s `authenticateRequest` does for session tokens: the token from
     * `Authorization` (`Bearer` or no scheme) before the `__session` cookie, checked against `__client_uat`, verified
     * locally (networkless with [ClerkConfig.jwtKey], else through this client's JWKS cache); an expired token with a
     * `__refresh` cookie on a `GET` is refreshed through [sessions]' `refresh` (`format=cookie`) and answered signed in
     * with the `Set-Cookie` values; a document `GET` that needs Clerk's help gets a [AuthResult.Handshake]. Never
     * throws for bad input (malformed cookies, several `Authorization` headers, non-JWTs, another instance's
     * tokens): the answer is [AuthResult.SignedOut] with a reason, and a malformed token never causes a network call.
     * Satellite domains, handshake resolution and machine tokens are not supported (a machine token is
     * `token-type-mismatch`).
     *
     * @param request the request view.
     * @param options see [AuthenticateRequestOptions] for defaults. Default: [AuthenticateRequestOptions.DEFAULTS].
     */
    public suspend fun authenticateRequest(
        request: AuthRequest,
        options: AuthenticateRequestOptions = AuthenticateRequestOptions.DEFAULTS,
    ): AuthResult = RequestAuthenticator(options, authVerifier(options), sessions).authenticate(request)

    private val authVerifiers = java.util.concurrent.ConcurrentHashMap<List<Any>, SessionTokenVerifier>()

    private fun authVerifier(options: AuthenticateRequestOptions): SessionTokenVerifier {
        val key = listOf(options.authorizedParties, options.clockSkew, options.clock)
        authVerifiers[key]?.let { return it }
        if (authVerifiers.size > MAX_AUTH_VERIFIERS) authVerifiers.clear()
        return authVerifiers.computeIfAbsent(key) {
            tokenVerifier(
                TokenVerifierOptions {
                    jwtKey = config.jwtKey
                    authorizedParties = options.authorizedParties
                    clockSkew = options.clockSkew
                    clock = options.clock
                },
            )
        }
    }

    /**
     * For the Java facade: the coroutine context that starts a call's events on the calling thread
     * ([dev.clerkkit.events.ClerkEventListener.forCall]), to be added to the coroutine that makes the call after a
     * thread hop. Empty without event listeners.
     */
    @InternalClerkkitApi
    @JvmSynthetic
    public fun callerContext(): CoroutineContext = pipeline.listeners?.let { CapturedCall(it.forCall()) } ?: EmptyCoroutineContext

    private suspend fun fetchJwks(): String =
        pipeline.execute(Operations.GET_JWKS, Operations.GET_JWKS.request(RequestOptions.NONE)).value

    /** Closes connections and the client's threads. Calls in flight fail. Idempotent. An injected engine is not closed. */
    override fun close() {
        (sessions as? TokenCachingSessions)?.close()
        pipeline.close()
    }

    override fun toString(): String = "ClerkClient(baseUrl=${config.baseUrl}, apiVersion=${config.apiVersion})"

    /** Factories. */
    public companion object {
        private const val MAX_AUTH_VERIFIERS = 64

        /** Kotlin DSL: `ClerkClient { secretKey = "..."; requestTimeout = Duration.ofSeconds(5) }`. */
        @JvmSynthetic
        public operator fun invoke(configure: ClerkConfig.Builder.() -> Unit): ClerkClient =
            ClerkClient(ClerkConfig.builder().apply(configure).build())

        /**
         * A client configured from the environment: `CLERK_SECRET_KEY`, optional `CLERK_API_URL`, `CLERK_API_VERSION`,
         * `CLERK_JWT_KEY`, `CLERK_RATE_LIMIT`; everything else at its default ([ClerkConfig.fromEnv]). To change other
         * settings too: `ClerkClient { fromEnv(); requestTimeout = Duration.ofSeconds(5) }`.
         * @throws IllegalArgumentException when `CLERK_SECRET_KEY` is not set or a value is invalid.
         */
        @JvmStatic
        public fun fromEnv(): ClerkClient = ClerkClient(ClerkConfig.fromEnv())
    }
}
