package dev.clerkkit.http.engine

import dev.clerkkit.ClerkConfig
import io.ktor.client.HttpClient
import io.ktor.client.engine.okhttp.OkHttp
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.withContext
import okhttp3.Call
import okhttp3.Connection
import okhttp3.ConnectionPool
import okhttp3.Dispatcher
import okhttp3.EventListener
import java.net.InetSocketAddress
import java.net.Proxy
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import javax.net.ssl.SSLContext

/**
 * The adapter for Ktor's OkHttp engine (OkHttp 5), the default. One client for the life of the `ClerkClient`:
 * - `retryOnConnectionFailure(false)`: OkHttp would otherwise send a request again by itself when its connection
 *   fails, POSTs included (a duplicate `create`); the pipeline's retry stage decides what is replayed;
 * - a dispatcher of [ClerkConfig.maxConnections] calls (OkHttp's default is 5 per host) and a connection pool of its
 *   own (Ktor would otherwise share one OkHttp prototype's pool between every client in the JVM) keeping idle
 *   connections [ClerkConfig.keepAliveTime];
 * - connect, read and write timeouts from the configuration; TLS through the JDK (TLS 1.3, resumption, ALPN so HTTP/2
 *   where the server offers it); no redirects.
 *
 * Threads: OkHttp runs each call in flight on a thread (blocking socket I/O). They come from this adapter's own
 * elastic pool, which lets an idle thread go after [IDLE_THREAD_SECONDS] seconds and is shut down by [close]; the
 * round trip itself runs on the same pool, so a call makes no further thread hop inside Ktor.
 *
 * With event listeners configured it reports [EngineResponse.connectionReused]: each round trip is tagged with an
 * internal header (removed by an interceptor before anything is sent) naming its [ConnectionUse], an OkHttp
 * `EventListener` that sees whether the call connected or took a pooled connection. Without listeners none of this is
 * set up.
 */
internal class OkHttpEngine(config: ClerkConfig) : HttpEngine {
    /** Round trips in flight whose connection use is watched, by id; null without event listeners. */
    private val watched: ConcurrentHashMap<String, ConnectionUse>? = if (config.eventListeners.isEmpty()) null else ConcurrentHashMap()
    private val ids = AtomicLong()
    private val executor = elasticPool(daemonThreads("clerkkit-ok${nextEngineId()}-"), IDLE_THREAD_SECONDS)
    private val dispatcher = executor.asCoroutineDispatcher()
    private val client: HttpClient = run {
        val calls = Dispatcher(executor).apply {
            maxRequests = config.maxConnections
            maxRequestsPerHost = config.maxConnections
        }
        val pool = ConnectionPool(config.maxConnections, config.keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
        val stale = StalePooledConnections(pool)
        val tls = config.trustStore?.let { store ->
            val tm = trustManagerFor(store)
            SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }.socketFactory to tm
        }
        HttpClient(OkHttp) {
            engine {
                this.dispatcher = this@OkHttpEngine.dispatcher
                // applied after Ktor's own defaults (which include retryOnConnectionFailure(true))
                config {
                    retryOnConnectionFailure(false)
                    followRedirects(false)
                    followSslRedirects(false)
                    dispatcher(calls)
                    connectionPool(pool)
                    addInterceptor(stale)
                    eventListener(stale.listener)
                    connectTimeout(config.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    readTimeout(config.socketTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    writeTimeout(config.socketTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    tls?.let { (factory, tm) -> sslSocketFactory(factory, tm) }
                    watched?.let { calls ->
                        addInterceptor { chain -> chain.proceed(chain.request().newBuilder().removeHeader(ATTEMPT_HEADER).build()) }
                        eventListenerFactory { call ->
                            call.request().header(ATTEMPT_HEADER)?.let(calls::get)?.let { use -> BothListeners(stale.listener, use) } ?: stale.listener
                        }
                    }
                }
            }
            // The OkHttp client above carries the configured timeouts; a request's own connect/socket timeout gets a
            // client built for it by Ktor that shares the same pool and dispatcher.
            clerkDefaults(config, timeoutDefaults = false)
        }
    }

    override suspend fun roundTrip(request: EngineRequest): EngineResponse {
        val calls = watched ?: return withContext(dispatcher) { client.roundTrip(request) }
        val id = ids.incrementAndGet().toString()
        val use = ConnectionUse()
        calls[id] = use
        try {
            val response = withContext(dispatcher) { client.roundTrip(request.withHeader(ATTEMPT_HEADER, id)) }
            return response.withConnectionReused(use.reused)
        } finally {
            calls.remove(id)
        }
    }

    /** Closes the client; its threads are shut down once the engine has finished what it still had. */
    override fun close() = client.closeThenShutdown(executor)

    internal companion object {
        /** How long an idle OkHttp thread is kept. */
        const val IDLE_THREAD_SECONDS: Long = 5

        /** Names a round trip's [ConnectionUse]; never leaves the process (the interceptor removes it). */
        const val ATTEMPT_HEADER: String = "X-Clerkkit-Round-Trip"
    }
}

/**
 * What OkHttp reports about the connection of one call: a connection acquired with no connect before it came from the
 * pool. [reused] is null when OkHttp acquired none (the call failed before).
 */
internal class ConnectionUse : EventListener() {
    @Volatile private var connected = false

    @Volatile private var acquired = false

    val reused: Boolean? get() = if (acquired) !connected else null

    override fun connectStart(call: Call, inetSocketAddress: InetSocketAddress, proxy: Proxy) {
        connected = true
    }

    override fun connectionAcquired(call: Call, connection: Connection) {
        acquired = true
    }
}

/** Hands the connection events [StalePooledConnections] and [ConnectionUse] need to both. */
private class BothListeners(private val first: EventListener, private val second: EventListener) : EventListener() {
    override fun connectStart(call: Call, inetSocketAddress: InetSocketAddress, proxy: Proxy) {
        first.connectStart(call, inetSocketAddress, proxy)
        second.connectStart(call, inetSocketAddress, proxy)
    }

    override fun connectionAcquired(call: Call, connection: Connection) {
        first.connectionAcquired(call, connection)
        second.connectionAcquired(call, connection)
    }
}
