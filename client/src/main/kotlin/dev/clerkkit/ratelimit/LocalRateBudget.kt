package dev.clerkkit.ratelimit

import dev.clerkkit.Sleeper
import java.time.Duration
import java.util.PriorityQueue

/**
 * A [RateBudget] for this process. A permit is held from the moment it is taken until [RateLimit.window] after its
 * attempt ended ([release]); a permit is free when fewer than [RateLimit.requests] are held. So a request reaches
 * Clerk between the moment its permit was taken and the moment its attempt ended, and no two requests more than
 * `requests` apart in that order can reach Clerk less than `window` apart: Clerk sees at most `requests` in any
 * interval of length `window`, whatever the phase of its own windows and however long each request takes (the
 * latency is the margin: each permit is held that much longer). A cold client's first burst is `requests` at most.
 *
 * Without a free permit the caller suspends until one frees up (and fails at once when that is later than its
 * `maxWait`). [pause] holds every permit back until a point in time. Thread-safe; the state is a counter and one
 * heap of at most [RateLimit.requests] end times.
 *
 * The client creates one from [dev.clerkkit.ClerkConfig.rateLimit] unless [dev.clerkkit.ClerkConfig.rateBudget] is set.
 */
public class LocalRateBudget private constructor(
    /** The limit this budget enforces. */
    public val limit: RateLimit,
    /** Monotonic time in nanoseconds (tests pass a virtual clock). */
    private val clock: () -> Long,
    /** How waiting is done (tests pass a virtual one). */
    private val sleeper: Sleeper,
) : RateBudget {
    /**
     * A budget enforcing [limit] on the system's monotonic clock.
     * @throws IllegalArgumentException if [limit] is [RateLimit.OFF].
     */
    public constructor(limit: RateLimit) : this(limit, System::nanoTime, CeilMillisDelay)

    private val windowNanos: Long = limit.window.toNanos()
    private val lock = Any()
    /** Permits taken whose attempt has not ended. */
    private var inFlight = 0
    /** When the attempts of the other held permits ended (oldest first). */
    private val ended = PriorityQueue<Long>(Comparator { a, b -> a.compareTo(b) })
    private var paused = false
    private var pausedUntil = 0L

    init {
        require(!limit.isOff) { "LocalRateBudget needs a limit, not RateLimit.OFF" }
    }

    override suspend fun acquire(maxWait: Duration): Duration? {
        val deadline = clock() + maxWait.toNanos().coerceAtLeast(0)
        while (true) {
            val now = clock()
            val wait = synchronized(lock) { tryTake(now) }
            if (wait == 0L) return null
            // Nothing is reserved while waiting: a cancelled waiter has taken nothing and gives nothing back.
            if (now + wait - deadline > 0) return Duration.ofNanos(wait)
            sleeper.sleep(Duration.ofNanos(wait))
        }
    }

    override suspend fun release() {
        val now = clock()
        synchronized(lock) {
            if (inFlight > 0) {
                inFlight--
                ended.add(now)
            }
        }
    }

    override suspend fun pause(duration: Duration) {
        if (duration.isNegative || duration.isZero) return
        val until = clock() + duration.toNanos()
        synchronized(lock) {
            if (!paused || until - pausedUntil > 0) {
                pausedUntil = until
                paused = true
            }
        }
    }

    /** Permits that could be taken right now (for tests and diagnostics). */
    internal fun available(): Int = synchronized(lock) {
        val now = clock()
        if (paused && pausedUntil - now > 0) return 0
        evict(now)
        limit.requests - inFlight - ended.size
    }

    /** Takes a permit at [now] and returns 0, or returns the nanoseconds until one frees up at the earliest. Under [lock]. */
    private fun tryTake(now: Long): Long {
        if (paused) {
            val left = pausedUntil - now
            if (left > 0) return left
            paused = false
        }
        evict(now)
        if (inFlight + ended.size < limit.requests) {
            inFlight++
            return 0
        }
        // every permit held by an attempt in flight: one frees a window after the first of them ends, at the earliest
        val oldest = ended.peek() ?: return windowNanos
        return (oldest + windowNanos - now).coerceAtLeast(1)
    }

    private fun evict(now: Long) {
        while (ended.isNotEmpty() && now - ended.peek() >= windowNanos) ended.poll()
    }

    override fun toString(): String = "LocalRateBudget($limit)"

    /** A budget of the same limit on [clock] (monotonic nanoseconds) that waits with [sleeper]: tests pass virtual ones. */
    @JvmSynthetic
    internal fun on(clock: () -> Long, sleeper: Sleeper): LocalRateBudget = LocalRateBudget(limit, clock, sleeper)
}

/** `delay` rounded up to whole milliseconds, so a sub-millisecond wait does not spin. */
private object CeilMillisDelay : Sleeper {
    override suspend fun sleep(duration: java.time.Duration) = kotlinx.coroutines.delay((duration.toNanos() + 999_999) / 1_000_000)
}
