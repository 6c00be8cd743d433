package dev.clerkkit.http.engine

import dev.clerkkit.ClerkConfig
import io.ktor.client.HttpClient
import io.ktor.client.engine.java.Java
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.withContext
import java.util.concurrent.Executors
import javax.net.ssl.SSLContext
import java.net.http.HttpClient as JdkHttpClient

/**
 * The adapter for Ktor's Java engine, the JDK's own `java.net.http.HttpClient` ([dev.clerkkit.BuiltInEngine.JAVA]):
 * non-blocking I/O on one selector thread, every method pooled, the JDK's TLS 1.3 with resumption, HTTP/2 over https
 * where the server offers it (HTTP/1.1 over plain http, so no `h2c` upgrade is attempted).
 * - no redirects, no retries of its own (the JDK client retries nothing but a refused HTTP/2 stream of a GET);
 * - connect timeout from the configuration; the socket timeout has no JDK equivalent: the pipeline's attempt timeout
 *   bounds every exchange;
 * - the configured trust store; no proxy (as the other adapters);
 * - its work (the JDK client's completions and Ktor's body reading) runs on a fixed pool of [ENGINE_THREADS]
 *   `clerkkit-jdk<N>-<M>` threads: the JDK client never blocks them, so calls in flight cost no thread each (an
 *   elastic pool grew to a thread per completing call at 10,000 in flight). Shut down by [close].
 *
 * What the JDK decides for the whole JVM, not per client: how long idle connections are kept (system property
 * `jdk.httpclient.keepalive.timeout`, default 1,200 s, so [ClerkConfig.keepAliveTime] does not apply) and how many are
 * pooled (`jdk.httpclient.connectionPoolSize`, unbounded; [ConcurrencyLimit] bounds requests in flight to
 * [ClerkConfig.maxConnections]). On JDK 17 the JDK client has no `close()`: its selector thread
 * (`HttpClient-<N>-SelectorManager`) ends once the closed client has been garbage-collected.
 */
internal class JavaEngine(config: ClerkConfig) : HttpEngine {
    private val executor = Executors.newFixedThreadPool(ENGINE_THREADS, daemonThreads("clerkkit-jdk${nextEngineId()}-"))
    private val dispatcher = executor.asCoroutineDispatcher()
    private val client: HttpClient = HttpClient(Java) {
        engine {
            this.dispatcher = this@JavaEngine.dispatcher
            protocolVersion = if (config.baseUrl.startsWith("https:")) JdkHttpClient.Version.HTTP_2 else JdkHttpClient.Version.HTTP_1_1
            config {
                followRedirects(JdkHttpClient.Redirect.NEVER)
                connectTimeout(config.connectTimeout)
                config.trustStore?.let { store ->
                    sslContext(SSLContext.getInstance("TLS").apply { init(null, arrayOf(trustManagerFor(store)), null) })
                }
            }
        }
        clerkDefaults(config, timeoutDefaults = true)
    }

    override suspend fun roundTrip(request: EngineRequest): EngineResponse = withContext(dispatcher) { client.roundTrip(request) }

    /** Closes the client; its threads are shut down once the engine has finished what it still had. */
    override fun close() = client.closeThenShutdown(executor)
}
