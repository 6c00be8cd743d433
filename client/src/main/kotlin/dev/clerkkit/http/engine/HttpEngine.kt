package dev.clerkkit.http.engine

import java.time.Duration

/**
 * The one seam between clerkkit's pipeline and an HTTP engine: one suspend round trip, request in, whole response
 * out. Everything engine-specific (client settings, threads, connection pools and their hygiene) lives behind it, one
 * adapter per engine ([OkHttpEngine], [CioEngine], [KtorEngine] for an injected Ktor engine, [RoutingEngine] for
 * reads and writes on different engines); [createEngine] picks them from the configuration.
 *
 * Contract of [roundTrip]:
 * - it sends [EngineRequest] once (never retries by itself) and returns the response with its body read, at most
 *   [EngineRequest.maxBodyBytes] + 1 bytes of it; a `Content-Length` above the limit is not read at all (empty body);
 * - a failure below HTTP is an [EngineFailure] saying what happened and whether the request may have reached the
 *   server; a caller's cancellation propagates as `CancellationException`, and leaves no request of that call to be
 *   sent later;
 * - it is safe to call concurrently. [close] closes connections and releases the engine's threads; calls in flight
 *   fail. An engine the user injected is left open.
 */
internal interface HttpEngine : AutoCloseable {
    suspend fun roundTrip(request: EngineRequest): EngineResponse

    override fun close()
}

/**
 * One request as an engine sends it. [afterTransportFailure]: the previous attempt of the same call failed below HTTP,
 * so an engine that keeps connections of doubtful health (CIO) should use a fresh one.
 */
internal class EngineRequest(
    val method: String,
    val url: String,
    val headers: List<Pair<String, String>>,
    /** A JSON body, or null for none. */
    val body: String?,
    /** Connect timeout for this request only; null = the engine's configured one. */
    val connectTimeout: Duration?,
    /** Socket timeout for this request only; null = the engine's configured one. */
    val socketTimeout: Duration?,
    val maxBodyBytes: Long,
    val afterTransportFailure: Boolean,
) {
    /** GET and HEAD. */
    val isRead: Boolean get() = method == "GET" || method == "HEAD"

    fun withHeader(name: String, value: String): EngineRequest =
        EngineRequest(method, url, headers + (name to value), body, connectTimeout, socketTimeout, maxBodyBytes, afterTransportFailure)
}

/**
 * A response with its body read. [headers] have lower-case names. [connectionReused] is what the engine knows of the
 * connection (null: it does not say). [discardConnection] tells the engine the answer did not fit its request (a
 * garbled or mismatched body), so that the connection it came on is not trusted again where the engine can act on it.
 */
internal class EngineResponse(
    val status: Int,
    val headers: Map<String, List<String>>,
    val body: ByteArray,
    val connectionReused: Boolean? = null,
    private val onDiscard: () -> Unit = {},
) {
    /** The 2xx answer's decoded value, set by the response stage once the body decoded ([NOT_DECODED] until then). */
    var decoded: Any? = NOT_DECODED

    fun header(name: String): String? = headers[name]?.firstOrNull()

    fun discardConnection() = onDiscard()

    fun withDiscard(action: () -> Unit): EngineResponse = EngineResponse(status, headers, body, connectionReused) {
        onDiscard()
        action()
    }.also { it.decoded = decoded }

    fun withConnectionReused(reused: Boolean?): EngineResponse =
        EngineResponse(status, headers, body, reused, onDiscard).also { it.decoded = decoded }

    companion object {
        /** [decoded] of a response no stage decoded. */
        val NOT_DECODED: Any = Any()
    }
}

/**
 * An exchange failed below HTTP. [kind] says how; [mayHaveReachedServer] is false only when the request provably never
 * left. The pipeline turns it into the public `ClerkTransportException` / `ClerkTimeoutException`.
 */
internal class EngineFailure(
    val kind: Kind,
    cause: Throwable,
) : Exception(cause.message, cause) {
    val mayHaveReachedServer: Boolean get() = kind.mayHaveReachedServer

    enum class Kind(val mayHaveReachedServer: Boolean) {
        /** The engine's own request timer fired. */
        REQUEST_TIMEOUT(true),

        /** No connection within the connect timeout: nothing was sent. */
        CONNECT_TIMEOUT(false),

        /** No bytes moved for the socket timeout. */
        SOCKET_TIMEOUT(true),

        /** The TLS handshake failed (e.g. an untrusted certificate): nothing was sent. */
        TLS_HANDSHAKE(false),

        /** Refused, unknown host, no route: nothing was sent. */
        CONNECT_FAILED(false),

        /** The connection broke before an answer began. */
        BROKEN(true),

        /** The connection broke after the status line and headers had arrived. */
        CLOSED_MID_RESPONSE(true),

        /** The engine cancelled the exchange itself (not the caller). */
        ENGINE_CANCELLED(true),
    }
}
