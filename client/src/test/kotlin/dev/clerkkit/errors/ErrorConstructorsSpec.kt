package dev.clerkkit.errors

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.io.IOException
import java.math.BigDecimal
import java.time.Duration
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Optional

/** The public constructors users call to fake the client's errors: same parsing and messages as the client's own. */
class ErrorConstructorsSpec : FunSpec({

    val body = """{"errors":[{"code":"resource_not_found","message":"not found","long_message":"No session was found",""" +
        """"meta":{"param_name":"session_id","nested":{"n":[1,2.5,null,true]}}}],"meta":{"hint":"x","count":3},""" +
        """"clerk_trace_id":"trace_body"}"""

    context("ClerkApiException subclasses: (operation, status, body, headers)") {
        test("errors, meta, trace id and message are parsed from the body") {
            val e = NotFoundException("sessions.get", 404, body, mapOf("Content-Type" to listOf("application/json")))
            e.operation shouldBe "sessions.get"
            e.statusCode shouldBe 404
            e.body shouldBe body
            e.code shouldBe "resource_not_found"
            e.codeOptional() shouldBe Optional.of("resource_not_found")
            val error = e.errors.single()
            error.code shouldBe "resource_not_found"
            error.message shouldBe "not found"
            error.longMessage shouldBe "No session was found"
            error.meta shouldBe mapOf("param_name" to "session_id", "nested" to mapOf("n" to listOf(1L, BigDecimal("2.5"), null, true)))
            error.metaOptional().get()["param_name"] shouldBe "session_id"
            e.meta shouldBe mapOf("hint" to "x", "count" to 3L)
            e.metaOptional() shouldBe Optional.of(mapOf("hint" to "x", "count" to 3L))
            e.traceId shouldBe "trace_body"
            e.retryAfter.shouldBeNull()
            e.retryAfterOptional() shouldBe Optional.empty()
            e.attempts shouldBe 1
            e.message shouldBe "sessions.get failed: HTTP 404 resource_not_found: No session was found (trace id trace_body)"
        }

        test("identical to what the client's mapper builds from the same response") {
            val headers = mapOf("x-clerk-trace-id" to listOf("trace_hdr"), "retry-after" to listOf("3"))
            for (status in listOf(400, 401, 403, 404, 410, 422, 429, 500, 503, 302, 418)) {
                val mapped = ErrorMapper.map("sessions.list", status, headers, body)
                val built = when (status) {
                    400 -> BadRequestException("sessions.list", status, body, headers)
                    401 -> AuthenticationException("sessions.list", status, body, headers)
                    403 -> PermissionDeniedException("sessions.list", status, body, headers)
                    404 -> NotFoundException("sessions.list", status, body, headers)
                    410 -> GoneException("sessions.list", status, body, headers)
                    422 -> UnprocessableEntityException("sessions.list", status, body, headers)
                    429 -> RateLimitException("sessions.list", status, body, headers)
                    500, 503 -> ServerException("sessions.list", status, body, headers)
                    else -> UnexpectedStatusException("sessions.list", status, body, headers)
                }
                built::class shouldBe mapped::class
                built.message shouldBe mapped.message
                built.errors shouldBe mapped.errors
                built.meta shouldBe mapped.meta
                built.traceId shouldBe mapped.traceId
                built.retryAfter shouldBe mapped.retryAfter
                built.headers shouldBe mapped.headers
                built.body shouldBe mapped.body
            }
        }

        test("trace id falls back to the header; header names are lower-cased and repeated names merged") {
            val e = ServerException(
                "sessions.get", 502, "<html>Bad Gateway</html>",
                mapOf("X-Clerk-Trace-Id" to listOf("hdr_trace"), "Via" to listOf("a"), "via" to listOf("b")),
            )
            e.errors.shouldBeEmpty()
            e.code.shouldBeNull()
            e.meta.shouldBeNull()
            e.metaOptional() shouldBe Optional.empty()
            e.traceId shouldBe "hdr_trace"
            e.headers shouldBe mapOf("x-clerk-trace-id" to listOf("hdr_trace"), "via" to listOf("a", "b"))
            e.message shouldBe "sessions.get failed: HTTP 502 (trace id hdr_trace)"
            shouldThrow<UnsupportedOperationException> { (e.headers as MutableMap<String, List<String>>).clear() }
        }

        test("Retry-After: delta seconds or an HTTP date, any header case") {
            RateLimitException("sessions.get", 429, "", mapOf("Retry-After" to listOf("7"))).retryAfter shouldBe Duration.ofSeconds(7)
            RateLimitException("sessions.get", 429, "", mapOf("retry-after" to listOf("0.5"))).retryAfterOptional() shouldBe
                Optional.of(Duration.ofMillis(500))
            val at = DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().plusSeconds(120).atOffset(ZoneOffset.UTC))
            val fromDate = RateLimitException("sessions.get", 429, "", mapOf("Retry-After" to listOf(at))).retryAfter!!
            (fromDate > Duration.ofSeconds(100) && fromDate <= Duration.ofSeconds(120)) shouldBe true
            RateLimitException("sessions.get", 429, "", mapOf("Retry-After" to listOf("soon"))).retryAfter.shouldBeNull()
            RateLimitException("sessions.get", 429, "", emptyMap()).retryAfter.shouldBeNull()
        }

        test("a body that is not Clerk's error JSON never fails the constructor") {
            listOf("", "null", "[]", "{not json", """{"errors":"x"}""", """{"errors":[1,{"code":5}]}""", """{"meta":{"x":abc}}""").forEach { b ->
                val e = BadRequestException("sessions.list", 400, b, emptyMap())
                e.body shouldBe b
                e.message shouldBe "sessions.list failed: HTTP 400" + (e.errors.firstOrNull()?.let { " ${it.code}: ${it.message}" } ?: "")
            }
            BadRequestException("op", 400, """{"errors":[{"message":"m"}]}""", emptyMap()).errors.single().code shouldBe "unknown"
        }

        test("the status must be the subclass's") {
            shouldThrow<IllegalArgumentException> { NotFoundException("sessions.get", 500, body, emptyMap()) }
                .message shouldBe "NotFoundException cannot carry HTTP 500 (that status is a ServerException)"
            shouldThrow<IllegalArgumentException> { ServerException("sessions.get", 404, body, emptyMap()) }
            shouldThrow<IllegalArgumentException> { UnexpectedStatusException("sessions.get", 429, body, emptyMap()) }
            ServerException("sessions.get", 599, "", emptyMap()).statusCode shouldBe 599
            UnexpectedStatusException("sessions.get", 409, "", emptyMap()).statusCode shouldBe 409
        }
    }

    context("ClerkError") {
        test("meta is copied; equality includes it") {
            val meta = mutableMapOf<String, Any?>("param_name" to "limit")
            val error = ClerkError("form_param_invalid", "invalid", null, meta)
            meta["param_name"] = "other"
            error.meta shouldBe mapOf("param_name" to "limit")
            error.longMessageOptional() shouldBe Optional.empty()
            error shouldBe ClerkError("form_param_invalid", "invalid", null, mapOf("param_name" to "limit"))
            ClerkError("c", "m", null, null).metaOptional() shouldBe Optional.empty()
        }
    }

    context("the other errors' public constructors") {
        test("ClerkTransportException and ClerkTimeoutException: cause defaults to null") {
            val t = ClerkTransportException("sessions.get", "sessions.get connection failed", mayHaveReachedServer = true)
            t.operation shouldBe "sessions.get"
            t.message shouldBe "sessions.get connection failed"
            t.mayHaveReachedServer shouldBe true
            t.cause.shouldBeNull()
            val cause = IOException("reset")
            val timeout = ClerkTimeoutException("sessions.get", "sessions.get timed out", false, cause)
            timeout.shouldBeInstanceOf<ClerkTransportException>()
            timeout.mayHaveReachedServer shouldBe false
            timeout.cause shouldBe cause
        }

        test("ClerkResponseException carries status and body") {
            val e = ClerkResponseException("sessions.get", 200, "{", "sessions.get: HTTP 200 response could not be decoded")
            e.statusCode shouldBe 200
            e.body shouldBe "{"
            e.cause.shouldBeNull()
        }

        test("RateBudgetExhaustedException keeps the client's message") {
            val e = RateBudgetExhaustedException("sessions.list", Duration.ofMillis(1500), Duration.ofSeconds(1))
            e.message shouldBe "sessions.list not sent: the local rate budget is exhausted; a permit frees up in 1500 ms, " +
                "later than this call may wait (1000 ms); send it again then, or with a longer request timeout to queue for it"
            (e.availableAt > Instant.now().plusMillis(1000)) shouldBe true
            e.message shouldContain "1500 ms"
        }
    }
})
