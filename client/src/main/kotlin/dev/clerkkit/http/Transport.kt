package dev.clerkkit.http

import dev.clerkkit.BuiltInEngine
import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTransportException
import io.ktor.client.HttpClient
import io.ktor.client.statement.HttpResponse
import io.ktor.http.HttpHeaders
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.withContext
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.SynchronousQueue
import java.util.concurrent.ThreadFactory
import java.util.concurrent.ThreadPoolExecutor
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * Which Ktor client carries a call, and everything about connections: the one seam between the pipeline
 * ([ClerkHttp]: retry, attempt, exchange, handle) and the engines. docs/design/connections.md has the reasons and
 * the numbers.
 *
 * A transport has a read lane (GET, HEAD) and a write lane (every other method); they may be the same lane:
 * - [BuiltInEngine.OKHTTP] (default): one OkHttp lane for every call: pooled connections for every method, JDK TLS
 *   (1.3, session resumption, ALPN so HTTP/2 where the server offers it), one request per HTTP/1.1 connection at a time;
 * - [BuiltInEngine.CIO_READS_OKHTTP_WRITES]: GETs on a CIO lane, writes on an OkHttp lane;
 * - [BuiltInEngine.CIO]: one CIO lane (every write on a new connection of its own: CIO never pools non-GET requests);
 * - an injected engine ([ClerkConfig.engine]): one lane on it for every call.
 *
 * Both lanes share the configuration (timeouts, trust store, connection limit, logging with redaction) and are closed
 * together by [close], with their threads.
 */
internal class Transport private constructor(private val reads: Lane, private val writes: Lane) : AutoCloseable {

    /** Runs one attempt of [call] on its lane; [fresh] asks for a new connection (after a transport failure). */
    suspend fun <T> attempt(call: ApiCall, fresh: Boolean, exchange: suspend (Ride) -> T): T =
        (if (call.isRead) reads else writes).attempt(call, fresh, exchange)

    /** The lane that carries [call] (tests and diagnostics). */
    fun laneOf(call: ApiCall): Lane = if (call.isRead) reads else writes

    /** Closes both lanes: their connections and their threads. Calls in flight fail. Idempotent. */
    override fun close() {
        reads.close()
        if (writes !== reads) writes.close()
    }

    companion object {
        fun create(config: ClerkConfig): Transport {
            val injected = config.engine
            if (injected != null) {
                val lane = Lane("injected", HttpClients({ n -> injectedGeneration(config, n) }, replaceable = false))
                return Transport(lane, lane)
            }
            return when (config.builtInEngine) {
                BuiltInEngine.OKHTTP -> okHttpLane(config).let { Transport(it, it) }
                BuiltInEngine.CIO_READS_OKHTTP_WRITES -> Transport(cioLane(config), okHttpLane(config))
                BuiltInEngine.CIO -> cioLane(config).let { Transport(it, it) }
            }
        }

        /** Engine and calls share this many threads on a CIO lane (the machine's cores, at least 2, at most 8). */
        private val CIO_THREADS = Runtime.getRuntime().availableProcessors().coerceIn(2, 8)
        private val lanes = AtomicInteger()

        /**
         * A CIO lane: its pool is replaced when a pooled connection goes bad (see [HttpClients]); each generation runs
         * on threads of its own, which it gives back once its engine has finished the calls it still had.
         */
        private fun cioLane(config: ClerkConfig): Lane {
            val id = lanes.incrementAndGet()
            return Lane(
                "cio",
                HttpClients(
                    { n ->
                        val executor = Executors.newFixedThreadPool(CIO_THREADS, daemonThreads("clerkkit-cio$id-g$n-"))
                        val dispatcher = executor.asCoroutineDispatcher()
                        val client = createCioClient(config, dispatcher)
                        // CIO's close only completes its engine job, which waits for every child: after a failed TLS
                        // handshake a child stays suspended on its socket forever, keeping the selector and its threads
                        // parked. So the engine's job is cancelled once no call uses the client, which closes its
                        // connections and selector.
                        generation(n, client, dispatcher, executor, cancelEngine = true)
                    },
                    replaceable = true,
                    maxInterval = java.time.Duration.ofMillis(cioKeepAliveMillis(config) + 1_000),
                ),
            )
        }

        /**
         * An OkHttp lane: one client for the life of the transport. OkHttp runs each call on a thread of its
         * dispatcher's executor while the call is in flight (blocking socket I/O), so that executor grows with the
         * calls in flight (bounded by [ClerkConfig.maxConnections]) and lets idle threads go after 60 s; Ktor's
         * response handling and the pipeline's attempt run there too.
         */
        private fun okHttpLane(config: ClerkConfig): Lane {
            val id = lanes.incrementAndGet()
            return Lane(
                "okhttp",
                HttpClients(
                    { n ->
                        val executor = elasticPool(daemonThreads("clerkkit-ok$id-"))
                        val dispatcher = executor.asCoroutineDispatcher()
                        val client = createOkHttpClient(config, executor, dispatcher)
                        generation(n, client, dispatcher, executor, cancelEngine = false)
                    },
                    replaceable = false,
                ),
            )
        }

        /**
         * A generation on [executor]'s threads, which are shut down once the engine has finished (at once without an
         * engine job). [cancelEngine]: cancel the engine's job when the client closes instead of waiting for it.
         */
        private fun generation(
            n: Int,
            client: io.ktor.client.HttpClient,
            dispatcher: kotlinx.coroutines.CoroutineDispatcher,
            executor: ExecutorService,
            cancelEngine: Boolean,
        ) = HttpClients.Generation(client, dispatcher, n) { _ ->
            val engineJob = client.engine.coroutineContext[Job]
            if (engineJob == null) {
                executor.shutdown()
            } else {
                engineJob.invokeOnCompletion { executor.shutdown() }
                if (cancelEngine) engineJob.cancel()
            }
        }

        private fun injectedGeneration(config: ClerkConfig, n: Int): HttpClients.Generation {
            val executor = Executors.newFixedThreadPool(CIO_THREADS, daemonThreads("clerkkit-"))
            val dispatcher = executor.asCoroutineDispatcher()
            // the caller owns the engine: closing this client leaves it open, and its threads are the caller's
            return HttpClients.Generation(createInjectedClient(config), dispatcher, n) { executor.shutdown() }
        }

        private fun elasticPool(threads: ThreadFactory): ExecutorService =
            ThreadPoolExecutor(0, Int.MAX_VALUE, 60, TimeUnit.SECONDS, SynchronousQueue(), threads)

        private fun daemonThreads(prefix: String): ThreadFactory {
            val n = AtomicInteger()
            return ThreadFactory { r -> Thread(r, prefix + n.incrementAndGet()).apply { isDaemon = true } }
        }
    }
}

/**
 * One attempt's ride on a lane: the Ktor client to use and whether the request must go on a new connection of its own
 * (`Connection: close`, which CIO sends on a dedicated connection). [ClerkHttp] reports a response's
 * `Connection: close` through [onResponse].
 */
internal class Ride(val client: HttpClient, val newConnection: Boolean, private val announced: () -> Unit) {
    fun onResponse(response: HttpResponse) {
        val close = response.headers.getAll(HttpHeaders.Connection).orEmpty()
            .any { v -> v.split(',').any { it.trim().equals("close", ignoreCase = true) } }
        if (close) announced()
    }
}

/**
 * A lane: a Ktor client (or, on CIO, a succession of them, see [HttpClients]) and the rules for its pooled
 * connections. An attempt runs on the threads of the client it uses (its engine's own: no further hop inside Ktor).
 */
internal class Lane(val name: String, val clients: HttpClients) : AutoCloseable {
    suspend fun <T> attempt(call: ApiCall, fresh: Boolean, exchange: suspend (Ride) -> T): T {
        val generation = clients.acquire()
        try {
            return withContext(generation.dispatcher) {
                // CIO: a GET that may ride a pooled keep-alive connection (CIO sends every other request, and a
                // `Connection: close` one, on a connection of its own). On a pool that went bad and is not replaced yet,
                // every call gets a fresh connection. Other engines manage their pools themselves.
                val guarded = clients.guarded
                val newConnection = guarded && (fresh || generation.bad)
                val pooled = guarded && !newConnection && call.isRead
                val ride = Ride(generation.client, newConnection) {
                    if (pooled) clients.markBad(generation, "a response said Connection: close", announcedClose = true)
                }
                try {
                    exchange(ride)
                } catch (e: ClerkException) {
                    // The connection broke, stalled or answered out of step: CIO keeps it in its pipeline, where it would
                    // hang or fail the next request. (A caller's cancellation is not a reason: CIO drains that answer.)
                    if (pooled && (e is ClerkTransportException || e is ClerkResponseException)) {
                        clients.markBad(generation, e.javaClass.simpleName)
                    }
                    throw e
                }
            }
        } finally {
            generation.release()
        }
    }

    override fun close() = clients.close()
}
