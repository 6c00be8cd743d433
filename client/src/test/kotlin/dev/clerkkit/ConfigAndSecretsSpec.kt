package dev.clerkkit

import dev.clerkkit.errors.ClerkException
import dev.clerkkit.internal.Environment
import dev.clerkkit.tokens.TestKeys
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.io.File
import java.time.Duration
import java.util.Optional

class ConfigAndSecretsSpec : FunSpec({
    context("config") {
        test("defaults are documented values") {
            val c = ClerkConfig.builder().secretKey(TEST_SECRET).build()
            c.baseUrl shouldBe "https://api.clerk.com/v1"
            c.apiVersion shouldBe "2026-05-12"
            c.requestTimeout shouldBe Duration.ofSeconds(30)
            c.connectTimeout shouldBe Duration.ofSeconds(10)
            c.retryPolicy.maxAttempts shouldBe 3
        }
        test("fromEnv reads CLERK_SECRET_KEY, CLERK_API_URL, CLERK_API_VERSION and CLERK_JWT_KEY") {
            val env = mapOf("CLERK_SECRET_KEY" to TEST_SECRET, "CLERK_API_URL" to "http://localhost:8787/v1/", "CLERK_API_VERSION" to "2024-10-01")
            val c = ClerkConfig.builder().fromEnv(Environment(env::get)).build()
            c.secretKey shouldBe TEST_SECRET
            c.baseUrl shouldBe "http://localhost:8787/v1"
            c.apiVersion shouldBe "2024-10-01"
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().fromEnv(Environment { null }).build() }.message shouldContain "CLERK_SECRET_KEY"
        }
        test("Builder.fromEnv sets only what the environment gives; ClerkConfig.fromEnv is a finished config") {
            val pem = TestKeys.pem(TestKeys.primary)
            val env = Environment(mapOf("CLERK_SECRET_KEY" to TEST_SECRET, "CLERK_JWT_KEY" to pem, "CLERK_API_VERSION" to " ")::get)
            val c = ClerkConfig.builder().userAgent("mine/1").fromEnv(env).requestTimeout(Duration.ofSeconds(4)).build()
            c.userAgent shouldBe "mine/1" // not touched by fromEnv
            c.apiVersion shouldBe ClerkConfig.DEFAULT_API_VERSION // a blank variable changes nothing
            c.jwtKey shouldBe pem
            c.jwtKeyOptional() shouldBe Optional.of(pem)
            c.requestTimeout shouldBe Duration.ofSeconds(4)
            // ClerkConfig.fromEnv() reads the process environment, where the build sets no CLERK_SECRET_KEY
            if (System.getenv("CLERK_SECRET_KEY").isNullOrBlank()) {
                shouldThrow<IllegalArgumentException> { ClerkConfig.fromEnv() }.message shouldContain "CLERK_SECRET_KEY"
                shouldThrow<IllegalArgumentException> { ClerkClient.fromEnv() }.message shouldContain "CLERK_SECRET_KEY"
            }
        }
        test("the configuration validates itself when built: a jwtKey that is not an RSA PEM public key fails there") {
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().secretKey(TEST_SECRET).jwtKey("not a pem").build() }
                .message shouldContain "jwtKey"
            val env = Environment(mapOf("CLERK_SECRET_KEY" to TEST_SECRET, "CLERK_JWT_KEY" to "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----")::get)
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().fromEnv(env).build() }
            ClerkConfig.builder().secretKey(TEST_SECRET).jwtKey(" ").build().jwtKeyOptional() shouldBe Optional.empty()
        }
        test("optional settings read as empty Optionals from Java, the same values from Kotlin") {
            val c = ClerkConfig { secretKey = TEST_SECRET }
            c.engineOptional() shouldBe Optional.empty()
            c.trustStoreOptional() shouldBe Optional.empty()
            c.rateBudgetOptional() shouldBe Optional.empty()
            c.engine shouldBe null
            val o = RequestOptions { timeout = Duration.ofSeconds(2) }
            o.timeoutOptional() shouldBe Optional.of(Duration.ofSeconds(2))
            o.retryPolicyOptional() shouldBe Optional.empty()
            ClerkConfig.builder().secretKey(TEST_SECRET).maxAttempts(1).build().retryPolicy.maxAttempts shouldBe 1
        }
        test("plain http is refused for non-loopback hosts unless allowed") {
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().secretKey(TEST_SECRET).baseUrl("http://api.clerk.com/v1").build() }
                .message shouldContain "in clear"
            ClerkConfig.builder().secretKey(TEST_SECRET).baseUrl("http://api.clerk.com/v1").allowInsecureHttp(true).build()
            listOf("http://127.0.0.1:1/v1", "http://localhost/v1", "http://[::1]:9/v1").forEach {
                ClerkConfig.builder().secretKey(TEST_SECRET).baseUrl(it).build().baseUrl shouldBe it
            }
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().secretKey(TEST_SECRET).baseUrl("ftp://x/v1").build() }
        }
        test("bad values are refused") {
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().secretKey(" ").build() }
            shouldThrow<IllegalArgumentException> { ClerkConfig.builder().secretKey(TEST_SECRET).requestTimeout(Duration.ZERO).build() }
            shouldThrow<IllegalArgumentException> { RetryPolicy.builder().maxAttempts(0).build() }
            shouldThrow<IllegalArgumentException> { RetryPolicy.builder().jitter(2.0).build() }
        }
    }

    context("the secret key never leaks") {
        test("not in toString of config, builder, client or options") {
            val b = ClerkConfig.builder().secretKey(TEST_SECRET)
            val c = b.build()
            listOf(b.toString(), c.toString(), ClerkClient(c).use { it.toString() }).forEach {
                it shouldNotContain TEST_SECRET
                it shouldNotContain "FAKE_clerkkit"
            }
            c.toString() shouldContain "sk_test_***"
        }
        test("not in exception messages or logs, even at BODY level") {
            val log = File("target/client-test.log")
            val messages = mutableListOf<String>()
            val statuses = listOf(400, 401, 404, 422, 429, 500, 503)
            mockClient(configure = { logLevel = LogLevel.BODY; retryPolicy = RetryPolicy.NONE }) { req ->
                val status = statuses[(req.headers["X-I"] ?: "0").toInt()]
                json(errorJson("c$status"), status)
            }.use { client ->
                statuses.indices.forEach { i ->
                    val e = shouldThrow<ClerkException> {
                        client.sessions.get("sess_1", RequestOptions { header("X-I", "$i") })
                    }
                    messages += e.toString()
                    messages += e.stackTraceToString()
                }
            }
            messages.forEach { it shouldNotContain TEST_SECRET }
            val logged = log.readText()
            logged shouldContain "Authorization: ***"
            logged shouldNotContain TEST_SECRET
        }
    }
})
