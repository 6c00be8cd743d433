package dev.clerkkit.bench

import com.clerk.backend_api.Clerk
import com.clerk.backend_api.models.operations.RefreshSessionRequestBody
import com.clerk.backend_api.utils.HTTPClient
import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionStatus
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import java.io.InputStream
import java.net.URI
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.KeyStore
import java.time.Duration
import java.util.Optional
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicInteger

/** A clerkkit configuration under test in the link phase: [configure] runs on the builder after URL, key and trust store are set. */
class ClerkVariant(val label: String, val configure: ClerkConfig.Builder.() -> Unit)

/**
 * The clerkkit configurations the link phase compares (next to Clerk's official SDK): the default (OkHttp for every
 * call), CIO reads with OkHttp writes, CIO only, and the JDK's HttpClient (JAVA).
 */
object LinkVariants {
    val clerkkit: List<ClerkVariant> = listOf(
        ClerkVariant("clerkkit default (OkHttp)") { },
        ClerkVariant("clerkkit CIO reads, OkHttp writes") { builtInEngine = dev.clerkkit.BuiltInEngine.CIO_READS_OKHTTP_WRITES },
        ClerkVariant("clerkkit on CIO only") { builtInEngine = dev.clerkkit.BuiltInEngine.CIO },
        ClerkVariant("clerkkit on the JDK client (JAVA)") { builtInEngine = dev.clerkkit.BuiltInEngine.JAVA },
    )
}

/** The four calls the link phase times. */
enum class LinkOp(val label: String) {
    GET("get"),
    CREATE_TOKEN("createToken"),
    REVOKE("revoke"),
    REFRESH("refresh"),
}

/** One client under test in the link phase; calls one at a time except in [concurrentGets]. */
abstract class LinkClient(val label: String) : AutoCloseable {
    /** One call of [op] about [sessionId]; [refreshJwt] is the `expired_token` that refresh sends. Throws on failure. */
    abstract suspend fun call(op: LinkOp, sessionId: String, refreshJwt: String)

    /** [n] concurrent `get`s of [sessionId]; returns how many failed. */
    abstract fun concurrentGets(n: Int, sessionId: String): Int
}

/** Refresh input the sandbox accepts: any non-blank refresh token and origin (it checks the JWT's signature and session). */
private const val REFRESH_TOKEN = "bench-refresh-token"
private const val ORIGIN = "https://app.example.test"

/** clerkkit Kotlin as [variant] configures it; calls from Dispatchers.Default. */
class ClerkLinkClient(variant: ClerkVariant, url: String, key: String, store: KeyStore?) : LinkClient(variant.label) {
    private val client = ClerkClient {
        baseUrl = url
        secretKey = key
        trustStore = store
        rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF // the sandbox's key is sk_test_: 100 per 10 s would cap the phase
        variant.configure(this)
    }
    private val refreshParams = { sid: String, jwt: String ->
        RefreshSessionParams {
            sessionId = sid
            expiredToken = jwt
            refreshToken = REFRESH_TOKEN
            requestOrigin = ORIGIN
        }
    }

    override suspend fun call(op: LinkOp, sessionId: String, refreshJwt: String) {
        val s = client.sessions
        when (op) {
            LinkOp.GET -> check(s.get(sessionId).id == sessionId)
            LinkOp.CREATE_TOKEN -> check(s.createToken(sessionId).jwt.isNotEmpty())
            LinkOp.REVOKE -> check(s.revoke(sessionId).status == SessionStatus.REVOKED)
            LinkOp.REFRESH -> check(s.refresh(refreshParams(sessionId, refreshJwt)) is SessionRefresh.Token)
        }
    }

    override fun concurrentGets(n: Int, sessionId: String): Int = runBlocking(Dispatchers.Default) {
        (1..n).map { async { runCatching { call(LinkOp.GET, sessionId, "") }.isFailure } }.awaitAll().count { it }
    }

    override fun close() {
        client.close()
        client.config.engine?.close() // injected: not closed by the client
    }
}

/** Clerk's official Java SDK on a JDK HttpClient that trusts the sandbox (as driver (c)); one platform thread per call. */
class SdkLinkClient(url: String, key: String, store: KeyStore?) : LinkClient("official SDK 5.0.0") {
    private val jdk: java.net.http.HttpClient = java.net.http.HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .apply { store?.let { sslContext(sslContext(it)) } }
        .build()
    private val sdk: Clerk = Clerk.builder().bearerAuth(key).serverURL(url).client(
        object : HTTPClient {
            override fun send(request: HttpRequest): HttpResponse<InputStream> = jdk.send(request, HttpResponse.BodyHandlers.ofInputStream())
        },
    ).build()

    override suspend fun call(op: LinkOp, sessionId: String, refreshJwt: String) = callBlocking(op, sessionId, refreshJwt)

    private fun callBlocking(op: LinkOp, sessionId: String, refreshJwt: String) {
        val s = sdk.sessions()
        when (op) {
            LinkOp.GET -> check(s.get(sessionId).session().get().id() == sessionId)
            LinkOp.CREATE_TOKEN -> check(s.createToken(sessionId).`object`().get().jwt().isPresent)
            LinkOp.REVOKE -> check(s.revoke(sessionId).session().get().id() == sessionId)
            LinkOp.REFRESH -> {
                val body = RefreshSessionRequestBody(refreshJwt, REFRESH_TOKEN, ORIGIN)
                check(s.refresh(sessionId, Optional.of(body), Optional.empty()).sessionRefresh().isPresent)
            }
        }
    }

    override fun concurrentGets(n: Int, sessionId: String): Int {
        val failed = AtomicInteger()
        val go = CountDownLatch(1)
        val threads = (1..n).map { i ->
            Thread {
                go.await()
                runCatching { callBlocking(LinkOp.GET, sessionId, "") }.onFailure { failed.incrementAndGet() }
            }.apply { isDaemon = true; name = "sdk-link-$i"; start() }
        }
        go.countDown()
        threads.forEach { it.join() }
        return failed.get()
    }

    override fun close() {} // java.net.http.HttpClient has no close() on JDK 17: its connections go with it
}

/**
 * The `link` phase: the four session calls over https through a [DelayProxy] (a link with real round trips), warm,
 * after idle, and as a burst from a cold client. See [Main] for the options and RESULTS.md for the tables.
 */
class LinkPhase(private val emit: (String) -> Unit, quick: Boolean) {
    private val delays = (System.getProperty("bench.linkDelays") ?: "10,0").split(',').map { it.trim().toLong() }
    private val warmCalls = System.getProperty("bench.linkWarmCalls")?.toInt() ?: if (quick) 5 else 30
    private val calls = System.getProperty("bench.linkCalls")?.toInt() ?: if (quick) 10 else 50
    private val idleMs = System.getProperty("bench.idleMs")?.toLong() ?: 60_000L
    private val burst = System.getProperty("bench.linkBurst")?.toInt() ?: 64

    /** Calls per operation of a throwaway client of each kind at D = 0 before anything is measured (JIT warm-up for all kinds). */
    private val jvmWarmCalls = System.getProperty("bench.linkJvmWarmCalls")?.toInt() ?: if (quick) 10 else 100

    /** The sandbox closes idle connections only after this (longer than any idle here), so idle results show the clients' own pool policy. */
    private val serverIdleMs = System.getProperty("bench.linkServerIdleMs")?.toLong() ?: maxOf(300_000L, idleMs * 2)

    private class Row(val client: String, val op: LinkOp, val millis: List<Double>, val newConns: Long, val errors: Int, val lastError: String?)
    private class IdleRow(val client: String, val op: LinkOp, val millis: Double, val newConns: Long, val error: String?)
    private class BurstRow(val client: String, val wallMs: Double, val newConns: Long, val errors: Int)

    fun run() {
        emit("\n## Link phase: https through a delaying proxy (D ms each way, first client bytes of a connection held 2·D more)\n")
        emit(
            "- sandbox in a separate JVM over https (idle connections closed by the server after ${serverIdleMs / 1000} s); " +
                "one proxy per client, so connections are counted per client; sessions for revoke and the refresh JWT made " +
                "beforehand by an admin client that does not go through the proxies",
        )
        emit("- warm: $warmCalls warm-up calls then $calls timed calls per operation, 1 in flight; idle: ${idleMs / 1000.0} s before each call; burst: $burst concurrent gets from a new client")
        emit("- load average at start: ${Machine.loadAverage()}")
        SandboxProcess(https = true, idleTimeoutMs = serverIdleMs).use { sandbox ->
            val t = sandbox.target
            val admin = ClerkClient { // the default engine pools POSTs too: creating sessions stays cheap
                baseUrl = t.baseUrl
                secretKey = t.secretKey
                trustStore = t.trustStore
                rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF
            }
            try {
                val userId = runBlocking { admin.sessions.get(t.sessionId).userId }
                val jwt = runBlocking { admin.sessions.createToken(t.sessionId).jwt }
                val newSessions = { n: Int -> runBlocking { (1..n).map { admin.sessions.create(userId).id } } }
                jvmWarmUp(t, jwt, newSessions)
                for (d in delays) runDelay(d, t, jwt, newSessions)
            } finally {
                admin.close()
                admin.config.engine?.close()
            }
        }
    }

    private fun makers(t: Target): List<Pair<String, (String) -> LinkClient>> =
        LinkVariants.clerkkit.map { v -> v.label to { url: String -> ClerkLinkClient(v, url, t.secretKey, t.trustStore) as LinkClient } } +
            ("official SDK 5.0.0" to { url: String -> SdkLinkClient(url, t.secretKey, t.trustStore) })

    /**
     * The code of every client kind compiled before any measurement: otherwise the first client measured in this fresh
     * JVM pays the JIT's warm-up (seen as "clerkkit default" slower than the identical "CIO only").
     */
    private fun jvmWarmUp(t: Target, jwt: String, newSessions: (Int) -> List<String>) {
        val target = URI(t.baseUrl)
        val t0 = System.nanoTime()
        var errors = 0
        for ((_, make) in makers(t)) {
            DelayProxy(target.host, target.port, 0).use { p ->
                make(URI(target.scheme, null, target.host, p.port, target.path, null, null).toString()).use { c ->
                    for (op in LinkOp.values()) {
                        val ids = if (op == LinkOp.REVOKE) newSessions(jvmWarmCalls) else List(jvmWarmCalls) { t.sessionId }
                        runBlocking(Dispatchers.Default) { for (id in ids) runCatching { c.call(op, id, jwt) }.onFailure { errors++ } }
                    }
                    c.concurrentGets(burst, t.sessionId)
                }
            }
        }
        emit("- JVM warm-up: a throwaway client of each kind, $jvmWarmCalls calls per operation + one burst at D = 0, ${"%.0f".format((System.nanoTime() - t0) / 1e9)} s, $errors errors; load ${Machine.loadAverage()}")
    }

    private fun runDelay(d: Long, t: Target, jwt: String, newSessions: (Int) -> List<String>) {
        val target = URI(t.baseUrl)
        val makers = makers(t)
        val proxies = makers.map { DelayProxy(target.host, target.port, d) }
        fun urlOf(p: DelayProxy) = URI(target.scheme, null, target.host, p.port, target.path, null, null).toString()
        val clients = makers.mapIndexed { i, (_, make) -> make(urlOf(proxies[i])) }
        try {
            emit("\n### D = $d ms one way${if (d > 0) " (round trip ${2 * d} ms)" else " (no delay)"}\n")

            // ---- warm, 1 in flight
            val rows = mutableListOf<Row>()
            for ((i, c) in clients.withIndex()) {
                for (op in LinkOp.values()) {
                    val ids = if (op == LinkOp.REVOKE) newSessions(warmCalls + calls) else List(warmCalls + calls) { t.sessionId }
                    val times = ArrayList<Double>(calls)
                    var errors = 0
                    var lastError: String? = null
                    var conns0 = 0L
                    runBlocking(Dispatchers.Default) {
                        for ((k, id) in ids.withIndex()) {
                            if (k == warmCalls) conns0 = proxies[i].connectionsAccepted
                            val t0 = System.nanoTime()
                            try {
                                c.call(op, id, jwt)
                                if (k >= warmCalls) times += (System.nanoTime() - t0) / 1e6
                            } catch (e: Exception) {
                                if (k >= warmCalls) errors++
                                lastError = describe(e)
                            }
                        }
                    }
                    rows += Row(c.label, op, times, proxies[i].connectionsAccepted - conns0, errors, lastError)
                        .also { println("  link D=$d ${it.client} ${op.label}: p50 ${fmt(pct(it.millis, 0.5))} ms, conns ${it.newConns}, errors ${it.errors}${it.lastError?.let { e -> " ($e)" } ?: ""}") }
                }
            }
            emit("Warm, 1 in flight ($calls calls each after $warmCalls warm-up calls; load ${Machine.loadAverage()}):\n")
            if (d > 0) {
                emit("| D = $d ms | operation | p50 ms | p90 ms | p50 round trips | p90 round trips | new connections / call | errors |")
                emit("|---|---|---:|---:|---:|---:|---:|---:|")
            } else {
                emit("| D = 0 | operation | p50 ms | p90 ms | new connections / call | errors |")
                emit("|---|---|---:|---:|---:|---:|")
            }
            for (r in rows) {
                val p50 = pct(r.millis, 0.5)
                val p90 = pct(r.millis, 0.9)
                val rtt = if (d > 0) " ${fmt(p50 / (2 * d))} | ${fmt(p90 / (2 * d))} |" else ""
                val n = r.millis.size + r.errors
                emit("| ${r.client} | ${r.op.label} | ${fmt(p50)} | ${fmt(p90)} |$rtt ${if (n == 0) "–" else "%.2f".format(r.newConns.toDouble() / n)} | ${r.errors}${r.lastError?.let { " ($it)" } ?: ""} |")
            }

            // ---- after idle: the clients' sequences run side by side (each client one call at a time)
            val idleIds = clients.map { newSessions(1).single() }
            val idleRows = Array(clients.size) { mutableListOf<IdleRow>() }
            val threads = clients.mapIndexed { i, c ->
                Thread {
                    // The client's last activity before the first idle: one untimed get (its GET connection was otherwise
                    // last used back in its own warm section, while the other clients warmed up).
                    runCatching { runBlocking(Dispatchers.Default) { c.call(LinkOp.GET, t.sessionId, jwt) } }
                    for (op in LinkOp.values()) {
                        Thread.sleep(idleMs)
                        val id = if (op == LinkOp.REVOKE) idleIds[i] else t.sessionId
                        val conns0 = proxies[i].connectionsAccepted
                        val t0 = System.nanoTime()
                        val error = runCatching { runBlocking(Dispatchers.Default) { c.call(op, id, jwt) } }.exceptionOrNull()?.let(::describe)
                        val ms = (System.nanoTime() - t0) / 1e6
                        idleRows[i] += IdleRow(c.label, op, ms, proxies[i].connectionsAccepted - conns0, error)
                    }
                }.apply { isDaemon = true; name = "link-idle-$i"; start() }
            }
            threads.forEach { it.join() }
            emit("\nAfter ${"%.0f".format(idleMs / 1000.0)} s idle (one call each; the clients' idle sequences ran side by side; load ${Machine.loadAverage()}):\n")
            if (d > 0) {
                emit("| D = $d ms, after idle | operation | ms | round trips | opened a connection |")
                emit("|---|---|---:|---:|---|")
            } else {
                emit("| D = 0, after idle | operation | ms | opened a connection |")
                emit("|---|---|---:|---|")
            }
            for (r in idleRows.flatMap { it }) {
                val rtt = if (d > 0) " ${fmt(r.millis / (2 * d))} |" else ""
                val opened = if (r.newConns == 0L) {
                    "no"
                } else if (r.newConns == 1L) {
                    "yes"
                } else {
                    "yes (${r.newConns})"
                }
                emit("| ${r.client} | ${r.op.label} | ${fmt(r.millis)} |$rtt $opened${r.error?.let { " — error: $it" } ?: ""} |")
            }

            // ---- burst of concurrent gets from a new client (same proxy, counted by delta)
            val bursts = makers.mapIndexed { i, (label, make) ->
                make(urlOf(proxies[i])).use { c ->
                    val conns0 = proxies[i].connectionsAccepted
                    val t0 = System.nanoTime()
                    val errors = c.concurrentGets(burst, t.sessionId)
                    BurstRow(label, (System.nanoTime() - t0) / 1e6, proxies[i].connectionsAccepted - conns0, errors)
                }
            }
            emit("\n$burst concurrent gets from a new (cold) client (load ${Machine.loadAverage()}):\n")
            if (d > 0) {
                emit("| D = $d ms, $burst concurrent gets | wall ms | wall round trips | connections opened | errors |")
                emit("|---|---:|---:|---:|---:|")
            } else {
                emit("| D = 0, $burst concurrent gets | wall ms | connections opened | errors |")
                emit("|---|---:|---:|---:|")
            }
            for (b in bursts) {
                val rtt = if (d > 0) " ${fmt(b.wallMs / (2 * d))} |" else ""
                emit("| ${b.client} | ${fmt(b.wallMs)} |$rtt ${b.newConns} | ${b.errors} |")
            }
        } finally {
            clients.forEach { runCatching { it.close() } }
            proxies.forEach { it.close() }
        }
    }

    private companion object {
        /** Nearest-rank percentile of [values] (NaN when empty). */
        fun pct(values: List<Double>, p: Double): Double {
            if (values.isEmpty()) return Double.NaN
            val sorted = values.sorted()
            return sorted[(kotlin.math.ceil(p * sorted.size).toInt() - 1).coerceIn(0, sorted.size - 1)]
        }

        fun fmt(v: Double): String = if (v.isNaN()) {
            "–"
        } else if (v >= 100) {
            "%.0f".format(v)
        } else {
            "%.1f".format(v)
        }

        /** Exception class only: messages may quote request data. */
        fun describe(e: Throwable): String = e.javaClass.simpleName
    }
}
