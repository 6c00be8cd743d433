package dev.clerkkit.http

import dev.clerkkit.Recorder
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errorJson
import dev.clerkkit.errors.ServerException
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.json
import dev.clerkkit.mockClient
import dev.clerkkit.sessionJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.concurrent.CopyOnWriteArrayList

/** A stage that records what passes through it. */
private class Probe(val name: String) : Stage {
    val seen = CopyOnWriteArrayList<String>()
    override suspend fun intercept(chain: Chain): EngineResponse {
        val r = chain.request
        return try {
            chain.proceed(r).also { seen += "${r.operation.name}#${r.attempt} -> ${it.status}" }
        } catch (e: Exception) {
            seen += "${r.operation.name}#${r.attempt} -> ${e.javaClass.simpleName}"
            throw e
        }
    }
    override fun toString() = name
}

class PipelineSpec : FunSpec({
    test("the stages, in order") {
        mockClient { json(sessionJson()) }.use { c ->
            c.pipeline.stages.map { it.toString().substringBefore('(') } shouldContainExactly
                listOf("PrepareStage", "RetryStage", "RateBudgetStage", "AttemptTimeoutStage", "ResponseStage", "EngineStage")
        }
        mockClient(configure = { rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF; logLevel = dev.clerkkit.LogLevel.INFO }) { json(sessionJson()) }.use { c ->
            c.pipeline.stages.map { it.toString().substringBefore('(') } shouldContainExactly
                listOf("PrepareStage", "RetryStage", "AttemptTimeoutStage", "ResponseStage", "LoggingStage", "EngineStage")
        }
    }

    test("a stage added by configuration: once per call outside the retries, once per attempt inside, typed errors seen") {
        val call = Probe("call")
        val attempt = Probe("attempt")
        var n = 0
        val rec = Recorder()
        mockClient(rec, {
            addStage(StagePosition.CALL, call)
            addStage(StagePosition.ATTEMPT, attempt)
        }) { if (++n < 3) json(errorJson("server_error"), 503) else json(sessionJson()) }.use { c ->
            c.sessions.get("sess_1").id shouldBe "sess_1"
            c.pipeline.stages.map { it.toString().substringBefore('(') } shouldContainExactly listOf(
                "PrepareStage", "call", "RetryStage", "RateBudgetStage", "attempt", "AttemptTimeoutStage", "ResponseStage", "EngineStage",
            )
        }
        call.seen shouldContainExactly listOf("sessions.get#1 -> 200")
        attempt.seen shouldContainExactly listOf(
            "sessions.get#1 -> ServerException", "sessions.get#2 -> ServerException", "sessions.get#3 -> 200",
        )
        rec.sleeps.size shouldBe 2
    }

    test("a stage added by configuration can fail a call with its own typed error, and the retry stage judges it") {
        val refusing = object : Stage {
            override suspend fun intercept(chain: Chain): EngineResponse =
                throw ServerException(chain.request.operation.name, 500, "{}", emptyMap())
        }
        val rec = Recorder()
        mockClient(rec, { addStage(StagePosition.ATTEMPT, refusing); retryPolicy = RetryPolicy.builder().maxAttempts(2).sleeper { }.build() }) {
            error("never reached")
        }.use { c ->
            shouldThrow<ServerException> { c.sessions.get("sess_1") }.attempts shouldBe 2
        }
        rec.requests.size shouldBe 0
    }

    test("the chain refuses a stage that calls proceed twice") {
        val twice = object : Stage {
            override suspend fun intercept(chain: Chain): EngineResponse {
                chain.proceed(chain.request)
                return chain.proceed(chain.request)
            }
            override fun toString() = "Twice"
        }
        mockClient(configure = { addStage(StagePosition.ATTEMPT, twice); retryPolicy = RetryPolicy.NONE }) { json(sessionJson()) }.use { c ->
            shouldThrow<IllegalStateException> { c.sessions.get("sess_1") }.message shouldContain "Twice called proceed more than once"
        }
    }

    test("withRawResponse: status, lower-case headers, Clerk's trace id and the value") {
        mockClient { json(sessionJson(), 200, "X-Clerk-Trace-Id" to "trace_ok") }.use { c ->
            val raw = c.sessions.withRawResponse().get("sess_1")
            raw.statusCode shouldBe 200
            raw.traceId shouldBe "trace_ok"
            raw.header("content-type") shouldBe "application/json"
            raw.value.id shouldBe "sess_1"
            raw.toString() shouldContain "traceId=trace_ok"
            raw.value.shouldBeInstanceOf<dev.clerkkit.sessions.Session>()
        }
    }
})
