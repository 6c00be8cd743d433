package dev.clerkkit.http

import io.ktor.client.HttpClient
import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger

/**
 * The Ktor client that calls go through, and keep-alive hygiene for Ktor 3.6.1's CIO engine, which cannot be told to
 * drop one bad pooled connection.
 *
 * CIO's keep-alive pool (`pipelining = true`) hands requests to whichever pooled connection asks first, and keeps a
 * connection in that rotation after it has gone bad:
 * - after a response that said `Connection: close` the connection's reader is gone but its writer still takes the
 *   next request, which then never gets an answer (it would hang until the request timeout);
 * - after a read timeout or a broken answer the connection is stalled or out of step, and every request handed to it
 *   waits behind the stalled answer or fails.
 *
 * So when a pooled call sees any of that ([markBad]), the whole pool is **replaced**: new calls go at once to a new
 * [HttpClient] (a new CIO engine with an empty pool, on the same threads), and the old client is closed as soon as the
 * calls still running on it have ended. Closing it closes its connections, the bad one included. Calls in flight on
 * the old client are not disturbed.
 *
 * Replacements happen at most once per [minInterval]. Between them, a call that finds the current pool marked bad gets
 * a connection of its own (`Connection: close`), so a server that closes every connection costs at most one new
 * client per [minInterval], not one per call.
 *
 * With an injected engine ([replaceable] false) there is one client for the whole life of the `ClerkClient`: the
 * engine's pool is not ours to replace.
 */
internal class HttpClients(
    private val create: () -> HttpClient,
    private val replaceable: Boolean,
    minInterval: Duration = Duration.ofSeconds(1),
    private val nanoTime: () -> Long = System::nanoTime,
) : AutoCloseable {
    private val minIntervalNanos = minInterval.toNanos()
    private val lock = Any()

    @Volatile
    private var current: Generation = Generation(create(), 1)

    @Volatile
    private var closed = false

    // nanoTime values may be negative: compare differences only
    @Volatile
    private var lastReplaced: Long = nanoTime() - minIntervalNanos

    /** Replacements logged since the last INFO line; later ones within a minute go to DEBUG. */
    @Volatile
    private var lastInfo: Long = nanoTime() - INFO_EVERY_NANOS

    /** One Ktor client and its connection pool. A call holds it between [acquire] and [Generation.release]. */
    internal class Generation(val client: HttpClient, val number: Int) {
        private val users = AtomicInteger()
        private val closedOnce = AtomicBoolean()

        /** No new call may start here; the client closes when the last call leaves. */
        @Volatile
        var retired: Boolean = false
            private set

        /** A pooled call saw trouble: calls that still land here use connections of their own. */
        @Volatile
        var bad: Boolean = false

        internal val isClosed: Boolean get() = closedOnce.get()

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

        internal fun closeClient() {
            if (closedOnce.compareAndSet(false, true)) client.close()
        }
    }

    /** True when pooled connections are ours to guard (the built-in CIO engine). */
    val guarded: Boolean get() = replaceable

    /** The client for one attempt; the caller must [Generation.release] it. */
    fun acquire(): Generation {
        while (true) {
            val generation = current
            if (generation.bad) replaceIfDue(generation, null)
            val now = current
            if (now.enter()) return now
        }
    }

    /** A pooled call on [generation] saw trouble ([reason]): replace its pool (now, or when [minIntervalNanos] allows). */
    fun markBad(generation: Generation, reason: String) {
        if (!replaceable) return
        generation.bad = true
        replaceIfDue(generation, reason)
    }

    private fun replaceIfDue(generation: Generation, reason: String?) {
        if (generation !== current || closed || nanoTime() - lastReplaced < minIntervalNanos) return
        synchronized(lock) {
            if (generation !== current || closed || nanoTime() - lastReplaced < minIntervalNanos) return
            current = Generation(create(), generation.number + 1)
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

    /** Closes the current client (calls in flight on it finish first, as Ktor closes gracefully). Idempotent. */
    override fun close() {
        synchronized(lock) { closed = true }
        current.closeClient()
    }

    internal val generation: Generation get() = current

    private companion object {
        val INFO_EVERY_NANOS: Long = Duration.ofMinutes(1).toNanos()
        val LOG = LoggerFactory.getLogger(HttpClients::class.java)
    }
}
