package dev.clerkkit

import dev.clerkkit.http.CapturedCall
import dev.clerkkit.http.Operations
import dev.clerkkit.http.Pipeline
import dev.clerkkit.internal.InternalClerkkitApi
import dev.clerkkit.sessions.DefaultSessions
import dev.clerkkit.sessions.Sessions
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

    /** The Sessions resource. */
    public val sessions: Sessions = DefaultSessions(pipeline)

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

    /** A new verifier with [options] (and its own JWKS cache) whose keys come through this client when no PEM key is set. */
    public fun tokenVerifier(options: TokenVerifierOptions): SessionTokenVerifier =
        SessionTokenVerifier(options, JwksFetcher { fetchJwks() }).also { v -> pipeline.listeners?.let { v.listeners = it } }

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
        pipeline.close()
    }

    override fun toString(): String = "ClerkClient(baseUrl=${config.baseUrl}, apiVersion=${config.apiVersion})"

    /** Factories. */
    public companion object {
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
