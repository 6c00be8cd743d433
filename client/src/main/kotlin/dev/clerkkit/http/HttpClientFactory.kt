package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.LogLevel
import io.ktor.client.HttpClient
import io.ktor.client.HttpClientConfig
import io.ktor.client.engine.cio.CIO
import io.ktor.client.plugins.HttpTimeout
import io.ktor.client.plugins.logging.Logger
import io.ktor.client.plugins.logging.Logging
import io.ktor.client.plugins.logging.DEFAULT
import io.ktor.http.HttpHeaders
import kotlinx.coroutines.CoroutineDispatcher
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager
import io.ktor.client.plugins.logging.LogLevel as KtorLogLevel

/**
 * Every Ktor setting of the client, in one function.
 *
 * Why CIO is configured like this (docs/design/connections.md has the measurements):
 * - `pipelining = true` + `pipelineMaxSize = 1` is CIO's only keep-alive path (Ktor 3.6.1+): connections are reused,
 *   one request in flight per connection, so a POST never queues behind another request and retry rules stay simple.
 * - `keepAliveTime` below common 60 s server idle timeouts: the client drops idle connections before the server does,
 *   and below the socket timeout, which CIO also runs on idle pooled connections.
 * - The engine runs on the client's own small dispatcher (the same one calls run on): no hops between
 *   Dispatchers.IO and Dispatchers.Default per call.
 * - No redirects: Clerk does not redirect, and a redirect must never carry the secret key to another host.
 */
internal fun createHttpClient(config: ClerkConfig, dispatcher: CoroutineDispatcher): HttpClient {
    val common: HttpClientConfig<*>.() -> Unit = {
        expectSuccess = false
        followRedirects = false
        // The request timeout is applied by the pipeline (ClerkHttp) around each attempt, for every engine. Connect and
        // socket timeouts: on the CIO engine's endpoint config (CIO gives every request that carries them through
        // HttpTimeout a dedicated, never reused connection); for an injected engine through HttpTimeout.
        // Installed on CIO too, without defaults, so that a call may carry its own connect/socket timeout
        // (RequestOptions); with nothing set it adds no timer.
        install(HttpTimeout) {
            if (config.engine != null) {
                connectTimeoutMillis = config.connectTimeout.toMillis()
                socketTimeoutMillis = config.socketTimeout.toMillis()
            }
        }
        if (config.logLevel != LogLevel.NONE) {
            install(Logging) {
                // BODY logs the response text: a server (or proxy) that echoes the request would put the secret
                // key in the log. Every line is redacted before it reaches SLF4J.
                val secret = config.secretKey
                logger = object : Logger {
                    override fun log(message: String) =
                        Logger.DEFAULT.log(if (message.contains(secret)) message.replace(secret, "[REDACTED]") else message)
                }
                level = when (config.logLevel) {
                    LogLevel.INFO -> KtorLogLevel.INFO
                    LogLevel.HEADERS -> KtorLogLevel.HEADERS
                    else -> KtorLogLevel.ALL
                }
                sanitizeHeader { it.equals(HttpHeaders.Authorization, ignoreCase = true) }
            }
        }
    }
    val injected = config.engine
    if (injected != null) return HttpClient(injected, common)
    return HttpClient(CIO) {
        engine {
            this.dispatcher = dispatcher
            pipelining = true
            // CIO's own per-request timer (15 s by default, for requests on dedicated connections) is off: the
            // pipeline's request timeout covers every call
            requestTimeout = 0
            maxConnectionsCount = config.maxConnections
            endpoint.apply {
                pipelineMaxSize = 1
                maxConnectionsPerRoute = config.maxConnections
                keepAliveTime = keepAliveMillis(config)
                connectTimeout = config.connectTimeout.toMillis()
                socketTimeout = config.socketTimeout.toMillis()
                connectAttempts = 1
            }
            config.trustStore?.let { store ->
                https { trustManager = trustManagerFor(store) }
            }
        }
        common()
    }
}

/**
 * CIO's socket timeout also runs while a pooled connection sits idle: a connection idle for longer than
 * `socketTimeout` fails the next request handed to it. Idle connections must retire first.
 */
internal fun keepAliveMillis(config: ClerkConfig): Long =
    minOf(config.keepAliveTime.toMillis(), config.socketTimeout.toMillis() * 3 / 4).coerceAtLeast(1)

private fun trustManagerFor(store: java.security.KeyStore): X509TrustManager {
    val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    factory.init(store)
    return factory.trustManagers.filterIsInstance<X509TrustManager>().first()
}
