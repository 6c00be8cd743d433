package dev.clerkkit.sessions

import java.time.Clock
import java.time.Duration

/**
 * Settings of the client's token cache ([dev.clerkkit.ClerkConfig.tokenCache]; off unless set). With it, the client's
 * [Sessions.createToken] and [Sessions.createTokenFromTemplate] answer from a cache keyed by session id, template name
 * (none for `createToken`) and requested lifetime (`expiresInSeconds`, none for the instance's or template's own):
 * - a cached token is handed out until [margin] before the `exp` of its JWT (read from the JWT's payload); a token
 *   whose `exp` is missing or within [margin] already is handed to the callers that asked for it and not kept;
 * - concurrent requests for one key make one call to Clerk (single-flight); its answer or its error goes to every
 *   caller waiting for it, and an error is not cached (the next request makes a new call); a caller that is cancelled
 *   stops waiting without cancelling the call for the others; the call runs with the first caller's
 *   [dev.clerkkit.RequestOptions];
 * - at most [maxEntries] tokens are kept, the least recently used leaving first;
 * - revoking a session through the client ([Sessions.revoke], [Sessions.revokeAll], their raw and Java twins) drops
 *   that session's tokens, and a call in flight for it is not kept.
 *
 * `withRawResponse()` operations are never cached. Tokens are never in [toString] or logs.
 *
 * Kotlin: `ClerkClient { ...; tokenCache = TokenCacheOptions { margin = Duration.ofSeconds(5) } }`; Java:
 * `.tokenCache(TokenCacheOptions.builder().margin(Duration.ofSeconds(5)).build())`.
 */
public class TokenCacheOptions protected constructor(builder: Builder) {
    /** How long before its `exp` a cached token stops being handed out. Default [DEFAULT_MARGIN] (10 s); >= 0. */
    public val margin: Duration = builder.margin

    /** Most tokens kept (least recently used evicted first). Default [DEFAULT_MAX_ENTRIES] (10,000); >= 1. */
    public val maxEntries: Int = builder.maxEntries

    /** The clock compared with the tokens' `exp`. Default `Clock.systemUTC()` (tests pass a virtual one). */
    public val clock: Clock = builder.clock

    init {
        require(!margin.isNegative) { "margin must not be negative, was $margin" }
        require(maxEntries >= 1) { "maxEntries must be >= 1, was $maxEntries" }
    }

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().also { it.margin = margin; it.maxEntries = maxEntries; it.clock = clock }

    override fun toString(): String = "TokenCacheOptions(margin=$margin, maxEntries=$maxEntries)"
    override fun equals(other: Any?): Boolean =
        other is TokenCacheOptions && other.margin == margin && other.maxEntries == maxEntries && other.clock == clock
    override fun hashCode(): Int = java.util.Objects.hash(margin, maxEntries, clock)

    /** Mutable builder, every value at its default; [build] checks them. */
    public class Builder {
        /** See [TokenCacheOptions.margin]. */ @get:JvmSynthetic @set:JvmSynthetic public var margin: Duration = DEFAULT_MARGIN
        /** See [TokenCacheOptions.maxEntries]. */ @get:JvmSynthetic @set:JvmSynthetic public var maxEntries: Int = DEFAULT_MAX_ENTRIES
        /** See [TokenCacheOptions.clock]. */ @get:JvmSynthetic @set:JvmSynthetic public var clock: Clock = Clock.systemUTC()

        /** Sets [margin]. */ public fun margin(value: Duration): Builder = apply { margin = value }
        /** Sets [maxEntries]. */ public fun maxEntries(value: Int): Builder = apply { maxEntries = value }
        /** Sets [clock]. */ public fun clock(value: Clock): Builder = apply { clock = value }
        /** Checks and freezes. @throws IllegalArgumentException for a negative margin or maxEntries < 1. */
        public fun build(): TokenCacheOptions = TokenCacheOptions(this)
    }

    /** Defaults and factories. */
    public companion object {
        /** Default [margin]: 10 s. */
        @JvmField public val DEFAULT_MARGIN: Duration = Duration.ofSeconds(10)

        /** Default [maxEntries]: 10,000. */
        public const val DEFAULT_MAX_ENTRIES: Int = 10_000

        /** Every default: 10 s margin, 10,000 entries, the system clock. */
        @JvmField public val DEFAULTS: TokenCacheOptions = Builder().build()

        /** A new builder. */
        @JvmStatic public fun builder(): Builder = Builder()

        /** Kotlin DSL: `TokenCacheOptions { margin = Duration.ofSeconds(5); maxEntries = 1_000 }`. */
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): TokenCacheOptions = Builder().apply(block).build()
    }
}
