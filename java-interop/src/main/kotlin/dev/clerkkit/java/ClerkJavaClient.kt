package dev.clerkkit.java

import dev.clerkkit.BuiltInEngine
import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.ratelimit.RateBudget
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.LogLevel
import dev.clerkkit.RetryPolicy
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import dev.clerkkit.tokens.SessionClaims
import java.security.KeyStore
import java.util.concurrent.CompletableFuture
import io.ktor.client.engine.HttpClientEngine
import java.time.Duration
import java.util.concurrent.Executor
import java.util.concurrent.atomic.AtomicBoolean

/**
 * clerkkit for Java: the same client as [ClerkClient] (one Ktor CIO connection pool, same retries and typed errors),
 * with operations returning [java.util.concurrent.CompletableFuture] and lazy [java.util.stream.Stream]s.
 *
 * ```java
 * try (ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(System.getenv("CLERK_SECRET_KEY")).build()) {
 *     Session s = clerk.sessions().get("sess_123").join();
 * }
 * ```
 *
 * Create one per application and share it (thread-safe). Obtain it with [builder], [fromEnv], [create] (a
 * [ClerkConfig]) or [wrap] (an existing [ClerkClient] that Kotlin code also uses).
 *
 * Design: a thin adapter. Every operation is `scope.future { core.sessions.op(...) }` over the core's suspend API;
 * the facade never builds requests, checks input or retries itself. The scope has a [SupervisorJob] (one failed
 * call does not cancel the others) and the dispatcher [Dispatchers.Unconfined] unless an [Builder.executor] is set:
 * futures then complete on the thread that finished the call (a client I/O thread), with no extra hop.
 */
public class ClerkJavaClient private constructor(
    private val core: ClerkClient,
    private val ownsCore: Boolean,
    executor: Executor?,
) : AutoCloseable {
    private val closed = AtomicBoolean(false)
    private val dispatcher: CoroutineDispatcher = executor?.asCoroutineDispatcher() ?: Dispatchers.Unconfined
    private val scope = CoroutineScope(SupervisorJob() + dispatcher + CoroutineName("clerkkit-java"))
    private val calls = FutureCalls(scope) { closed.get() }
    private val sessions = SessionsAsync(core.sessions, calls)

    /** The Sessions resource (futures and streams). */
    public fun sessions(): SessionsAsync = sessions

    /**
     * Verifies a session token (the `__session` cookie or `Authorization: Bearer` JWT) locally and completes with its
     * claims, or with [dev.clerkkit.tokens.TokenVerificationException] (machine-readable reason). Networkless with a
     * PEM key (`CLERK_JWT_KEY` / [Builder.jwtKey]); otherwise the instance's JWKS is fetched once through this
     * client and cached (1 h). The replacement for the deprecated [SessionsAsync.verify].
     */
    public fun verifyToken(token: String): CompletableFuture<SessionClaims> = calls.call { core.verifyToken(token) }

    /**
     * Blocking [verifyToken]. With a PEM key it never touches the network (pure computation, safe on any thread);
     * without one it may block on the first JWKS fetch.
     * @throws dev.clerkkit.tokens.TokenVerificationException when the token is not valid.
     */
    public fun verifyTokenBlocking(token: String): SessionClaims = core.tokens.verifyBlocking(token)

    /** The core Kotlin client this facade delegates to (shared, not a copy). */
    public fun core(): ClerkClient = core

    /** The configuration of the core client. */
    public fun config(): ClerkConfig = core.config

    /**
     * Cancels every call still running (its future completes with [java.util.concurrent.CancellationException] as soon
     * as the coroutine has unwound; `close` does not wait for that) and, when
     * this facade created the core client ([builder], [fromEnv], [create]), closes it too; a client passed to [wrap]
     * stays open. Later calls throw [IllegalStateException]. Idempotent.
     */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        scope.cancel("ClerkJavaClient closed")
        if (ownsCore) core.close()
    }

    override fun toString(): String = "ClerkJavaClient(core=$core, ownsCore=$ownsCore)"

    /**
     * Java builder; every setting starts at the default documented on [ClerkConfig]. Only [secretKey] is required.
     * Values are checked by [build] (by the core's [ClerkConfig]), which throws [IllegalArgumentException].
     */
    public class Builder internal constructor(private val config: ClerkConfig.Builder) {
        private var maxAttempts: Int? = null
        private var executor: Executor? = null

        /** PEM public key for networkless token verification. Default: none (`CLERK_JWT_KEY` with [fromEnv]). */
        public fun jwtKey(value: String?): Builder = apply { config.jwtKey(value) }

        /** Secret key (`sk_live_...`/`sk_test_...`). Required; no default (except [fromEnv]: `CLERK_SECRET_KEY`). */
        public fun secretKey(value: String): Builder = apply { config.secretKey(value) }

        /** Base URL of the Backend API. Default `https://api.clerk.com/v1` ([ClerkConfig.DEFAULT_BASE_URL]). */
        public fun baseUrl(value: String): Builder = apply { config.baseUrl(value) }

        /** `Clerk-API-Version` header. Default [ClerkConfig.DEFAULT_API_VERSION]. */
        public fun apiVersion(value: String): Builder = apply { config.apiVersion(value) }

        /** `User-Agent` header. Default [ClerkConfig.DEFAULT_USER_AGENT]. */
        public fun userAgent(value: String): Builder = apply { config.userAgent(value) }

        /** TCP connect timeout per attempt. Default 10 s. */
        public fun connectTimeout(value: Duration): Builder = apply { config.connectTimeout(value) }

        /** Longest silence between two packets of one exchange. Default 30 s. */
        public fun socketTimeout(value: Duration): Builder = apply { config.socketTimeout(value) }

        /** Whole-attempt timeout (send + wait + read). Default 30 s; per call see [dev.clerkkit.RequestOptions]. */
        public fun requestTimeout(value: Duration): Builder = apply { config.requestTimeout(value) }

        /** How failed calls are retried. Default [RetryPolicy.DEFAULT] (3 attempts); [RetryPolicy.NONE] disables retries. */
        public fun retryPolicy(value: RetryPolicy): Builder = apply { config.retryPolicy(value) }

        /**
         * Attempts in total (1 = no retries, 1..100), applied at [build] on top of the [retryPolicy] (whichever
         * order they were set in). Default: the policy's own (3 for [RetryPolicy.DEFAULT]).
         */
        public fun maxAttempts(value: Int): Builder = apply { maxAttempts = value }

        /** Extra trust anchors for `https` (e.g. a test server's certificate). Default `null`: the JDK's trust store. */
        public fun trustStore(value: KeyStore?): Builder = apply { config.trustStore(value) }

        /** Allow `http://` base URLs to non-loopback hosts (the secret would travel in clear). Default false. */
        public fun allowInsecureHttp(value: Boolean): Builder = apply { config.allowInsecureHttp(value) }

        /**
         * Which built-in engines carry calls. Default [BuiltInEngine.OKHTTP] (every call on OkHttp); see
         * `docs/engines.md`. Ignored when an [engine] is given.
         */
        public fun builtInEngine(value: BuiltInEngine): Builder = apply { config.builtInEngine(value) }

        /**
         * A Ktor engine for every call instead of the built-in ones (see `docs/engines.md`). Default `null`
         * ([builtInEngine]). The caller owns it: closing the client does not close it, and [trustStore],
         * [maxConnections] and [keepAliveTime] apply to the built-in engines only.
         */
        public fun engine(value: HttpClientEngine?): Builder = apply { config.engine(value) }

        /** Most connections kept open to the API (built-in engine). Default 256. */
        public fun maxConnections(value: Int): Builder = apply { config.maxConnections(value) }

        /** How long an idle keep-alive connection is kept (built-in engines; CIO: at most 3/4 of the socket timeout). Default 5 min. */
        public fun keepAliveTime(value: Duration): Builder = apply { config.keepAliveTime(value) }

        /**
         * Client-side rate limit ([ClerkConfig.rateLimit]): each call waits (without blocking a thread) for a permit
         * and fails at once with `RateBudgetExhaustedException` when none frees up within its request timeout.
         * Default sized from the key: 100 per 10 s for `sk_test_`, 1,000 per 10 s for `sk_live_`, otherwise none.
         * [RateLimit.OFF] turns it off.
         */
        public fun rateLimit(value: RateLimit): Builder = apply { config.rateLimit(value) }

        /**
         * A budget shared with other clients or processes instead of a local one of [rateLimit], e.g.
         * `RedisRateBudget.create(redisUri, secretKey)` from `clerkkit-redis` ([ClerkConfig.rateBudget]). Default
         * `null`. The caller owns it: closing the client does not close it.
         */
        public fun rateBudget(value: RateBudget?): Builder = apply { config.rateBudget(value) }

        /** What the client logs through SLF4J (`Authorization` always redacted). Default [LogLevel.NONE]. */
        public fun logLevel(value: LogLevel): Builder = apply { config.logLevel(value) }

        /**
         * Where returned futures complete (and so where non-async callbacks run). Default `null`: on the client's own
         * I/O threads, no extra hop. Set one when callbacks block. The facade never shuts this executor down.
         */
        public fun executor(value: Executor?): Builder = apply { executor = value }

        /**
         * Builds the client; it owns its core [ClerkClient] and closes it in [ClerkJavaClient.close].
         * @throws IllegalArgumentException when the secret key is missing or a value is out of range.
         */
        public fun build(): ClerkJavaClient {
            maxAttempts?.let { n -> config.retryPolicy(config.retryPolicy.toBuilder().maxAttempts(n).build()) }
            return ClerkJavaClient(ClerkClient(config.build()), ownsCore = true, executor = executor)
        }

        override fun toString(): String = "ClerkJavaClient.Builder($config, maxAttempts=$maxAttempts, executor=$executor)"
    }

    /** Factories. */
    public companion object {
        /** A builder with every default (see [Builder]); set at least [Builder.secretKey]. */
        @JvmStatic
        public fun builder(): Builder = Builder(ClerkConfig.builder())

        /**
         * A builder prefilled from the environment via [ClerkConfig.fromEnv]: `CLERK_SECRET_KEY` (required at
         * [Builder.build]), optional `CLERK_API_URL`, `CLERK_API_VERSION`, `CLERK_JWT_KEY`. Override anything after.
         */
        @JvmStatic
        public fun fromEnv(): Builder = Builder(ClerkConfig.fromEnv())

        /** A client for [config] that owns (and closes) its core client; futures complete on the client's threads. */
        @JvmStatic
        public fun create(config: ClerkConfig): ClerkJavaClient = ClerkJavaClient(ClerkClient(config), ownsCore = true, executor = null)

        /**
         * A facade over an existing [client] (e.g. shared with Kotlin code). [close] then cancels only this facade's
         * calls and leaves [client] open.
         */
        @JvmStatic
        public fun wrap(client: ClerkClient): ClerkJavaClient = ClerkJavaClient(client, ownsCore = false, executor = null)

        /** [wrap] with futures completing on [executor]. */
        @JvmStatic
        public fun wrap(client: ClerkClient, executor: Executor): ClerkJavaClient =
            ClerkJavaClient(client, ownsCore = false, executor = executor)
    }
}
