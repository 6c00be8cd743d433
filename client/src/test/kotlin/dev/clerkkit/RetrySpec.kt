package dev.clerkkit

import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import java.io.IOException
import java.net.ConnectException
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/** The retry loop, with a recording sleeper: nothing here sleeps. */
class RetrySpec : FunSpec({
    fun failing(times: Int, failure: io.ktor.client.engine.mock.MockRequestHandleScope.() -> io.ktor.client.request.HttpResponseData) =
        AtomicInteger().let { n -> { scope: io.ktor.client.engine.mock.MockRequestHandleScope -> if (n.getAndIncrement() < times) scope.failure() else scope.json(sessionJson()) } }

    test("5xx on an idempotent call is retried with exponential backoff, then succeeds") {
        val rec = Recorder()
        val answer = failing(2) { json(errorJson("internal"), 503) }
        mockClient(rec, { retry { jitter = 0.0 } }) { answer(this) }.use { it.sessions.get("sess_1") }.id shouldBe "sess_1"
        rec.requests shouldHaveSize 3
        rec.sleeps shouldBe listOf(Duration.ofMillis(500), Duration.ofMillis(1000))
    }
    test("429 and 503 honour Retry-After") {
        val rec = Recorder()
        val answer = failing(2) { json(errorJson("rate"), 429, "Retry-After" to "3") }
        mockClient(rec) { answer(this) }.use { it.sessions.revoke("sess_1") }
        rec.sleeps shouldBe listOf(Duration.ofSeconds(3), Duration.ofSeconds(3))
    }
    test("a Retry-After longer than the cap ends retrying") {
        val rec = Recorder()
        val e = shouldThrow<RateLimitException> {
            mockClient(rec) { json(errorJson("rate"), 429, "Retry-After" to "3600") }.use { it.sessions.get("sess_1") }
        }
        rec.requests shouldHaveSize 1
        e.retryAfter shouldBe Duration.ofHours(1)
    }
    test("the final exception carries the attempt count") {
        val rec = Recorder()
        val e = shouldThrow<ServerException> {
            mockClient(rec, { retry { maxAttempts = 4 } }) { json(errorJson("internal"), 500) }.use { it.sessions.get("sess_1") }
        }
        e.attempts shouldBe 4
        rec.requests shouldHaveSize 4
        rec.sleeps shouldHaveSize 3
    }
    test("create is not replayed on 5xx (it may have created a session)") {
        val rec = Recorder()
        shouldThrow<ServerException> { mockClient(rec) { json(errorJson("internal"), 500) }.use { it.sessions.create("user_1") } }
        rec.requests shouldHaveSize 1
    }
    test("create is retried on 429 (refused without processing)") {
        val rec = Recorder()
        val answer = failing(1) { json(errorJson("rate"), 429, "Retry-After" to "1") }
        mockClient(rec) { answer(this) }.use { it.sessions.create("user_1") }
        rec.requests shouldHaveSize 2
    }
    test("a connection that could not be opened is retried for every operation, a broken one only where safe") {
        val rec = Recorder()
        val n = AtomicInteger()
        mockClient(rec) { if (n.getAndIncrement() == 0) throw ConnectException("refused") else json(sessionJson()) }
            .use { it.sessions.create("user_1") }
        rec.requests shouldHaveSize 2

        val rec2 = Recorder()
        val e = shouldThrow<ClerkTransportException> {
            mockClient(rec2) { throw IOException("connection reset") }.use { it.sessions.create("user_1") }
        }
        e.mayHaveReachedServer shouldBe true
        rec2.requests shouldHaveSize 1

        val rec3 = Recorder()
        shouldThrow<ClerkTransportException> { mockClient(rec3) { throw IOException("connection reset") }.use { it.sessions.get("sess_1") } }
            .attempts shouldBe 3
    }
    test("4xx is never retried") {
        val rec = Recorder()
        shouldThrow<dev.clerkkit.errors.NotFoundException> { mockClient(rec) { json(errorJson("nf"), 404) }.use { it.sessions.get("x") } }
        rec.requests shouldHaveSize 1
    }
    test("per-call retry policy overrides the client's") {
        val rec = Recorder()
        shouldThrow<ServerException> {
            mockClient(rec) { json(errorJson("internal"), 500) }.use { it.sessions.get("sess_1", RequestOptions { maxAttempts(1) }) }
        }
        rec.requests shouldHaveSize 1
    }
    test("no retry past the overall deadline") {
        val rec = Recorder()
        shouldThrow<RateLimitException> {
            mockClient(rec, { retry { maxElapsed = Duration.ofSeconds(5) } }) { json(errorJson("rate"), 429, "Retry-After" to "10") }
                .use { it.sessions.get("sess_1") }
        }
        rec.requests shouldHaveSize 1
    }
})
