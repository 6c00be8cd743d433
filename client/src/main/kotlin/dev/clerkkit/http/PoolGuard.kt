package dev.clerkkit.http

import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong

/**
 * Keep-alive hygiene for Ktor 3.6.1's CIO engine, which cannot be told to drop one pooled connection.
 *
 * CIO's keep-alive pool (`pipelining = true`) hands requests to whichever pooled connection asks first, and keeps a
 * connection in that rotation after it has gone bad:
 * - after a response that said `Connection: close` the connection's reader is gone but its writer still takes the
 *   next request, which then never gets an answer (it would hang until the request timeout);
 * - after a read error or read timeout the reader moves on to the next request while the old answer may still arrive,
 *   so the next request could read the answer meant for another call.
 *
 * So when a pooled call sees any of that, the pool is *distrusted* for [keepAliveTime] plus a margin: every call in
 * that window is sent with `Connection: close`, which CIO always sends on a new connection of its own. No request
 * reaches the pooled connections meanwhile, so each of them (the bad one included) passes CIO's idle limit
 * ([keepAliveTime]) and is closed by CIO; afterwards calls pool again on fresh connections. The cost is one
 * connection per call for that window, the behaviour of CIO without keep-alive.
 */
internal class PoolGuard(
    private val keepAliveTime: Duration,
    private val nanoTime: () -> Long = System::nanoTime,
) {
    private val windowNanos = keepAliveTime.plus(MARGIN).toNanos()

    // nanoTime values may be negative; "distrusted" is `now - until < 0`, overflow-safe.
    private val until = AtomicLong(nanoTime() - 1)

    /** True while calls must not use pooled connections. */
    fun distrusted(): Boolean = nanoTime() - until.get() < 0

    /** Starts (or extends) the window because of [reason]. */
    fun distrust(reason: String) {
        val end = nanoTime() + windowNanos
        val wasTrusted = !distrusted()
        until.accumulateAndGet(end) { old, new -> if (new - old > 0) new else old }
        if (wasTrusted) {
            LOG.info(
                "clerkkit: a pooled keep-alive connection went bad ({}); calls use fresh connections for the next {} ms " +
                    "while CIO retires the pooled ones",
                reason, windowNanos / 1_000_000,
            )
        }
    }

    private companion object {
        /** CIO's idle clock of a connection may have started a little after our window did. */
        val MARGIN: Duration = Duration.ofSeconds(1)
        val LOG = LoggerFactory.getLogger(PoolGuard::class.java)
    }
}
