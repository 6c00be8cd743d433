package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.LogLevel
import io.ktor.client.HttpClient
import io.ktor.client.HttpClientConfig
import io.ktor.client.engine.cio.CIO
import io.ktor.client.engine.okhttp.OkHttp
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.plugins.logging.DEFAULT
import io.ktor.client.plugins.logging.Logger
import io.ktor.client.plugins.logging.Logging
import io.ktor.http.HttpHeaders
import kotlinx.coroutines.CoroutineDispatcher
import okhttp3.ConnectionPool
import okhttp3.Dispatcher
import java.util.concurrent.ExecutorService
import java.util.concurrent.TimeUnit
import javax.net.ssl.SSLContext
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager
import io.ktor.client.plugins.logging.LogLevel as KtorLogLevel

/*
 * Every Ktor setting of the client's lanes (see Transport), in one file. docs/design/connections.md has the reasons.
 *
 * Common to every lane: no redirects (Clerk does not redirect, and a redirect must never carry the secret key to
 * another host), non-2xx answers handled by the pipeline, the request timeout applied by the pipeline around each
 * attempt, and logging through SLF4J with credentials redacted at every level (LogRedaction.kt).
 */

/**
 * The CIO lane.
 * - `pipelining = true` + `pipelineMaxSize = 1` is CIO's only keep-alive path (Ktor 3.6.1): connections are reused
 *   for GETs (CIO gives every other method a connection of its own).
 * - keep-alive at most three quarters of the socket timeout, which CIO also runs on idle pooled connections
 *   ([cioKeepAliveMillis]).
 * - The engine runs on the generation's own small dispatcher (the same one attempts run on): no hops per call.
 */
internal fun createCioClient(config: ClerkConfig, dispatcher: CoroutineDispatcher): HttpClient = HttpClient(CIO) {
    engine {
        this.dispatcher = dispatcher
        pipelining = true
        // CIO's own per-request timer (15 s by default, for requests on dedicated connections) is off: the pipeline's
        // request timeout covers every call
        requestTimeout = 0
        maxConnectionsCount = config.maxConnections
        endpoint.apply {
            pipelineMaxSize = 1
            maxConnectionsPerRoute = config.maxConnections
            keepAliveTime = cioKeepAliveMillis(config)
            connectTimeout = config.connectTimeout.toMillis()
            socketTimeout = config.socketTimeout.toMillis()
            connectAttempts = 1
        }
        config.trustStore?.let { store -> https { trustManager = trustManagerFor(store) } }
    }
    // Without defaults: a call may carry its own connect/socket timeout (RequestOptions); CIO gives such a request a
    // dedicated, never reused connection. With nothing set it adds no timer.
    common(config, timeoutDefaults = false)
}

/**
 * The OkHttp lane (OkHttp 5 through Ktor's engine).
 * - `retryOnConnectionFailure(false)`: OkHttp would otherwise send a request again by itself when its connection
 *   fails, POSTs included (a duplicate `create`); clerkkit's retry loop decides what is replayed (docs/retries.md).
 * - a dispatcher of [ClerkConfig.maxConnections] calls (OkHttp's default is 5 per host) on [executor], the lane's
 *   own threads, and a connection pool of its own (Ktor would otherwise share one OkHttp prototype's pool between
 *   every client in the JVM) keeping idle connections [ClerkConfig.keepAliveTime].
 * - connect, read and write timeouts from the configuration; TLS through the JDK (TLS 1.3, resumption, ALPN).
 */
internal fun createOkHttpClient(config: ClerkConfig, executor: ExecutorService, dispatcher: CoroutineDispatcher): HttpClient {
    val calls = Dispatcher(executor).apply {
        maxRequests = config.maxConnections
        maxRequestsPerHost = config.maxConnections
    }
    val pool = ConnectionPool(config.maxConnections, config.keepAliveTime.toMillis(), TimeUnit.MILLISECONDS)
    val tls = config.trustStore?.let { store ->
        val tm = trustManagerFor(store)
        SSLContext.getInstance("TLS").apply { init(null, arrayOf(tm), null) }.socketFactory to tm
    }
    return HttpClient(OkHttp) {
        engine {
            this.dispatcher = dispatcher
            // applied after Ktor's own defaults (which include retryOnConnectionFailure(true))
            config {
                retryOnConnectionFailure(false)
                followRedirects(false)
                followSslRedirects(false)
                dispatcher(calls)
                connectionPool(pool)
                connectTimeout(config.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                readTimeout(config.socketTimeout.toMillis(), TimeUnit.MILLISECONDS)
                writeTimeout(config.socketTimeout.toMillis(), TimeUnit.MILLISECONDS)
                tls?.let { (factory, tm) -> sslSocketFactory(factory, tm) }
            }
        }
        // Without defaults: the OkHttp client above carries them; a call's own connect/socket timeout gets a client
        // built for it by Ktor that shares the same pool and dispatcher.
        common(config, timeoutDefaults = false)
    }
}

/** An injected engine: the caller's. Connect and socket timeouts reach it through Ktor's HttpTimeout. */
internal fun createInjectedClient(config: ClerkConfig): HttpClient =
    HttpClient(requireNotNull(config.engine)) { common(config, timeoutDefaults = true) }

private fun HttpClientConfig<*>.common(config: ClerkConfig, timeoutDefaults: Boolean) {
    expectSuccess = false
    followRedirects = false
    install(HttpTimeout) {
        if (timeoutDefaults) {
            connectTimeoutMillis = config.connectTimeout.toMillis()
            socketTimeoutMillis = config.socketTimeout.toMillis()
        }
    }
    if (config.logLevel != LogLevel.NONE) {
        install(Logging) {
            val redaction = LogRedaction(config.secretKey)
            logger = object : Logger {
                override fun log(message: String) = Logger.DEFAULT.log(redaction.redact(message))
            }
            level = when (config.logLevel) {
                LogLevel.INFO -> KtorLogLevel.INFO
                LogLevel.HEADERS -> KtorLogLevel.HEADERS
                else -> KtorLogLevel.ALL
            }
            sanitizeHeader { name -> LogRedaction.isSecretHeader(name) }
        }
    }
}

/**
 * CIO's socket timeout also runs while a pooled connection sits idle: a connection idle for longer than
 * `socketTimeout` fails the next request handed to it. Idle connections must retire first.
 */
internal fun cioKeepAliveMillis(config: ClerkConfig): Long =
    minOf(config.keepAliveTime.toMillis(), config.socketTimeout.toMillis() * 3 / 4).coerceAtLeast(1)

private fun trustManagerFor(store: java.security.KeyStore): X509TrustManager {
    val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    factory.init(store)
    return factory.trustManagers.filterIsInstance<X509TrustManager>().first()
}
