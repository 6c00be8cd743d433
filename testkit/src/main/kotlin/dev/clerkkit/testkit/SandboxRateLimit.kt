package dev.clerkkit.testkit

import java.time.Duration

/** How a [SandboxRateLimit] counts requests. */
public enum class RateLimitWindow {
    /**
     * Fixed windows aligned to the clock (epoch multiples of [SandboxRateLimit.window]): the count starts from zero at each
     * window boundary. `Retry-After` is the time left until the next boundary.
     */
    FIXED,

    /**
     * A sliding window (a log of accepted requests): a request is accepted when fewer than the limit were accepted in
     * the last [SandboxRateLimit.window]. `Retry-After` is the time until the oldest of them leaves the window.
     */
    SLIDING,
}

/**
 * A per-secret-key request budget for the sandbox (see [SandboxConfig.rateLimit]; off by default).
 *
 * Each accepted secret key (the instance) has its own budget: keys starting with `sk_live_` get [liveRequests], every
 * other key gets [requests], per [window]. Beyond it the sandbox answers `429` with Clerk's error body
 * (code `too_many_requests`) and `Retry-After` in whole seconds (rounded up, at least 1). `GET /v1/jwks` is never
 * limited; answers from scripted faults and `401`s do not count; rejected (`429`) requests do not use up budget.
 *
 * Presets: [CLERK] (Clerk's Backend API limits: 100 requests per 10 s for development `sk_test_` instances,
 * 1,000 per 10 s for production `sk_live_` ones), [DEVELOPMENT], [PRODUCTION] and [BENCH] (scaled: 100 per 1 s);
 * or [of]/[sliding] for any limit. Immutable; [withWindowKind] switches between fixed and sliding windows.
 *
 * @property requests requests per [window] for keys not starting with `sk_live_`.
 * @property liveRequests requests per [window] for `sk_live_` keys.
 * @property window the window length (at least 1 ms).
 * @property windowKind fixed (default) or sliding window counting.
 */
public class SandboxRateLimit protected constructor(
    public val requests: Int,
    public val liveRequests: Int,
    public val window: Duration,
    public val windowKind: RateLimitWindow,
) {
    init {
        require(requests > 0) { "requests must be > 0, was $requests" }
        require(liveRequests > 0) { "liveRequests must be > 0, was $liveRequests" }
        require(!window.isNegative && window.toMillis() >= 1) { "window must be at least 1 ms, was $window" }
    }

    /** The budget per [window] of [secretKey]: [liveRequests] for `sk_live_` keys, else [requests]. */
    public fun limitFor(secretKey: String): Int = if (secretKey.startsWith(LIVE_PREFIX)) liveRequests else requests

    /** This limit counted with [kind] windows. */
    public fun withWindowKind(kind: RateLimitWindow): SandboxRateLimit = SandboxRateLimit(requests, liveRequests, window, kind)

    override fun equals(other: Any?): Boolean = other is SandboxRateLimit && other.requests == requests &&
        other.liveRequests == liveRequests && other.window == window && other.windowKind == windowKind

    override fun hashCode(): Int = ((requests * 31 + liveRequests) * 31 + window.hashCode()) * 31 + windowKind.hashCode()

    override fun toString(): String =
        if (requests == liveRequests) {
            "SandboxRateLimit($requests per $window, $windowKind)"
        } else {
            "SandboxRateLimit($requests per $window, sk_live_: $liveRequests, $windowKind)"
        }

    /** Presets and factories. */
    public companion object {
        private const val LIVE_PREFIX = "sk_live_"
        private val TEN_SECONDS: Duration = Duration.ofSeconds(10)

        /**
         * Clerk's Backend API limits by key type: 100 requests per 10 s for development instances (`sk_test_` and any
         * other key), 1,000 per 10 s for production instances (`sk_live_` keys); fixed windows.
         */
        @JvmField
        public val CLERK: SandboxRateLimit = SandboxRateLimit(100, 1_000, TEN_SECONDS, RateLimitWindow.FIXED)

        /** Clerk's development-instance limit for every key: 100 requests per 10 s, fixed windows. */
        @JvmField
        public val DEVELOPMENT: SandboxRateLimit = of(100, TEN_SECONDS)

        /** Clerk's production-instance limit for every key: 1,000 requests per 10 s, fixed windows. */
        @JvmField
        public val PRODUCTION: SandboxRateLimit = of(1_000, TEN_SECONDS)

        /** Clerk's development limit scaled down for benches: 100 requests per 1 s for every key, fixed windows. */
        @JvmField
        public val BENCH: SandboxRateLimit = of(100, Duration.ofSeconds(1))

        /** [requests] per [window] for every key, fixed windows. */
        @JvmStatic
        public fun of(requests: Int, window: Duration): SandboxRateLimit = SandboxRateLimit(requests, requests, window, RateLimitWindow.FIXED)

        /** [requests] per [window] for every key, sliding window. */
        @JvmStatic
        public fun sliding(requests: Int, window: Duration): SandboxRateLimit =
            SandboxRateLimit(requests, requests, window, RateLimitWindow.SLIDING)

        /** [requests] per [window] for development keys and [liveRequests] for `sk_live_` keys, fixed windows. */
        @JvmStatic
        public fun byKeyType(requests: Int, liveRequests: Int, window: Duration): SandboxRateLimit =
            SandboxRateLimit(requests, liveRequests, window, RateLimitWindow.FIXED)
    }
}
