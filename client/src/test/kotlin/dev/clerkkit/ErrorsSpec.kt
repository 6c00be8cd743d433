package dev.clerkkit

import dev.clerkkit.errors.AuthenticationException
import dev.clerkkit.errors.BadRequestException
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ErrorMapper
import dev.clerkkit.errors.GoneException
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.errors.PermissionDeniedException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import dev.clerkkit.errors.UnexpectedStatusException
import dev.clerkkit.errors.UnprocessableEntityException
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.sessions.VerifySessionParams
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.time.Duration
import java.time.Instant
import kotlin.reflect.KClass

/** Every documented error status of every operation becomes its typed error, carrying all the evidence. */
class ErrorsSpec : FunSpec({
    val refreshParams = RefreshSessionParams { sessionId = "sess_1"; expiredToken = "e"; refreshToken = "r"; requestOrigin = "o" }

    class Op(val name: String, val statuses: List<Int>, val call: suspend (Sessions) -> Any)

    @Suppress("DEPRECATION")
    val operations = listOf(
        Op("sessions.list", listOf(400, 401, 422)) { it.list(SessionListParams { userId = "user_1" }) },
        Op("sessions.create", listOf(400, 401, 404, 422)) { it.create("user_1") },
        Op("sessions.get", listOf(400, 401, 404)) { it.get("sess_1") },
        Op("sessions.refresh", listOf(400, 401)) { it.refresh(refreshParams) },
        Op("sessions.revoke", listOf(400, 401, 404)) { it.revoke("sess_1") },
        Op("sessions.verify", listOf(400, 401, 404, 410)) { it.verify(VerifySessionParams { sessionId = "sess_1"; token = "t" }) },
        Op("sessions.createToken", listOf(401, 404)) { it.createToken("sess_1") },
        Op("sessions.createTokenFromTemplate", listOf(401, 404)) { it.createTokenFromTemplate("sess_1", "tpl") },
    )
    val expectedType: Map<Int, KClass<out ClerkApiException>> = mapOf(
        400 to BadRequestException::class, 401 to AuthenticationException::class, 404 to NotFoundException::class,
        410 to GoneException::class, 422 to UnprocessableEntityException::class,
    )

    for (op in operations) {
        val operation = op.name
        val call = op.call
        context(operation) {
            for (status in op.statuses) {
                test("HTTP $status -> ${expectedType.getValue(status).simpleName} with every field") {
                    val code = "code_$status"
                    val e = shouldThrow<ClerkApiException> {
                        mockClient { json(errorJson(code), status, "X-Extra" to "1") }.use { call(it.sessions) }
                    }
                    e::class shouldBe expectedType.getValue(status)
                    e.operation shouldBe operation
                    e.statusCode shouldBe status
                    e.code shouldBe code
                    e.errors.single().message shouldBe "msg $code"
                    e.errors.single().longMessage shouldBe "long $code"
                    e.errors.single().meta!!["param_name"] shouldBe "p"
                    e.meta!!["m"] shouldBe 1L
                    e.traceId shouldBe "trace_abc"
                    e.headers["x-extra"] shouldBe listOf("1")
                    e.body shouldContain code
                    e.attempts shouldBe 1
                    e.message shouldBe "$operation failed: HTTP $status $code: long $code (trace id trace_abc)"
                }
            }
        }
    }

    context("any operation") {
        val noRetry: ClerkConfig.Builder.() -> Unit = { retryPolicy = RetryPolicy.NONE }
        test("403, 429, 5xx and 3xx map to their types") {
            listOf(
                403 to PermissionDeniedException::class, 429 to RateLimitException::class, 500 to ServerException::class,
                503 to ServerException::class, 302 to UnexpectedStatusException::class, 418 to UnexpectedStatusException::class,
            ).forEach { (status, type) ->
                val e = shouldThrow<ClerkApiException> {
                    mockClient(configure = noRetry) { json(errorJson("c"), status) }.use { it.sessions.get("sess_1") }
                }
                e::class shouldBe type
            }
        }
        test("429 carries the parsed Retry-After") {
            val e = shouldThrow<RateLimitException> {
                mockClient(configure = noRetry) { json(errorJson("too_many_requests"), 429, "Retry-After" to "7") }
                    .use { it.sessions.get("sess_1") }
            }
            e.retryAfter shouldBe Duration.ofSeconds(7)
            e.retryAfterOptional().get() shouldBe Duration.ofSeconds(7)
        }
        test("a non-JSON error body still yields the typed error") {
            val e = shouldThrow<ServerException> {
                mockClient(configure = noRetry) { json("<html>Bad Gateway</html>", 502, "X-Clerk-Trace-Id" to "hdr_trace") }
                    .use { it.sessions.get("sess_1") }
            }
            e.errors.shouldBeEmpty()
            e.code.shouldBeNull()
            e.body shouldBe "<html>Bad Gateway</html>"
            e.traceId shouldBe "hdr_trace"
            e.message shouldBe "sessions.get failed: HTTP 502 (trace id hdr_trace)"
        }
        test("JSON that is not Clerk's error shape still yields the typed error") {
            listOf("""{"error":"nope"}""", """{"errors":"x"}""", """{"errors":[1,{"code":5}]}""", "[]", "", "null").forEach { body ->
                val e = shouldThrow<NotFoundException> { mockClient { json(body, 404) }.use { it.sessions.get("sess_1") } }
                e.body shouldBe body
            }
        }
        test("an empty errors array with only a trace id") {
            val e = shouldThrow<BadRequestException> {
                mockClient { json("""{"errors":[],"clerk_trace_id":"t1"}""", 400) }.use { it.sessions.get("sess_1") }
            }
            e.traceId shouldBe "t1"
            e.errors.shouldBeEmpty()
        }
        test("an undecodable 2xx body is a ClerkResponseException with status and body") {
            listOf("{not json", """{"id":"sess_1"}""", "[1,2]", "").forEach { body ->
                val e = shouldThrow<ClerkResponseException> { mockClient { json(body) }.use { it.sessions.get("sess_1") } }
                e.statusCode shouldBe 200
                e.body shouldBe body
                e.operation shouldBe "sessions.get"
                e.message shouldContain "sessions.get: HTTP 200 response could not be decoded"
            }
        }
        test("a body larger than maxResponseBytes is refused") {
            val big = "[" + List(3000) { sessionJson("sess_$it") }.joinToString(",") + "]"
            val e = shouldThrow<ClerkResponseException> {
                mockClient(configure = { maxResponseBytes = 64 * 1024 }) { json(big) }.use { it.sessions.list() }
            }
            e.message shouldContain "exceeds maxResponseBytes"
        }
        test("a server echoing the secret does not leak it into the exception") {
            val e = shouldThrow<AuthenticationException> {
                mockClient { req -> json("""{"errors":[{"code":"x","message":"bad ${req.headers["Authorization"]}","long_message":"l"}]}""", 401) }
                    .use { it.sessions.get("sess_1") }
            }
            e.body shouldNotContain TEST_SECRET
            e.toString() shouldNotContain TEST_SECRET
        }
    }

    context("Retry-After parsing") {
        val now = Instant.parse("2026-11-23T10:00:00Z")
        test("seconds, HTTP date, garbage") {
            ErrorMapper.parseRetryAfter("120", now) shouldBe Duration.ofSeconds(120)
            ErrorMapper.parseRetryAfter("Mon, 23 Nov 2026 10:00:30 GMT", now) shouldBe Duration.ofSeconds(30)
            ErrorMapper.parseRetryAfter("Mon, 23 Nov 2026 09:00:00 GMT", now) shouldBe Duration.ZERO
            ErrorMapper.parseRetryAfter("-1", now).shouldBeNull()
            ErrorMapper.parseRetryAfter("soon", now).shouldBeNull()
        }
    }

    test("error types are unchecked and share one root") {
        val e = shouldThrow<NotFoundException> { mockClient { json(errorJson("resource_not_found"), 404) }.use { it.sessions.get("x") } }
        e.shouldBeInstanceOf<RuntimeException>()
        e.shouldBeInstanceOf<dev.clerkkit.errors.ClerkException>()
    }
})
