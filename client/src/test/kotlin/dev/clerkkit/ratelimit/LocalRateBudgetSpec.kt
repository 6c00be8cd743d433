package dev.clerkkit.ratelimit

import dev.clerkkit.Sleeper
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import java.time.Duration

private fun ms(n: Long) = Duration.ofMillis(n)
private fun s(n: Long) = Duration.ofSeconds(n)

/** A budget on a hand-moved clock (nanoseconds); it must never wait (waits go to a sleeper that fails). */
private class ManualClock(var nanos: Long = 1_000_000_000L) {
    fun at(millis: Long) { nanos = 1_000_000_000L + millis * 1_000_000 }
    fun budget(limit: RateLimit) = LocalRateBudget(limit).on({ nanos }, Sleeper { error("must not wait, asked for $it") })
}

/** A budget on the test scheduler's virtual clock: waits are virtual `delay`s. */
private fun TestScope.virtualBudget(limit: RateLimit) =
    LocalRateBudget(limit).on({ testScheduler.currentTime * 1_000_000 }, Sleeper { d -> kotlinx.coroutines.delay((d.toNanos() + 999_999) / 1_000_000) })

/** A permit for an attempt that ends at once: [RateBudget.acquire], then [RateBudget.release] when taken. */
private suspend fun dev.clerkkit.ratelimit.RateBudget.take(maxWait: Duration): Duration? = acquire(maxWait).also { if (it == null) release() }

class LocalRateBudgetSpec : FunSpec({
    context("arithmetic on a manual clock") {
        test("grants `requests` per sliding window, then reports the wait until the oldest grant leaves it") {
            val clock = ManualClock()
            val b = clock.budget(RateLimit.of(3, s(10)))
            clock.at(0); b.take(Duration.ZERO) shouldBe null
            clock.at(1000); b.take(Duration.ZERO) shouldBe null
            clock.at(2000); b.take(Duration.ZERO) shouldBe null
            b.take(Duration.ZERO) shouldBe ms(8000)
            b.take(ms(7999)) shouldBe ms(8000)
            clock.at(9999); b.take(Duration.ZERO) shouldBe ms(1)
            clock.at(10_000); b.take(Duration.ZERO) shouldBe null // the grant of t=0 left the window
            b.take(Duration.ZERO) shouldBe ms(1000) // next to leave: t=1000
            clock.at(11_000); b.take(Duration.ZERO) shouldBe null
            clock.at(12_000); b.take(Duration.ZERO) shouldBe null
            b.available() shouldBe 0
            clock.at(22_000); b.available() shouldBe 3
        }
        test("a refused acquisition takes nothing") {
            val clock = ManualClock()
            val b = clock.budget(RateLimit.of(2, s(10)))
            clock.at(0); repeat(2) { b.take(Duration.ZERO) shouldBe null }
            repeat(5) { b.take(s(9)) shouldBe s(10) }
            clock.at(10_000); b.available() shouldBe 2
        }
        test("pause holds every permit back until its end; a shorter pause does not shorten it") {
            val clock = ManualClock()
            val b = clock.budget(RateLimit.of(100, s(10)))
            clock.at(0); b.pause(s(3))
            b.take(Duration.ZERO) shouldBe s(3)
            b.pause(s(1))
            b.take(Duration.ZERO) shouldBe s(3)
            b.pause(Duration.ZERO); b.pause(ms(-5))
            clock.at(2500); b.take(Duration.ZERO) shouldBe ms(500)
            clock.at(3000); b.take(Duration.ZERO) shouldBe null
            b.available() shouldBe 99
        }
        test("OFF is not a budget") {
            shouldThrow<IllegalArgumentException> { LocalRateBudget(RateLimit.OFF) }
        }
    }

    context("waiting on a virtual clock") {
        test("a caller suspends until a slot frees, then takes it") {
            runTest {
                val b = virtualBudget(RateLimit.of(2, s(10)))
                repeat(2) { b.take(Duration.ZERO) shouldBe null }
                b.take(s(30)) shouldBe null
                testScheduler.currentTime shouldBe 10_000
            }
        }
        test("concurrent callers are granted `requests` per window, in window steps") {
            runTest {
                val b = virtualBudget(RateLimit.of(2, s(10)))
                val grantedAt = (1..5).map {
                    async { b.take(s(60)) shouldBe null; testScheduler.currentTime }
                }.awaitAll()
                grantedAt.sorted() shouldBe listOf(0L, 0L, 10_000L, 10_000L, 20_000L)
            }
        }
        test("a wait longer than maxWait fails at once, without waiting") {
            runTest {
                val b = virtualBudget(RateLimit.of(1, s(10)))
                b.take(Duration.ZERO) shouldBe null
                testScheduler.advanceTimeBy(4000)
                b.take(s(5)) shouldBe s(6)
                testScheduler.currentTime shouldBe 4000
                b.take(s(6)) shouldBe null // exactly the wait: allowed
                testScheduler.currentTime shouldBe 10_000
            }
        }
        test("a waiter cancelled while waiting takes nothing and releases nothing it did not take") {
            runTest {
                val b = virtualBudget(RateLimit.of(2, s(10)))
                repeat(2) { b.take(Duration.ZERO) shouldBe null }
                var granted = false
                val waiter = launch { b.take(s(60)); granted = true }
                testScheduler.advanceTimeBy(5000); runCurrent()
                waiter.cancel(); waiter.join()
                granted shouldBe false
                b.available() shouldBe 0 // the two permits taken at t=0 are still taken
                testScheduler.advanceTimeBy(5000); runCurrent()
                b.available() shouldBe 2 // and the cancelled waiter holds none
            }
        }
        test("cancelling one waiter does not disturb another: it is granted when the slot frees") {
            runTest {
                val b = virtualBudget(RateLimit.of(1, s(10)))
                b.take(Duration.ZERO) shouldBe null
                val cancelled = launch { b.take(s(60)) }
                val other = async { b.take(s(60)); testScheduler.currentTime }
                testScheduler.advanceTimeBy(3000); runCurrent()
                cancelled.cancel()
                other.await() shouldBe 10_000
                b.available() shouldBe 0
                testScheduler.advanceTimeBy(10_000); runCurrent()
                b.available() shouldBe 1
            }
        }
    }
})
