package dev.clerkkit.http

import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.util.concurrent.atomic.AtomicInteger

/**
 * On [dev.clerkkit.BuiltInEngine.CIO]: 10,000 calls cancelled while in flight (the sandbox holds each one with a delay fault): no connection is leaked
 * and nothing is retried after cancellation. 200 in flight at a time, so the sandbox (one thread per connection)
 * stays light.
 */
class CancellationSpec : FunSpec({
    val sandbox = ClerkSandbox.start { maxRecordedRequests = 0 }
    val sleeper = RecordingSleeper()
    // a short keep-alive so that "back to baseline" is seconds away (CIO's default is 22.5 s; the mechanism is the same)
    val clerk = cioClient(sandbox, sleeper) { keepAliveTime = java.time.Duration.ofSeconds(3) }
    val sid = sandbox.addSession(sandbox.addUser())
    afterSpec { clerk.close(); sandbox.close() }

    test("10,000 in-flight calls cancelled: connections back to baseline, no retry after cancel") {
        clerk.sessions.get(sid) // warm up
        awaitUntil(message = { "warm-up connection settled" }) { sandbox.stats.openConnections <= 1 }
        val baseline = sandbox.stats.openConnections
        val before = sandbox.stats.requests(Route.GET_SESSION)
        val total = 10_000
        val batch = 200
        sandbox.faults.on(Route.GET_SESSION).repeat(total, Fault.Delay(300))
        val completed = AtomicInteger()
        val cancelled = AtomicInteger()
        val failed = AtomicInteger()

        withTimeout(100_000) {
            repeat(total / batch) { b ->
                // keep the sandbox's sleeping threads bounded: earlier batches' connections must have gone
                awaitUntil(message = { "sandbox connections drain, open=${sandbox.stats.openConnections}" }) {
                    sandbox.stats.openConnections <= baseline + 2 * batch
                }
                val target = before + (b + 1L) * batch
                coroutineScope {
                    val jobs = List(batch) {
                        launch {
                            try {
                                clerk.sessions.get(sid); completed.incrementAndGet()
                            } catch (e: CancellationException) {
                                cancelled.incrementAndGet(); throw e
                            } catch (e: Exception) {
                                failed.incrementAndGet()
                            }
                        }
                    }
                    // every request of the batch is at the sandbox (held by its delay) before we cancel
                    awaitUntil(message = { "batch $b in flight: ${sandbox.stats.requests(Route.GET_SESSION)} of $target" }) {
                        sandbox.stats.requests(Route.GET_SESSION) >= target
                    }
                    jobs.forEach { it.cancel() }
                }
            }
        }

        failed.get() shouldBe 0
        (cancelled.get() + completed.get()) shouldBe total
        // one request per call: a cancelled call is never retried
        sandbox.stats.requests(Route.GET_SESSION) - before shouldBe total.toLong()
        sleeper.waits.size shouldBe 0
        sandbox.faults.pending shouldBe 0
        // A cancelled call's pool is replaced (its connections may still carry a late answer): the old pools close
        // their connections once their calls have left, and the calls after them get their own answers.
        awaitUntil(timeoutMillis = 15_000, message = { "open connections ${sandbox.stats.openConnections}, bound ${baseline + batch}" }) {
            sandbox.stats.openConnections <= baseline + batch
        }
        val others = List(8) { sandbox.addSession(sandbox.addUser()) }
        withTimeout(30_000) {
            coroutineScope {
                List(batch) { i -> async { others[i % others.size].let { id -> id to clerk.sessions.get(id).id } } }.awaitAll()
            }
        }.forEach { (asked, got) -> got shouldBe asked }
        // and once idle for the keep-alive time, the pool retires them: back to the baseline without closing the client
        awaitUntil(timeoutMillis = 15_000, message = { "open connections ${sandbox.stats.openConnections} back to baseline $baseline" }) {
            sandbox.stats.openConnections <= baseline
        }
        // nothing outlives the client either
        clerk.close()
        awaitUntil(message = { "open connections ${sandbox.stats.openConnections} back to 0 after close" }) {
            sandbox.stats.openConnections == 0
        }
    }
})
