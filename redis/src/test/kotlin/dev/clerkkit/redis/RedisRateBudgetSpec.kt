package dev.clerkkit.redis

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.testkit.ClerkSandbox
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.comparables.shouldBeGreaterThan
import io.kotest.matchers.comparables.shouldBeLessThanOrEqualTo
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.io.ByteArrayOutputStream
import java.io.PrintStream
import java.security.MessageDigest
import java.time.Duration

private const val KEY = "sk_test_FAKE_clerkkit_redis_spec_key"
private const val OTHER_KEY = "sk_test_FAKE_clerkkit_redis_other_key"

private fun sha256(s: String) = MessageDigest.getInstance("SHA-256").digest(s.toByteArray()).joinToString("") { "%02x".format(it) }

/** Runs [block] with System.err captured (slf4j-simple writes there, see the pom); returns what was written. */
private suspend fun captureStderr(block: suspend () -> Unit): String {
    val original = System.err
    val buffer = ByteArrayOutputStream()
    System.setErr(PrintStream(buffer, true))
    try {
        block()
    } finally {
        System.setErr(original)
    }
    return buffer.toString()
}

/** A permit for an attempt that ends at once: [RateBudget.acquire], then [RateBudget.release] when taken. */
private suspend fun dev.clerkkit.ratelimit.RateBudget.take(maxWait: Duration): Duration? = acquire(maxWait).also { if (it == null) release() }

private fun budget(redis: RedisServer, limit: RateLimit, key: String = KEY) =
    RedisRateBudget.builder(redis.uri, key).limit(limit).build()

class RedisRateBudgetSpec : FunSpec({
    val redis = RedisServer.start()
    afterSpec { redis.stop() }
    beforeTest { if (redis.inspect { it.ping() } == "PONG") redis.inspect { it.flushall() } }

    test("two budgets (two Redis clients, as two processes would have) share one window per secret key") {
        budget(redis, RateLimit.of(5, Duration.ofHours(1))).use { a ->
            budget(redis, RateLimit.of(5, Duration.ofHours(1))).use { b ->
                repeat(3) { a.take(Duration.ZERO) shouldBe null }
                repeat(2) { b.take(Duration.ZERO) shouldBe null }
                for (x in listOf(a, b)) {
                    val wait = x.take(Duration.ZERO).shouldNotBeNull()
                    wait shouldBeGreaterThan Duration.ofMinutes(59)
                    wait shouldBeLessThanOrEqualTo Duration.ofHours(1)
                }
                budget(redis, RateLimit.of(5, Duration.ofHours(1)), OTHER_KEY).use { other ->
                    other.take(Duration.ZERO) shouldBe null // another instance, another budget
                }
            }
        }
    }

    test("Redis keys hold a SHA-256 of the secret key, never the key itself") {
        budget(redis, RateLimit.of(5, Duration.ofHours(1))).use { a -> repeat(2) { a.take(Duration.ZERO) }; a.pause(Duration.ofSeconds(30)) }
        val keys = redis.inspect { it.keys("*") }
        keys.forEach { it shouldNotContain KEY }
        keys shouldContain "clerkkit:ratelimit:{${sha256(KEY)}}:window"
        keys shouldContain "clerkkit:ratelimit:{${sha256(KEY)}}:pause"
        redis.inspect { it.zcard("clerkkit:ratelimit:{${sha256(KEY)}}:window") } shouldBe 2
        redis.inspect { it.pttl("clerkkit:ratelimit:{${sha256(KEY)}}:window") }.let { it shouldBeGreaterThan 0L; it shouldBeLessThanOrEqualTo 3_600_000L + 120_000L }
    }

    test("a caller waits (suspending) for the shared window to free a slot, then gets it") {
        budget(redis, RateLimit.of(2, Duration.ofMillis(400))).use { a ->
            budget(redis, RateLimit.of(2, Duration.ofMillis(400))).use { b ->
                repeat(2) { a.take(Duration.ZERO) shouldBe null }
                val wait = b.take(Duration.ZERO).shouldNotBeNull()
                wait shouldBeLessThanOrEqualTo Duration.ofMillis(400)
                b.take(Duration.ofSeconds(5)) shouldBe null
            }
        }
    }

    test("a pause after a 429 is shared, and a shorter pause does not shorten it") {
        budget(redis, RateLimit.of(100, Duration.ofSeconds(10))).use { a ->
            budget(redis, RateLimit.of(100, Duration.ofSeconds(10))).use { b ->
                a.pause(Duration.ofSeconds(5))
                b.pause(Duration.ofSeconds(1))
                val wait = b.take(Duration.ZERO).shouldNotBeNull()
                wait shouldBeGreaterThan Duration.ofSeconds(4)
                wait shouldBeLessThanOrEqualTo Duration.ofSeconds(5)
            }
        }
    }

    test("a waiter cancelled while waiting takes nothing") {
        budget(redis, RateLimit.of(1, Duration.ofSeconds(3))).use { a ->
            a.take(Duration.ZERO) shouldBe null
            coroutineScope {
                val started = CompletableDeferred<Unit>()
                val waiter = launch { started.complete(Unit); a.take(Duration.ofSeconds(30)) }
                started.await(); delay(200)
                waiter.cancel(); withTimeout(5000) { waiter.join() }
            }
            redis.inspect { it.zcard("clerkkit:ratelimit:{${sha256(KEY)}}:window") } shouldBe 1
        }
    }

    test("two ClerkClients in one test share a budget through Redis") {
        val sandbox = ClerkSandbox.start()
        try {
            val user = sandbox.addUser()
            val sid = sandbox.addSession(user)
            budget(redis, RateLimit.of(3, Duration.ofHours(1)), sandbox.secretKey).use { ba ->
                budget(redis, RateLimit.of(3, Duration.ofHours(1)), sandbox.secretKey).use { bb ->
                    val a = ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateBudget = ba }
                    val b = ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateBudget = bb }
                    a.use { b.use {
                        a.sessions.get(sid); b.sessions.get(sid); a.sessions.get(sid)
                        sandbox.clearRecordedRequests()
                        val e = shouldThrow<RateBudgetExhaustedException> { b.sessions.get(sid, RequestOptions { timeout = Duration.ofSeconds(1) }) }
                        e.message shouldContain "local rate budget is exhausted"
                        shouldThrow<RateBudgetExhaustedException> { a.sessions.get(sid, RequestOptions { timeout = Duration.ofSeconds(1) }) }
                        sandbox.requests.size shouldBe 0
                    } }
                }
            }
        } finally {
            sandbox.close()
        }
    }

    test("two clients sharing one Redis budget of the sandbox's limit (20 / 2 s, fixed windows): no 429, whatever the latency") {
        val window = Duration.ofSeconds(2)
        ClerkSandbox.start { rateLimit = dev.clerkkit.testkit.SandboxRateLimit.of(20, window) }.use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            budget(redis, RateLimit.of(20, window), sandbox.secretKey).use { ba ->
                budget(redis, RateLimit.of(20, window), sandbox.secretKey).use { bb ->
                    val clients = listOf(ba, bb).map { b ->
                        ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateBudget = b; maxAttempts(1) }
                    }
                    try {
                        val failures = kotlinx.coroutines.withContext(kotlinx.coroutines.Dispatchers.Default) {
                            coroutineScope {
                                val scope = this
                                clients.flatMap { c ->
                                    val inFlight = kotlinx.coroutines.sync.Semaphore(8)
                                    (1..50).map {
                                        scope.async {
                                            inFlight.acquire()
                                            try { runCatching { c.sessions.get(sid) } } finally { inFlight.release() }
                                        }
                                    }
                                }.map { it.await() }.count { it.isFailure }
                            }
                        }
                        failures shouldBe 0
                        sandbox.stats.rateLimitedRequests shouldBe 0
                        redis.inspect { it.zcard("clerkkit:ratelimit:{${sha256(sandbox.secretKey)}}:window") } shouldBeLessThanOrEqualTo 20L
                    } finally {
                        clients.forEach { it.close() }
                    }
                }
            }
        }
    }

    test("a 429 answered to one client pauses the other until Retry-After") {
        var n = 0
        val limited = MockEngine {
            if (n++ == 0) {
                respond("""{"errors":[{"code":"too_many_requests","message":"slow down"}]}""", HttpStatusCode.TooManyRequests,
                    headersOf("Content-Type" to listOf("application/json"), "Retry-After" to listOf("5")))
            } else {
                respond("""{"object":"session","id":"sess_1","user_id":"u","client_id":"c","status":"active"}""",
                    HttpStatusCode.OK, headersOf("Content-Type", "application/json"))
            }
        }
        val other = MockEngine { error("must not be sent") }
        budget(redis, RateLimit.of(100, Duration.ofSeconds(10))).use { ba ->
            budget(redis, RateLimit.of(100, Duration.ofSeconds(10))).use { bb ->
                ClerkClient { secretKey = KEY; engine = limited; rateBudget = ba; retryPolicy = RetryPolicy.NONE }.use { a ->
                    ClerkClient { secretKey = KEY; engine = other; rateBudget = bb }.use { b ->
                        shouldThrow<dev.clerkkit.errors.RateLimitException> { a.sessions.get("sess_1") }
                        val e = shouldThrow<RateBudgetExhaustedException> { b.sessions.get("sess_1", RequestOptions { timeout = Duration.ofSeconds(2) }) }
                        e.availableIn shouldBeGreaterThan Duration.ofSeconds(3)
                    }
                }
            }
        }
    }

    test("Redis stopped mid-run: calls still succeed on the local fallback, one warning is logged; sharing resumes when it is back") {
        val sandbox = ClerkSandbox.start()
        val server = RedisServer.start()
        try {
            val sid = sandbox.addSession(sandbox.addUser())
            val window = "clerkkit:ratelimit:{${sha256(sandbox.secretKey)}}:window"
            RedisRateBudget.builder(server.uri, sandbox.secretKey).reconnectInterval(Duration.ofMillis(200)).build().use { budget ->
                budget.limit shouldBe RateLimit.DEVELOPMENT_INSTANCE
                ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateBudget = budget; retryPolicy = RetryPolicy.NONE }.use { c ->
                    repeat(3) { c.sessions.get(sid) }
                    server.inspect { it.zcard(window) } shouldBe 3
                    val logged = captureStderr {
                        server.stop()
                        repeat(5) { c.sessions.get(sid).id shouldBe sid }
                    }
                    withClue(logged) {
                        Regex("Redis at 127\\.0\\.0\\.1:${server.port} is unreachable").findAll(logged).count() shouldBe 1
                        logged shouldContain "WARN"
                        logged shouldContain "falls back to this process's local limiter (100/10s)"
                        logged shouldNotContain sandbox.secretKey
                    }
                    server.start()
                    // Lettuce reconnects in the background; calls share the window in Redis again
                    val deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos()
                    var shared = 0L
                    while (shared == 0L && System.nanoTime() < deadline) {
                        c.sessions.get(sid)
                        shared = server.inspect { it.zcard(window) }
                        if (shared == 0L) delay(200)
                    }
                    withClue("no acquisition reached Redis after it restarted") { (shared > 0) shouldBe true }
                }
            }
        } finally {
            server.stop()
            sandbox.close()
        }
    }

    test("Redis unreachable from the start: nothing fails, and the local fallback still enforces the limit") {
        val nobody = "redis://127.0.0.1:${RedisServer.freePort()}"
        RedisRateBudget.builder(nobody, KEY).limit(RateLimit.of(2, Duration.ofHours(1))).build().use { b ->
            val logged = captureStderr {
                b.take(Duration.ZERO) shouldBe null
                b.take(Duration.ZERO) shouldBe null
                b.take(Duration.ZERO).shouldNotBeNull()
            }
            logged shouldContain "is unreachable"
        }
    }

    test("bad input fails before any I/O, without repeating a password") {
        shouldThrow<IllegalArgumentException> { RedisRateBudget.create(redis.uri, "   ") }
        shouldThrow<IllegalArgumentException> { RedisRateBudget.create(redis.uri, "not_a_clerk_key") }.message shouldContain "limit"
        shouldThrow<IllegalArgumentException> { RedisRateBudget.create("http://hunter2@x", KEY) }.message shouldNotContain "hunter2"
        shouldThrow<IllegalArgumentException> { RedisRateBudget.builder(redis.uri, KEY).limit(RateLimit.OFF) }
        shouldThrow<IllegalArgumentException> { RedisRateBudget.builder(redis.uri, KEY).commandTimeout(Duration.ZERO) }
        RedisRateBudget.builder(redis.uri, "not_a_clerk_key").limit(RateLimit.of(1, Duration.ofSeconds(1))).build().close()
        RedisRateBudget.create("redis://:hunter2@127.0.0.1:1", KEY).use { it.toString() shouldNotContain "hunter2" }
    }
})
