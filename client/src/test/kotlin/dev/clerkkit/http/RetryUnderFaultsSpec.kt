package dev.clerkkit.http

import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.RetryAfter
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.time.Instant
import java.time.temporal.ChronoUnit

/** The retry loop against the sandbox's fault injection, over real sockets (CIO). Nothing sleeps: waits are recorded. */
class RetryUnderFaultsSpec : FunSpec({
    val sandbox = ClerkSandbox.start()
    val sleeper = RecordingSleeper()
    // maxAttempts 100: a call may meet several queued faults in a row; jitter 0 and a 1 ms backoff make the
    // backoff waits exact too.
    val clerk = sandboxClient(sandbox) {
        retryPolicy = sleeper.policy { maxAttempts = 100; initialBackoff = Duration.ofMillis(1); maxBackoff = Duration.ofMillis(1); jitter = 0.0 }
    }
    val user = sandbox.addUser()
    val sid = sandbox.addSession(user)

    beforeTest { sandbox.faults.clear(); sleeper.waits.clear() }
    afterSpec { clerk.close(); sandbox.close() }

    test("1,000 idempotent calls through 503/429 bursts all succeed, waiting exactly what the server asked") {
        // GET: Retry-After in seconds (503 and 429) plus plain 503s (backoff). LIST: Retry-After as an HTTP date.
        val get = sandbox.faults.on(Route.GET_SESSION)
        val expectedGetWaits = mutableListOf<Duration>()
        repeat(100) { i -> val s = 1L + i % 3; get.then(Fault.Status(503, RetryAfter.Seconds(s))); expectedGetWaits += Duration.ofSeconds(s) }
        repeat(100) { i -> val s = 4L + i % 3; get.then(Fault.Status(429, RetryAfter.Seconds(s))); expectedGetWaits += Duration.ofSeconds(s) }
        repeat(50) { get.then(Fault.Status(503)); expectedGetWaits += Duration.ofMillis(1) }
        val at = Instant.now().plusSeconds(30).truncatedTo(ChronoUnit.SECONDS)
        sandbox.faults.on(Route.LIST_SESSIONS).repeat(100, Fault.Status(429, RetryAfter.HttpDate(at))).repeat(50, Fault.Status(503, RetryAfter.HttpDate(at)))
        // list calls carry their own policy (per-call override) with their own recorder
        val listSleeper = RecordingSleeper()
        val listOptions = RequestOptions { retryPolicy = listSleeper.policy { maxAttempts = 100 } }
        val getsBefore = sandbox.stats.requests(Route.GET_SESSION)
        val listsBefore = sandbox.stats.requests(Route.LIST_SESSIONS)

        val before = Instant.now()
        val gate = Semaphore(32)
        val results = withTimeout(60_000) {
            coroutineScope {
                (0 until 1_000).map { i ->
                    async {
                        gate.withPermit {
                            if (i % 2 == 0) clerk.sessions.get(sid).id else clerk.sessions.list(SessionListParams { userId = user }, options = listOptions).single().id
                        }
                    }
                }.awaitAll()
            }
        }
        val after = Instant.now()

        results.toSet() shouldBe setOf(sid)
        sandbox.faults.pending shouldBe 0
        sandbox.stats.requests(Route.GET_SESSION) - getsBefore shouldBe 500L + 250
        sandbox.stats.requests(Route.LIST_SESSIONS) - listsBefore shouldBe 500L + 150
        sleeper.waits.sorted() shouldBe expectedGetWaits.sorted()
        listSleeper.waits shouldHaveSize 150
        // an HTTP date means "wait until then": the wait is `at - now` for a `now` inside the batch
        listSleeper.waits.forEach { w ->
            check(w <= Duration.between(before, at) && w >= Duration.between(after, at)) { "wait $w outside [${Duration.between(after, at)}, ${Duration.between(before, at)}]" }
        }
    }

    context("broken exchanges give typed errors and never hang") {
        val once = RequestOptions { maxAttempts(1) }
        test("connection reset before any response: ClerkTransportException, may have reached the server") {
            sandbox.faults.on(Route.GET_SESSION).reset()
            val e = withTimeout(10_000) { shouldThrow<ClerkTransportException> { clerk.sessions.get(sid, once) } }
            (e is ClerkTimeoutException) shouldBe false
            e.mayHaveReachedServer shouldBe true
            e.attempts shouldBe 1
        }
        test("a reset GET is retried and succeeds") {
            sandbox.faults.on(Route.GET_SESSION).reset().reset()
            withTimeout(10_000) { clerk.sessions.get(sid).id } shouldBe sid
            sleeper.waits shouldHaveSize 2
        }
        test("a stalled response with a short per-call timeout: ClerkTimeoutException") {
            sandbox.faults.on(Route.GET_SESSION).delay(2_000)
            val e = withTimeout(10_000) {
                shouldThrow<ClerkTimeoutException> { clerk.sessions.get(sid, RequestOptions { timeout = Duration.ofMillis(150); maxAttempts(1) }) }
            }
            e.mayHaveReachedServer shouldBe true
        }
        test("a stalled GET is retried after its timeout and succeeds") {
            sandbox.faults.on(Route.GET_SESSION).delay(2_000)
            withTimeout(10_000) { clerk.sessions.get(sid, RequestOptions { timeout = Duration.ofMillis(150) }).id } shouldBe sid
            sleeper.waits shouldHaveSize 1
        }
        test("a truncated body: a typed error, not retried into a hang") {
            sandbox.faults.on(Route.GET_SESSION).truncatedBody()
            val e = withTimeout(10_000) { shouldThrow<ClerkTransportException> { clerk.sessions.get(sid, once) } }
            e.mayHaveReachedServer shouldBe true
            e.message!! shouldContain "mid-response"
        }
        test("a malformed JSON body: ClerkResponseException with status 200, not retried") {
            sandbox.faults.on(Route.GET_SESSION).malformedJson()
            val n = sandbox.stats.requests(Route.GET_SESSION)
            val e = withTimeout(10_000) { shouldThrow<ClerkResponseException> { clerk.sessions.get(sid) } }
            e.statusCode shouldBe 200
            e.attempts shouldBe 1
            sandbox.stats.requests(Route.GET_SESSION) - n shouldBe 1
        }
        test("after all that the client still works") {
            clerk.sessions.get(sid).id shouldBe sid
        }
    }
})
