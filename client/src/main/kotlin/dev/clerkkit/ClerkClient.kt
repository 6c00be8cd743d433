package dev.clerkkit

import dev.clerkkit.http.ApiCall
import dev.clerkkit.http.ClerkHttp
import dev.clerkkit.http.HttpClients
import dev.clerkkit.http.createHttpClient
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.tokens.JwksFetcher
import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.SessionTokenVerifier
import dev.clerkkit.tokens.TokenVerificationException
import dev.clerkkit.tokens.TokenVerifierOptions
import io.ktor.http.HttpMethod
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import java.util.concurrent.Executors
import java.util.concurrent.ThreadFactory
import java.util.concurrent.atomic.AtomicInteger

/**
 * Entry point of clerkkit: owns a Ktor `HttpClient` (CIO engine unless [ClerkConfig.engine] is given), its connection
 * pool and a few threads (the machine's cores, 2 to 8). When a pooled CIO connection goes bad, that client is replaced
 * by a fresh one and the old one closes once its calls have ended (docs/retries.md, "Keep-alive hygiene"). Create one
 * per application and share it; [close] releases connections and threads.
 *
 * ```kotlin
 * ClerkClient { secretKey = System.getenv("CLERK_SECRET_KEY") }.use { clerk ->
 *     val sessions = clerk.sessions.list(userId = "user_123", status = SessionStatus.ACTIVE)
 * }
 * ```
 */
public class ClerkClient(
    /** The configuration this client was built with. */
    public val config: ClerkConfig,
) : AutoCloseable {
    private val clients = HttpClients(
        ::newGeneration,
        replaceable = config.engine == null,
        maxInterval = config.keepAliveTime.plusSeconds(1),
    )
    internal val http: ClerkHttp = ClerkHttp(config, clients)

    /**
     * A Ktor client on threads of its own (the engine and the calls share them: no hop per call). A replaced one
     * (http/HttpClients.kt) gives its threads back once its engine has finished the calls it still had.
     */
    private fun newGeneration(number: Int): HttpClients.Generation {
        val executor = Executors.newFixedThreadPool(THREADS, daemonThreads(number))
        val dispatcher = executor.asCoroutineDispatcher()
        val client = createHttpClient(config, dispatcher)
        return HttpClients.Generation(client, dispatcher, number) { now ->
            val engineJob = client.engine.coroutineContext[Job]
            if (now || config.engine != null || engineJob == null) executor.shutdown()
            else engineJob.invokeOnCompletion { executor.shutdown() }
        }
    }

    /** The Sessions resource. */
    public val sessions: Sessions = Sessions(http)

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
        SessionTokenVerifier(options, JwksFetcher { http.execute(JWKS_CALL, RequestOptions.NONE) { it } })

    /** Closes connections and the client's threads. Calls in flight fail. Idempotent. An injected engine is not closed. */
    override fun close() {
        clients.close()
    }

    override fun toString(): String = "ClerkClient(baseUrl=${config.baseUrl}, apiVersion=${config.apiVersion})"

    /** Factories. */
    public companion object {
        private val JWKS_CALL = ApiCall("jwks.get", HttpMethod.Get, listOf("jwks"))

        /** Engine and calls share this many threads (the machine's cores, at least 2, at most 8). */
        private val THREADS = Runtime.getRuntime().availableProcessors().coerceIn(2, 8)

        /** Kotlin DSL: `ClerkClient { secretKey = "..."; requestTimeout = Duration.ofSeconds(5) }`. */
        public operator fun invoke(configure: ClerkConfig.Builder.() -> Unit): ClerkClient =
            ClerkClient(ClerkConfig.builder().apply(configure).build())

        /**
         * A client configured from the environment (`CLERK_SECRET_KEY`, optional `CLERK_API_URL`,
         * `CLERK_API_VERSION`, `CLERK_JWT_KEY`), then [configure].
         * @throws IllegalArgumentException when `CLERK_SECRET_KEY` is not set.
         */
        @JvmStatic
        public fun fromEnv(configure: ClerkConfig.Builder.() -> Unit = {}): ClerkClient =
            ClerkClient(ClerkConfig.fromEnv().apply(configure).build())

        private fun daemonThreads(generation: Int): ThreadFactory {
            val n = AtomicInteger()
            val prefix = if (generation == 1) "clerkkit-" else "clerkkit-g$generation-"
            return ThreadFactory { r -> Thread(r, prefix + n.incrementAndGet()).apply { isDaemon = true } }
        }
    }
}
