package dev.clerkkit.ratelimit

import dev.clerkkit.Sleeper
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import java.time.Duration
import kotlin.random.Random

/** One attempt as the budget's holder saw it: permit taken at [granted], attempt ended at [ended] (virtual ms). */
private class Span(val granted: Long, val ended: Long)

/**
 * The most requests Clerk can see in one interval of length [windowMs], whatever its phase and wherever in its
 * attempt each request reached Clerk (anywhere between its grant and its end): for every possible interval start (the
 * worst ones are the ends), the attempts overlapping it.
 */
private fun worstCase(spans: List<Span>, windowMs: Long): Int =
    spans.maxOf { s -> spans.count { it.ended >= s.ended && it.granted < s.ended + windowMs } }

private fun TestScope.virtualBudget(limit: RateLimit) =
    LocalRateBudget(limit).on({ testScheduler.currentTime * 1_000_000 }, Sleeper { d -> delay((d.toNanos() + 999_999) / 1_000_000) })

/**
 * [calls] callers arriving at random within three windows, each attempt lasting a random latency up to [maxLatencyMs];
 * [countFromGrant] releases each permit as soon as it is taken (a limiter that counts from the grant only).
 */
private suspend fun TestScope.run(budget: RateBudget, calls: Int, windowMs: Long, maxLatencyMs: Long, rnd: Random, countFromGrant: Boolean): List<Span> {
    val spans = java.util.concurrent.CopyOnWriteArrayList<Span>()
    coroutineScope {
        repeat(calls) {
            val arrival = rnd.nextLong(0, windowMs * 3)
            val latency = rnd.nextLong(0, maxLatencyMs + 1)
            launch {
                delay(arrival)
                budget.acquire(Duration.ofHours(1)) shouldBe null
                val granted = testScheduler.currentTime
                if (countFromGrant) budget.release()
                delay(latency)
                if (!countFromGrant) budget.release()
                spans += Span(granted, testScheduler.currentTime)
            }
        }
    }
    return spans
}

class RateGuaranteeSpec : FunSpec({
    test("property: never more than L requests in any interval of length W, whatever the latency (cold burst included)") {
        val rnd = Random(20261207)
        repeat(60) { trial ->
            val limit = rnd.nextInt(1, 25)
            val windowMs = rnd.nextLong(20, 3000)
            val maxLatency = rnd.nextLong(0, windowMs * 2)
            runTest {
                val spans = run(virtualBudget(RateLimit.of(limit, Duration.ofMillis(windowMs))), limit * 4, windowMs, maxLatency, rnd, false)
                spans.size shouldBe limit * 4
                withClue("trial $trial: $limit per $windowMs ms, latency up to $maxLatency ms") {
                    worstCase(spans, windowMs) shouldBeLessThanOrEqual limit
                    // the first burst of a cold budget: all L at once, not more
                    spans.count { it.granted == spans.minOf { s -> s.granted } } shouldBeLessThanOrEqual limit
                }
            }
        }
    }

    test("the check can fail: a limiter that counts permits from their grant only lets Clerk see more than L") {
        val rnd = Random(7)
        var exceeded = 0
        repeat(20) {
            runTest {
                val spans = run(virtualBudget(RateLimit.of(20, Duration.ofMillis(2000))), 100, 2000, 400, rnd, true)
                if (worstCase(spans, 2000) > 20) exceeded++
            }
        }
        exceeded shouldBeGreaterThan 0
    }

    test("permits held by attempts in flight are not free: the next one frees a window after the first attempt ends") {
        runTest {
            val b = virtualBudget(RateLimit.of(2, Duration.ofSeconds(1)))
            b.acquire(Duration.ZERO) shouldBe null
            b.acquire(Duration.ZERO) shouldBe null
            b.acquire(Duration.ZERO) shouldBe Duration.ofSeconds(1) // both in flight: a window at the earliest
            delay(5000) // the attempts last 5 s
            b.acquire(Duration.ZERO) shouldBe Duration.ofSeconds(1)
            b.release()
            b.acquire(Duration.ofMillis(999)) shouldBe Duration.ofSeconds(1)
            b.acquire(Duration.ofSeconds(1)) shouldBe null
            testScheduler.currentTime shouldBe 6000
        }
    }
})
