package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.RateLimitWindow
import dev.clerkkit.testkit.SandboxRateLimit
import java.time.Clock
import java.util.concurrent.ConcurrentHashMap

/**
 * Counts requests per secret key against a [SandboxRateLimit], on [clock] (so tests step a `MutableClock` instead of
 * sleeping). Keys are only map keys here: never logged or printed.
 */
internal class RateLimiter(private val limit: SandboxRateLimit, private val clock: Clock) {
    private val budgets = ConcurrentHashMap<String, Budget>()
    private val windowMillis = limit.window.toMillis()

    /** Takes one request from [secretKey]'s budget: `null` when accepted, else the milliseconds until one frees up. */
    fun acquire(secretKey: String): Long? {
        val max = limit.limitFor(secretKey)
        val budget = budgets.computeIfAbsent(secretKey) { Budget() }
        val now = clock.millis()
        synchronized(budget) {
            return when (limit.windowKind) {
                RateLimitWindow.FIXED -> budget.fixed(now, max)
                RateLimitWindow.SLIDING -> budget.sliding(now, max)
            }
        }
    }

    /** Forgets every key's count. */
    fun reset() {
        budgets.clear()
    }

    private inner class Budget {
        private var windowStart = Long.MIN_VALUE
        private var count = 0
        private val accepted = ArrayDeque<Long>()

        fun fixed(now: Long, max: Int): Long? {
            val start = Math.floorDiv(now, windowMillis) * windowMillis
            if (start != windowStart) {
                windowStart = start
                count = 0
            }
            if (count < max) {
                count++
                return null
            }
            return start + windowMillis - now
        }

        fun sliding(now: Long, max: Int): Long? {
            while (accepted.isNotEmpty() && accepted.first() <= now - windowMillis) accepted.removeFirst()
            if (accepted.size < max) {
                accepted.addLast(now)
                return null
            }
            return accepted.first() + windowMillis - now
        }
    }

    companion object {
        /** `Retry-After` seconds for a wait of [millis]: rounded up, at least 1. */
        fun retryAfterSeconds(millis: Long): Long = maxOf(1L, (millis + 999) / 1000)
    }
}
