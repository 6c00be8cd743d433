package dev.clerkkit.http

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.util.concurrent.CompletableFuture

private const val SECRET = "sk_test_REDACTION_fake_key"
private const val JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"

class RedactionSpec : FunSpec({
    val r = Redaction(SECRET)

    test("the secret key, wherever it stands") {
        r.secrets("Bearer $SECRET and again $SECRET") shouldBe "Bearer [REDACTED] and again [REDACTED]"
        r.logLine("x=$SECRET") shouldBe "x=[REDACTED]"
    }

    test("credential-named JSON members: strings and arrays, escapes and spacing included") {
        r.logLine("""{"jwt":"abc","object":"token"}""") shouldBe """{"jwt":"[REDACTED]","object":"token"}"""
        r.logLine("""{"expired_token" : "a\"b","refresh_token":"c"}""") shouldBe
            """{"expired_token" : "[REDACTED]","refresh_token":"[REDACTED]"}"""
        r.logLine("""{"object":"cookies","cookies":["__session=x; Path=/","__client_uat=1"]}""") shouldBe
            """{"object":"cookies","cookies":["[REDACTED]"]}"""
        r.logLine("""{"id":"sess_1","token_type":"x"}""") shouldBe """{"id":"sess_1","token_type":"[REDACTED]"}"""
        // a value that merely contains a credential word is left alone, and so are non-credential members
        r.logLine("""{"message":"token expired","user_id":"user_1"}""") shouldBe """{"message":"token expired","user_id":"user_1"}"""
    }

    test("an unterminated credential value is redacted to the end") {
        r.logLine("""{"jwt":"abc""") shouldBe """{"jwt":"[REDACTED]""""
    }

    test("compact JWS anywhere: a query, text, an array") {
        r.logLine("GET /x?token=$JWT&a=1") shouldBe "GET /x?token=[REDACTED]&a=1"
        r.logLine("[\"$JWT\", \"$JWT\"]") shouldBe "[\"[REDACTED]\", \"[REDACTED]\"]"
        r.logLine("eyJ.not-a-jwt eyJabc") shouldBe "eyJ.not-a-jwt eyJabc"
    }

    test("1 MB bodies are redacted in one pass on a small stack (no StackOverflowError)") {
        val big = "x".repeat(1_000_000)
        val inputs = listOf(
            """{"jwt":"$big"}""",
            """{"cookies":["$big"]}""",
            "eyJ" + "a".repeat(1_000_000) + "." + "b".repeat(10) + ".c",
            "eyJ".repeat(350_000),
            "\"".repeat(1_000_000),
            """{"token":"""" + "\\\"".repeat(500_000) + "\"}",
        )
        val results = inputs.map { input ->
            val done = CompletableFuture<String>()
            // 256 KiB: smaller than the 512 KiB worker stacks a regex-based redaction overflowed
            val t = Thread(null, { runCatching { r.logLine(input) }.fold(done::complete, done::completeExceptionally) }, "small-stack", 256 * 1024)
            t.start()
            done.get()
        }
        results[0] shouldBe """{"jwt":"[REDACTED]"}"""
        results[1] shouldBe """{"cookies":["[REDACTED]"]}"""
        results[2] shouldBe "[REDACTED]"
        results[3] shouldBe "eyJ".repeat(350_000)
        results[4].length shouldBe 1_000_000
        results[5] shouldBe """{"token":"[REDACTED]"}"""
    }

    test("a key shown in toString keeps only its prefix") {
        Redaction.maskKey("sk_test_abcdefghijkl") shouldBe "sk_test_***"
        Redaction.maskKey("sk_live_abcdefghijkl") shouldBe "sk_live_***"
        Redaction.maskKey("short") shouldBe "***"
        Redaction.maskKey("sk_test_abcdefghijkl") shouldNotContain "abc"
        Redaction.isSecretHeader("Set-Cookie") shouldBe true
        "${Redaction.isSecretHeader("X-Request-Id")}" shouldContain "false"
    }
})
