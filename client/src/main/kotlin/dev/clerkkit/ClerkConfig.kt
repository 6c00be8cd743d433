package dev.clerkkit

import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.http.Redaction
import dev.clerkkit.http.Stage
import dev.clerkkit.http.StagePosition
import dev.clerkkit.internal.Environment
import dev.clerkkit.ratelimit.LocalRateBudget
import dev.clerkkit.ratelimit.RateBudget
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.TokenCacheOptions
import dev.clerkkit.tokens.Keys
import io.ktor.client.engine.HttpClientEngine
import java.net.URI
import java.security.KeyStore
import java.time.Duration
import java.util.Optional

/**
 * Immutable configuration of a [ClerkClient].
 *
 * Build one with [ClerkConfig.builder] (Java), the `ClerkConfig { ... }` / `ClerkClient { ... }` DSL (Kotlin) or
 * [ClerkConfig.fromEnv]; the builder validates every value when it builds, so a bad configuration fails at start-up.
 * Java reads optional settings through `Optional` getters. [toString] never shows the secret key.
 */
public class ClerkConfig protected constructor(builder: Builder) {
    /** The instance's secret key (`sk_live_...`/`sk_test_...`), sent as `Authorization: Bearer`. Required. */
    public val secretKey: String = requireNotNull(builder.secretKey) { "secretKey is required (set it or CLERK_SECRET_KEY)" }

    /** Base URL of the Backend API, without a trailing slash. Default [DEFAULT_BASE_URL]. */
    public val baseUrl: String = builder.baseUrl.trimEnd('/')

    /** Value of the `Clerk-API-Version` header. Default [DEFAULT_API_VERSION]. */
    public val apiVersion: String = builder.apiVersion

    /** `User-Agent` header. Default [DEFAULT_USER_AGENT]. */
    public val userAgent: String = builder.userAgent

    /** TCP connect timeout per attempt. Default 10 s. */
    public val connectTimeout: Duration = builder.connectTimeout

    /** Longest silence between two packets of one exchange. Default 30 s. */
    public val socketTimeout: Duration = builder.socketTimeout

    /** Whole-attempt timeout (send + wait + read). Default 30 s. Overridable per call in [RequestOptions]. */
    public val requestTimeout: Duration = builder.requestTimeout

    /** How failed calls are retried. Default [RetryPolicy.DEFAULT]. */
    public val retryPolicy: RetryPolicy = builder.retryPolicy

    /**
     * How long an idle keep-alive connection is kept for reuse. Default 5 minutes: a service that calls Clerk once a
     * minute reuses its connection instead of paying a new TCP and TLS handshake per call, and the client still closes
     * first behind the long idle timeouts of CDNs. Behind a proxy or load balancer that drops idle connections sooner
     * (AWS ALB: 60 s), set it below that. The CIO engine applies [socketTimeout] to idle pooled connections too, so on a
     * CIO lane the time used is at most three quarters of [socketTimeout]. See docs/design/connections.md.
     */
    public val keepAliveTime: Duration = builder.keepAliveTime

    /** Most connections open to the API at once. Default 256. */
    public val maxConnections: Int = builder.maxConnections

    /** Largest response body read, in bytes; a larger one fails with [dev.clerkkit.errors.ClerkResponseException]. Default 16 MiB. */
    public val maxResponseBytes: Long = builder.maxResponseBytes

    /** What the client logs through SLF4J (`Authorization` is always redacted). Default [LogLevel.NONE]. */
    public val logLevel: LogLevel = builder.logLevel

    /** Allow `http://` base URLs to non-loopback hosts (the secret would travel in clear). Default false. */
    public val allowInsecureHttp: Boolean = builder.allowInsecureHttp

    /** Extra trust anchors for `https` (e.g. the testkit's generated certificate). Default null: the JDK's trust store. */
    @get:JvmSynthetic public val trustStore: KeyStore? = builder.trustStore

    /**
     * Which of the built-in Ktor engines carry calls. Default [BuiltInEngine.OKHTTP]: every call on OkHttp, whose
     * pooled connections serve every method (docs/engines.md has the numbers). Ignored when [engine] is set.
     */
    public val builtInEngine: BuiltInEngine = builder.builtInEngine

    /**
     * A Ktor engine to use for every call instead of the built-in ones (e.g. `MockEngine` in tests).
     * The caller owns it: [ClerkClient.close] does not close an injected engine. Default null ([builtInEngine]).
     */
    @get:JvmSynthetic public val engine: HttpClientEngine? = builder.engine

    /**
     * The instance's PEM public key (SPKI, `-----BEGIN PUBLIC KEY-----`) for networkless token verification;
     * `CLERK_JWT_KEY` in [Builder.fromEnv]. Parsed when the configuration is built. Default null (keys from the
     * instance's JWKS).
     */
    @get:JvmSynthetic public val jwtKey: String? = builder.jwtKey?.takeIf { it.isNotBlank() }

    private val rateLimitSetting: RateLimit? = builder.rateLimit

    /**
     * Client-side rate limit: each attempt of a call (retries included; `GET /v1/jwks` excepted) first takes a permit
     * from a [LocalRateBudget] of this size, suspending while none is free; a call that would wait longer than its
     * request timeout fails at once with [dev.clerkkit.errors.RateBudgetExhaustedException], and a 429 from Clerk
     * pauses the budget until its `Retry-After`. Default [RateLimit.forKey] of [secretKey]: 100 requests per 10 s
     * for `sk_test_` keys, 1,000 per 10 s for `sk_live_` keys, [RateLimit.OFF] for other keys. `CLERK_RATE_LIMIT`
     * in [fromEnv]. Not used when [rateBudget] is set.
     */
    public val rateLimit: RateLimit = rateLimitSetting ?: RateLimit.forKey(secretKey)

    /**
     * A budget to take permits from instead of a local one of [rateLimit], e.g. one shared by many processes through
     * Redis (module `clerkkit-redis`). The caller owns it: [ClerkClient.close] does not close it. Default null (a
     * [LocalRateBudget] of [rateLimit]).
     */
    @get:JvmSynthetic public val rateBudget: RateBudget? = builder.rateBudget

    /**
     * The longest one 429 from Clerk can pause the rate budget: a `Retry-After` longer than this pauses it this long
     * (calls then wait for a permit again, each at most its request timeout), so one answer cannot stop the whole
     * client for minutes. Default 10 s, the length of Clerk's rate-limit window. Longer `Retry-After`s still end that
     * call's retries ([RetryPolicy.maxRetryAfter]).
     */
    public val maxRateLimitPause: Duration = builder.maxRateLimitPause

    /**
     * Listeners of every call, attempt, retry, rate-budget wait and token verification (see [ClerkEventListener]), in
     * the order added; e.g. those of the `clerkkit-opentelemetry` and `clerkkit-micrometer` modules. Default none
     * (the client then does no event work at all).
     */
    public val eventListeners: List<ClerkEventListener> = builder.eventListeners.toList()

    /**
     * The token cache of [ClerkClient.sessions]' `createToken` and `createTokenFromTemplate` (rules in
     * [TokenCacheOptions]: handed out until 10 s before `exp` by default, one call per key at once, 10,000 tokens at
     * most, a revoke drops the session's tokens). Default null: no cache, every request is a call to Clerk.
     */
    @get:JvmSynthetic public val tokenCache: TokenCacheOptions? = builder.tokenCache

    /** Stages added to the pipeline (see `http/Pipeline.kt`), in the order added, per position. */
    private val addedStages: List<Pair<StagePosition, Stage>> = builder.addedStages.toList()

    /** Monotonic nanoseconds for the rate budget and the time budget of a call (tests pass a virtual clock). */
    @get:JvmSynthetic internal val nanoClock: () -> Long = builder.nanoClock

    /** How the built-in rate budget waits (tests pass a virtual sleeper). */
    @get:JvmSynthetic internal val rateSleeper: Sleeper? = builder.rateSleeper

    @JvmSynthetic
    internal fun stages(position: StagePosition): List<Stage> = addedStages.filter { it.first == position }.map { it.second }

    init {
        require(secretKey.isNotBlank()) { "secretKey must not be blank" }
        require(apiVersion.isNotBlank()) { "apiVersion must not be blank" }
        requirePositive("connectTimeout", connectTimeout)
        requirePositive("socketTimeout", socketTimeout)
        requirePositive("requestTimeout", requestTimeout)
        requirePositive("keepAliveTime", keepAliveTime)
        require(!maxRateLimitPause.isNegative) { "maxRateLimitPause must not be negative, was $maxRateLimitPause" }
        require(maxConnections >= 1) { "maxConnections must be >= 1, was $maxConnections" }
        require(maxResponseBytes >= 1024) { "maxResponseBytes must be >= 1024, was $maxResponseBytes" }
        checkBaseUrl(baseUrl, allowInsecureHttp)
        jwtKey?.let(Keys::parsePemPublicKey)
    }

    /** [trustStore] for Java. */
    @JvmName("getTrustStore") public fun trustStoreOptional(): Optional<KeyStore> = Optional.ofNullable(trustStore)

    /** [engine] for Java. */
    @JvmName("getEngine") public fun engineOptional(): Optional<HttpClientEngine> = Optional.ofNullable(engine)

    /** [jwtKey] for Java. */
    @JvmName("getJwtKey") public fun jwtKeyOptional(): Optional<String> = Optional.ofNullable(jwtKey)

    /** [rateBudget] for Java. */
    @JvmName("getRateBudget") public fun rateBudgetOptional(): Optional<RateBudget> = Optional.ofNullable(rateBudget)

    /** [tokenCache] for Java. */
    @JvmName("getTokenCache") public fun tokenCacheOptional(): Optional<TokenCacheOptions> = Optional.ofNullable(tokenCache)

    /** A builder initialised with this configuration. */
    public fun toBuilder(): Builder = Builder().also {
        it.secretKey = secretKey; it.baseUrl = baseUrl; it.apiVersion = apiVersion; it.userAgent = userAgent
        it.connectTimeout = connectTimeout; it.socketTimeout = socketTimeout; it.requestTimeout = requestTimeout
        it.retryPolicy = retryPolicy; it.keepAliveTime = keepAliveTime; it.maxConnections = maxConnections
        it.maxResponseBytes = maxResponseBytes; it.logLevel = logLevel; it.allowInsecureHttp = allowInsecureHttp
        it.trustStore = trustStore; it.builtInEngine = builtInEngine; it.engine = engine; it.jwtKey = jwtKey
        it.rateLimit = rateLimitSetting; it.rateBudget = rateBudget; it.maxRateLimitPause = maxRateLimitPause
        it.addedStages += addedStages
        it.nanoClock = nanoClock; it.rateSleeper = rateSleeper
        it.eventListeners = eventListeners
        it.tokenCache = tokenCache
    }

    override fun toString(): String =
        "ClerkConfig(baseUrl=$baseUrl, apiVersion=$apiVersion, secretKey=${Redaction.maskKey(secretKey)}, " +
            "requestTimeout=$requestTimeout, retryPolicy=$retryPolicy, logLevel=$logLevel, " +
            (if (rateBudget != null) "rateBudget=$rateBudget" else "rateLimit=$rateLimit") + ")"

    /**
     * Mutable builder; every property starts at its documented default. Kotlin sets the properties (the
     * `ClerkClient { ... }` DSL); Java chains the setter methods of the same names. [build] validates everything.
     */
    public class Builder {
        /** See [ClerkConfig.secretKey]. */
        @get:JvmSynthetic @set:JvmSynthetic public var secretKey: String? = null
        /** See [ClerkConfig.baseUrl]. */
        @get:JvmSynthetic @set:JvmSynthetic public var baseUrl: String = DEFAULT_BASE_URL
        /** See [ClerkConfig.apiVersion]. */
        @get:JvmSynthetic @set:JvmSynthetic public var apiVersion: String = DEFAULT_API_VERSION
        /** See [ClerkConfig.userAgent]. */
        @get:JvmSynthetic @set:JvmSynthetic public var userAgent: String = DEFAULT_USER_AGENT
        /** See [ClerkConfig.connectTimeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var connectTimeout: Duration = Duration.ofSeconds(10)
        /** See [ClerkConfig.socketTimeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var socketTimeout: Duration = Duration.ofSeconds(30)
        /** See [ClerkConfig.requestTimeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var requestTimeout: Duration = Duration.ofSeconds(30)
        /** See [ClerkConfig.retryPolicy]. */
        @get:JvmSynthetic @set:JvmSynthetic public var retryPolicy: RetryPolicy = RetryPolicy.DEFAULT
        /** See [ClerkConfig.keepAliveTime]. */
        @get:JvmSynthetic @set:JvmSynthetic public var keepAliveTime: Duration = Duration.ofMinutes(5)
        /** See [ClerkConfig.maxConnections]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxConnections: Int = 256
        /** See [ClerkConfig.maxResponseBytes]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxResponseBytes: Long = 16L * 1024 * 1024
        /** See [ClerkConfig.logLevel]. */
        @get:JvmSynthetic @set:JvmSynthetic public var logLevel: LogLevel = LogLevel.NONE
        /** See [ClerkConfig.allowInsecureHttp]. */
        @get:JvmSynthetic @set:JvmSynthetic public var allowInsecureHttp: Boolean = false
        /** See [ClerkConfig.trustStore]. */
        @get:JvmSynthetic @set:JvmSynthetic public var trustStore: KeyStore? = null
        /** See [ClerkConfig.builtInEngine]. */
        @get:JvmSynthetic @set:JvmSynthetic public var builtInEngine: BuiltInEngine = BuiltInEngine.OKHTTP
        /** See [ClerkConfig.engine]. */
        @get:JvmSynthetic @set:JvmSynthetic public var engine: HttpClientEngine? = null
        /** See [ClerkConfig.jwtKey]. */
        @get:JvmSynthetic @set:JvmSynthetic public var jwtKey: String? = null
        /** See [ClerkConfig.rateLimit]; null (the default) sizes it from the secret key ([RateLimit.forKey]). */
        @get:JvmSynthetic @set:JvmSynthetic public var rateLimit: RateLimit? = null
        /** See [ClerkConfig.rateBudget]. */
        @get:JvmSynthetic @set:JvmSynthetic public var rateBudget: RateBudget? = null
        /** See [ClerkConfig.maxRateLimitPause]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxRateLimitPause: Duration = Duration.ofSeconds(10)
        /** See [ClerkConfig.eventListeners]. */
        @get:JvmSynthetic @set:JvmSynthetic public var eventListeners: List<ClerkEventListener> = emptyList()
        /** See [ClerkConfig.tokenCache]; e.g. `tokenCache = TokenCacheOptions.DEFAULTS`. */
        @get:JvmSynthetic @set:JvmSynthetic public var tokenCache: TokenCacheOptions? = null
        internal val addedStages = mutableListOf<Pair<StagePosition, Stage>>()
        @get:JvmSynthetic @set:JvmSynthetic internal var nanoClock: () -> Long = System::nanoTime
        @get:JvmSynthetic @set:JvmSynthetic internal var rateSleeper: Sleeper? = null

        /** Sets [secretKey]. */
        public fun secretKey(value: String): Builder = apply { secretKey = value }
        /** Sets [baseUrl]. */
        public fun baseUrl(value: String): Builder = apply { baseUrl = value }
        /** Sets [apiVersion]. */
        public fun apiVersion(value: String): Builder = apply { apiVersion = value }
        /** Sets [userAgent]. */
        public fun userAgent(value: String): Builder = apply { userAgent = value }
        /** Sets [connectTimeout]. */
        public fun connectTimeout(value: Duration): Builder = apply { connectTimeout = value }
        /** Sets [socketTimeout]. */
        public fun socketTimeout(value: Duration): Builder = apply { socketTimeout = value }
        /** Sets [requestTimeout]. */
        public fun requestTimeout(value: Duration): Builder = apply { requestTimeout = value }
        /** Sets [retryPolicy]. */
        public fun retryPolicy(value: RetryPolicy): Builder = apply { retryPolicy = value }
        /** Configures the retry policy in place (Kotlin DSL; Java uses [retryPolicy]). */
        @JvmSynthetic
        public fun retry(block: RetryPolicy.Builder.() -> Unit): Builder =
            apply { retryPolicy = retryPolicy.toBuilder().apply(block).build() }
        /** Sets [keepAliveTime]. */
        public fun keepAliveTime(value: Duration): Builder = apply { keepAliveTime = value }
        /** Sets [maxConnections]. */
        public fun maxConnections(value: Int): Builder = apply { maxConnections = value }
        /** Sets [maxResponseBytes]. */
        public fun maxResponseBytes(value: Long): Builder = apply { maxResponseBytes = value }
        /** Sets [logLevel]. */
        public fun logLevel(value: LogLevel): Builder = apply { logLevel = value }
        /** Sets [allowInsecureHttp]. */
        public fun allowInsecureHttp(value: Boolean): Builder = apply { allowInsecureHttp = value }
        /** Sets [trustStore]. */
        public fun trustStore(value: KeyStore?): Builder = apply { trustStore = value }
        /** Sets [builtInEngine]. */
        public fun builtInEngine(value: BuiltInEngine): Builder = apply { builtInEngine = value }
        /** Sets [engine]. */
        public fun engine(value: HttpClientEngine?): Builder = apply { engine = value }
        /** Sets [jwtKey]. */
        public fun jwtKey(value: String?): Builder = apply { jwtKey = value }
        /** Sets [rateLimit] ([RateLimit.OFF] turns client-side limiting off). */
        public fun rateLimit(value: RateLimit): Builder = apply { rateLimit = value }
        /** Sets [rateBudget] (null: a local budget of [rateLimit]). */
        public fun rateBudget(value: RateBudget?): Builder = apply { rateBudget = value }
        /** Sets [maxRateLimitPause]. */
        public fun maxRateLimitPause(value: Duration): Builder = apply { maxRateLimitPause = value }
        /** Sets [tokenCache] (null: no cache). */
        public fun tokenCache(value: TokenCacheOptions?): Builder = apply { tokenCache = value }

        /** Adds [listener] to [eventListeners] (after those added before it). */
        public fun addEventListener(listener: ClerkEventListener): Builder = apply { eventListeners = eventListeners + listener }
        /** Sets [eventListeners] (replacing those added so far). */
        public fun eventListeners(value: List<ClerkEventListener>): Builder = apply { eventListeners = value.toList() }

        /** Adds [stage] to the pipeline at [position] (after the stages added before it there). */
        @JvmSynthetic
        internal fun addStage(position: StagePosition, stage: Stage): Builder = apply { addedStages += position to stage }

        /**
         * Shorthand: the current [retryPolicy] with [value] attempts in total (1 = no retries, 1..100), otherwise
         * unchanged. Default: the policy's own (3 for [RetryPolicy.DEFAULT]).
         */
        public fun maxAttempts(value: Int): Builder = apply { retryPolicy = retryPolicy.toBuilder().maxAttempts(value).build() }

        /**
         * Sets what the environment gives, leaving the rest as it is: `CLERK_SECRET_KEY` ([secretKey]), `CLERK_API_URL`
         * ([baseUrl]), `CLERK_API_VERSION` ([apiVersion]), `CLERK_JWT_KEY` ([jwtKey]), `CLERK_RATE_LIMIT`
         * ([rateLimit]: `100/10s`, `5/500ms`, `off`; see [RateLimit.parse]). Unset or blank variables change nothing.
         * @throws IllegalArgumentException when `CLERK_RATE_LIMIT` is set but malformed.
         */
        public fun fromEnv(): Builder = fromEnv(Environment.SYSTEM)

        @JvmSynthetic
        internal fun fromEnv(env: Environment): Builder = apply {
            env.secretKey?.let { secretKey = it }
            env.apiUrl?.let { baseUrl = it }
            env.apiVersion?.let { apiVersion = it }
            env.jwtKey?.let { jwtKey = it }
            env.rateLimit?.let {
                rateLimit = try {
                    RateLimit.parse(it)
                } catch (e: IllegalArgumentException) {
                    throw IllegalArgumentException("${Environment.RATE_LIMIT}: ${e.message}", e)
                }
            }
        }

        /**
         * Validates and freezes the configuration: the secret key is present, durations are positive, sizes are in
         * range, the base URL is http(s) (plain http only to loopback unless [allowInsecureHttp]) and [jwtKey], when
         * set, is an RSA public key in PEM form. @throws IllegalArgumentException naming the first bad value.
         */
        public fun build(): ClerkConfig = ClerkConfig(this)

        override fun toString(): String = "ClerkConfig.Builder(baseUrl=$baseUrl, secretKey=${secretKey?.let(Redaction::maskKey)})"
    }

    /** Defaults and factories. */
    public companion object {
        /** `https://api.clerk.com/v1`. */
        public const val DEFAULT_BASE_URL: String = "https://api.clerk.com/v1"
        /** The newest API version this client was built and tested against. */
        public const val DEFAULT_API_VERSION: String = "2026-05-12"
        /** `clerkkit-kotlin/<version>`, the version being this jar's Maven project version (e.g. `clerkkit-kotlin/0.1.0`). */
        @JvmField public val DEFAULT_USER_AGENT: String = "clerkkit-kotlin/" + dev.clerkkit.internal.ClerkkitVersion.VERSION

        /** A new builder with every default. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** Kotlin DSL: `ClerkConfig { secretKey = "..."; requestTimeout = Duration.ofSeconds(5) }`. */
        @JvmSynthetic
        public operator fun invoke(configure: Builder.() -> Unit): ClerkConfig = Builder().apply(configure).build()

        /**
         * The configuration the environment gives, every other setting at its default: [Builder.fromEnv], then
         * [Builder.build]. @throws IllegalArgumentException when `CLERK_SECRET_KEY` is not set or a value is invalid.
         */
        @JvmStatic
        public fun fromEnv(): ClerkConfig = Builder().fromEnv().build()

        private fun requirePositive(name: String, d: Duration) =
            require(!d.isNegative && !d.isZero) { "$name must be positive, was $d" }

        private fun checkBaseUrl(url: String, allowInsecure: Boolean) {
            val uri = try { URI(url) } catch (e: Exception) { throw IllegalArgumentException("baseUrl is not a URL: $url", e) }
            val scheme = uri.scheme?.lowercase()
            require(scheme == "https" || scheme == "http") { "baseUrl must be http(s), was $url" }
            require(!uri.host.isNullOrBlank()) { "baseUrl has no host: $url" }
            if (scheme == "http" && !allowInsecure) {
                require(isLoopback(uri.host)) {
                    "baseUrl $url is plain http to a non-loopback host: the secret key would travel in clear. " +
                        "Use https, or set allowInsecureHttp = true if you really mean it."
                }
            }
        }

        private fun isLoopback(host: String): Boolean {
            val h = host.removePrefix("[").removeSuffix("]").lowercase()
            return h == "localhost" || h.endsWith(".localhost") || h == "::1" || h == "0:0:0:0:0:0:0:1" ||
                Regex("""127\.\d{1,3}\.\d{1,3}\.\d{1,3}""").matches(h)
        }
    }
}

/**
 * What the client logs through SLF4J (logger `dev.clerkkit.http`, at INFO). Credentials are always redacted: the secret
 * key, session and refresh tokens, cookie values and the `Authorization`, `Cookie` and `Set-Cookie` headers.
 */
public enum class LogLevel {
    /** Nothing. */
    NONE,
    /** Request line, response status, duration and size. */
    INFO,
    /** [INFO] plus headers. */
    HEADERS,
    /** [HEADERS] plus bodies. */
    BODY,
}

/**
 * The built-in Ktor engines a [ClerkClient] can carry its calls on ([ClerkConfig.builtInEngine]). docs/engines.md
 * compares them with numbers.
 */
public enum class BuiltInEngine {
    /**
     * Every call on Ktor's OkHttp engine (the default): pooled connections for reads and writes, the JDK's TLS 1.3 with
     * session resumption, HTTP/2 where the server offers it, one request per HTTP/1.1 connection at a time.
     */
    OKHTTP,

    /**
     * Reads (GET) on Ktor's CIO engine, writes on OkHttp. CIO has the highest GET throughput measured on a fast local
     * link; it keeps idle connections at most three quarters of the socket timeout, and may queue a GET behind another
     * on one connection (pipelining).
     */
    CIO_READS_OKHTTP_WRITES,

    /** Every call on Ktor's CIO engine. CIO gives every non-GET request a new connection (a TLS handshake over https). */
    CIO,

    /**
     * Every call on Ktor's Java engine, the JDK's `java.net.http.HttpClient` (what Clerk's official Java SDK uses):
     * non-blocking, every method pooled, TLS 1.3, HTTP/2 where the server offers it. How long idle connections are kept
     * is the JVM-wide system property `jdk.httpclient.keepalive.timeout` (default 20 minutes), not
     * [ClerkConfig.keepAliveTime].
     */
    JAVA,
}
