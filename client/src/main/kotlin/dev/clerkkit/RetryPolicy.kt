package dev.clerkkit

import java.time.Duration
import kotlin.random.Random

/**
 * How failed calls are retried: which failures, how often, how long to wait.
 *
 * Retried failures: connection failures, HTTP 5xx and 429, subject to each operation's safety (see the README's
 * retry table: a POST that may have reached the server is replayed only where that is harmless). 429 and 503 honour
 * `Retry-After` (seconds or HTTP date), capped by [maxRetryAfter]; everything else waits an exponential backoff
 * `initialBackoff * multiplier^(attempt-1)`, capped by [maxBackoff], with +-[jitter] proportional randomness.
 * No retry starts once [maxElapsed] would be exceeded.
 *
 * Defaults ([DEFAULT]): 3 attempts, 500 ms initial backoff, x2, 8 s cap, 20% jitter, `Retry-After` capped at 60 s,
 * 2 minutes overall. [NONE] makes a single attempt.
 */
public class RetryPolicy protected constructor(builder: Builder) {
    /** Attempts in total, first one included (1 = no retries). Default 3. */
    public val maxAttempts: Int = builder.maxAttempts
    /** Backoff before the first retry. Default 500 ms. */
    public val initialBackoff: Duration = builder.initialBackoff
    /** Largest backoff between attempts. Default 8 s. */
    public val maxBackoff: Duration = builder.maxBackoff
    /** Growth factor of the backoff. Default 2.0. */
    public val multiplier: Double = builder.multiplier
    /** Random spread of each backoff, 0.0..1.0 of it. Default 0.2. */
    public val jitter: Double = builder.jitter
    /** Longest `Retry-After` honoured; a longer one ends retrying. Default 60 s. */
    public val maxRetryAfter: Duration = builder.maxRetryAfter
    /** Overall deadline from the first attempt; no retry is started past it. Default 2 min. */
    public val maxElapsed: Duration = builder.maxElapsed
    /**
     * How the client waits between attempts; tests inject a recorder so they never sleep. Default: coroutine `delay`.
     * Kotlin only (a suspend SPI); Java keeps the default.
     */
    @get:JvmSynthetic public val sleeper: Sleeper = builder.sleeper
    internal val random: Random = builder.random

    init {
        require(maxAttempts in 1..100) { "maxAttempts must be in 1..100, was $maxAttempts" }
        require(!initialBackoff.isNegative) { "initialBackoff must not be negative" }
        require(maxBackoff >= initialBackoff) { "maxBackoff must be >= initialBackoff" }
        require(multiplier >= 1.0) { "multiplier must be >= 1.0, was $multiplier" }
        require(jitter in 0.0..1.0) { "jitter must be in 0.0..1.0, was $jitter" }
        require(!maxRetryAfter.isNegative) { "maxRetryAfter must not be negative" }
        require(!maxElapsed.isNegative) { "maxElapsed must not be negative" }
    }

    /** Backoff before retry number [retry] (1-based), jitter applied. */
    internal fun backoff(retry: Int): Duration {
        val base = initialBackoff.toMillis() * Math.pow(multiplier, (retry - 1).toDouble())
        val capped = minOf(base, maxBackoff.toMillis().toDouble())
        val spread = capped * jitter * (random.nextDouble() * 2 - 1)
        return Duration.ofMillis((capped + spread).toLong().coerceAtLeast(0))
    }

    /** A builder initialised with this policy. */
    public fun toBuilder(): Builder = Builder().also {
        it.maxAttempts = maxAttempts; it.initialBackoff = initialBackoff; it.maxBackoff = maxBackoff
        it.multiplier = multiplier; it.jitter = jitter; it.maxRetryAfter = maxRetryAfter
        it.maxElapsed = maxElapsed; it.sleeper = sleeper; it.random = random
    }

    override fun toString(): String =
        "RetryPolicy(maxAttempts=$maxAttempts, initialBackoff=$initialBackoff, maxBackoff=$maxBackoff, " +
            "multiplier=$multiplier, jitter=$jitter, maxRetryAfter=$maxRetryAfter, maxElapsed=$maxElapsed)"

    /** Mutable builder starting at the defaults. */
    public class Builder {
        /** See [RetryPolicy.maxAttempts]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxAttempts: Int = 3
        /** See [RetryPolicy.initialBackoff]. */
        @get:JvmSynthetic @set:JvmSynthetic public var initialBackoff: Duration = Duration.ofMillis(500)
        /** See [RetryPolicy.maxBackoff]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxBackoff: Duration = Duration.ofSeconds(8)
        /** See [RetryPolicy.multiplier]. */
        @get:JvmSynthetic @set:JvmSynthetic public var multiplier: Double = 2.0
        /** See [RetryPolicy.jitter]. */
        @get:JvmSynthetic @set:JvmSynthetic public var jitter: Double = 0.2
        /** See [RetryPolicy.maxRetryAfter]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxRetryAfter: Duration = Duration.ofSeconds(60)
        /** See [RetryPolicy.maxElapsed]. */
        @get:JvmSynthetic @set:JvmSynthetic public var maxElapsed: Duration = Duration.ofMinutes(2)
        /** See [RetryPolicy.sleeper]. */
        @get:JvmSynthetic @set:JvmSynthetic public var sleeper: Sleeper = Sleeper.DEFAULT
        internal var random: Random = Random.Default

        /** Sets [maxAttempts]. */
        public fun maxAttempts(value: Int): Builder = apply { maxAttempts = value }
        /** Sets [initialBackoff]. */
        public fun initialBackoff(value: Duration): Builder = apply { initialBackoff = value }
        /** Sets [maxBackoff]. */
        public fun maxBackoff(value: Duration): Builder = apply { maxBackoff = value }
        /** Sets [multiplier]. */
        public fun multiplier(value: Double): Builder = apply { multiplier = value }
        /** Sets [jitter]. */
        public fun jitter(value: Double): Builder = apply { jitter = value }
        /** Sets [maxRetryAfter]. */
        public fun maxRetryAfter(value: Duration): Builder = apply { maxRetryAfter = value }
        /** Sets [maxElapsed]. */
        public fun maxElapsed(value: Duration): Builder = apply { maxElapsed = value }
        /** Sets [sleeper] (Kotlin only). */
        @JvmSynthetic
        public fun sleeper(value: Sleeper): Builder = apply { sleeper = value }
        /** Seeds the jitter's randomness (for reproducible tests). */
        public fun randomSeed(seed: Long): Builder = apply { random = Random(seed) }

        /** Validates and freezes the policy. @throws IllegalArgumentException on an out-of-range value. */
        public fun build(): RetryPolicy = RetryPolicy(this)
    }

    /** Ready-made policies. */
    public companion object {
        /** The documented defaults. */
        @JvmField
        public val DEFAULT: RetryPolicy = Builder().build()

        /** One attempt, never retried. */
        @JvmField
        public val NONE: RetryPolicy = Builder().apply { maxAttempts = 1 }.build()

        /** A new builder with every default. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

/** Waits between retry attempts. Inject a recording one in tests so nothing sleeps. */
public fun interface Sleeper {
    /** Suspends for [duration]; must be cancellable. */
    public suspend fun sleep(duration: Duration)

    /** The default implementation. */
    public companion object {
        /** Suspends with `kotlinx.coroutines.delay`. */
        @JvmField
        public val DEFAULT: Sleeper = Sleeper { kotlinx.coroutines.delay(it.toMillis()) }
    }
}
