package dev.clerkkit

import java.time.Duration

/**
 * Per-call options: extra headers, timeouts and a retry policy that override the client's for one call.
 * [NONE] (the default of every operation) changes nothing.
 */
public class RequestOptions private constructor(builder: Builder) {
    /** Extra request headers. Cannot replace `Authorization`. Default empty. */
    public val headers: Map<String, String> = builder.headers.toMap()
    /** Whole-attempt timeout for this call; null = the client's [ClerkConfig.requestTimeout]. */
    public val timeout: Duration? = builder.timeout
    /**
     * Connect timeout for this call; null = the client's [ClerkConfig.connectTimeout]. On the built-in CIO engine a
     * call with its own connect or socket timeout runs on a new connection of its own (CIO never pools such requests).
     */
    public val connectTimeout: Duration? = builder.connectTimeout
    /** Socket (silence) timeout for this call; null = the client's [ClerkConfig.socketTimeout]. See [connectTimeout]. */
    public val socketTimeout: Duration? = builder.socketTimeout
    /** Retry policy for this call; null = the client's [ClerkConfig.retryPolicy]. */
    public val retryPolicy: RetryPolicy? = builder.retryPolicy

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

    override fun toString(): String = "RequestOptions(headers=${headers.keys}, timeout=$timeout, " +
        "connectTimeout=$connectTimeout, socketTimeout=$socketTimeout, retryPolicy=$retryPolicy)"

    /** Mutable builder. */
    public class Builder {
        internal val headers = LinkedHashMap<String, String>()
        /** See [RequestOptions.timeout]. */
        public var timeout: Duration? = null
        /** See [RequestOptions.connectTimeout]. */
        public var connectTimeout: Duration? = null
        /** See [RequestOptions.socketTimeout]. */
        public var socketTimeout: Duration? = null
        /** See [RequestOptions.retryPolicy]. */
        public var retryPolicy: RetryPolicy? = null

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
        public operator fun invoke(block: Builder.() -> Unit): RequestOptions = Builder().apply(block).build()
    }
}
