package dev.clerkkit.ratelimit

import dev.clerkkit.ClerkConfig
import dev.clerkkit.RequestOptions
import dev.clerkkit.Sleeper
import dev.clerkkit.TEST_SECRET
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.http.AttemptTimeoutStage
import dev.clerkkit.http.Chain
import dev.clerkkit.http.Operations
import dev.clerkkit.http.RateBudgetStage
import dev.clerkkit.http.RealChain
import dev.clerkkit.http.Stage
import dev.clerkkit.http.engine.EngineResponse
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.runTest
import java.time.Duration

/** The end of the chain: answers 200 after [latencyMs] (virtual time). */
private class SlowServer(private val latencyMs: () -> Long) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        delay(latencyMs())
        return EngineResponse(200, emptyMap(), ByteArray(0))
    }
}

/** Rate budget, attempt timeout and a server, on the test's virtual clock. */
private fun TestScope.chain(limit: RateLimit, requestTimeout: Duration, latencyMs: () -> Long): suspend () -> Long {
    val config = ClerkConfig.builder().secretKey(TEST_SECRET).rateLimit(limit).requestTimeout(requestTimeout).build().toBuilder().apply {
        nanoClock = { testScheduler.currentTime * 1_000_000 }
        rateSleeper = Sleeper { d -> delay((d.toNanos() + 999_999) / 1_000_000) }
    }.build()
    val stages = listOf(RateBudgetStage.of(config)!!, AttemptTimeoutStage(config), SlowServer(latencyMs))
    return {
        val started = testScheduler.currentTime
        val request = Operations.GET_SESSION.request(RequestOptions.NONE, mapOf("session_id" to "sess_1"))
        RealChain(stages, 0, request).proceed(request)
        testScheduler.currentTime - started
    }
}

class RateWaitTimeBudgetSpec : FunSpec({
    test("the wait for a permit counts against the request timeout: waited 3 s of 5 s, the attempt gets the other 2 s") {
        runTest {
            val latencies = ArrayDeque(listOf(1000L, 1000L))
            val call = chain(RateLimit.of(1, Duration.ofSeconds(2)), Duration.ofSeconds(5)) { latencies.removeFirst() }
            val first = async { call() }
            val second = async { call() }
            first.await() shouldBe 1000
            second.await() shouldBe 4000 // 3 s for the permit (the first ended at 1 s, plus the 2 s window), 1 s sent
        }
    }

    test("an attempt that would outlast the request timeout after its wait times out at the timeout, saying it waited") {
        runTest {
            val latencies = ArrayDeque(listOf(1000L, 3000L))
            val call = chain(RateLimit.of(1, Duration.ofSeconds(2)), Duration.ofSeconds(5)) { latencies.removeFirst() }
            val first = async { call() }
            val second = async { runCatching { call() } }
            first.await() shouldBe 1000
            val e = second.await().exceptionOrNull() as ClerkTimeoutException
            testScheduler.currentTime shouldBe 5000 // never longer than the request timeout
            e.rateBudgetWait shouldBe Duration.ofSeconds(3)
            e.mayHaveReachedServer shouldBe true
            e.message shouldContain "timed out after 5000 ms"
            e.message shouldContain "3000 ms of it waiting for a rate-budget permit"
        }
    }

    test("a permit later than the request timeout: not sent, at once, as RateBudgetExhaustedException") {
        runTest {
            val call = chain(RateLimit.of(1, Duration.ofSeconds(10)), Duration.ofSeconds(5)) { 1000L }
            call() shouldBe 1000
            val e = shouldThrow<RateBudgetExhaustedException> { call() }
            testScheduler.currentTime shouldBe 1000
            e.availableIn shouldBe Duration.ofSeconds(10)
            e.maxWait shouldBe Duration.ofSeconds(5)
        }
    }

    test("without a wait the attempt has the whole request timeout, and the error says nothing of a permit") {
        runTest {
            val call = chain(RateLimit.of(10, Duration.ofSeconds(1)), Duration.ofSeconds(2)) { 5000L }
            val e = shouldThrow<ClerkTimeoutException> { call() }
            testScheduler.currentTime shouldBe 2000
            e.rateBudgetWait shouldBe Duration.ZERO
            e.message shouldContain "(request timeout)"
        }
    }
})
