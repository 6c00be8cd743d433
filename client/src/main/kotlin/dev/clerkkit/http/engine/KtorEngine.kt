package dev.clerkkit.http.engine

import dev.clerkkit.ClerkConfig
import io.ktor.client.HttpClient
import io.ktor.client.HttpClientConfig
import io.ktor.client.plugins.HttpTimeout
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.withContext
import java.security.KeyStore
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.SynchronousQueue
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import javax.net.ssl.TrustManagerFactory
import javax.net.ssl.X509TrustManager

/**
 * The adapter for a Ktor engine the user injected ([ClerkConfig.engine], e.g. `MockEngine` in tests): one client on it
 * for the life of the `ClerkClient`, calls on a small pool of clerkkit's own threads. Connect and socket timeouts
 * reach the engine through Ktor's `HttpTimeout`. Closing it leaves the injected engine open (the caller owns it).
 */
internal class KtorEngine(config: ClerkConfig) : HttpEngine {
    private val executor = Executors.newFixedThreadPool(ENGINE_THREADS, daemonThreads("clerkkit-"))
    private val dispatcher = executor.asCoroutineDispatcher()
    private val client = HttpClient(requireNotNull(config.engine)) { clerkDefaults(config, timeoutDefaults = true) }

    override suspend fun roundTrip(request: EngineRequest): EngineResponse = withContext(dispatcher) { client.roundTrip(request) }

    override fun close() {
        client.close()
        executor.shutdown()
    }
}

/** Reads on one engine, every other method on another ([dev.clerkkit.BuiltInEngine.CIO_READS_OKHTTP_WRITES]). */
internal class RoutingEngine(private val reads: HttpEngine, private val writes: HttpEngine) : HttpEngine {
    override suspend fun roundTrip(request: EngineRequest): EngineResponse =
        (if (request.isRead) reads else writes).roundTrip(request)

    override fun close() {
        reads.close()
        writes.close()
    }
}

/**
 * Settings every Ktor-based adapter shares: no redirects (Clerk does not redirect, and a redirect must never carry the
 * secret key to another host), every status handed to the pipeline, and `HttpTimeout` installed so that a request may
 * carry its own connect/socket timeout ([timeoutDefaults]: also the configured ones, for engines that have no
 * setting of their own).
 */
internal fun HttpClientConfig<*>.clerkDefaults(config: ClerkConfig, timeoutDefaults: Boolean) {
    expectSuccess = false
    followRedirects = false
    install(HttpTimeout) {
        if (timeoutDefaults) {
            connectTimeoutMillis = config.connectTimeout.toMillis()
            socketTimeoutMillis = config.socketTimeout.toMillis()
        }
    }
}

/** Closes this client, then shuts [executor] down once the engine has finished what it still had. */
internal fun HttpClient.closeThenShutdown(executor: ExecutorService) {
    val engineJob = engine.coroutineContext[Job]
    close()
    if (engineJob == null) executor.shutdown() else engineJob.invokeOnCompletion { executor.shutdown() }
}

/** Engine and calls share this many threads on a CIO engine or an injected one (the machine's cores, 2 to 8). */
internal val ENGINE_THREADS: Int = Runtime.getRuntime().availableProcessors().coerceIn(2, 8)

private val engines = AtomicInteger()

/** A number for the thread names of one engine instance. */
internal fun nextEngineId(): Int = engines.incrementAndGet()

internal fun daemonThreads(prefix: String): ThreadFactory {
    val n = AtomicInteger()
    return ThreadFactory { r -> Thread(r, prefix + n.incrementAndGet()).apply { isDaemon = true } }
}

/** Threads on demand, each let go after [idleSeconds] unused. */
internal fun elasticPool(threads: ThreadFactory, idleSeconds: Long): ExecutorService =
    ThreadPoolExecutor(0, Int.MAX_VALUE, idleSeconds, TimeUnit.SECONDS, SynchronousQueue(), threads)

internal fun trustManagerFor(store: KeyStore): X509TrustManager {
    val factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm())
    factory.init(store)
    return factory.trustManagers.filterIsInstance<X509TrustManager>().first()
}
