package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.http.engine.EngineFailure
import dev.clerkkit.http.engine.EngineFailure.Kind
import dev.clerkkit.http.engine.EngineRequest
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.http.engine.HttpEngine

/**
 * Engine (the last stage): hands the request to the [HttpEngine] for one round trip, and turns an [EngineFailure]
 * into the public [ClerkTransportException] or [ClerkTimeoutException], saying whether the request may have reached
 * the server. Messages name the API's host, never the URL's path or query.
 */
internal class EngineStage(private val engine: HttpEngine, private val config: ClerkConfig) : Stage {
    private val host = runCatching { java.net.URI(config.baseUrl).authority }.getOrNull() ?: config.baseUrl

    override suspend fun intercept(chain: Chain): EngineResponse {
        val r = chain.request
        val request = EngineRequest(
            r.method, r.url, r.headers, r.body, r.options.connectTimeout, r.options.socketTimeout,
            config.maxResponseBytes, r.afterTransportFailure,
        )
        try {
            return engine.roundTrip(request)
        } catch (e: EngineFailure) {
            throw typed(r, e)
        }
    }

    private fun typed(request: ApiRequest, e: EngineFailure): ClerkTransportException {
        val op = request.operation.name
        val cause = e.cause ?: e
        val what = "${cause.javaClass.simpleName}: ${cause.message}"
        val maybe = "; the request may have reached the server"
        return when (e.kind) {
            Kind.REQUEST_TIMEOUT -> ClerkTimeoutException(op, "$op timed out: ${cause.message}", true, cause)
            Kind.CONNECT_TIMEOUT -> ClerkTimeoutException(op, "$op timed out connecting to $host", false, cause)
            Kind.SOCKET_TIMEOUT -> {
                val ms = (request.options.socketTimeout ?: config.socketTimeout).toMillis()
                ClerkTimeoutException(op, "$op timed out: no bytes moved on the connection for socketTimeout ($ms ms)$maybe", true, cause)
            }
            Kind.TLS_HANDSHAKE -> ClerkTransportException(op, "$op TLS handshake with $host failed (is its certificate trusted?) ($what)", false, cause)
            Kind.CONNECT_FAILED -> ClerkTransportException(op, "$op could not connect to $host ($what)", false, cause)
            Kind.BROKEN -> ClerkTransportException(op, "$op connection failed ($what)$maybe", true, cause)
            Kind.CLOSED_MID_RESPONSE -> ClerkTransportException(op, "$op connection closed mid-response ($what)$maybe", true, cause)
            Kind.ENGINE_CANCELLED ->
                ClerkTransportException(op, "$op connection failed (call cancelled by the HTTP engine: ${cause.message})$maybe", true, cause)
        }
    }

    override fun toString(): String = "EngineStage"
}
