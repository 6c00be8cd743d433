package dev.clerkkit.http.engine

import dev.clerkkit.ClerkConfig
import io.ktor.client.HttpClient
import io.ktor.client.engine.cio.CIO
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.selects.select
import kotlinx.coroutines.withContext
import java.time.Duration
import java.util.concurrent.Executors

/**
 * The adapter for Ktor's CIO engine, with everything CIO needs to stay healthy on keep-alive connections.
 *
 * Settings:
 * - `pipelining = true` + `pipelineMaxSize = 1` is CIO's only keep-alive path (Ktor 3.6.1): GETs reuse connections;
 *   CIO gives every other method, and every request that carries `Connection: close` or a timeout of its own, a
 *   connection of its own;
 * - keep-alive at most three quarters of the socket timeout, which CIO also runs on idle pooled connections
 *   ([cioKeepAliveMillis]);
 * - CIO's own request timer off (the pipeline's attempt timeout covers every call); one connect attempt.
 *
 * Hygiene: a pooled GET that breaks, stalls, times out or is cancelled, is answered with `Connection: close`, or brings an answer
 * that does not fit its request makes [CioPools] replace the whole pool (CIO would hand the next request to the bad
 * connection). A request after a transport failure of the same call, or on a pool marked bad and not replaced yet,
 * goes on a new connection of its own (`Connection: close`).
 *
 * Threads: each pool generation runs engine and calls on [ENGINE_THREADS] threads of its own, released once its
 * engine has finished the calls it still had.
 */
internal class CioEngine(private val config: ClerkConfig) : HttpEngine {
    private val id = nextEngineId()
    private val pools = CioPools(
        create = ::generation,
        maxInterval = Duration.ofMillis(cioKeepAliveMillis(config) + 1_000),
    )

    override suspend fun roundTrip(request: EngineRequest): EngineResponse {
        val generation = pools.acquire()
        try {
            return withContext(generation.dispatcher) {
                val ownConnection = request.afterTransportFailure || generation.bad
                val pooled = !ownConnection && request.isRead && request.connectTimeout == null && request.socketTimeout == null
                val sent = if (ownConnection) request.withHeader("Connection", "close") else request
                val response = try {
                    if (pooled) {
                        // CIO may have handed this request to a connection whose last answer said Connection: close;
                        // such a request is never answered, so once the pool announced a close it is sent again
                        val dedicated = sent.withHeader("Connection", "close")
                        hedgeAfter(generation.closeAnnounced, ORPHAN_GRACE_MILLIS, { generation.client.roundTrip(sent) }) {
                            generation.client.roundTrip(dedicated)
                        }
                    } else {
                        generation.client.roundTrip(sent)
                    }
                } catch (e: EngineFailure) {
                    if (pooled) pools.markBad(generation, e.kind.name)
                    throw e
                } catch (e: CancellationException) {
                    // A timed-out or cancelled exchange leaves its pooled connection with an answer pending, and CIO may
                    // still write a request queued behind it: the pool is replaced, and the old one closes (dropping
                    // what was queued) as soon as its calls have left.
                    if (pooled) pools.markBad(generation, "a call was cancelled")
                    throw e
                }
                if (pooled && announcesClose(response)) {
                    pools.markBad(generation, "a response said Connection: close", announcedClose = true)
                }
                if (pooled) response.withDiscard { pools.markBad(generation, "an answer did not fit its request") } else response
            }
        } finally {
            generation.release()
        }
    }

    override fun close() = pools.close()

    private fun generation(n: Int): CioPools.Generation {
        val executor = Executors.newFixedThreadPool(ENGINE_THREADS, daemonThreads("clerkkit-cio$id-g$n-"))
        val dispatcher = executor.asCoroutineDispatcher()
        val client = createCioClient(config, dispatcher)
        return CioPools.Generation(client, dispatcher, n) { _ ->
            // CIO's close only completes its engine job, which waits for every child: after a failed TLS handshake a
            // child stays suspended on its socket forever, keeping the selector and its threads parked. So the
            // engine's job is cancelled once no call uses the client, which closes its connections and selector.
            val engineJob = client.engine.coroutineContext[Job]
            if (engineJob == null) {
                executor.shutdown()
            } else {
                engineJob.invokeOnCompletion { executor.shutdown() }
                engineJob.cancel()
            }
        }
    }

    private fun announcesClose(response: EngineResponse): Boolean =
        response.headers["connection"].orEmpty().any { v -> v.split(',').any { it.trim().equals("close", ignoreCase = true) } }
}

/**
 * How long a pooled GET waits for its answer, counted from a `Connection: close` announced on its pool, before it is
 * sent again on a connection of its own: CIO may have written it to the connection that is closing, where it is never
 * answered. The first answer of the two is taken and the other exchange cancelled.
 */
internal const val ORPHAN_GRACE_MILLIS: Long = 500

/**
 * Runs [first]; if [signal] completes and [first] has not answered [graceMillis] later, runs [second] beside it.
 * Returns whichever answers first and cancels the other; a failure of either fails the whole.
 */
internal suspend fun <T> hedgeAfter(
    signal: Deferred<Unit>,
    graceMillis: Long,
    first: suspend () -> T,
    second: suspend () -> T,
): T = coroutineScope {
    val original = async { first() }
    val hedge = async {
        signal.await()
        delay(graceMillis)
        second()
    }
    select {
        original.onAwait { answer -> hedge.cancel(); answer }
        hedge.onAwait { answer -> original.cancel(); answer }
    }
}

private fun createCioClient(config: ClerkConfig, dispatcher: CoroutineDispatcher): HttpClient = HttpClient(CIO) {
    engine {
        this.dispatcher = dispatcher
        pipelining = true
        // CIO's own per-request timer (15 s by default, for requests on dedicated connections) is off: the pipeline's
        // attempt timeout covers every call
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
    // Without defaults: a request may carry its own connect/socket timeout (CIO then gives it a dedicated, never
    // reused connection); with nothing set it adds no timer.
    clerkDefaults(config, timeoutDefaults = false)
}

/**
 * CIO's socket timeout also runs while a pooled connection sits idle: a connection idle for longer than
 * `socketTimeout` fails the next request handed to it. Idle connections must retire first.
 */
internal fun cioKeepAliveMillis(config: ClerkConfig): Long =
    minOf(config.keepAliveTime.toMillis(), config.socketTimeout.toMillis() * 3 / 4).coerceAtLeast(1)
