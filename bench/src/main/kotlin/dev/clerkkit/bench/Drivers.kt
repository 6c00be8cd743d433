package dev.clerkkit.bench

import com.clerk.backend_api.Clerk
import com.clerk.backend_api.utils.HTTPClient
import dev.clerkkit.ClerkClient
import dev.clerkkit.java.ClerkJavaClient
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.Session
import io.ktor.client.HttpClient
import io.ktor.client.engine.HttpClientEngine
import io.ktor.client.engine.cio.CIO
import io.ktor.client.engine.okhttp.OkHttp
import io.ktor.client.request.header
import io.ktor.client.request.prepareGet
import io.ktor.client.statement.bodyAsChannel
import io.ktor.utils.io.readRemaining
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.io.readByteArray
import okhttp3.ConnectionPool
import java.io.InputStream
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.security.KeyStore
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/** Where the sandbox is. */
class Target(val baseUrl: String, val secretKey: String, val sessionId: String, val trustStore: KeyStore?)

/** Latencies of the measured window (lock-free, preallocated) plus call/error counters. */
class Recorder(capacity: Int = 8_000_000) {
    @Volatile var measuring = false
    private val lat = LongArray(capacity)
    private val idx = AtomicInteger()
    val errors = AtomicLong()
    val allCalls = AtomicLong()
    @Volatile var lastError: Throwable? = null

    fun record(nanos: Long) {
        allCalls.incrementAndGet()
        if (!measuring) return
        val i = idx.getAndIncrement()
        if (i < lat.size) lat[i] = nanos
    }

    fun error(e: Throwable) {
        errors.incrementAndGet()
        lastError = e
    }

    val measured: Int get() = minOf(idx.get(), lat.size)

    fun percentileMicros(p: Double): Double {
        val n = measured
        if (n == 0) return Double.NaN
        val copy = lat.copyOf(n)
        copy.sort()
        return copy[((n - 1) * p).toInt()] / 1000.0
    }
}

/** One client under test: runs [concurrency] closed loops of `get` until [stop]; the returned function joins them. */
abstract class Driver(val label: String) : AutoCloseable {
    abstract fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean): () -> Unit
}

private const val API_VERSION = "2026-05-12"

fun trustManager(store: KeyStore): X509TrustManager {
    val f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    f.init(store)
    return f.trustManagers.filterIsInstance<X509TrustManager>().first()
}

fun sslContext(store: KeyStore): SSLContext {
    val f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    f.init(store)
    return SSLContext.getInstance("TLS").apply { init(null, f.trustManagers, null) }
}

/** Coroutine closed loops on [dispatcher]. */
private fun coroutineLoops(dispatcher: CoroutineDispatcher, n: Int, rec: Recorder, stop: AtomicBoolean, call: suspend () -> Unit): () -> Unit {
    val scope = CoroutineScope(SupervisorJob() + dispatcher)
    val jobs: List<Job> = (1..n).map {
        scope.launch {
            while (!stop.get()) {
                val t = System.nanoTime()
                try {
                    call()
                    rec.record(System.nanoTime() - t)
                } catch (e: Exception) {
                    if (e is kotlinx.coroutines.CancellationException) throw e
                    rec.error(e)
                }
            }
        }
    }
    return { runBlocking { jobs.joinAll() }; scope.cancel() }
}

/**
 * (a) clerkkit Kotlin: `ClerkClient.sessions.get` (or `revoke` when [post]: a cheap, repeatable POST), callers on
 * Dispatchers.Default (a typical suspend caller).
 */
class OursKotlin(
    private val t: Target,
    private val post: Boolean = false,
    engine: dev.clerkkit.BuiltInEngine = dev.clerkkit.BuiltInEngine.OKHTTP,
    label: String = "clerkkit Kotlin (suspend)",
) : Driver(label) {
    val client = ClerkClient {
        baseUrl = t.baseUrl
        secretKey = t.secretKey
        trustStore = t.trustStore
        builtInEngine = engine
        rateLimit = RateLimit.OFF // the sandbox's key is sk_test_: the default 100 per 10 s would cap the benchmark
    }

    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean) =
        coroutineLoops(Dispatchers.Default, concurrency, rec, stop) {
            val s = if (post) client.sessions.revoke(t.sessionId) else client.sessions.get(t.sessionId)
            check(s.id == t.sessionId)
        }

    override fun close() = client.close()
}

/** (b) clerkkit Java: `ClerkJavaClient.sessions().get(id)`, an async closed loop chained with whenComplete. */
class OursJava(private val t: Target) : Driver("clerkkit Java (futures)") {
    val client: ClerkJavaClient = ClerkJavaClient.builder()
        .secretKey(t.secretKey).baseUrl(t.baseUrl).trustStore(t.trustStore).rateLimit(RateLimit.OFF).build()

    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean): () -> Unit {
        val done = CountDownLatch(concurrency)
        fun loop() {
            if (stop.get()) {
                done.countDown()
                return
            }
            val started = System.nanoTime()
            client.sessions().get(t.sessionId).whenComplete { s: Session?, e: Throwable? ->
                if (e != null) {
                    rec.error(e)
                } else if (s?.id == t.sessionId) {
                    rec.record(System.nanoTime() - started)
                } else {
                    rec.error(IllegalStateException("wrong session"))
                }
                loop()
            }
        }
        repeat(concurrency) { loop() }
        return { check(done.await(60, TimeUnit.SECONDS)) { "java loops did not stop" } }
    }

    override fun close() = client.close()
}

/** (c) Clerk's official Java SDK (blocking; one platform thread per call in flight). */
class OfficialSdk(private val t: Target, private val post: Boolean = false) : Driver("official SDK 5.0.0 (threads)") {
    /** Over https: the SDK's HTTPClient hook with a java.net.http client whose SSLContext trusts the sandbox. */
    private val jdkClient: java.net.http.HttpClient? = t.trustStore?.let { java.net.http.HttpClient.newBuilder().sslContext(sslContext(it)).build() }
    val sdk: Clerk = Clerk.builder().bearerAuth(t.secretKey).serverURL(t.baseUrl).apply {
        if (jdkClient != null) {
            client(object : HTTPClient {
                override fun send(request: HttpRequest): HttpResponse<InputStream> = jdkClient.send(request, HttpResponse.BodyHandlers.ofInputStream())
            })
        }
    }.build()

    fun getOnce() {
        val s = if (post) sdk.sessions().revoke(t.sessionId).session() else sdk.sessions().get(t.sessionId).session()
        check(s.get().id() == t.sessionId)
    }

    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean): () -> Unit {
        val threads = (1..concurrency).map {
            Thread {
                while (!stop.get()) {
                    val s = System.nanoTime()
                    try {
                        getOnce()
                        rec.record(System.nanoTime() - s)
                    } catch (e: Exception) {
                        rec.error(e)
                    }
                }
            }.apply { isDaemon = true; name = "sdk-$it"; start() }
        }
        return { threads.forEach { it.join() } }
    }

    override fun close() {}
}

/** (d) Bare Ktor CIO 3.6.1: keep-alive, engine + callers on one own fixed pool, body read in execute{}, kotlinx decode. */
open class BareCio(private val t: Target, label: String = "bare Ktor CIO (ceiling)") : Driver(label) {
    private val pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors().coerceAtLeast(2)) { r ->
        Thread(r, "bare-cio").apply { isDaemon = true }
    }
    val dispatcher = pool.asCoroutineDispatcher()
    val http = HttpClient(CIO) {
        expectSuccess = false
        followRedirects = false
        engine {
            this.dispatcher = this@BareCio.dispatcher
            pipelining = true
            maxConnectionsCount = 256
            endpoint.apply {
                pipelineMaxSize = 1
                maxConnectionsPerRoute = 256
                keepAliveTime = 20_000
            }
            t.trustStore?.let { store -> https { trustManager = trustManager(store) } }
        }
    }
    private val url = "${t.baseUrl}/sessions/${t.sessionId}"
    private val auth = "Bearer ${t.secretKey}"

    suspend fun get(): KotlinxSession = http.prepareGet(url) {
        header("Authorization", auth)
        header("Clerk-API-Version", API_VERSION)
        header("User-Agent", "bare")
        header("Accept", "application/json")
    }.execute { resp ->
        check(resp.status.value == 200) { "HTTP ${resp.status}" }
        val text = resp.bodyAsChannel().readRemaining().readByteArray().decodeToString()
        Fixtures.decodeSessionDirect(text)
    }

    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean) =
        coroutineLoops(dispatcher, concurrency, rec, stop) { check(get().id == t.sessionId) }

    override fun close() {
        http.close()
        pool.shutdown()
    }
}

/**
 * (d2) The same bare CIO client as (d), but called from Dispatchers.Default like (a): the ceiling for callers that are
 * not on the engine's threads (every call crosses from the caller's threads to the engine's and back).
 */
class BareCioDefaultCallers(private val t: Target) : BareCio(t, "bare Ktor CIO, callers on Default") {
    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean) =
        coroutineLoops(Dispatchers.Default, concurrency, rec, stop) { check(get().id == t.sessionId) }
}

/**
 * Ktor's OkHttp engine exactly as docs/engines.md tells users to build it (and as OkHttpEngineSpec tests it):
 * OkHttp's own replay off (clerkkit retries), a dispatcher and a pool as large as clerkkit's CIO defaults
 * (256 connections, 20 s keep-alive; OkHttp's defaults are 5 calls per host and 5 idle connections), and over
 * https the sandbox's certificate trusted by the engine (`ClerkConfig.trustStore` applies to CIO only).
 */
fun okHttpEngine(trustStore: KeyStore?): HttpClientEngine = OkHttp.create {
    config {
        retryOnConnectionFailure(false)
        dispatcher(okhttp3.Dispatcher().apply { maxRequests = 256; maxRequestsPerHost = 256 })
        connectionPool(ConnectionPool(256, 20, TimeUnit.SECONDS))
        trustStore?.let { store ->
            val tm = trustManager(store)
            sslSocketFactory(SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }.socketFactory, tm)
        }
    }
}

/** clerkkit Kotlin on an injected engine: the same closed loop as (a), only `ClerkConfig.engine` differs. */
open class OursOnEngine(private val t: Target, private val post: Boolean, label: String, makeEngine: () -> HttpClientEngine) : Driver(label) {
    /** Injected, so owned here: the client does not close it. */
    private val engine = makeEngine()
    val client = ClerkClient {
        baseUrl = t.baseUrl
        secretKey = t.secretKey
        engine = this@OursOnEngine.engine
        rateLimit = RateLimit.OFF
    }

    override fun start(concurrency: Int, rec: Recorder, stop: AtomicBoolean) =
        coroutineLoops(Dispatchers.Default, concurrency, rec, stop) {
            val s = if (post) client.sessions.revoke(t.sessionId) else client.sessions.get(t.sessionId)
            check(s.id == t.sessionId)
        }

    override fun close() {
        client.close()
        engine.close()
    }
}

/** (e) clerkkit Kotlin on the OkHttp engine. */
class OursOkHttp(t: Target, post: Boolean = false) :
    OursOnEngine(t, post, "clerkkit Kotlin on OkHttp engine", { okHttpEngine(t.trustStore) })

/**
 * (f) clerkkit Kotlin on Ktor's Java engine (the JDK's `java.net.http.HttpClient`, which Clerk's official SDK uses too).
 * Measured to inform the engine choice for POSTs (it pools every method, JDK TLS).
 */
class OursJdk(t: Target, post: Boolean = false) : OursOnEngine(
    t, post, "clerkkit Kotlin on Java (JDK) engine",
    { io.ktor.client.engine.java.Java.create { t.trustStore?.let { store -> config { sslContext(sslContext(store)) } } } },
)

/**
 * [conc] closed loops of [call] for [ms] from `Dispatchers.Default`, each call's time and errors into [rec] (counted as
 * measured when [measuring]); returns the nanoseconds they ran.
 */
internal fun closedLoops(conc: Int, rec: Recorder, ms: Long, call: suspend () -> Unit, measuring: Boolean = false): Long {
    val stop = AtomicBoolean(false)
    val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    rec.measuring = measuring
    val t0 = System.nanoTime()
    val jobs = (1..conc).map {
        scope.launch {
            while (!stop.get()) {
                val s = System.nanoTime()
                try {
                    call()
                    rec.record(System.nanoTime() - s)
                } catch (e: Exception) {
                    if (e is kotlinx.coroutines.CancellationException) throw e
                    rec.error(e)
                }
            }
        }
    }
    Thread.sleep(ms)
    stop.set(true)
    runBlocking { jobs.joinAll() }
    val elapsed = System.nanoTime() - t0
    scope.cancel()
    rec.measuring = false
    return elapsed
}
