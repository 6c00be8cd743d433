package dev.clerkkit.http.engine

import io.ktor.client.HttpClient
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * Keep-alive hygiene for Ktor 3.6.1's CIO engine (used by [CioEngine]), which cannot be told to drop one bad pooled
 * connection.
 *
 * CIO's keep-alive pool (`pipelining = true`) hands requests to whichever pooled connection asks first, and keeps a
 * connection in that rotation after it has gone bad:
 * - after a response that said `Connection: close` the connection's reader is gone but its writer still takes the
 *   next request, which then never gets an answer (it would hang until the request timeout; [CioEngine] sends such a
 *   request again on a connection of its own, see [ORPHAN_GRACE_MILLIS]);
 * - after a read timeout or a broken answer the connection is stalled or out of step, and every request handed to it
 *   waits behind the stalled answer or fails.
 *
 * So when a pooled call sees any of that ([markBad]), the whole pool is **replaced**: new calls go at once to a new
 * [HttpClient] (a new CIO engine with an empty pool, on the same threads), and the old client is closed as soon as the
 * calls still running on it have ended. Closing it closes its connections, the bad one included. Calls in flight on
 * the old client are not disturbed.
 *
 * After a server's announced `Connection: close` (ordinary: e.g. nginx closes a connection after 1,000 requests) the
 * pool is replaced at most every 100 ms. After trouble (a timeout, a broken answer) replacements happen at most once
 * per [minInterval]; while new pools keep running into trouble soon after a replacement, that interval doubles up to
 * [maxInterval], and it drops back after a quiet period. Between replacements, a call that finds
 * the current pool marked bad gets a connection of its own (`Connection: close`), so a server that closes connections
 * all the time costs a connection per call (CIO's behaviour without keep-alive), not a new client per call.
 */
internal class CioPools(
    /** A new generation (client, its threads) numbered as given. */
    private val create: (number: Int) -> Generation,
    minInterval: Duration = Duration.ofSeconds(1),
    /** Where the backoff between replacements stops growing (keep-alive time + 1 s in the client). */
    maxInterval: Duration = Duration.ofSeconds(21),
    private val nanoTime: () -> Long = System::nanoTime,
) : AutoCloseable {
    private val minIntervalNanos = minInterval.toNanos()
    private val maxIntervalNanos = maxOf(maxInterval.toNanos(), minIntervalNanos)

    /** The current least time between replacements: doubles while new pools keep going bad soon, back to the minimum after quiet. */
    @Volatile
    private var intervalNanos: Long = minIntervalNanos
    private val lock = Any()

    @Volatile
    private var current: Generation = create(1)

    @Volatile
    private var closed = false

    // nanoTime values may be negative: compare differences only
    @Volatile
    private var lastReplaced: Long = nanoTime() - 4 * maxIntervalNanos - 1

    /** When a replacement was last logged at INFO; later ones within a minute go to DEBUG. */
    @Volatile
    private var lastInfo: Long = nanoTime() - INFO_EVERY_NANOS

    /**
     * One Ktor client, its connection pool and the threads its engine runs on. A call holds it between [acquire] and
     * [Generation.release]. Each generation has threads of its own: CIO's selector parks one of its engine's threads in
     * `select()` while it waits for I/O, so an old pool draining next to a new one must not take the new one's threads.
     * [onClose] releases the threads (`now` = at once, otherwise once the engine has finished).
     */
    internal class Generation(
        val client: HttpClient,
        val dispatcher: CoroutineDispatcher,
        val number: Int,
        private val onClose: (now: Boolean) -> Unit = {},
    ) {
        private val users = AtomicInteger()
        private val closedOnce = AtomicBoolean()

        /** No new call may start here; the client closes when the last call leaves. */
        @Volatile
        var retired: Boolean = false
            private set

        /** A pooled call saw trouble: calls that still land here use connections of their own. */
        @Volatile
        var bad: Boolean = false

        /** Completed once a pooled call here saw a server's announced `Connection: close`. */
        val closeAnnounced: CompletableDeferred<Unit> = CompletableDeferred()

        /** The trouble was more than a server's announced `Connection: close` (a timeout, a broken answer). */
        @Volatile
        internal var troubled: Boolean = false

        internal fun enter(): Boolean {
            users.incrementAndGet()
            if (retired) {
                release()
                return false
            }
            return true
        }

        /** The call is done with this client (its response read and released). */
        fun release() {
            if (users.decrementAndGet() == 0 && retired) closeClient()
        }

        internal fun retire() {
            retired = true
            if (users.get() == 0) closeClient()
        }

        internal fun closeClient(now: Boolean = false) {
            if (closedOnce.compareAndSet(false, true)) {
                client.close()
                onClose(now)
            }
        }
    }

    /** The client for one attempt; the caller must [Generation.release] it. */
    fun acquire(): Generation {
        while (true) {
            val generation = current
            if (generation.bad) replaceIfDue(generation, null)
            val now = current
            if (now.enter()) return now
        }
    }

    /**
     * A pooled call on [generation] saw trouble ([reason]), or only a server's [announcedClose]: replace its pool now,
     * or once the rate limit allows (until then calls on it use connections of their own).
     */
    fun markBad(generation: Generation, reason: String, announcedClose: Boolean = false) {
        if (!announcedClose) generation.troubled = true else generation.closeAnnounced.complete(Unit)
        generation.bad = true
        replaceIfDue(generation, reason)
    }

    private fun replaceIfDue(generation: Generation, reason: String?) {
        if (generation !== current || closed || nanoTime() - lastReplaced < required(generation)) return
        synchronized(lock) {
            val since = nanoTime() - lastReplaced
            if (generation !== current || closed || since < required(generation)) return
            // Trouble soon after the last replacement (a stalling or breaking server): replace less often, so that most
            // calls take connections of their own instead of a fresh pool each time. Quiet for a while: back to the
            // minimum. A server's announced close (e.g. nginx's keepalive_requests) is ordinary: no backoff.
            if (generation.troubled) {
                intervalNanos = if (since < 4 * intervalNanos) minOf(2 * intervalNanos, maxIntervalNanos) else minIntervalNanos
            }
            current = create(generation.number + 1)
            lastReplaced = nanoTime()
        }
        generation.retire()
        val now = nanoTime()
        val why = reason ?: "an earlier call on it went bad"
        if (now - lastInfo >= INFO_EVERY_NANOS) {
            lastInfo = now
            LOG.info(
                "clerkkit: a pooled keep-alive connection went bad ({}); new calls use a new connection pool, the old " +
                    "one closes when its calls in flight end (further replacements within a minute are logged at DEBUG)",
                why,
            )
        } else {
            LOG.debug("clerkkit: connection pool {} replaced ({})", generation.number, why)
        }
    }

    private fun required(generation: Generation): Long =
        if (generation.troubled) intervalNanos else minOf(CLOSE_INTERVAL_NANOS, minIntervalNanos)

    /** Closes the current client and its threads at once (calls in flight on it fail). Idempotent. */
    override fun close() {
        synchronized(lock) { closed = true }
        current.closeClient(now = true)
    }

    internal val generation: Generation get() = current

    private companion object {
        val INFO_EVERY_NANOS: Long = Duration.ofMinutes(1).toNanos()

        /** Least time between replacements after announced closes only (a new pool then costs a connection or a few). */
        val CLOSE_INTERVAL_NANOS: Long = Duration.ofMillis(100).toNanos()
        val LOG = LoggerFactory.getLogger(CioPools::class.java)
    }
}
