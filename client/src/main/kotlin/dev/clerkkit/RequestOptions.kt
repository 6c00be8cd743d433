package dev.clerkkit

import java.time.Duration
import java.util.Optional

/**
 * Per-call options: extra headers, timeouts and a retry policy that override the client's for one call.
 * [NONE] (the default of every operation) changes nothing. Java reads unset values as empty `Optional`s.
 */
public class RequestOptions protected constructor(builder: Builder) {
    /** Extra request headers. Cannot replace `Authorization`. Default empty. */
    public val headers: Map<String, String> = builder.headers.toMap()
    /** Whole-attempt timeout for this call; null = the client's [ClerkConfig.requestTimeout]. */
    @get:JvmSynthetic public val timeout: Duration? = builder.timeout
    /**
     * Connect timeout for this call; null = the client's [ClerkConfig.connectTimeout]. On the built-in CIO engine a
     * call with its own connect or socket timeout runs on a new connection of its own (CIO never pools such requests).
     */
    @get:JvmSynthetic public val connectTimeout: Duration? = builder.connectTimeout
    /** Socket (silence) timeout for this call; null = the client's [ClerkConfig.socketTimeout]. See [connectTimeout]. */
    @get:JvmSynthetic public val socketTimeout: Duration? = builder.socketTimeout
    /** Retry policy for this call; null = the client's [ClerkConfig.retryPolicy]. */
    @get:JvmSynthetic public val retryPolicy: RetryPolicy? = builder.retryPolicy

    init {
        timeout?.let { require(!it.isNegative && !it.isZero) { "timeout must be positive, was $it" } }
        connectTimeout?.let { require(!it.isNegative && !it.isZero) { "connectTimeout must be positive, was $it" } }
        socketTimeout?.let { require(!it.isNegative && !it.isZero) { "socketTimeout must be positive, was $it" } }
        headers.keys.forEach {
            require(!it.equals("Authorization", ignoreCase = true)) { "Authorization cannot be set per call" }
            require(it.isNotBlank() && it.none { c -> c.isWhitespace() || c == ':' }) { "invalid header name '$it'" }
        }
        headers.values.forEach { require(it.none { c -> c == '\r' || c == '\n' }) { "header values must not contain CR/LF" } }
    }

    /** [timeout] for Java. */
    @JvmName("getTimeout") public fun timeoutOptional(): Optional<Duration> = Optional.ofNullable(timeout)
    /** [connectTimeout] for Java. */
    @JvmName("getConnectTimeout") public fun connectTimeoutOptional(): Optional<Duration> = Optional.ofNullable(connectTimeout)
    /** [socketTimeout] for Java. */
    @JvmName("getSocketTimeout") public fun socketTimeoutOptional(): Optional<Duration> = Optional.ofNullable(socketTimeout)
    /** [retryPolicy] for Java. */
    @JvmName("getRetryPolicy") public fun retryPolicyOptional(): Optional<RetryPolicy> = Optional.ofNullable(retryPolicy)

    override fun toString(): String = "RequestOptions(headers=${headers.keys}, timeout=$timeout, " +
        "connectTimeout=$connectTimeout, socketTimeout=$socketTimeout, retryPolicy=$retryPolicy)"

    /** Mutable builder. */
    public class Builder {
        internal val headers = LinkedHashMap<String, String>()
        /** See [RequestOptions.timeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var timeout: Duration? = null
        /** See [RequestOptions.connectTimeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var connectTimeout: Duration? = null
        /** See [RequestOptions.socketTimeout]. */
        @get:JvmSynthetic @set:JvmSynthetic public var socketTimeout: Duration? = null
        /** See [RequestOptions.retryPolicy]. */
        @get:JvmSynthetic @set:JvmSynthetic public var retryPolicy: RetryPolicy? = null

        /** Adds one header. */
        public fun header(name: String, value: String): Builder = apply { headers[name] = value }
        /** Sets [timeout]. */
        public fun timeout(value: Duration?): Builder = apply { timeout = value }
        /** Sets [connectTimeout]. */
        public fun connectTimeout(value: Duration?): Builder = apply { connectTimeout = value }
        /** Sets [socketTimeout]. */
        public fun socketTimeout(value: Duration?): Builder = apply { socketTimeout = value }
        /** Sets [retryPolicy]. */
        public fun retryPolicy(value: RetryPolicy?): Builder = apply { retryPolicy = value }
        /** Shorthand for a policy with [maxAttempts] attempts and otherwise the defaults. */
        public fun maxAttempts(maxAttempts: Int): Builder =
            apply { retryPolicy = (retryPolicy ?: RetryPolicy.DEFAULT).toBuilder().maxAttempts(maxAttempts).build() }
        /** Freezes the options. */
        public fun build(): RequestOptions = RequestOptions(this)
    }

    /** Factories. */
    public companion object {
        /** No overrides. */
        @JvmField
        public val NONE: RequestOptions = Builder().build()

        /** A new, empty builder. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** Kotlin DSL: `RequestOptions { header("X-Request-Id", id); timeout = Duration.ofSeconds(2) }`. */
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): RequestOptions = Builder().apply(block).build()
    }
}
