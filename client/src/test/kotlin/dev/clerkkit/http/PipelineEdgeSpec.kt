package dev.clerkkit.http

import dev.clerkkit.Recorder
import dev.clerkkit.RequestOptions
import dev.clerkkit.errorJson
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.json
import dev.clerkkit.mockClient
import dev.clerkkit.sessionJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import io.ktor.utils.io.ByteReadChannel
import io.ktor.utils.io.writeFully
import io.ktor.utils.io.writer
import kotlinx.coroutines.GlobalScope
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.withTimeout
import java.time.Duration

/** Pipeline edge cases found while reviewing ClerkHttp, pinned over MockEngine (no sockets needed). */
class PipelineEdgeSpec : FunSpec({
    test("a body that stalls after the headers: the per-call timeout is a ClerkTimeoutException, not a bare CancellationException") {
        val recorder = Recorder()
        var calls = 0
        mockClient(recorder) {
            calls++
            if (calls == 1) {
                @OptIn(kotlinx.coroutines.DelicateCoroutinesApi::class)
                val stalled = GlobalScope.writer { channel.writeFully("{\"object\":".toByteArray()); channel.flush(); awaitCancellation() }.channel
                respond(stalled, HttpStatusCode.OK, headersOf(HttpHeaders.ContentType, "application/json"))
            } else {
                json(sessionJson())
            }
        }.use { c ->
            val e = withTimeout(10_000) {
                shouldThrow<ClerkTimeoutException> { c.sessions.get("sess_1", RequestOptions { timeout = Duration.ofMillis(100); maxAttempts(1) }) }
            }
            e.mayHaveReachedServer shouldBe true
            c.sessions.get("sess_1").id shouldBe "sess_1"
        }
    }

    test("Retry-After is honoured on 429 and 503 only; on a 500 the backoff applies") {
        val recorder = Recorder()
        var calls = 0
        mockClient(recorder) { calls++; if (calls == 1) json(errorJson("internal"), 500, "Retry-After" to "30") else json(sessionJson()) }.use { c ->
            c.sessions.get("sess_1")
            recorder.sleeps shouldHaveSize 1
            (recorder.sleeps[0] < Duration.ofSeconds(1)) shouldBe true // 500 ms +-20%, not 30 s
        }
    }

    test("a huge body without Content-Length is cut at maxResponseBytes") {
        mockClient(configure = { maxResponseBytes = 4096 }) {
            respond(ByteReadChannel(ByteArray(100_000) { 'x'.code.toByte() }), HttpStatusCode.OK, headersOf(HttpHeaders.ContentType, "application/json"))
        }.use { c ->
            shouldThrow<ClerkResponseException> { c.sessions.get("sess_1", RequestOptions { maxAttempts(1) }) }.message shouldContain "maxResponseBytes"
        }
    }
})
