package dev.clerkkit.http.engine

import dev.clerkkit.http.engine.EngineFailure.Kind
import io.ktor.client.HttpClient
import io.ktor.client.network.sockets.ConnectTimeoutException
import io.ktor.client.plugins.HttpRequestTimeoutException
import io.ktor.client.plugins.timeout
import io.ktor.client.request.header
import io.ktor.client.request.prepareRequest
import io.ktor.client.request.setBody
import io.ktor.client.request.url
import io.ktor.client.statement.bodyAsChannel
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.content.TextContent
import io.ktor.utils.io.readBuffer
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.io.readByteArray
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.nio.channels.UnresolvedAddressException
import java.security.cert.CertificateException
import javax.net.ssl.SSLHandshakeException

/**
 * One round trip on a Ktor [HttpClient], shared by the Ktor-based adapters: the request as given, the body read inside
 * the response scope (bounded), and every engine failure classified as an [EngineFailure]. A caller's cancellation
 * propagates untouched.
 */
internal suspend fun HttpClient.roundTrip(request: EngineRequest): EngineResponse {
    var answered = false // the status line and headers have arrived
    try {
        return prepareRequest {
            method = HttpMethod.parse(request.method)
            url(request.url)
            request.headers.forEach { (name, value) -> header(name, value) }
            if (request.connectTimeout != null || request.socketTimeout != null) {
                timeout {
                    request.connectTimeout?.let { connectTimeoutMillis = it.toMillis() }
                    request.socketTimeout?.let { socketTimeoutMillis = it.toMillis() }
                }
            }
            request.body?.let { setBody(TextContent(it, ContentType.Application.Json)) }
        }.execute { response ->
            answered = true
            val headers = LinkedHashMap<String, List<String>>()
            response.headers.entries().forEach { (name, values) -> headers[name.lowercase()] = values }
            val declared = response.headers[HttpHeaders.ContentLength]?.toLongOrNull()
            val body = if (declared != null && declared > request.maxBodyBytes) {
                ByteArray(0)
            } else {
                response.bodyAsChannel().readBuffer(request.maxBodyBytes + 1).readByteArray()
            }
            EngineResponse(response.status.value, headers, body)
        }
    } catch (e: CancellationException) {
        // The caller was cancelled: propagate. Otherwise the engine cancelled the exchange itself (e.g. its timer fired
        // while the body was read inside execute {}, where Ktor does not unwrap the cause): a failure of this exchange.
        currentCoroutineContext().ensureActive()
        val kind = classify(e, answered)
        throw EngineFailure(if (kind == Kind.BROKEN || kind == Kind.CLOSED_MID_RESPONSE) Kind.ENGINE_CANCELLED else kind, e)
    } catch (e: EngineFailure) {
        throw e
    } catch (e: Exception) {
        throw EngineFailure(classify(e, answered), e)
    }
}

/**
 * What an engine failure means. Engines report the same event differently (CIO wraps a socket timeout in a closed
 * channel; OkHttp and CIO name connect timeouts differently), so the whole cause chain is looked at.
 */
internal fun classify(e: Throwable, answered: Boolean): Kind {
    val chain = generateSequence(e) { it.cause }.take(16).toList()
    return when {
        chain.any { it is HttpRequestTimeoutException } -> Kind.REQUEST_TIMEOUT
        chain.any { it is ConnectTimeoutException } ||
            chain.any { it is SocketTimeoutException && it.message.orEmpty().contains("connect", ignoreCase = true) } -> Kind.CONNECT_TIMEOUT
        chain.any { it is SocketTimeoutException } -> Kind.SOCKET_TIMEOUT
        chain.any { it is SSLHandshakeException || it is CertificateException } -> Kind.TLS_HANDSHAKE
        chain.any { it is ConnectException || it is UnknownHostException || it is UnresolvedAddressException || it is NoRouteToHostException } ->
            Kind.CONNECT_FAILED
        answered -> Kind.CLOSED_MID_RESPONSE
        else -> Kind.BROKEN
    }
}
