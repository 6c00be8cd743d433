package dev.clerkkit.transport

import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.BuiltInEngine
import dev.clerkkit.ClerkClient
import dev.clerkkit.LogLevel
import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.reliability.RecordingSleeper
import dev.clerkkit.reliability.awaitUntil
import dev.clerkkit.reliability.createBodiesOf
import dev.clerkkit.reliability.mixedGetsAndCreates
import dev.clerkkit.reliability.sandboxClient
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.io.File
import java.time.Duration

/**
 * The transport over real sockets: which engine carries reads and writes, connection reuse for every method, and the
 * reliability targets of the transport work (cancellation, head-of-line, threads on close, credentials in logs).
 * Default client = [BuiltInEngine.OKHTTP]; the two-lane mode ([BuiltInEngine.CIO_READS_OKHTTP_WRITES]) where writes matter.
 */
class TransportSpec : FunSpec({

    fun threadsNow(): Set<String> = Thread.getAllStackTraces().keys.filter { it.isAlive && it.name.startsWith("clerkkit-") }.map { it.name }.toSet()

    context("5,000 mixed GET and POST calls at 64 in flight: every body intact, no error, POSTs on reused connections") {
        listOf(
            Triple("default (OkHttp), http", BuiltInEngine.OKHTTP, false),
            Triple("default (OkHttp), https", BuiltInEngine.OKHTTP, true),
            Triple("CIO reads + OkHttp writes, http", BuiltInEngine.CIO_READS_OKHTTP_WRITES, false),
            Triple("CIO reads + OkHttp writes, https", BuiltInEngine.CIO_READS_OKHTTP_WRITES, true),
        ).forEach { (what, engine, https) ->
            test(what) {
                val sandbox = ClerkSandbox.start { this.https = https }
                val sleeper = RecordingSleeper()
                try {
                    sandboxClient(sandbox, sleeper) { builtInEngine = engine }.use { c ->
                        val user = sandbox.addUser()
                        val sid = sandbox.addSession(user)
                        sandbox.clearRecordedRequests()
                        sandbox.stats.reset()
                        val before = sandbox.stats.connectionsAccepted

                        val ids = withTimeout(120_000) { mixedGetsAndCreates(c, sid, user) }

                        ids.filterIndexed { i, _ -> i % 2 == 0 }.toSet() shouldBe setOf(sid)
                        ids.filterIndexed { i, _ -> i % 2 == 1 } shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }
                        sleeper.waits.size shouldBe 0 // nothing failed, nothing was retried
                        val recorded = sandbox.requests
                        recorded.size shouldBe 5_000
                        val posts = recorded.filter { it.route == Route.CREATE_SESSION }
                        posts.size shouldBe 2_500
                        createBodiesOf(posts, user) shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }.sorted()

                        val opened = sandbox.stats.connectionsAccepted - before
                        // a POST that opened its connection is the first request recorded on it
                        val firstOnConnection = recorded.groupBy { it.connectionId }.values.map { it.first() }
                        val postsThatOpened = firstOnConnection.count { it.method == "POST" }
                        println("$what: $opened connections for 5,000 calls; $postsThatOpened of 2,500 POSTs opened one")
                        // 64 in flight need at most 64 connections per lane (two lanes: 64 + 64)
                        opened shouldBeLessThanOrEqual if (engine == BuiltInEngine.OKHTTP) 64L else 128L
                        postsThatOpened shouldBeLessThanOrEqual 64
                    }
                } finally {
                    sandbox.close()
                }
            }
        }
    }

    context("reset after a POST body was read: typed error, the POST seen once (write lane)") {
        listOf(BuiltInEngine.OKHTTP, BuiltInEngine.CIO_READS_OKHTTP_WRITES, BuiltInEngine.CIO).forEach { engine ->
            test("$engine") {
                val sandbox = ClerkSandbox.start()
                try {
                    sandboxClient(sandbox) { builtInEngine = engine }.use { c ->
                        val user = sandbox.addUser()
                        c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_warm" }) // a pooled connection exists where the engine pools writes
                        sandbox.clearRecordedRequests()
                        sandbox.faults.on(Route.CREATE_SESSION).resetAfterReadingBody()
                        val e = shouldThrow<ClerkTransportException> { c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_once" }) }
                        e.mayHaveReachedServer.shouldBeTrue()
                        e.attempts shouldBe 1
                        sandbox.requests.count { it.route == Route.CREATE_SESSION } shouldBe 1
                        // and the client goes on working on the same lane
                        c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_after" }).lastActiveOrganizationId shouldBe "org_after"
                    }
                } finally {
                    sandbox.close()
                }
            }
        }
    }

    test("cancelling 1,000 held calls: the next call of another session is not stuck behind them, their connections close") {
        val sandbox = ClerkSandbox.start()
        try {
            sandboxClient(sandbox) { maxConnections = 256; keepAliveTime = Duration.ofSeconds(2) }.use { c ->
                val user = sandbox.addUser()
                val held = sandbox.addSession(user)
                val other = sandbox.addSession(user)
                c.sessions.get(other).id shouldBe other
                sandbox.faults.on("GET", "/v1/sessions/$held").repeat(1_000, dev.clerkkit.testkit.Fault.Delay(2_000))
                coroutineScope {
                    val calls = List(1_000) { launch(start = CoroutineStart.UNDISPATCHED) { runCatching { c.sessions.get(held) } } }
                    awaitUntil(20_000, { "256 calls held (saw ${sandbox.stats.requests(Route.GET_SESSION)})" }) {
                        sandbox.stats.requests(Route.GET_SESSION) >= 1 + 256
                    }
                    calls.forEach { it.cancel() }
                    calls.forEach { it.join() }
                }
                val started = System.nanoTime()
                withTimeout(10_000) { c.sessions.get(other, RequestOptions { maxAttempts(1) }).id } shouldBe other
                val tookMs = (System.nanoTime() - started) / 1_000_000
                println("next call after cancelling 1,000 held calls: $tookMs ms; open connections at the server: ${sandbox.stats.openConnections}")
                // the connections of the cancelled calls are closed by the client (OkHttp cancels by closing the socket)
                awaitUntil(5_000, { "open connections ${sandbox.stats.openConnections}" }) { sandbox.stats.openConnections <= 1 }
                // the held requests reached the server at most once each: cancelled calls are not retried
                sandbox.stats.requests(Route.GET_SESSION) shouldBeLessThanOrEqual 1L + 1_000L + 1L
            }
        } finally {
            sandbox.close()
        }
    }

    test("head-of-line: a call never waits behind another call's pending answer") {
        val sandbox = ClerkSandbox.start()
        try {
            sandboxClient(sandbox).use { c ->
                val user = sandbox.addUser()
                val slow = sandbox.addSession(user)
                val fast = sandbox.addSession(user)
                c.sessions.get(fast) // one pooled connection, idle
                sandbox.faults.on("GET", "/v1/sessions/$slow").delay(3_000)
                coroutineScope {
                    val slowCall = async { c.sessions.get(slow).id }
                    awaitUntil(5_000, { "slow call at the server" }) { sandbox.requests.any { it.rawPath.endsWith(slow) } }
                    c.sessions.get(fast).id shouldBe fast
                    slowCall.isCompleted.shouldBeFalse() // the fast answer did not wait for the slow one
                    slowCall.await() shouldBe slow
                }
            }
        } finally {
            sandbox.close()
        }
    }

    context("close() releases every thread, also after failed TLS handshakes (untrusted certificate)") {
        listOf(BuiltInEngine.OKHTTP, BuiltInEngine.CIO_READS_OKHTTP_WRITES, BuiltInEngine.CIO).forEach { engine ->
            test("$engine: 50 clients") {
                val https = ClerkSandbox.start { this.https = true }
                try {
                    val before = threadsNow()
                    repeat(50) {
                        ClerkClient {
                            secretKey = https.secretKey
                            baseUrl = https.baseUrl // no trust store: the handshake fails
                            builtInEngine = engine
                        }.use { c ->
                            val e = shouldThrow<ClerkTransportException> { c.sessions.get("sess_x", RequestOptions { maxAttempts(1) }) }
                            e.mayHaveReachedServer.shouldBeFalse()
                            shouldThrow<ClerkTransportException> { c.sessions.revoke("sess_x", RequestOptions { maxAttempts(1) }) }
                        }
                    }
                    awaitUntil(15_000, { "threads left: ${threadsNow() - before}" }) { (threadsNow() - before).isEmpty() }
                    (threadsNow() - before).shouldBeEmpty()
                } finally {
                    https.close()
                }
            }
        }
    }

    test("close() closes both lanes: their connections and threads") {
        val sandbox = ClerkSandbox.start()
        try {
            val before = threadsNow()
            val c = sandboxClient(sandbox) { builtInEngine = BuiltInEngine.CIO_READS_OKHTTP_WRITES }
            val user = sandbox.addUser()
            val sid = sandbox.addSession(user)
            coroutineScope { List(8) { async { c.sessions.get(sid); c.sessions.createToken(sid) } }.forEach { it.await() } }
            (sandbox.stats.openConnections > 0).shouldBeTrue()
            c.close()
            awaitUntil(10_000, { "open connections ${sandbox.stats.openConnections}" }) { sandbox.stats.openConnections == 0 }
            awaitUntil(10_000, { "threads left: ${threadsNow() - before}" }) { (threadsNow() - before).isEmpty() }
        } finally {
            sandbox.close()
        }
    }

    test("idle connections: kept for keepAliveTime (default 5 min) for reads and writes, closed after it") {
        val sandbox = ClerkSandbox.start()
        try {
            val user = sandbox.addUser()
            val sid = sandbox.addSession(user)
            sandboxClient(sandbox).use { c ->
                c.config.keepAliveTime shouldBe Duration.ofMinutes(5)
                c.sessions.get(sid)
                c.sessions.createToken(sid)
                val opened = sandbox.stats.connectionsAccepted
                delay(3_000)
                c.sessions.get(sid)
                c.sessions.createToken(sid)
                c.sessions.revoke(sandbox.addSession(user))
                sandbox.stats.connectionsAccepted shouldBe opened // no new connection, no handshake after the idle time
            }
            sandboxClient(sandbox) { keepAliveTime = Duration.ofSeconds(1) }.use { c ->
                c.sessions.get(sid)
                (sandbox.stats.openConnections >= 1).shouldBeTrue()
                // OkHttp's pool evicts after keepAliveTime (its cleanup runs then): the client closed the connection
                awaitUntil(10_000, { "open connections ${sandbox.stats.openConnections}" }) { sandbox.stats.openConnections == 0 }
                c.sessions.get(sid).id shouldBe sid
            }
        } finally {
            sandbox.close()
        }
    }

    test("logLevel BODY: minted session tokens, refresh tokens and the secret key never reach the log") {
        val sandbox = ClerkSandbox.start()
        try {
            val user = sandbox.addUser()
            val sid = sandbox.addSession(user)
            val refreshToken = "rt_" + java.util.UUID.randomUUID().toString().replace("-", "")
            val minted = mutableListOf<String>()
            sandboxClient(sandbox) { logLevel = LogLevel.BODY }.use { c ->
                minted += c.sessions.createToken(sid).jwt
                val expired = sandbox.issueToken(sid, lifetimeSeconds = 60)
                val refreshed = c.sessions.refresh(RefreshSessionParams { sessionId = sid; expiredToken = expired; this.refreshToken = refreshToken; requestOrigin = "https://example.com" })
                minted += expired
                minted += (refreshed as dev.clerkkit.sessions.SessionRefresh.Token).jwt
            }
            val log = File("target/client-test.log").readText()
            log shouldContain "/v1/sessions/$sid/tokens" // BODY logging of this test did reach the file
            log shouldContain "[REDACTED]"
            minted.forEach { log shouldNotContain it }
            log shouldNotContain refreshToken
            log shouldNotContain sandbox.secretKey
        } finally {
            sandbox.close()
        }
    }
})
