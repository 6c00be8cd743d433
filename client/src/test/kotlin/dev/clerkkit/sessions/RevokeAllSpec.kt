package dev.clerkkit.sessions

import dev.clerkkit.ClerkClient
import dev.clerkkit.RetryPolicy
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.RevokeAllReport
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.Route
import dev.clerkkit.testkit.SandboxRateLimit
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.toList
import kotlinx.coroutines.withContext
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

private fun ClerkSandbox.status(id: String): String = session(id)!!["status"].toString().trim('"')

private fun client(sandbox: ClerkSandbox, limit: RateLimit = RateLimit.OFF, attempts: Int = 3) = ClerkClient {
    secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateLimit = limit
    retryPolicy = RetryPolicy.builder().maxAttempts(attempts).initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(5)).build()
}

/** Every session found is in exactly one bucket, and the buckets add up. */
private fun RevokeAllReport.shouldPartitionFound() {
    val buckets = revoked + alreadyGone + failed.keys + kept + interrupted + notAttempted
    buckets.size shouldBe found.size
    buckets.toSet() shouldBe found.toSet()
}

class RevokeAllSpec : FunSpec({
    test("1,000 sessions at the sandbox's limit (100 per 10 s, scaled to 100 per 500 ms): all revoked but `except`, 0 failures, at most one 429") {
        val window = Duration.ofMillis(500)
        ClerkSandbox.start { rateLimit = SandboxRateLimit.of(100, window) }.use { sandbox ->
            val user = sandbox.addUser()
            val ids = sandbox.addSessions(user, 1000)
            val current = ids[500]
            val other = sandbox.addSession(sandbox.addUser()) // another user's: untouched
            client(sandbox, RateLimit.of(100, window)).use { clerk ->
                val progress = CopyOnWriteArrayList<RevokeAllReport>()
                val report = withContext(Dispatchers.Default) { clerk.sessions.revokeAll(user, except = setOf(current), onProgress = { progress += it }) }
                report.found.size shouldBe 1000
                report.found shouldContainExactly ids.reversed() // newest first
                report.revoked.size shouldBe 999
                report.failed shouldBe emptyMap()
                report.alreadyGone.shouldBeEmpty()
                report.kept shouldContainExactly listOf(current)
                report.isComplete shouldBe true
                report.shouldPartitionFound()
                sandbox.stats.rateLimitedRequests shouldBeLessThanOrEqual 1L
                sandbox.status(current) shouldBe "active"
                sandbox.status(other) shouldBe "active"
                ids.filter { it != current }.forEach { sandbox.status(it) shouldBe "revoked" }
                // a progress report per page listed (10), and the final one
                progress.count { !it.listingComplete || it.revoked.isEmpty() } shouldBeGreaterThan 9
                progress.last().revoked.size shouldBe 999
                clerk.sessions.listActive(user).toList().map { it.id } shouldContainExactly listOf(current)
            }
        }
    }

    test("faults (5xx, resets, 404, a 400 for an ended session): every session ends revoked or reported failed, none skipped") {
        ClerkSandbox.start().use { sandbox ->
            val user = sandbox.addUser()
            val ids = sandbox.addSessions(user, 200)
            // a session deleted meanwhile (404) and one ended meanwhile (Clerk answers 400): already gone, not errors
            val deleted = ids[10]
            val ended = ids[20]
            sandbox.faults.on("POST", "/v1/sessions/$deleted/revoke").then(Fault.Status(404))
            sandbox.faults.on("POST", "/v1/sessions/$ended/revoke").then(Fault.Status(400))
            // 503s and resets on revokes: some retried to success, some exhaust the 3 attempts
            sandbox.faults.on(Route.REVOKE_SESSION).apply {
                repeat(15) { then(Fault.Status(503)); then(Fault.Reset); then(Fault.Status(500)) }
            }
            client(sandbox).use { clerk ->
                val report = withContext(Dispatchers.Default) {
                    // the ended session stops being active once it is listed
                    clerk.sessions.revokeAll(user, concurrency = 4, onProgress = { if (it.found.size == 200) sandbox.setSessionStatus(ended, "ended") })
                }
                report.found.size shouldBe 200
                report.shouldPartitionFound()
                report.alreadyGone shouldContainExactlyInAnyOrder listOf(deleted, ended)
                report.failed.size shouldBeGreaterThan 0
                report.interrupted.shouldBeEmpty()
                report.notAttempted.shouldBeEmpty()
                for (id in ids) {
                    if (id == deleted || id == ended) continue
                    val revoked = sandbox.status(id) == "revoked"
                    (revoked || id in report.failed) shouldBe true
                    if (id in report.revoked) revoked shouldBe true
                }
                report.failed.values.forEach { it.message!!.contains(sandbox.secretKey) shouldBe false }
            }
        }
    }

    test("cancelled halfway: it stops promptly and the report matches the sandbox") {
        ClerkSandbox.start { rateLimit = SandboxRateLimit.of(100, Duration.ofMillis(500)) }.use { sandbox ->
            val user = sandbox.addUser()
            val ids = sandbox.addSessions(user, 600)
            client(sandbox, RateLimit.of(100, Duration.ofMillis(500))).use { clerk ->
                val lastReport = CopyOnWriteArrayList<RevokeAllReport>()
                withContext(Dispatchers.Default) {
                    val run = async { clerk.sessions.revokeAll(user, onProgress = { lastReport += it }) }
                    while (sandbox.stats.requests(Route.REVOKE_SESSION) < 250) delay(5)
                    run.cancel()
                    shouldThrow<kotlinx.coroutines.CancellationException> { run.await() }
                    val sentAtCancel = sandbox.stats.requests(Route.REVOKE_SESSION)
                    // the last progress report is the cancelled run's own
                    val report = lastReport.last()
                    report.cancelled shouldBe true
                    report.shouldPartitionFound()
                    report.found.size shouldBe 600
                    report.revoked.forEach { sandbox.status(it) shouldBe "revoked" }
                    report.notAttempted.forEach { sandbox.status(it) shouldBe "active" }
                    (report.revoked.size + report.interrupted.size) shouldBeGreaterThan 249
                    report.notAttempted.size shouldBeGreaterThan 0
                    // prompt: nothing is sent after the cancellation
                    delay(600)
                    sandbox.stats.requests(Route.REVOKE_SESSION) shouldBe sentAtCancel
                    ids.count { sandbox.status(it) == "revoked" }.toLong() shouldBe sentAtCancel
                }
            }
        }
    }
})
