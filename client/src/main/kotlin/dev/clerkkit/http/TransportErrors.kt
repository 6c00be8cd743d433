package dev.clerkkit.http

import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.ClerkTransportException
import io.ktor.client.network.sockets.ConnectTimeoutException
import io.ktor.client.plugins.HttpRequestTimeoutException
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.nio.channels.UnresolvedAddressException
import java.security.cert.CertificateException
import javax.net.ssl.SSLHandshakeException

/**
 * What an engine failure during one exchange means for the caller and the retry loop: a typed [ClerkException] that
 * says whether the request may have reached the server (docs/retries.md). Engines report the same event differently
 * (CIO wraps a socket timeout in a closed channel; OkHttp and CIO name connect timeouts differently), so every
 * mapping looks through the cause chain.
 *
 * @param host the API's host, named in messages (never the URL's path or query)
 * @param socketTimeoutMillis the socket timeout in force for the call, named in messages
 */
internal fun engineFailure(call: ApiCall, e: Throwable, host: String, socketTimeoutMillis: Long): ClerkException {
    val op = call.operation
    val chain = generateSequence(e) { it.cause }.take(16).toList()
    return when {
        e is ClerkException -> e
        chain.any { it is HttpRequestTimeoutException } ->
            ClerkTimeoutException(op, "$op timed out: ${chain.first { it is HttpRequestTimeoutException }.message}", true, e)
        // a connect timeout (Ktor's ConnectTimeoutException; OkHttp's own "connect timed out"): no request byte left
        chain.any { it is ConnectTimeoutException } || chain.any { it is SocketTimeoutException && it.message.orEmpty().contains("connect", ignoreCase = true) } ->
            ClerkTimeoutException(op, "$op timed out connecting to $host", false, e)
        // a socket read/write timeout (CIO reports it as a closed channel whose cause is the timeout)
        chain.any { it is SocketTimeoutException } ->
            ClerkTimeoutException(
                op,
                "$op timed out: no bytes moved on the connection for socketTimeout ($socketTimeoutMillis ms); " +
                    "the request may have reached the server",
                true, e,
            )
        else -> {
            // A refused connection, an unknown host, or a TLS handshake that failed (e.g. an untrusted certificate):
            // no request byte was sent.
            val handshake = chain.any { it is SSLHandshakeException || it is CertificateException }
            val neverSent = handshake || chain.any {
                it is ConnectException || it is UnknownHostException || it is UnresolvedAddressException || it is NoRouteToHostException
            }
            val what = when {
                handshake -> "TLS handshake with $host failed (is its certificate trusted?)"
                neverSent -> "could not connect to $host"
                else -> "connection failed"
            }
            ClerkTransportException(
                op,
                "$op $what (${e.javaClass.simpleName}: ${e.message})" + if (neverSent) "" else "; the request may have reached the server",
                mayHaveReachedServer = !neverSent,
                cause = e,
            )
        }
    }
}
