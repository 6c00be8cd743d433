package dev.clerkkit.http

import dev.clerkkit.RequestOptions
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive

/**
 * Connection reuse of the CIO engine as configured by clerkkit, counted by the sandbox over real sockets.
 *
 * Ktor 3.6.1 CIO reuses connections only for GET/HEAD requests without per-request connect/socket timeouts
 * (`requiresDedicatedConnection` in CIO's EngineTasks.kt): every POST (create, refresh, revoke, verify, tokens) gets a
 * dedicated connection that is closed afterwards. These tests pin both halves: GETs reuse, POSTs open one each.
 */
class ConnectionReuseSpec : FunSpec({
    val http = ClerkSandbox.start()
    val https = ClerkSandbox.start { this.https = true }
    val closing = ClerkSandbox.start()
    afterSpec { http.close(); https.close(); closing.close() }

    for ((scheme, sandbox) in listOf("http" to http, "https" to https)) {
        context(scheme) {
            val sid = sandbox.addSession(sandbox.addUser())
            beforeTest { sandbox.faults.clear() }

            test("200 sequential gets use at most 2 connections") {
                cioClient(sandbox).use { c ->
                    val before = sandbox.stats.connectionsAccepted
                    repeat(200) { c.sessions.get(sid) }
                    val opened = sandbox.stats.connectionsAccepted - before
                    opened shouldBeLessThanOrEqual 2
                }
            }

            test("failed responses are consumed and closed before the retry: 50 gets through 503s stay on one connection") {
                val sleeper = RecordingSleeper()
                cioClient(sandbox, sleeper).use { c ->
                    c.sessions.get(sid)
                    val before = sandbox.stats.connectionsAccepted
                    val script = sandbox.faults.on(Route.GET_SESSION)
                    repeat(50) {
                        script.respond(503, "{\"errors\":[],\"pad\":\"" + "x".repeat(20_000) + "\"}")
                        c.sessions.get(sid).id shouldBe sid
                    }
                    sleeper.waits.size shouldBe 50
                    // Unconsumed failures would cost a connection each (50). CIO may still open one more now and then: when a
                    // request is issued before the pooled connection's writer is back waiting for work, it opens a new one.
                    sandbox.stats.connectionsAccepted - before shouldBeLessThanOrEqual 2L
                }
            }

            test("64 concurrent gets use at most 64 connections, and a second round reuses them") {
                cioClient(sandbox).use { c ->
                    val before = sandbox.stats.connectionsAccepted
                    suspend fun round() = coroutineScope { List(64) { async { c.sessions.get(sid).id } }.awaitAll() }
                    withTimeout(30_000) { round() }.toSet() shouldBe setOf(sid)
                    val first = sandbox.stats.connectionsAccepted - before
                    withTimeout(30_000) { round() }.toSet() shouldBe setOf(sid)
                    val both = sandbox.stats.connectionsAccepted - before
                    first shouldBeLessThanOrEqual 64
                    both shouldBeLessThanOrEqual 64 // 128 requests on at most 64 connections
                }
            }
        }
    }

    test("mixed GET and POST, 5,000 calls at 64 in flight: no error, every POST body intact; GETs reuse, POSTs do not") {
        val sandbox = ClerkSandbox.start()
        val sleeper = RecordingSleeper()
        try {
            cioClient(sandbox, sleeper).use { c ->
                val user = sandbox.addUser()
                val sid = sandbox.addSession(user)
                sandbox.clearRecordedRequests()
                sandbox.stats.reset()
                val ids = withTimeout(120_000) { mixedGetsAndCreates(c, sid, user) }
                ids.filterIndexed { i, _ -> i % 2 == 1 } shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }
                sleeper.waits.size shouldBe 0 // no failure was retried either

                val recorded = sandbox.requests
                recorded.size shouldBe 5_000
                val posts = recorded.filter { it.route == Route.CREATE_SESSION }
                val gets = recorded.filter { it.route == Route.GET_SESSION }
                posts.size shouldBe 2_500
                gets.size shouldBe 2_500
                // every POST body arrived intact: exactly the JSON the client sent, once each
                createBodiesOf(posts, user) shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }.sorted()

                val byConnection = recorded.groupBy { it.connectionId }
                val postConnections = byConnection.filterValues { rs -> rs.any { it.method == "POST" } }
                val getConnections = byConnection.filterValues { rs -> rs.all { it.method == "GET" } }
                // CIO (3.6.1): a dedicated connection per POST, never shared with anything else
                postConnections.size shouldBe 2_500
                postConnections.values.forEach { it.size shouldBe 1 }
                // GETs reuse: at most one connection per slot in flight
                getConnections.size shouldBeLessThanOrEqual 64
            }
        } finally {
            sandbox.close()
        }
    }

    // Idle close and a reset between requests pass since the retry after a transport failure asks CIO for a fresh
    // connection. The `Connection: close` cases pass since the pipeline replaces the pool after such an answer
    // (http/HttpClients.kt; CIO 3.6.1 would otherwise hand the next GET to the closed connection, where it hangs until
    // the request timeout). PoolHygieneSpec has the single-attempt variants.
    context("the server closes keep-alive connections: the next call still succeeds") {
        val sandbox = closing
        val sid = sandbox.addSession(sandbox.addUser())
        beforeTest { sandbox.faults.clear() }

        test("idle timeout") {
            sandbox.faults.idleTimeoutMillis = 50
            val sleeper = RecordingSleeper()
            cioClient(sandbox, sleeper).use { c ->
                repeat(3) {
                    c.sessions.get(sid).id shouldBe sid
                    // the sandbox closes the idle connection; wait (bounded) until it has
                    awaitUntil(message = { "idle connection closed by the sandbox" }) { sandbox.stats.openConnections == 0 }
                }
                c.sessions.get(sid).id shouldBe sid
            }
        }

        test("Connection: close on every response") {
            sandbox.faults.alwaysCloseConnections = true
            cioClient(sandbox).use { c ->
                val before = sandbox.stats.connectionsAccepted
                repeat(20) { c.sessions.get(sid, RequestOptions { maxAttempts(1) }).id shouldBe sid }
                sandbox.stats.connectionsAccepted - before shouldBe 20
            }
        }

        test("one Connection: close response") {
            sandbox.faults.on(Route.GET_SESSION).connectionClose()
            cioClient(sandbox).use { c ->
                repeat(3) { c.sessions.get(sid, RequestOptions { maxAttempts(1) }).id shouldBe sid }
            }
        }

        test("reset right after a response (dead pooled connection)") {
            sandbox.faults.on(Route.GET_SESSION).resetAfterResponse().resetAfterResponse()
            val sleeper = RecordingSleeper()
            cioClient(sandbox, sleeper).use { c ->
                repeat(4) { c.sessions.get(sid).id shouldBe sid }
            }
        }
    }
})
