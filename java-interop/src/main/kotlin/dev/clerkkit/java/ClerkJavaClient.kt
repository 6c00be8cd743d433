package dev.clerkkit.java

import dev.clerkkit.BuiltInEngine
import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.LogLevel
import dev.clerkkit.RetryPolicy
import dev.clerkkit.auth.AuthRequest
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.ratelimit.RateBudget
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.TokenCacheOptions
import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.TokenVerifierOptions
import io.ktor.client.engine.HttpClientEngine
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import java.security.KeyStore
import java.time.Duration
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.concurrent.atomic.AtomicBoolean

/**
 * clerkkit for Java: the same client as [ClerkClient] (same connections, retries, rate budget and typed errors),
 * with operations answering [CompletableFuture]s ([sessions]) or blocking ([blocking]), and lazy [java.util.stream.Stream]s.
 *
 * ```java
 * try (ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(key).build()) {
 *     Session s = clerk.sessions().get("sess_123").join();          // a future
 *     Session same = clerk.blocking().sessions().get("sess_123");  // blocking
 * }
 * ```
 *
 * Create one per application and share it (thread-safe). Obtain it with [builder], [fromEnv], [create] (a
 * [ClerkConfig]) or [wrap] (an existing [ClerkClient] that Kotlin code also uses).
 *
 * Design: a facade over the public Kotlin API. [sessions] is [SessionsAsync.of] the client's
 * [dev.clerkkit.sessions.Sessions]: every operation is `scope.future { sessions.op(params) }`, the blocking twin waits
 * for that future; input errors are thrown by the params objects, on the caller's thread. The scope has a
 * [SupervisorJob] (one failed call does not cancel the others) and runs on [Dispatchers.Unconfined] unless an
 * [Builder.executor] is set: futures then complete on the thread that finished the call, with no extra hop.
 */
public class ClerkJavaClient protected constructor(
    private val core: ClerkClient,
    private val ownsCore: Boolean,
    executor: Executor?,
) : AutoCloseable {
    private val closed = AtomicBoolean(false)
    private val dispatcher: CoroutineDispatcher = executor?.asCoroutineDispatcher() ?: Dispatchers.Unconfined
    private val scope = CoroutineScope(SupervisorJob() + dispatcher + CoroutineName("clerkkit-java"))
    private val futures = Futures(scope, { closed.get() }, core::callerContext)
    private val sessions: SessionsAsync = DefaultSessionsAsync(core.sessions, futures)
    private val tokens: TokenVerifier by lazy { DefaultTokenVerifier(core.tokens, futures) }
    private val blocking: ClerkBlockingClient = DefaultClerkBlockingClient(this, DefaultSessionsBlocking(core.sessions, futures)) { tokens }

    /** The Sessions resource, answering futures (and lazy streams). */
    public fun sessions(): SessionsAsync = sessions

    /** The same client, blocking: `clerk.blocking().sessions().get(id)` returns the session or throws the typed error. */
    public fun blocking(): ClerkBlockingClient = blocking

    /**
     * Verifies a session token (the `__session` cookie or `Authorization: Bearer` JWT) locally and completes with its
     * claims, or with [dev.clerkkit.tokens.TokenVerificationException] (machine-readable reason). Networkless with a
     * PEM key ([ClerkConfig.getJwtKey]); otherwise the instance's JWKS is fetched once through this client and cached
     * (1 h). Default options ([TokenVerifierOptions]); [tokenVerifier] for others. The replacement for the
     * deprecated `verify` operation.
     */
    public fun verifyToken(token: String): CompletableFuture<SessionClaims> = tokens.verify(token)

    /**
     * A verifier with [options] (authorized parties, audience, clock skew, ...) and its own JWKS cache, whose keys come
     * through this client unless [options] has a PEM key. Create it once and share it.
     */
    public fun tokenVerifier(options: TokenVerifierOptions): TokenVerifier = DefaultTokenVerifier(core.tokenVerifier(options), futures)

    /**
     * Decides who is calling (see `ClerkClient.authenticateRequest`, which this runs): completes with
     * [AuthResult.SignedIn], [AuthResult.SignedOut] or [AuthResult.Handshake], never exceptionally for bad input.
     * Default options ([AuthenticateRequestOptions.DEFAULTS]).
     */
    public fun authenticateRequest(request: AuthRequest): CompletableFuture<AuthResult> =
        authenticateRequest(request, AuthenticateRequestOptions.DEFAULTS)

    /** [authenticateRequest] with [options] (publishable key, authorized parties, ...). */
    public fun authenticateRequest(request: AuthRequest, options: AuthenticateRequestOptions): CompletableFuture<AuthResult> =
        futures.future { core.authenticateRequest(request, options) }

    /** The core Kotlin client this facade delegates to (shared, not a copy). */
    public fun core(): ClerkClient = core

    /** The configuration of the core client. */
    public fun config(): ClerkConfig = core.config

    /**
     * Cancels every call still running (its future completes with [java.util.concurrent.CancellationException]; a
     * blocking call throws it) and, when this facade created the core client ([builder], [fromEnv], [create]), closes
     * it too; a client passed to [wrap] stays open. Later calls throw [IllegalStateException]. Idempotent.
     */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        scope.cancel("ClerkJavaClient closed")
        if (ownsCore) core.close()
    }

    override fun toString(): String = "ClerkJavaClient(core=$core, ownsCore=$ownsCore)"

    /**
     * The one builder of a [ClerkJavaClient]: every setting of [ClerkConfig.Builder] (same names, same defaults,
     * documented there) and the [executor] only the facade has. [build] checks every value.
     *
     * ```java
     * ClerkJavaClient clerk = ClerkJavaClient.builder()
     *     .secretKey(System.getenv("CLERK_SECRET_KEY"))
     *     .requestTimeout(Duration.ofSeconds(5))
     *     .executor(myExecutor)
     *     .build();
     * ```
     */
    public class Builder {
        private var config: ClerkConfig.Builder = ClerkConfig.builder()
        private var executor: Executor? = null

        /** Starts over from [value] (replacing every setting made so far; the [executor] stays). */
        public fun config(value: ClerkConfig): Builder = apply { config = value.toBuilder() }
        /** Sets what the environment gives ([ClerkConfig.Builder.fromEnv]: `CLERK_SECRET_KEY`, `CLERK_API_URL`, ...). */
        public fun fromEnv(): Builder = apply { config.fromEnv() }
        /** See [ClerkConfig.secretKey]. Required. */
        public fun secretKey(value: String): Builder = apply { config.secretKey(value) }
        /** See [ClerkConfig.baseUrl]. Default `https://api.clerk.com/v1`. */
        public fun baseUrl(value: String): Builder = apply { config.baseUrl(value) }
        /** See [ClerkConfig.apiVersion]. Default [ClerkConfig.DEFAULT_API_VERSION]. */
        public fun apiVersion(value: String): Builder = apply { config.apiVersion(value) }
        /** See [ClerkConfig.userAgent]. */
        public fun userAgent(value: String): Builder = apply { config.userAgent(value) }
        /** See [ClerkConfig.connectTimeout]. Default 10 s. */
        public fun connectTimeout(value: Duration): Builder = apply { config.connectTimeout(value) }
        /** See [ClerkConfig.socketTimeout]. Default 30 s. */
        public fun socketTimeout(value: Duration): Builder = apply { config.socketTimeout(value) }
        /** See [ClerkConfig.requestTimeout]. Default 30 s. */
        public fun requestTimeout(value: Duration): Builder = apply { config.requestTimeout(value) }
        /** See [ClerkConfig.retryPolicy]. Default [RetryPolicy.DEFAULT]. */
        public fun retryPolicy(value: RetryPolicy): Builder = apply { config.retryPolicy(value) }
        /** The current retry policy with [value] attempts in total (1..100). Default 3. */
        public fun maxAttempts(value: Int): Builder = apply { config.maxAttempts(value) }
        /** See [ClerkConfig.keepAliveTime]. Default 5 min. */
        public fun keepAliveTime(value: Duration): Builder = apply { config.keepAliveTime(value) }
        /** See [ClerkConfig.maxConnections]. Default 256. */
        public fun maxConnections(value: Int): Builder = apply { config.maxConnections(value) }
        /** See [ClerkConfig.maxResponseBytes]. Default 16 MiB. */
        public fun maxResponseBytes(value: Long): Builder = apply { config.maxResponseBytes(value) }
        /** See [ClerkConfig.logLevel]. Default [LogLevel.NONE]. */
        public fun logLevel(value: LogLevel): Builder = apply { config.logLevel(value) }
        /** See [ClerkConfig.allowInsecureHttp]. Default false. */
        public fun allowInsecureHttp(value: Boolean): Builder = apply { config.allowInsecureHttp(value) }
        /** See [ClerkConfig.getTrustStore]. Default: the JDK's trust store. */
        public fun trustStore(value: KeyStore?): Builder = apply { config.trustStore(value) }
        /** See [ClerkConfig.builtInEngine]. Default [BuiltInEngine.OKHTTP]. */
        public fun builtInEngine(value: BuiltInEngine): Builder = apply { config.builtInEngine(value) }
        /** See [ClerkConfig.getEngine]: a Ktor engine instead of the built-in ones. Default none. */
        public fun engine(value: HttpClientEngine?): Builder = apply { config.engine(value) }
        /** See [ClerkConfig.getJwtKey]: the PEM public key for networkless verification. Default none (JWKS). */
        public fun jwtKey(value: String?): Builder = apply { config.jwtKey(value) }
        /** See [ClerkConfig.rateLimit]. Default: from the secret key. */
        public fun rateLimit(value: RateLimit): Builder = apply { config.rateLimit(value) }
        /** See [ClerkConfig.getRateBudget], e.g. `RedisRateBudget.create(...)`. Default: a local budget of [rateLimit]. */
        public fun rateBudget(value: RateBudget?): Builder = apply { config.rateBudget(value) }
        /** See [ClerkConfig.maxRateLimitPause]. Default 10 s. */
        public fun maxRateLimitPause(value: Duration): Builder = apply { config.maxRateLimitPause(value) }
        /**
         * See [ClerkConfig.getTokenCache]: caches `createToken`/`createTokenFromTemplate` answers per session, template
         * and lifetime (rules in [TokenCacheOptions]). Default null: no cache.
         */
        public fun tokenCache(value: TokenCacheOptions?): Builder = apply { config.tokenCache(value) }
        /**
         * See [ClerkConfig.eventListeners]: adds a listener of calls, attempts, retries, rate waits and token
         * verifications. Its [ClerkEventListener.forCall] runs on the thread that calls the facade. Default none.
         */
        public fun addEventListener(listener: ClerkEventListener): Builder = apply { config.addEventListener(listener) }

        /**
         * Where returned futures complete (and so where non-async callbacks run). Default `null`: on the client's own
         * I/O threads, no extra hop. Set one when callbacks block. The facade never shuts this executor down.
         */
        public fun executor(value: Executor?): Builder = apply { executor = value }

        /**
         * Builds the client; it owns its core [ClerkClient] and closes it in [ClerkJavaClient.close].
         * @throws IllegalArgumentException when the secret key is missing or a value is out of range.
         */
        public fun build(): ClerkJavaClient = ClerkJavaClient(ClerkClient(config.build()), ownsCore = true, executor = executor)

        override fun toString(): String = "ClerkJavaClient.Builder($config, executor=$executor)"
    }

    /** Factories. */
    public companion object {
        /** A builder with every default (see [Builder]); set at least the secret key. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /**
         * A client configured from the environment ([ClerkConfig.fromEnv]): `CLERK_SECRET_KEY` (required), optional
         * `CLERK_API_URL`, `CLERK_API_VERSION`, `CLERK_JWT_KEY`, `CLERK_RATE_LIMIT`; everything else at its default.
         * To change more: `builder().fromEnv().requestTimeout(...).build()`.
         * @throws IllegalArgumentException when `CLERK_SECRET_KEY` is not set or a value is invalid.
         */
        @JvmStatic
        public fun fromEnv(): ClerkJavaClient = create(ClerkConfig.fromEnv())

        /** A client for [config] that owns (and closes) its core client; futures complete on the client's threads. */
        @JvmStatic
        public fun create(config: ClerkConfig): ClerkJavaClient = ClerkJavaClient(ClerkClient(config), ownsCore = true, executor = null)

        /**
         * A facade over an existing [client] (e.g. shared with Kotlin code). [close] then cancels only this facade's
         * calls and leaves [client] open. (For a fake `Sessions`, use [SessionsAsync.of] / [SessionsBlocking.of].)
         */
        @JvmStatic
        public fun wrap(client: ClerkClient): ClerkJavaClient = ClerkJavaClient(client, ownsCore = false, executor = null)

        /** [wrap] with futures completing on [executor]. */
        @JvmStatic
        public fun wrap(client: ClerkClient, executor: Executor): ClerkJavaClient =
            ClerkJavaClient(client, ownsCore = false, executor = executor)
    }
}
