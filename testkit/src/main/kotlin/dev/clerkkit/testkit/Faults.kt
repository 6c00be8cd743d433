package dev.clerkkit.testkit

import java.time.Instant
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.CopyOnWriteArrayList

/** How a fault's `Retry-After` header is expressed. */
public sealed class RetryAfter {
    /** `Retry-After: <seconds>`. */
    public data class Seconds(val seconds: Long) : RetryAfter()

    /** `Retry-After: <IMF-fixdate>` (an HTTP date, e.g. `Wed, 21 Oct 2026 07:28:00 GMT`). */
    public data class HttpDate(val at: Instant) : RetryAfter()
}

/**
 * One scripted misbehaviour, consumed by exactly one matching request.
 *
 * Every fault is applied after the request (head and body) has been fully read, recorded in
 * [ClerkSandbox.requests] and counted in [ClerkSandbox.stats]; faults take precedence over authentication.
 */
public sealed class Fault {
    /** Answer [status] with a Clerk-shaped error body (`{"errors":[...],"clerk_trace_id":...}`), optionally with `Retry-After`. */
    public data class Status(val status: Int, val retryAfter: RetryAfter? = null) : Fault()

    /** Sleep [millis] before handling the request normally. */
    public data class Delay(val millis: Long) : Fault()

    /** Close the connection (TCP FIN) without writing any response. */
    public object Drop : Fault() {
        override fun toString(): String = "Drop"
    }

    /**
     * Abort the connection (TCP RST, `SO_LINGER` 0) without writing any response. As the body has already been
     * read this is also the "reset after reading a POST body" mode: the server received the request but the client
     * gets no answer.
     */
    public object Reset : Fault() {
        override fun toString(): String = "Reset"
    }

    /** Handle normally but send only half of the body while announcing the full `Content-Length`, then close. */
    public object TruncatedBody : Fault() {
        override fun toString(): String = "TruncatedBody"
    }

    /** Answer `200` with `Content-Type: application/json` and a body that is not valid JSON. */
    public object MalformedJson : Fault() {
        override fun toString(): String = "MalformedJson"
    }

    /** Handle normally, answer with `Connection: close` and close the connection afterwards. */
    public object ConnectionClose : Fault() {
        override fun toString(): String = "ConnectionClose"
    }

    /**
     * Handle normally, then abort the connection (RST) right after the response was flushed: the client's pooled
     * keep-alive connection is dead before its next request ("reset between requests").
     */
    public object ResetAfterResponse : Fault() {
        override fun toString(): String = "ResetAfterResponse"
    }

    /**
     * Answer exactly [status] with [body] and the extra [headers], without touching the sandbox's state: for hostile
     * responses a client must survive (a redirect with a `Location`, a `text/html` 200, a huge body). A `Content-Type`
     * among [headers] replaces the default `application/json`; `Content-Length` is always the body's real length.
     */
    public data class Respond(
        val status: Int,
        val body: String,
        val headers: List<Pair<String, String>> = emptyList(),
    ) : Fault() {
        override fun toString(): String = "Respond($status, ${body.length} chars, $headers)"
    }
}

/**
 * A queue of [Fault]s for the requests that match one matcher, built fluently:
 * `sandbox.faults.on(Route.GET_SESSION).status(503, 503).rateLimited(2)`.
 * Each fault is used by one request, in order; when the queue is empty, normal behaviour resumes.
 */
public class FaultScript internal constructor(
    private val route: Route?,
    private val method: String?,
    private val pathPattern: Regex?,
) {
    private val queue = ConcurrentLinkedQueue<Fault>()

    /** Faults not consumed yet. */
    public val pending: Int get() = queue.size

    /** Appends [fault]. */
    public fun then(fault: Fault): FaultScript = apply { queue.add(fault) }

    /** Appends one [Fault.Status] per code, e.g. `status(503, 503)`. */
    public fun status(vararg statuses: Int): FaultScript = apply { statuses.forEach { queue.add(Fault.Status(it)) } }

    /** Appends `429` with `Retry-After: <retryAfterSeconds>`. */
    @JvmOverloads
    public fun rateLimited(retryAfterSeconds: Long = 1): FaultScript =
        then(Fault.Status(429, RetryAfter.Seconds(retryAfterSeconds)))

    /** Appends `429` with `Retry-After` as an HTTP date. */
    public fun rateLimitedUntil(at: Instant): FaultScript = then(Fault.Status(429, RetryAfter.HttpDate(at)))

    /** Appends `503`, with `Retry-After: <retryAfterSeconds>` if given. */
    @JvmOverloads
    public fun unavailable(retryAfterSeconds: Long? = null): FaultScript =
        then(Fault.Status(503, retryAfterSeconds?.let { RetryAfter.Seconds(it) }))

    /** Appends `503` with `Retry-After` as an HTTP date. */
    public fun unavailableUntil(at: Instant): FaultScript = then(Fault.Status(503, RetryAfter.HttpDate(at)))

    /** Appends a [Fault.Delay]. */
    public fun delay(millis: Long): FaultScript = then(Fault.Delay(millis))

    /** Appends a [Fault.Drop]. */
    public fun drop(): FaultScript = then(Fault.Drop)

    /** Appends a [Fault.Reset] (also the "reset after reading a POST body" mode). */
    public fun reset(): FaultScript = then(Fault.Reset)

    /** Alias of [reset], named after the keep-alive scenario it is used for. */
    public fun resetAfterReadingBody(): FaultScript = then(Fault.Reset)

    /** Appends a [Fault.TruncatedBody]. */
    public fun truncatedBody(): FaultScript = then(Fault.TruncatedBody)

    /** Appends a [Fault.MalformedJson]. */
    public fun malformedJson(): FaultScript = then(Fault.MalformedJson)

    /** Appends a [Fault.ConnectionClose]. */
    public fun connectionClose(): FaultScript = then(Fault.ConnectionClose)

    /** Appends a [Fault.ResetAfterResponse]. */
    public fun resetAfterResponse(): FaultScript = then(Fault.ResetAfterResponse)

    /** Appends a [Fault.Respond]: exactly this status, body and headers. */
    @JvmOverloads
    public fun respond(status: Int, body: String, headers: List<Pair<String, String>> = emptyList()): FaultScript =
        then(Fault.Respond(status, body, headers))

    /** Appends a redirect ([status] 3xx, default 302) to [location]: a [Fault.Respond] with a `Location` header. */
    @JvmOverloads
    public fun redirect(location: String, status: Int = 302): FaultScript =
        then(Fault.Respond(status, "", listOf("Location" to location)))

    /** Appends [fault] [times] times. */
    public fun repeat(times: Int, fault: Fault): FaultScript = apply { repeat(times) { queue.add(fault) } }

    internal fun matches(r: Route, m: String, rawPath: String): Boolean = when {
        route != null -> route == r
        else -> (method == null || method.equals(m, ignoreCase = true)) && pathPattern!!.matches(rawPath)
    }

    internal fun poll(): Fault? = queue.poll()

    override fun toString(): String = "FaultScript(${route ?: "$method $pathPattern"}, pending=${queue.toList()})"
}

/**
 * Fault injection, scriptable from tests.
 *
 * Per-request faults are queued per matcher with [on]; scripts are consulted in registration order and the first
 * matching script with a pending fault supplies it. Connection-level behaviour is set with [idleTimeoutMillis] and
 * [alwaysCloseConnections]. [clear] restores normal behaviour.
 *
 * Example:
 * ```
 * sandbox.faults.on(Route.GET_SESSION).status(503).rateLimited(retryAfterSeconds = 1)
 * sandbox.faults.on("POST", "/v1/sessions/[^/]+/revoke").resetAfterReadingBody()
 * ```
 */
public class Faults internal constructor() {
    private val scripts = CopyOnWriteArrayList<FaultScript>()

    /**
     * Idle keep-alive connections are closed after this many milliseconds without a new request.
     * `null` (default) uses [SandboxConfig.idleTimeoutMillis]. Takes effect for the next wait of each connection.
     */
    @Volatile
    public var idleTimeoutMillis: Long? = null

    /** When `true`, every response carries `Connection: close` and the connection is closed after it. */
    @Volatile
    public var alwaysCloseConnections: Boolean = false

    /**
     * Like nginx's `keepalive_requests`: the answer to the N-th request on a connection carries `Connection: close`
     * and the connection is closed after it. `null` (default): no limit.
     */
    @Volatile
    public var maxRequestsPerConnection: Int? = null

    /** A new script for requests matched to [route]. */
    public fun on(route: Route): FaultScript = FaultScript(route, null, null).also { scripts.add(it) }

    /**
     * A new script for requests whose [method] (`null` = any) and raw (still encoded) path, without query,
     * fully match the regular expression [pathRegex], e.g. `on("GET", "/v1/sessions/sess_.*")`.
     */
    public fun on(method: String?, pathRegex: String): FaultScript =
        FaultScript(null, method, Regex(pathRegex)).also { scripts.add(it) }

    /** Faults not consumed yet, over all scripts. */
    public val pending: Int get() = scripts.sumOf { it.pending }

    /** Removes every script and restores the connection-level defaults. */
    public fun clear() {
        scripts.clear()
        idleTimeoutMillis = null
        alwaysCloseConnections = false
        maxRequestsPerConnection = null
    }

    internal fun next(route: Route, method: String, rawPath: String): Fault? {
        for (s in scripts) {
            if (s.matches(route, method, rawPath)) {
                val f = s.poll()
                if (f != null) return f
            }
        }
        return null
    }
}
