package dev.clerkkit.testkit

import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong

/**
 * A request as the sandbox received it, recorded for contract and behaviour assertions.
 *
 * @property connectionId sequence number (from 1) of the TCP connection the request arrived on.
 * @property method HTTP method, e.g. `GET`.
 * @property rawPath the path exactly as sent (still percent-encoded), without the query string.
 * @property query the raw query string (without `?`), or `null` if there was none.
 * @property headers header names (as sent) and their values, in arrival order.
 * @property body the request body decoded as UTF-8 (empty if there was none).
 * @property route the route the request was matched to.
 */
public data class RecordedRequest(
    val connectionId: Long,
    val method: String,
    val rawPath: String,
    val query: String?,
    val headers: List<Pair<String, String>>,
    val body: String,
    val route: Route,
) {
    /** First value of the header [name] (case-insensitive), or `null`. */
    public fun header(name: String): String? = headers.firstOrNull { it.first.equals(name, ignoreCase = true) }?.second
}

/**
 * Live counters of what the sandbox has seen. All counters are thread-safe and monotonic until [reset].
 */
public class SandboxStats internal constructor() {
    private val accepted = AtomicLong()
    private val open = AtomicInteger()
    private val total = AtomicLong()
    private val perRoute = ConcurrentHashMap<Route, AtomicLong>()
    private val perConnection = ConcurrentHashMap<Long, AtomicInteger>()
    private val perStatus = ConcurrentHashMap<Int, AtomicLong>()
    private val limited = AtomicLong()

    /** TCP connections accepted since start (or the last [reset]). */
    public val connectionsAccepted: Long get() = accepted.get()

    /** TCP connections currently open. Not affected by [reset]. */
    public val openConnections: Int get() = open.get()

    /** Requests fully read (including those answered by a fault). */
    public val totalRequests: Long get() = total.get()

    /** Requests per route. */
    public val requestsByRoute: Map<Route, Long> get() = perRoute.mapValues { it.value.get() }

    /** Requests received on each connection, ordered by connection id (connections with no request count 0). */
    public val requestsPerConnection: List<Int>
        get() = perConnection.entries.sortedBy { it.key }.map { it.value.get() }

    /** Number of requests seen for [route]. */
    public fun requests(route: Route): Long = perRoute[route]?.get() ?: 0

    /**
     * `429` answers sent by the rate limiter ([SandboxConfig.rateLimit]); `429`s from scripted faults are not
     * included (see [responses] for every answer by status).
     */
    public val rateLimitedRequests: Long get() = limited.get()

    /**
     * Answers to fully read requests per HTTP status, rate-limited and fault answers included (scripted drops and
     * resets have no status; the server's own `400` for an unparseable request is not counted).
     */
    public val responsesByStatus: Map<Int, Long> get() = perStatus.mapValues { it.value.get() }

    /** Number of answers written with HTTP [status], e.g. `responses(429)`. */
    public fun responses(status: Int): Long = perStatus[status]?.get() ?: 0

    /** Zeroes every counter except [openConnections]. */
    public fun reset() {
        accepted.set(0)
        total.set(0)
        perRoute.clear()
        perConnection.clear()
        perStatus.clear()
        limited.set(0)
    }

    internal fun connectionOpened(id: Long) {
        accepted.incrementAndGet()
        open.incrementAndGet()
        perConnection[id] = AtomicInteger()
    }

    internal fun connectionClosed() {
        open.decrementAndGet()
    }

    /** Requests received so far on connection [id]. */
    internal fun requestsOn(id: Long): Int = perConnection[id]?.get() ?: 0

    internal fun requestReceived(connectionId: Long, route: Route) {
        total.incrementAndGet()
        perRoute.computeIfAbsent(route) { AtomicLong() }.incrementAndGet()
        perConnection.computeIfAbsent(connectionId) { AtomicInteger() }.incrementAndGet()
    }

    internal fun responded(status: Int) {
        perStatus.computeIfAbsent(status) { AtomicLong() }.incrementAndGet()
    }

    internal fun rateLimited() {
        limited.incrementAndGet()
    }

    override fun toString(): String =
        "SandboxStats(connectionsAccepted=$connectionsAccepted, openConnections=$openConnections, " +
            "totalRequests=$totalRequests, requestsByRoute=$requestsByRoute, rateLimitedRequests=$rateLimitedRequests)"
}
