package dev.clerkkit.ratelimit

import java.time.Duration

/**
 * How many requests the client may send to Clerk's Backend API per sliding [window], or [OFF].
 *
 * Clerk limits each application instance to 100 requests per 10 s on development instances (`sk_test_` keys) and
 * 1,000 per 10 s on production instances (`sk_live_` keys); [forKey] picks that default from the secret key, and it
 * is what [dev.clerkkit.ClerkConfig.rateLimit] uses unless set. `GET /v1/jwks` is never limited.
 *
 * ```kotlin
 * ClerkClient { secretKey = "sk_test_..."; rateLimit = RateLimit.of(100, Duration.ofSeconds(10)) }
 * ClerkClient { secretKey = "sk_test_..."; rateLimit = RateLimit.OFF }
 * ```
 * In the environment ([dev.clerkkit.ClerkConfig.fromEnv]): `CLERK_RATE_LIMIT=100/10s` or `CLERK_RATE_LIMIT=off` ([parse]).
 */
public class RateLimit protected constructor(
    /** Requests allowed per [window]; 0 for [OFF]. */
    public val requests: Int,
    /** Length of the sliding window; [Duration.ZERO] for [OFF]. */
    public val window: Duration,
) {
    /** True for [OFF]: no client-side limit. */
    public val isOff: Boolean get() = requests == 0

    override fun equals(other: Any?): Boolean = other is RateLimit && requests == other.requests && window == other.window
    override fun hashCode(): Int = 31 * requests + window.hashCode()

    /** `100/10s`, `5/500ms` or `off`: the format [parse] reads. */
    override fun toString(): String = when {
        isOff -> "off"
        window.toMillis() % 60_000 == 0L -> "$requests/${window.toMillis() / 60_000}m"
        window.toMillis() % 1000 == 0L -> "$requests/${window.toMillis() / 1000}s"
        else -> "$requests/${window.toMillis()}ms"
    }

    /** Ready-made limits and factories. */
    public companion object {
        /** No client-side limit: calls go out as fast as they are made (a 429 is still retried after `Retry-After`). */
        @JvmField
        public val OFF: RateLimit = RateLimit(0, Duration.ZERO)

        /** Clerk's limit for development instances (`sk_test_` keys): 100 requests per 10 s. */
        @JvmField
        public val DEVELOPMENT_INSTANCE: RateLimit = RateLimit(100, Duration.ofSeconds(10))

        /** Clerk's limit for production instances (`sk_live_` keys): 1,000 requests per 10 s. */
        @JvmField
        public val PRODUCTION_INSTANCE: RateLimit = RateLimit(1000, Duration.ofSeconds(10))

        private val LONGEST_WINDOW: Duration = Duration.ofHours(1)

        /**
         * [requests] per [window].
         * @throws IllegalArgumentException unless [requests] is in 1..1,000,000 and [window] in 1 ms..1 h.
         */
        @JvmStatic
        public fun of(requests: Int, window: Duration): RateLimit {
            require(requests in 1..1_000_000) { "rate limit requests must be in 1..1000000, was $requests" }
            require(window.toMillis() >= 1 && window <= LONGEST_WINDOW) {
                "rate limit window must be between 1 ms and 1 h, was $window"
            }
            return RateLimit(requests, Duration.ofMillis(window.toMillis()))
        }

        /**
         * The default for [secretKey]: [DEVELOPMENT_INSTANCE] for `sk_test_` keys, [PRODUCTION_INSTANCE] for `sk_live_`
         * keys, [OFF] for anything else (e.g. a proxy's own token: its limit is unknown).
         */
        @JvmStatic
        public fun forKey(secretKey: String): RateLimit = when {
            secretKey.startsWith("sk_test_") -> DEVELOPMENT_INSTANCE
            secretKey.startsWith("sk_live_") -> PRODUCTION_INSTANCE
            else -> OFF
        }

        private val FORMAT = Regex("""(\d{1,7})\s*/\s*(\d{1,7})\s*(ms|s|m|h)""")

        /**
         * Reads `<requests>/<window>` with the window's unit `ms`, `s`, `m` or `h` (`100/10s`, `1000/10s`, `5/500ms`,
         * `600/1m`), or `off` (any case). This is the format of `CLERK_RATE_LIMIT`.
         * @throws IllegalArgumentException on anything else, or values [of] rejects.
         */
        @JvmStatic
        public fun parse(text: String): RateLimit {
            val t = text.trim()
            if (t.equals("off", ignoreCase = true)) return OFF
            val m = FORMAT.matchEntire(t.lowercase())
                ?: throw IllegalArgumentException("rate limit '${t.take(40)}' is not <requests>/<window> (e.g. 100/10s, 5/500ms) or off")
            val amount = m.groupValues[2].toLong()
            val window = when (m.groupValues[3]) {
                "ms" -> Duration.ofMillis(amount)
                "s" -> Duration.ofSeconds(amount)
                "m" -> Duration.ofMinutes(amount)
                else -> Duration.ofHours(amount)
            }
            return of(m.groupValues[1].toInt(), window)
        }
    }
}
