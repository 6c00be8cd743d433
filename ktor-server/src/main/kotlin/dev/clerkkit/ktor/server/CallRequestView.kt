package dev.clerkkit.ktor.server

import dev.clerkkit.auth.AuthRequest
import io.ktor.server.application.ApplicationCall
import io.ktor.server.plugins.origin
import io.ktor.server.request.httpMethod
import java.util.Locale

/** Headers through which a client names the host and scheme it used; read only when the user trusts them. */
private val FORWARDING_HEADERS = setOf("x-forwarded-host", "x-forwarded-proto", "x-forwarded-port", "forwarded")

/**
 * The framework-free view of [call] that `authenticateRequest` reads: the method, the absolute URL and every header.
 *
 * The URL is the one of Ktor's `call.request.origin`: the connection's scheme and the `Host` header, or what a
 * proxy said when the application installed Ktor's `XForwardedHeaders`/`ForwardedHeaders` plugin. Unless
 * [trustForwardedHeaders] is set, the view leaves out `X-Forwarded-Host`/`-Proto`/`-Port` and `Forwarded` and carries
 * a `Host` equal to that URL's authority, so that any client cannot choose the origin `authenticateRequest` sends to
 * Clerk on a refresh or the `redirect_url` of a handshake. With [trustForwardedHeaders], every header is passed as it
 * came and `authenticateRequest` reads `X-Forwarded-Host`/`-Proto` first, as `@clerk/backend` does.
 */
internal fun authRequestOf(call: ApplicationCall, trustForwardedHeaders: Boolean): AuthRequest {
    val origin = call.request.origin
    val authority = authority(origin.scheme, origin.serverHost, origin.serverPort)
    val builder = AuthRequest.builder()
        .method(call.request.httpMethod.value)
        .url("${origin.scheme}://$authority${origin.uri.ifEmpty { "/" }}")
    for ((name, values) in call.request.headers.entries()) {
        val lower = name.lowercase(Locale.ROOT)
        if (!trustForwardedHeaders && (lower in FORWARDING_HEADERS || lower == "host")) continue
        for (value in values) builder.header(lower, value)
    }
    if (!trustForwardedHeaders) builder.header("host", authority)
    return builder.build()
}

/** `host[:port]`, the port left out when it is the scheme's default, an IPv6 literal in brackets. */
private fun authority(scheme: String, host: String, port: Int): String {
    val h = if (':' in host && !host.startsWith('[')) "[$host]" else host
    val default = (scheme == "http" && port == 80) || (scheme == "https" && port == 443) || port <= 0
    return if (default) h else "$h:$port"
}
