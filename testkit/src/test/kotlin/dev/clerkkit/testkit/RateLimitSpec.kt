package dev.clerkkit.testkit

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import java.time.Duration
import java.time.Instant
import java.util.concurrent.Callable
import java.util.concurrent.Executors

/** Per-key rate limits over real sockets, with a stepped [MutableClock] instead of sleeps. */
class RateLimitSpec : FunSpec({
    // 2.5 s into a 10 s window (fixed windows are aligned to epoch multiples of the window).
    val start = Instant.parse("2026-01-01T00:00:02.500Z")
    val otherKey = "sk_test_clerkkit_second_instance"
    val liveKey = "sk_live_clerkkit_sandbox_not_a_real_key"

    fun sandbox(limit: SandboxRateLimit, clock: MutableClock = MutableClock(start)) = ClerkSandbox.start {
        this.clock = clock
        rateLimit = limit
        additionalSecretKeys = listOf(otherKey, liveKey)
    }

    test("beyond the limit: 429, Retry-After rounded up to whole seconds, Clerk's error body") {
        sandbox(SandboxRateLimit.of(3, Duration.ofSeconds(10))).use { s ->
            val api = Api(s)
            repeat(3) { api.get("/sessions").status shouldBe 200 }
            val r = api.get("/sessions") // validated against ClerkErrors by Contract
            r.status shouldBe 429
            r.header("Retry-After") shouldBe "8" // 7.5 s left in the window
            r.errorCode shouldBe "too_many_requests"
            val error = r.obj["errors"]!!.jsonArray.single().jsonObject
            error.str("message") shouldBe "Too many requests"
            error.str("long_message").shouldNotBeNull()
            r.obj.str("clerk_trace_id").shouldNotBeNull()
            r.body shouldNotContain s.secretKey
            // every route counts, not only the one that used the budget up
            api.post("/sessions", """{"user_id":"user_x"}""").status shouldBe 429
            api.get("/sessions/sess_x").status shouldBe 429
        }
    }

    test("a fixed window frees up at its boundary; Retry-After is at least 1") {
        val clock = MutableClock(start)
        sandbox(SandboxRateLimit.of(2, Duration.ofSeconds(10)), clock).use { s ->
            val api = Api(s)
            repeat(2) { api.get("/sessions").status shouldBe 200 }
            clock.advance(Duration.ofMillis(7_000)) // 0.5 s left
            api.get("/sessions").let {
                it.status shouldBe 429
                it.header("Retry-After") shouldBe "1"
            }
            clock.advance(Duration.ofMillis(499))
            api.get("/sessions").status shouldBe 429
            clock.advance(Duration.ofMillis(1)) // next window
            repeat(2) { api.get("/sessions").status shouldBe 200 }
            api.get("/sessions").let {
                it.status shouldBe 429
                it.header("Retry-After") shouldBe "10"
            }
        }
    }

    test("a sliding window frees one slot when the oldest accepted request leaves it") {
        val clock = MutableClock(start)
        sandbox(SandboxRateLimit.sliding(2, Duration.ofSeconds(10)), clock).use { s ->
            val api = Api(s)
            api.get("/sessions").status shouldBe 200 // t = 0
            clock.advance(Duration.ofSeconds(4))
            api.get("/sessions").status shouldBe 200 // t = 4
            clock.advance(Duration.ofSeconds(1))
            api.get("/sessions").header("Retry-After") shouldBe "5" // t = 5: the t = 0 request leaves at 10
            clock.advance(Duration.ofSeconds(5))
            api.get("/sessions").status shouldBe 200 // t = 10
            clock.advance(Duration.ofSeconds(1))
            api.get("/sessions").let {
                it.status shouldBe 429
                it.header("Retry-After") shouldBe "3" // t = 11: the t = 4 request leaves at 14
            }
            s.stats.rateLimitedRequests shouldBe 2
        }
    }

    test("each secret key has its own budget; sk_live_ keys get the production limit") {
        sandbox(SandboxRateLimit.byKeyType(2, 4, Duration.ofSeconds(10))).use { s ->
            val main = Api(s)
            val other = Api(s, key = otherKey)
            val live = Api(s, key = liveKey)
            repeat(2) { main.get("/sessions").status shouldBe 200 }
            main.get("/sessions").status shouldBe 429
            repeat(2) { other.get("/sessions").status shouldBe 200 }
            other.get("/sessions").status shouldBe 429
            repeat(4) { live.get("/sessions").status shouldBe 200 }
            live.get("/sessions").status shouldBe 429
            s.stats.rateLimitedRequests shouldBe 3
        }
    }

    test("GET /v1/jwks is never limited and uses no budget") {
        sandbox(SandboxRateLimit.of(2, Duration.ofSeconds(10))).use { s ->
            val api = Api(s)
            repeat(5) { api.get("/jwks").status shouldBe 200 }
            repeat(2) { api.get("/sessions").status shouldBe 200 }
            api.get("/sessions").status shouldBe 429
            repeat(3) { api.get("/jwks").status shouldBe 200 }
            s.stats.requests(Route.JWKS) shouldBe 8
        }
    }

    test("401s and scripted faults use no budget; 429s do not use budget either") {
        val clock = MutableClock(start)
        sandbox(SandboxRateLimit.of(2, Duration.ofSeconds(10)), clock).use { s ->
            val api = Api(s)
            repeat(3) { api.get("/sessions", auth = "sk_test_wrong").status shouldBe 401 }
            s.faults.on(Route.LIST_SESSIONS).status(503, 503)
            repeat(2) { api.get("/sessions").status shouldBe 503 }
            repeat(2) { api.get("/sessions").status shouldBe 200 }
            repeat(5) { api.get("/sessions").status shouldBe 429 }
            clock.advance(Duration.ofSeconds(8)) // next window: the five 429s did not pile up
            repeat(2) { api.get("/sessions").status shouldBe 200 }
        }
    }

    test("counters: rateLimitedRequests and responses(429); reset() and resetRateLimits()") {
        sandbox(SandboxRateLimit.of(1, Duration.ofSeconds(10))).use { s ->
            val api = Api(s)
            s.faults.on(Route.GET_SESSION).rateLimited(3) // a scripted 429: not the limiter's
            api.get("/sessions/sess_x").status shouldBe 429
            api.get("/sessions").status shouldBe 200
            repeat(4) { api.get("/sessions").status shouldBe 429 }
            s.stats.rateLimitedRequests shouldBe 4
            s.stats.responses(429) shouldBe 5
            s.stats.responses(200) shouldBe 1
            s.stats.responsesByStatus shouldBe mapOf(200 to 1L, 429 to 5L)

            s.resetRateLimits()
            api.get("/sessions").status shouldBe 200
            s.stats.rateLimitedRequests shouldBe 4
            s.stats.reset()
            s.stats.rateLimitedRequests shouldBe 0
            s.stats.responses(429) shouldBe 0
        }
    }

    test("concurrent requests: exactly the limit is accepted") {
        sandbox(SandboxRateLimit.of(20, Duration.ofSeconds(10))).use { s ->
            val pool = Executors.newFixedThreadPool(8)
            try {
                val api = Api(s)
                val statuses = pool.invokeAll(List(40) { Callable { api.get("/sessions").status } }).map { it.get() }
                statuses.groupingBy { it }.eachCount() shouldBe mapOf(200 to 20, 429 to 20)
                s.stats.rateLimitedRequests shouldBe 20
            } finally {
                pool.shutdownNow()
            }
        }
    }

    test("off by default: no 429 however many requests") {
        ClerkSandbox.start { clock = MutableClock(start) }.use { s ->
            s.config.rateLimit shouldBe null
            val api = Api(s)
            val statuses = (1..150).map { api.get(if (it % 50 == 0) "/jwks" else "/sessions").status }.toSet()
            statuses shouldContainExactly setOf(200)
            s.stats.rateLimitedRequests shouldBe 0
        }
    }

    test("presets follow Clerk's published limits; invalid limits are rejected") {
        SandboxRateLimit.CLERK.limitFor("sk_test_abc") shouldBe 100
        SandboxRateLimit.CLERK.limitFor("sk_live_abc") shouldBe 1_000
        SandboxRateLimit.CLERK.window shouldBe Duration.ofSeconds(10)
        SandboxRateLimit.DEVELOPMENT.limitFor("sk_live_abc") shouldBe 100
        SandboxRateLimit.PRODUCTION.limitFor("sk_test_abc") shouldBe 1_000
        SandboxRateLimit.BENCH.limitFor("sk_test_abc") shouldBe 100
        SandboxRateLimit.BENCH.window shouldBe Duration.ofSeconds(1)
        SandboxRateLimit.CLERK.windowKind shouldBe RateLimitWindow.FIXED
        SandboxRateLimit.CLERK.withWindowKind(RateLimitWindow.SLIDING).windowKind shouldBe RateLimitWindow.SLIDING
        SandboxRateLimit.sliding(5, Duration.ofSeconds(1)) shouldBe SandboxRateLimit.of(5, Duration.ofSeconds(1)).withWindowKind(RateLimitWindow.SLIDING)
        shouldThrow<IllegalArgumentException> { SandboxRateLimit.of(0, Duration.ofSeconds(1)) }
        shouldThrow<IllegalArgumentException> { SandboxRateLimit.of(1, Duration.ZERO) }
        shouldThrow<IllegalArgumentException> { SandboxRateLimit.byKeyType(1, -1, Duration.ofSeconds(1)) }
        shouldThrow<IllegalArgumentException> { SandboxConfig.builder().additionalSecretKeys(listOf(" ")).build() }
    }

    test("Java callers configure limits with builders and read the counter") {
        JavaRateLimitUsage.run() shouldBe "200,200,429|1|1"
    }

    test("SandboxMain turns limits and versions on from the command line") {
        SandboxMain.start(arrayOf("--port", "0", "--no-demo-data", "--rate-limit", "bench", "--api-version", "2024-10-01", "--verify-available"))
            .use { s ->
                s.config.rateLimit shouldBe SandboxRateLimit.BENCH
                s.config.defaultApiVersion shouldBe "2024-10-01"
                s.verifyGone shouldBe false
            }
        shouldThrow<IllegalArgumentException> { SandboxMain.start(arrayOf("--port", "0", "--rate-limit", "fast")) }
        shouldThrow<IllegalArgumentException> { SandboxMain.start(arrayOf("--port", "0", "--api-version", "soon")) }
    }

    test("the config's toString shows the limit but no secret key") {
        val config = SandboxConfig.builder().rateLimit(SandboxRateLimit.CLERK).additionalSecretKeys(listOf(liveKey)).build()
        config.toString().let {
            it shouldNotContain liveKey
            it shouldNotContain config.secretKey
            (SandboxRateLimit.CLERK.toString() in it) shouldBe true
        }
    }
})
