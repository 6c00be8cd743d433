package dev.clerkkit.ratelimit

import dev.clerkkit.Recorder
import dev.clerkkit.RequestOptions
import dev.clerkkit.TEST_SECRET
import dev.clerkkit.errorJson
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.http.Operations
import dev.clerkkit.json
import dev.clerkkit.mockClient
import dev.clerkkit.sessionJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.comparables.shouldBeGreaterThan
import io.kotest.matchers.comparables.shouldBeLessThanOrEqualTo
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** Records what the pipeline asks of its budget; refuses with [refuseWith] when set. */
private class RecordingBudget(var refuseWith: Duration? = null) : RateBudget {
    val acquired = CopyOnWriteArrayList<Duration>()
    val pauses = CopyOnWriteArrayList<Duration>()
    override suspend fun acquire(maxWait: Duration): Duration? {
        acquired += maxWait
        return refuseWith
    }
    override suspend fun pause(duration: Duration) { pauses += duration }
}

/** The JWKS call as the client makes it for token verification. */
private suspend fun dev.clerkkit.ClerkClient.jwks(): String =
    pipeline.execute(Operations.GET_JWKS, Operations.GET_JWKS.request(RequestOptions.NONE)).value

class RateLimitPipelineSpec : FunSpec({
    test("on by default: with an sk_test_ key the 101st call within 10 s fails at once, unsent, with a typed error") {
        val rec = Recorder()
        mockClient(rec) { json(sessionJson()) }.use { c ->
            c.config.rateBudget shouldBe null
            repeat(100) { c.sessions.get("sess_1") }
            val e = shouldThrow<RateBudgetExhaustedException> { c.sessions.get("sess_1", RequestOptions { timeout = Duration.ofSeconds(2) }) }
            rec.requests.size shouldBe 100
            e.operation shouldBe "sessions.get"
            e.attempts shouldBe 1
            e.maxWait shouldBe Duration.ofSeconds(2)
            e.availableIn shouldBeGreaterThan Duration.ofSeconds(2)
            e.availableIn shouldBeLessThanOrEqualTo Duration.ofSeconds(10)
            e.message shouldContain "local rate budget is exhausted"
            e.message shouldContain "frees up in"
            e.message shouldNotContain TEST_SECRET
            rec.sleeps shouldBe emptyList() // not retried
        }
    }

    test("RateLimit.OFF lets every call out") {
        val rec = Recorder()
        mockClient(rec, { rateLimit = RateLimit.OFF }) { json(sessionJson()) }.use { c ->
            repeat(300) { c.sessions.get("sess_1") }
            rec.requests.size shouldBe 300
        }
    }

    test("a call waits (suspending) for a permit that frees within its timeout") {
        val rec = Recorder()
        mockClient(rec, { rateLimit = RateLimit.of(1, Duration.ofMillis(300)) }) { json(sessionJson()) }.use { c ->
            c.sessions.get("sess_1")
            c.sessions.get("sess_1").id shouldBe "sess_1" // waited for the window, then sent
            rec.requests.size shouldBe 2
        }
    }

    test("the jwks call is not limited") {
        val rec = Recorder()
        mockClient(rec, { rateLimit = RateLimit.of(1, Duration.ofHours(1)) }) { req ->
            if (req.url.encodedPath.endsWith("/jwks")) json("""{"keys":[]}""") else json(sessionJson())
        }.use { c ->
            repeat(5) { c.jwks() }
            c.sessions.get("sess_1") // the one permit is still there
            shouldThrow<RateBudgetExhaustedException> { c.sessions.get("sess_1") }
            c.jwks()
            rec.requests.size shouldBe 7
        }
    }

    test("every attempt takes a permit, retries included, waiting at most the attempt's request timeout") {
        val budget = RecordingBudget()
        var n = 0
        mockClient(configure = { rateBudget = budget; requestTimeout = Duration.ofSeconds(7) }) {
            if (++n < 3) json(errorJson("server_error"), 503) else json(sessionJson())
        }.use { c ->
            c.sessions.get("sess_1")
            budget.acquired shouldBe List(3) { Duration.ofSeconds(7) }
            c.sessions.get("sess_1", RequestOptions { timeout = Duration.ofSeconds(2) })
            budget.acquired.last() shouldBe Duration.ofSeconds(2)
            c.jwks()
            budget.acquired.size shouldBe 4
            budget.pauses shouldBe emptyList()
        }
    }

    test("a 429 pauses the budget until Retry-After; without Retry-After nothing is paused") {
        val budget = RecordingBudget()
        var n = 0
        mockClient(configure = { rateBudget = budget }) {
            when (++n) {
                1 -> json(errorJson("too_many_requests"), 429, "Retry-After" to "3")
                2 -> json(errorJson("too_many_requests"), 429)
                else -> json(sessionJson())
            }
        }.use { c ->
            c.sessions.get("sess_1")
            budget.pauses shouldBe listOf(Duration.ofSeconds(3))
            budget.acquired.size shouldBe 3
        }
        // the last attempt's 429 pauses too
        val last = RecordingBudget()
        mockClient(configure = { rateBudget = last; retryPolicy = dev.clerkkit.RetryPolicy.NONE }) {
            json(errorJson("too_many_requests"), 429, "Retry-After" to "2")
        }.use { c ->
            shouldThrow<RateLimitException> { c.sessions.get("sess_1") }
            last.pauses shouldBe listOf(Duration.ofSeconds(2))
        }
    }

    test("a refusing budget fails the call at once, unsent and not retried") {
        val budget = RecordingBudget(refuseWith = Duration.ofSeconds(42))
        val rec = Recorder()
        mockClient(rec, { rateBudget = budget }) { json(sessionJson()) }.use { c ->
            val e = shouldThrow<RateBudgetExhaustedException> { c.sessions.create(userId = "user_1") }
            e.availableIn shouldBe Duration.ofSeconds(42)
            e.operation shouldBe "sessions.create"
            rec.requests.size shouldBe 0
            budget.acquired.size shouldBe 1
            rec.sleeps shouldBe emptyList()
        }
    }

    test("a call cancelled while waiting for a permit sends nothing and takes nothing") {
        val rec = Recorder()
        val budget = LocalRateBudget(RateLimit.of(1, Duration.ofSeconds(20)))
        mockClient(rec, { rateBudget = budget }) { json(sessionJson()) }.use { c ->
            c.sessions.get("sess_1")
            coroutineScope {
                val started = CompletableDeferred<Unit>()
                val waiting = launch { started.complete(Unit); c.sessions.get("sess_1") }
                started.await()
                delay(100)
                waiting.isActive shouldBe true // suspended, waiting for the budget
                waiting.cancel()
                withTimeout(5000) { waiting.join() }
            }
            rec.requests.size shouldBe 1
            budget.available() shouldBe 0
        }
    }

    test("the budget is shared by clients given the same one, and a custom budget replaces rateLimit") {
        val budget = LocalRateBudget(RateLimit.of(3, Duration.ofHours(1)))
        val a = mockClient(configure = { rateBudget = budget; rateLimit = RateLimit.OFF }) { json(sessionJson()) }
        val b = mockClient(configure = { rateBudget = budget }) { json(sessionJson()) }
        try {
            a.sessions.get("sess_1"); b.sessions.get("sess_1"); a.sessions.get("sess_1")
            shouldThrow<RateBudgetExhaustedException> { b.sessions.get("sess_1") }
            shouldThrow<RateBudgetExhaustedException> { a.sessions.get("sess_1") }
        } finally {
            a.close(); b.close()
        }
    }
})
