package dev.clerkkit.http.engine

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.http.RecordingSleeper
import dev.clerkkit.http.awaitUntil
import dev.clerkkit.http.createBodiesOf
import dev.clerkkit.http.mixedGetsAndCreates
import dev.clerkkit.http.sandboxClient
import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.ktor.client.engine.HttpClientEngine
import io.ktor.client.engine.okhttp.OkHttp
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withTimeout
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import okhttp3.ConnectionPool
import okhttp3.Dispatcher
import okhttp3.OkHttpClient
import java.security.KeyStore
import java.time.Duration
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * clerkkit on Ktor's OkHttp engine (OkHttp 5.x via ktor-client-okhttp 3.6.1), injected through `ClerkConfig.engine`
 * and built as docs/engines.md tells users to ([okHttpEngine]), over real sockets against the sandbox.
 *
 * What these tests pin:
 * - OkHttp reuses connections for POSTs too (CIO gives every POST its own connection, see [ConnectionReuseSpec]).
 * - With `retryOnConnectionFailure(false)` OkHttp never replays a request by itself, so clerkkit's rule holds: a
 *   `create` whose bytes may have reached the server is not sent again. Two controls show why the setting matters
 *   and where it must be set: Ktor's default OkHttp config, and a `preconfigured` OkHttpClient (Ktor applies its own
 *   default `retryOnConnectionFailure(true)` on top of it), both replay the POST.
 * - A connection the server closed while it sat in the pool (idle timeout, reset) is handed out again (OkHttp checks
 *   an HTTP/1.1 connection only after 10 s idle and only for non-GET requests): a GET then needs clerkkit's retry,
 *   a `create` fails with `mayHaveReachedServer = true` and is not retried. A pool keep-alive below the server's
 *   idle timeout avoids the idle case.
 *
 * Every test builds its own engine and closes it (the client never closes an injected engine).
 */
class OkHttpEngineSpec : FunSpec({
    val https = ClerkSandbox.start { this.https = true }
    val closing = ClerkSandbox.start()
    val faulty = ClerkSandbox.start()
    afterSpec { https.close(); closing.close(); faulty.close() }

    test("mixed GET and POST, 5,000 calls at 64 in flight: no error, every POST body intact, POSTs reuse connections too") {
        val sandbox = ClerkSandbox.start()
        val sleeper = RecordingSleeper()
        try {
            withOkHttp(sandbox, sleeper) { c ->
                val user = sandbox.addUser()
                val sid = sandbox.addSession(user)
                sandbox.clearRecordedRequests()
                sandbox.stats.reset()
                // Warm-up: 64 GETs held 500 ms each by the sandbox force 64 connections into the pool. Without it the
                // first burst opens up to 64 connections anyway, and as OkHttp's pool always hands out its oldest idle
                // connection, one opened by a POST in that burst may never be used again (measured: min 1 request).
                sandbox.faults.on(Route.GET_SESSION).repeat(64, Fault.Delay(500))
                withTimeout(30_000) { coroutineScope { List(64) { async { c.sessions.get(sid).id } }.awaitAll() } }.toSet() shouldBe setOf(sid)
                val warm = sandbox.stats.connectionsAccepted
                warm shouldBe 64L

                val ids = withTimeout(120_000) { mixedGetsAndCreates(c, sid, user) }
                ids.filterIndexed { i, _ -> i % 2 == 0 }.toSet() shouldBe setOf(sid)
                ids.filterIndexed { i, _ -> i % 2 == 1 } shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }
                sleeper.waits.size shouldBe 0 // no failure was retried either

                val recorded = sandbox.requests
                recorded.size shouldBe 64 + 5_000
                val posts = recorded.filter { it.route == Route.CREATE_SESSION }
                recorded.count { it.route == Route.GET_SESSION } shouldBe 64 + 2_500
                posts.size shouldBe 2_500
                // every POST body arrived intact: exactly the JSON the client sent, once each
                createBodiesOf(posts, user) shouldBe (0 until 5_000).filter { it % 2 == 1 }.map { "org_$it" }.sorted()

                val byConnection = recorded.groupBy { it.connectionId }
                val postConnections = byConnection.filterValues { rs -> rs.any { it.method == "POST" } }
                val total = sandbox.stats.connectionsAccepted
                // No slack needed: OkHttp releases a connection when the last body byte is read, before the call's
                // permit is released, so 64 in flight never hold more than 64 connections. (With OkHttp's default pool,
                // 5 idle connections, the same load opened ~700: see okHttpEngine.)
                total shouldBeLessThanOrEqual 64L
                byConnection.size shouldBeLessThanOrEqual 64
                // POSTs reuse: every connection that carried a POST carried more than one request (CIO: exactly one).
                postConnections.values.forEach { it.size shouldBeGreaterThan 1 }
            }
        } finally {
            sandbox.close()
        }
    }

    test("https: 200 sequential gets and 200 sequential creates open at most 2 connections") {
        val user = https.addUser()
        val sid = https.addSession(user)
        https.baseUrl shouldStartWith "https://"
        withOkHttp(https) { c ->
            val before = https.stats.connectionsAccepted
            repeat(200) { c.sessions.get(sid).id shouldBe sid }
            val afterGets = https.stats.connectionsAccepted - before
            repeat(200) { i -> c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_$i" }).lastActiveOrganizationId shouldBe "org_$i" }
            val opened = https.stats.connectionsAccepted - before
            opened shouldBeLessThanOrEqual 2L
        }
    }

    context("the server closes keep-alive connections") {
        val sandbox = closing
        val user = sandbox.addUser()
        val sid = sandbox.addSession(user)
        val once = RequestOptions { maxAttempts(1) }
        beforeTest { sandbox.faults.clear() }

        test("Connection: close on every response: the engine alone copes (maxAttempts 1), one connection per call") {
            sandbox.faults.alwaysCloseConnections = true
            withOkHttp(sandbox) { c ->
                val before = sandbox.stats.connectionsAccepted
                repeat(10) {
                    c.sessions.get(sid, once).id shouldBe sid
                    c.sessions.create(user, options = once).userId shouldBe user
                }
                sandbox.stats.connectionsAccepted - before shouldBe 20L
            }
        }

        test("one Connection: close response (on a get, then on a create): the engine alone copes (maxAttempts 1)") {
            withOkHttp(sandbox) { c ->
                c.sessions.get(sid, once)
                val before = sandbox.stats.connectionsAccepted
                sandbox.faults.on(Route.GET_SESSION).connectionClose()
                repeat(3) { c.sessions.get(sid, once).id shouldBe sid }
                sandbox.faults.on(Route.CREATE_SESSION).connectionClose()
                repeat(3) { c.sessions.create(user, options = once).userId shouldBe user }
                // one new connection after each close, no more
                sandbox.stats.connectionsAccepted - before shouldBe 2L
            }
        }

        // OkHttp hands out the pooled connection the server closed (no health check for GETs, and for other methods only
        // after 10 s idle); with retryOnConnectionFailure(false) the failure reaches clerkkit, whose retry (GET is
        // idempotent) sends the call again on a new connection. Exactly one retry per closed connection.
        test("idle timeout: the next get succeeds through clerkkit's retry (one per closed connection), not the engine alone") {
            sandbox.faults.idleTimeoutMillis = 50
            val sleeper = RecordingSleeper()
            withOkHttp(sandbox, sleeper) { c ->
                repeat(3) {
                    c.sessions.get(sid).id shouldBe sid
                    awaitUntil(message = { "idle connection closed by the sandbox" }) { sandbox.stats.openConnections == 0 }
                }
                c.sessions.get(sid).id shouldBe sid
                sleeper.waits.size shouldBeLessThanOrEqual 3
            }
        }

        test("idle timeout: a pool keep-alive below the server's idle timeout avoids it, even for a create (maxAttempts 1)") {
            sandbox.faults.idleTimeoutMillis = 3_000
            withOkHttp(sandbox, poolKeepAlive = Duration.ofMillis(200)) { c ->
                repeat(3) {
                    c.sessions.create(user, options = once).userId shouldBe user
                    // the client closes its idle connection first (200 ms), long before the sandbox would (3 s)
                    awaitUntil(message = { "idle connection closed by the client" }) { sandbox.stats.openConnections == 0 }
                }
                c.sessions.create(user, options = once).userId shouldBe user
            }
        }

        test("reset right after a response (dead pooled connection): the next get succeeds through clerkkit's retry") {
            val sleeper = RecordingSleeper()
            withOkHttp(sandbox, sleeper) { c ->
                sandbox.faults.on(Route.GET_SESSION).resetAfterResponse().resetAfterResponse()
                repeat(4) { c.sessions.get(sid).id shouldBe sid }
                sleeper.waits.size shouldBeLessThanOrEqual 2
            }
        }

        // The price of reusing connections for POSTs: the client cannot tell "the server closed the idle connection
        // before my request" from "the server read my request, then the connection broke", so create is not retried.
        test("known trade-off: a create on a pooled connection the server already reset fails, flagged, and is not replayed") {
            val sleeper = RecordingSleeper()
            withOkHttp(sandbox, sleeper) { c ->
                sandbox.faults.on(Route.GET_SESSION).resetAfterResponse()
                c.sessions.get(sid).id shouldBe sid
                sandbox.clearRecordedRequests()
                val e = shouldThrow<ClerkTransportException> { c.sessions.create(user) }
                e.mayHaveReachedServer shouldBe true
                sleeper.waits.size shouldBe 0
                sandbox.requests.count { it.route == Route.CREATE_SESSION } shouldBe 0 // it never arrived
                c.sessions.create(user, options = once).userId shouldBe user // and the next one gets a new connection
            }
        }
    }

    context("reset after reading a POST body") {
        val sandbox = faulty
        val user = sandbox.addUser()
        val sid = sandbox.addSession(user)
        beforeTest { sandbox.faults.clear(); sandbox.clearRecordedRequests() }

        // The POST goes on a connection that already carried a request: that is where OkHttp's own retry would replay
        // it (on a fresh connection to a single-address host it gives up), see the controls below.
        suspend fun postAfterReset(c: ClerkClient): Result<String> {
            c.sessions.get(sid).id shouldBe sid
            sandbox.faults.on(Route.CREATE_SESSION).resetAfterReadingBody()
            return runCatching { c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_reset" }).id }
        }

        test("create fails with mayHaveReachedServer = true and the sandbox saw the POST exactly once (no silent replay)") {
            val sleeper = RecordingSleeper()
            withOkHttp(sandbox, sleeper) { c ->
                val e = postAfterReset(c).exceptionOrNull().shouldBeInstanceOf<ClerkTransportException>()
                e.mayHaveReachedServer shouldBe true
                sleeper.waits.size shouldBe 0
                val posts = sandbox.requests.filter { it.route == Route.CREATE_SESSION }
                posts.size shouldBe 1
                Json.parseToJsonElement(posts.single().body).jsonObject["active_organization_id"]!!.jsonPrimitive.content shouldBe "org_reset"
            }
        }

        for ((what, make) in listOf<Pair<String, () -> io.ktor.client.engine.HttpClientEngine>>(
            "Ktor's default OkHttp config (retryOnConnectionFailure(true)) replays the POST: a duplicate create" to
                { OkHttp.create() },
            "retryOnConnectionFailure(false) on a preconfigured OkHttpClient is overridden by Ktor: the POST is replayed" to
                { OkHttp.create { preconfigured = OkHttpClient.Builder().retryOnConnectionFailure(false).build() } },
        )) {
            test("control: $what") {
                val engine = make()
                try {
                    sandboxClient(sandbox) { this.engine = engine }.use { c ->
                        postAfterReset(c).isSuccess shouldBe true
                        sandbox.requests.count { it.route == Route.CREATE_SESSION } shouldBe 2
                    }
                } finally {
                    engine.close()
                }
            }
        }
    }
})

/**
 * The OkHttp engine exactly as docs/engines.md tells users to build it (keep the two in sync):
 * - `retryOnConnectionFailure(false)`: clerkkit's retry loop decides; OkHttp would otherwise replay POSTs.
 * - a dispatcher allowing as many calls per host as clerkkit's CIO default (`maxConnections` 256); OkHttp's default
 *   runs 5 calls per host at once and queues the rest.
 * - a pool that keeps as many idle connections (OkHttp's default keeps 5 and closes the rest, so busy clients churn
 *   connections) for [poolKeepAlive], default 20 s like clerkkit's CIO `keepAliveTime`: below the usual 60 s
 *   server idle timeouts, so the client closes an idle connection before the server does.
 * - over https with a private CA (here: the sandbox's self-signed certificate), trust configured on the engine:
 *   `ClerkConfig.trustStore` applies to the built-in CIO engine only.
 */
internal fun okHttpEngine(trustStore: KeyStore? = null, poolKeepAlive: Duration = Duration.ofSeconds(20)): HttpClientEngine =
    OkHttp.create {
        config {
            retryOnConnectionFailure(false)
            dispatcher(Dispatcher().apply { maxRequests = 256; maxRequestsPerHost = 256 })
            connectionPool(ConnectionPool(256, poolKeepAlive.toMillis(), TimeUnit.MILLISECONDS))
            trustStore?.let { store ->
                val tm = trustManagerFor(store)
                sslSocketFactory(SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }.socketFactory, tm)
            }
        }
    }

private fun trustManagerFor(store: KeyStore): X509TrustManager {
    val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    factory.init(store)
    return factory.trustManagers.filterIsInstance<X509TrustManager>().first()
}

/** A client on a fresh [okHttpEngine] for [sandbox]; the engine is closed afterwards (the client does not close it). */
private suspend fun withOkHttp(
    sandbox: ClerkSandbox,
    sleeper: RecordingSleeper = RecordingSleeper(),
    poolKeepAlive: Duration = Duration.ofSeconds(20),
    block: suspend (ClerkClient) -> Unit,
) {
    val engine = okHttpEngine(sandbox.trustStore, poolKeepAlive)
    try {
        sandboxClient(sandbox, sleeper) { this.engine = engine }.use { block(it) }
    } finally {
        engine.close()
    }
}
