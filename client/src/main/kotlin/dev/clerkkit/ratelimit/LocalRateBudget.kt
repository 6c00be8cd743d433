package dev.clerkkit.ratelimit

import dev.clerkkit.Sleeper
import java.time.Duration

/**
 * A [RateBudget] for this process: a sliding-window log of the last [RateLimit.requests] grants. A permit is free
 * when fewer than `requests` were granted in the last `window`; otherwise the caller suspends until the oldest grant
 * leaves the window (and fails at once when that is later than its `maxWait`). [pause] holds every permit back until
 * a point in time. Thread-safe; the state is a few words and one array of [RateLimit.requests] timestamps.
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
    public constructor(limit: RateLimit) : this(limit, System::nanoTime, ceilMillisDelay)

    private val windowNanos: Long = limit.window.toNanos()
    private val lock = Any()
    /** Ring buffer of grant times, oldest at [head]. */
    private val grants = LongArray(limit.requests)
    private var head = 0
    private var size = 0
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
        limit.requests - size
    }

    /** Takes a permit at [now] and returns 0, or returns the nanoseconds until one frees up. Under [lock]. */
    private fun tryTake(now: Long): Long {
        if (paused) {
            val left = pausedUntil - now
            if (left > 0) return left
            paused = false
        }
        evict(now)
        if (size < grants.size) {
            grants[(head + size) % grants.size] = now
            size++
            return 0
        }
        return (grants[head] + windowNanos - now).coerceAtLeast(1)
    }

    private fun evict(now: Long) {
        while (size > 0 && now - grants[head] >= windowNanos) {
            head = (head + 1) % grants.size
            size--
        }
    }

    override fun toString(): String = "LocalRateBudget($limit)"

    /** A budget of the same limit on [clock] (monotonic nanoseconds) that waits with [sleeper]: tests pass virtual ones. */
    @JvmSynthetic
    internal fun on(clock: () -> Long, sleeper: Sleeper): LocalRateBudget = LocalRateBudget(limit, clock, sleeper)
}

/** `delay` rounded up to whole milliseconds, so a sub-millisecond wait does not spin. */
private val ceilMillisDelay: Sleeper = Sleeper { d -> kotlinx.coroutines.delay((d.toNanos() + 999_999) / 1_000_000) }
