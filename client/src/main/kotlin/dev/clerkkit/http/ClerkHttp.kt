package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.RequestOptions
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.ErrorMapper
import dev.clerkkit.ratelimit.RateGate
import io.ktor.client.plugins.timeout
import io.ktor.client.request.header
import io.ktor.client.request.prepareRequest
import io.ktor.client.request.setBody
import io.ktor.client.request.url
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsChannel
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.content.TextContent
import io.ktor.http.isSuccess
import io.ktor.utils.io.readRemaining
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withTimeout
import kotlinx.io.readByteArray
import java.time.Duration

/**
 * The one HTTP pipeline. A call goes, top-down: [execute] → [retrying] (the retry loop, decisions in Retries.kt) →
 * [attempt] (a permit of the rate budget, then one attempt under the request timeout, on the lane the [Transport] picks) → [exchange] (the request on
 * the wire; engine failures typed in TransportErrors.kt) → [handle] (2xx → decode, otherwise → [ErrorMapper]).
 * Nothing else in clerkkit talks HTTP.
 */
internal class ClerkHttp(
    private val config: ClerkConfig,
    private val transport: Transport,
) {
    private val baseUrl = config.baseUrl
    private val authorization = "Bearer " + config.secretKey
    private val host = runCatching { java.net.URI(baseUrl).authority }.getOrDefault(baseUrl)

    /** The rate budget every attempt draws from (docs/rate-limit.md). */
    private val rateGate = RateGate(config)

    suspend fun <T> execute(call: ApiCall, options: RequestOptions, decode: (String) -> T): T =
        retrying(call, options.retryPolicy ?: config.retryPolicy) { fresh -> attempt(call, options, decode, fresh) }

    /**
     * The retry loop, on the caller's context. After a transport failure the next attempt asks for a fresh connection:
     * the failure may have come from a pooled keep-alive connection the server had closed.
     */
    private suspend fun <T> retrying(call: ApiCall, policy: RetryPolicy, attempt: suspend (freshConnection: Boolean) -> T): T {
        val started = System.nanoTime()
        var attempts = 0
        var fresh = false
        while (true) {
            attempts++
            val failure = try {
                return attempt(fresh)
            } catch (e: ClerkException) {
                e
            }
            fresh = failure is ClerkTransportException
            failure.attempts = attempts
            rateGate.afterFailure(failure) // a 429 pauses the budget until Retry-After
            if (attempts >= policy.maxAttempts) throw failure
            val wait = retryDelay(failure, call.replay, policy, attempts) ?: throw failure
            val elapsed = Duration.ofNanos(System.nanoTime() - started)
            if (elapsed + wait > policy.maxElapsed) throw failure
            policy.sleeper.sleep(wait)
        }
    }

    /**
     * One attempt under the request timeout: a coroutine timer around the attempt rather than Ktor's HttpTimeout plugin,
     * which launches a coroutine per call for it (measured: ~5-10% of the per-call cost at low concurrency).
     */
    private suspend fun <T> attempt(call: ApiCall, options: RequestOptions, decode: (String) -> T, fresh: Boolean): T {
        // one permit of the rate budget per attempt (suspends while none is free; fails at once past the call's timeout)
        rateGate.beforeAttempt(call.operation, options.timeout ?: config.requestTimeout)
        return transport.attempt(call, fresh) { ride ->
            val limit = options.timeout ?: config.requestTimeout
            val started = System.nanoTime()
            try {
                withTimeout(limit.toMillis()) { exchange(ride, call, options, decode) }
            } catch (e: TimeoutCancellationException) {
                throw requestTimedOut(call, limit, e)
            } catch (e: ClerkException) {
                // the timer fired while the engine was failing the exchange for it: report the timeout, not its side effect
                if (e !is ClerkTimeoutException && System.nanoTime() - started >= limit.toNanos()) throw requestTimedOut(call, limit, e)
                throw e
            }
        }
    }

    /** The request on the wire, and its answer read inside the response scope. */
    private suspend fun <T> exchange(ride: Ride, call: ApiCall, options: RequestOptions, decode: (String) -> T): T {
        var answered = false // the status line and headers have arrived
        try {
            return ride.client.prepareRequest {
                method = call.method
                url(buildUrl(call))
                header(HttpHeaders.Authorization, authorization)
                header("Clerk-API-Version", config.apiVersion)
                header(HttpHeaders.UserAgent, config.userAgent)
                header(HttpHeaders.Accept, "application/json")
                options.headers.forEach { (k, v) -> header(k, v) }
                // CIO sends a request with `Connection: close` on a dedicated new connection (never a pooled one).
                if (ride.newConnection) header(HttpHeaders.Connection, "close")
                if (options.connectTimeout != null || options.socketTimeout != null) {
                    timeout {
                        options.connectTimeout?.let { connectTimeoutMillis = it.toMillis() }
                        options.socketTimeout?.let { socketTimeoutMillis = it.toMillis() }
                    }
                }
                call.body?.let { setBody(TextContent(it, ContentType.Application.Json)) }
            }.execute { response ->
                answered = true
                ride.onResponse(response)
                handle(call, response, decode)
            }
        } catch (e: CancellationException) {
            // The caller was cancelled: propagate. Otherwise the engine cancelled the call itself (e.g. the request
            // timeout fired while the body was being read inside execute {}, where Ktor does not unwrap the cause):
            // that is a failure of this attempt and must not escape as a silent CancellationException.
            currentCoroutineContext().ensureActive()
            val failure = engineFailure(call, e, host, socketTimeoutMillis(options))
            if (failure is ClerkTimeoutException) throw failure
            throw ClerkTransportException(
                call.operation,
                "${call.operation} connection failed (call cancelled by the HTTP engine: ${e.message}); " +
                    "the request may have reached the server",
                mayHaveReachedServer = true,
                cause = e,
            )
        } catch (e: Exception) {
            val failure = engineFailure(call, e, host, socketTimeoutMillis(options))
            // the connection broke after the answer had begun (OkHttp: "unexpected end of stream" while reading the body)
            if (answered && e !is ClerkException && failure is ClerkTransportException && failure !is ClerkTimeoutException) {
                throw ClerkTransportException(
                    call.operation,
                    "${call.operation} connection closed mid-response (${e.javaClass.simpleName}: ${e.message}); " +
                        "the request may have reached the server",
                    mayHaveReachedServer = true,
                    cause = e,
                )
            }
            throw failure
        }
    }

    private suspend fun <T> handle(call: ApiCall, response: HttpResponse, decode: (String) -> T): T {
        val status = response.status.value
        val text = readBody(call, response)
        if (!response.status.isSuccess()) {
            val headers = response.headers.entries().associate { (k, v) -> k.lowercase() to v.map(::redact) }
            throw ErrorMapper.map(call.operation, status, headers, redact(text))
        }
        // A 2xx that says it is not JSON (an HTML error page of a proxy, a captive portal) is not Clerk's answer,
        // even if its text happens to parse. No Content-Type at all is tolerated.
        val contentType = response.headers[HttpHeaders.ContentType]
        if (contentType != null && !isJson(contentType)) {
            throw ClerkResponseException(
                call.operation, status, redact(text).take(65536),
                "${call.operation}: HTTP $status response has Content-Type '${contentType.take(100)}', expected JSON",
                null,
            )
        }
        return try {
            decode(text)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            // Any decoding failure (not only SerializationException / IllegalArgumentException) is a bad response,
            // never a "connection failed" transport error that the retry loop would replay.
            throw undecodable(call, status, text, e)
        }
    }

    private fun isJson(contentType: String): Boolean {
        val mime = contentType.substringBefore(';').trim().lowercase()
        return mime == "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"))
    }

    /** Reads the whole body inside the response scope, bounded by [ClerkConfig.maxResponseBytes]. */
    private suspend fun readBody(call: ApiCall, response: HttpResponse): String {
        val limit = config.maxResponseBytes
        val declared = response.headers[HttpHeaders.ContentLength]?.toLongOrNull()
        if (declared != null && declared > limit) throw tooLarge(call, response.status.value, declared)
        // a connection that breaks while the body is read surfaces in exchange() as "closed mid-response"
        val bytes = response.bodyAsChannel().readRemaining(limit + 1).readByteArray()
        if (bytes.size > limit) throw tooLarge(call, response.status.value, null)
        // Ktor ends the body quietly when the server closes early: a body shorter than its Content-Length is a broken
        // exchange (transport), not a malformed answer.
        if (declared != null && bytes.size < declared) {
            throw ClerkTransportException(
                call.operation,
                "${call.operation} connection closed mid-response: got ${bytes.size} of $declared body bytes; " +
                    "the request may have reached the server",
                mayHaveReachedServer = true,
                cause = null,
            )
        }
        return bytes.decodeToString()
    }

    private fun tooLarge(call: ApiCall, status: Int, declared: Long?) = ClerkResponseException(
        call.operation, status, "",
        "${call.operation}: response body of ${declared ?: "more than ${config.maxResponseBytes}"} bytes exceeds " +
            "maxResponseBytes (${config.maxResponseBytes})",
        null,
    )

    private fun undecodable(call: ApiCall, status: Int, text: String, e: Exception) = ClerkResponseException(
        call.operation, status, redact(text).take(65536),
        redact("${call.operation}: HTTP $status response could not be decoded (${e.javaClass.simpleName}: ${e.message?.take(300)})"),
        // the decoder's message quotes the input: when that input echoes the secret, the cause is dropped
        if (text.contains(config.secretKey)) null else e,
    )

    private fun buildUrl(call: ApiCall): String = buildString {
        append(baseUrl)
        call.path.forEach { append('/').append(it) }
        if (call.query.isNotEmpty()) {
            append('?')
            call.query.forEachIndexed { i, (k, v) ->
                if (i > 0) append('&')
                append(k).append('=').append(java.net.URLEncoder.encode(v, Charsets.UTF_8).replace("+", "%20"))
            }
        }
    }

    private fun requestTimedOut(call: ApiCall, limit: Duration, cause: Throwable) = ClerkTimeoutException(
        call.operation,
        "${call.operation} timed out after ${limit.toMillis()} ms (request timeout); the request may have reached the server",
        true, cause,
    )

    private fun socketTimeoutMillis(options: RequestOptions) = (options.socketTimeout ?: config.socketTimeout).toMillis()

    /** A server that echoes the request must not make the secret appear in an exception or log. */
    private fun redact(text: String): String =
        if (text.contains(config.secretKey)) text.replace(config.secretKey, "[REDACTED]") else text
}
