package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.RequestOptions
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.ErrorMapper
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import io.ktor.client.network.sockets.ConnectTimeoutException
import io.ktor.client.plugins.HttpRequestTimeoutException
import io.ktor.client.plugins.timeout
import io.ktor.client.request.header
import io.ktor.client.request.prepareRequest
import io.ktor.client.request.setBody
import io.ktor.client.request.url
import io.ktor.client.statement.HttpResponse
import io.ktor.client.statement.bodyAsChannel
import io.ktor.http.ContentType
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpMethod
import io.ktor.http.content.TextContent
import io.ktor.http.isSuccess
import io.ktor.utils.io.readRemaining
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.withContext
import kotlinx.coroutines.withTimeout
import kotlinx.io.readByteArray
import java.net.ConnectException
import java.net.NoRouteToHostException
import java.net.SocketTimeoutException
import java.net.UnknownHostException
import java.nio.channels.UnresolvedAddressException
import java.time.Duration

/** Whether a call may be replayed after its request may have reached Clerk. See docs/retries.md for the per-operation table. */
internal enum class Replay {
    /** Replaying cannot do harm (reads; revoke; minting a token): retried on 5xx, 429 and any transport failure. */
    SAFE,

    /** Replaying could duplicate an effect (create): retried only on 429 and when the request provably never left. */
    UNSAFE,
}

/** One API call, described before any I/O: the public operations build these after checking their input. */
internal class ApiCall(
    val operation: String,
    val method: HttpMethod,
    /** Already-encoded path segments below the base URL (see [pathSegment]). */
    val path: List<String>,
    val query: List<Pair<String, String>> = emptyList(),
    /** JSON body, or null for none. */
    val body: String? = null,
    val replay: Replay = Replay.SAFE,
)

/**
 * The one HTTP pipeline: auth and version headers, per-call options, the retry loop, Ktor, and the response
 * handler (2xx -> decode, otherwise -> [ErrorMapper]). Nothing else in clerkkit talks HTTP.
 */
internal class ClerkHttp(
    private val config: ClerkConfig,
    /** The Ktor client(s): one for an injected engine; for built-in CIO, replaced when its pool goes bad. */
    private val clients: HttpClients,
) {
    private val baseUrl = config.baseUrl
    private val authorization = "Bearer " + config.secretKey
    private val rateGate = dev.clerkkit.ratelimit.RateGate(config) // rate budget (issue 18)

    suspend fun <T> execute(call: ApiCall, options: RequestOptions, decode: (String) -> T): T =
        retrying(call, options.retryPolicy ?: config.retryPolicy) { fresh -> once(call, options, decode, fresh) }

    /**
     * The retry loop. After a transport failure the next attempt asks for a fresh connection: the failure may have
     * come from a pooled keep-alive connection the server had closed, and CIO would otherwise hand out the same
     * dead pipeline again.
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
            rateGate.afterFailure(failure) // rate budget (issue 18): a 429 pauses it until Retry-After
            if (attempts >= policy.maxAttempts) throw failure
            val wait = retryDelay(failure, call.replay, policy, attempts) ?: throw failure
            val elapsed = Duration.ofNanos(System.nanoTime() - started)
            if (elapsed + wait > policy.maxElapsed) throw failure
            policy.sleeper.sleep(wait)
        }
    }

    /** How long to wait before retrying after [failure], or null when it must not be retried. */
    private fun retryDelay(failure: ClerkException, replay: Replay, policy: RetryPolicy, retry: Int): Duration? {
        val retryAfter = (failure as? ClerkApiException)?.retryAfter
        val retryable = when (failure) {
            // 429: Clerk refused the request without processing it, so even a create may be sent again.
            is RateLimitException -> true
            is ServerException -> replay == Replay.SAFE
            is ClerkTransportException -> replay == Replay.SAFE || !failure.mayHaveReachedServer
            else -> false
        }
        if (!retryable) return null
        // Retry-After is honoured where HTTP defines it for a retry: 429 and 503. Elsewhere it is ignored (backoff).
        val honoured = retryAfter?.takeIf { failure is ClerkApiException && (failure.statusCode == 429 || failure.statusCode == 503) }
        if (honoured != null) return if (honoured > policy.maxRetryAfter) null else honoured
        return policy.backoff(retry)
    }

    private suspend fun <T> once(call: ApiCall, options: RequestOptions, decode: (String) -> T, freshConnection: Boolean): T {
        rateGate.beforeAttempt(call.operation, options.timeout ?: config.requestTimeout) // rate budget (issue 18)
        val generation = clients.acquire()
        try {
            // each attempt runs on the threads of the client it uses (its engine's own: no further hop inside Ktor)
            return withContext(generation.dispatcher) { once(generation, call, options, decode, freshConnection) }
        } finally {
            generation.release()
        }
    }

    private suspend fun <T> once(
        generation: HttpClients.Generation,
        call: ApiCall,
        options: RequestOptions,
        decode: (String) -> T,
        freshConnection: Boolean,
    ): T {
        // A GET that may ride a pooled keep-alive connection (CIO sends POSTs and `Connection: close` requests on
        // connections of their own). On a pool that went bad and is not replaced yet, every call gets a fresh connection.
        val fresh = freshConnection || generation.bad
        val pooled = clients.guarded && !fresh && (call.method == HttpMethod.Get || call.method == HttpMethod.Head)
        val limit = options.timeout ?: config.requestTimeout
        val started = System.nanoTime()
        try {
            // The request timeout is a coroutine timer around the attempt rather than Ktor's HttpTimeout plugin, which
            // launches a coroutine per call for it (measured: ~5-10% of the per-call cost at low concurrency).
            return try {
                withTimeout(limit.toMillis()) { exchange(generation, call, options, decode, fresh, pooled) }
            } catch (e: TimeoutCancellationException) {
                throw requestTimedOut(call, limit, e)
            } catch (e: ClerkException) {
                // the timer fired while Ktor was failing the exchange for it: report the timeout, not its side effect
                if (e !is ClerkTimeoutException && System.nanoTime() - started >= limit.toNanos()) throw requestTimedOut(call, limit, e)
                throw e
            }
        } catch (e: ClerkException) {
            // The connection broke, stalled or answered out of step: CIO keeps it in its pipeline, where it would hang
            // or fail the next request. (A caller's cancellation is not a reason: CIO drains that answer in order.)
            if (pooled && (e is ClerkTransportException || e is ClerkResponseException)) {
                clients.markBad(generation, e.javaClass.simpleName)
            }
            throw e
        }
    }

    private suspend fun <T> exchange(
        generation: HttpClients.Generation,
        call: ApiCall,
        options: RequestOptions,
        decode: (String) -> T,
        fresh: Boolean,
        pooled: Boolean,
    ): T {
        try {
            return generation.client.prepareRequest {
                method = call.method
                url(buildUrl(call))
                header(HttpHeaders.Authorization, authorization)
                header("Clerk-API-Version", config.apiVersion)
                header(HttpHeaders.UserAgent, config.userAgent)
                header(HttpHeaders.Accept, "application/json")
                options.headers.forEach { (k, v) -> header(k, v) }
                // CIO sends a request with `Connection: close` on a dedicated new connection (never a pooled one).
                if (fresh) header(HttpHeaders.Connection, "close")
                if (options.connectTimeout != null || options.socketTimeout != null) {
                    timeout {
                        options.connectTimeout?.let { connectTimeoutMillis = it.toMillis() }
                        options.socketTimeout?.let { socketTimeoutMillis = it.toMillis() }
                    }
                }
                call.body?.let { setBody(TextContent(it, ContentType.Application.Json)) }
            }.execute { response ->
                if (pooled && closesConnection(response)) clients.markBad(generation, "a response said Connection: close", announcedClose = true)
                handle(call, response, decode)
            }
        } catch (e: CancellationException) {
            // The caller was cancelled: propagate. Otherwise Ktor cancelled the call itself (e.g. the request
            // timeout fired while the body was being read inside execute {}, where Ktor does not unwrap the cause):
            // that is a failure of this attempt and must not escape as a silent CancellationException.
            currentCoroutineContext().ensureActive()
            val timeout = generateSequence<Throwable>(e) { it.cause }.firstOrNull { it is HttpRequestTimeoutException }
            if (timeout != null) {
                throw ClerkTimeoutException(call.operation, "${call.operation} timed out: ${timeout.message}", true, timeout)
            }
            throw ClerkTransportException(
                call.operation,
                "${call.operation} connection failed (call cancelled by the HTTP engine: ${e.message}); " +
                    "the request may have reached the server",
                mayHaveReachedServer = true,
                cause = e,
            )
        } catch (e: ClerkException) {
            throw e
        } catch (e: HttpRequestTimeoutException) {
            throw ClerkTimeoutException(call.operation, "${call.operation} timed out: ${e.message}", true, e)
        } catch (e: ConnectTimeoutException) {
            throw ClerkTimeoutException(call.operation, "${call.operation} timed out connecting to ${hostOf()}", false, e)
        } catch (e: SocketTimeoutException) {
            throw ClerkTimeoutException(call.operation, socketTimedOut(call, options), true, e)
        } catch (e: Exception) {
            // CIO reports a socket read/write timeout as a closed channel whose cause is the timeout
            val timedOut = generateSequence<Throwable>(e) { it.cause }.firstOrNull { it is SocketTimeoutException }
            if (timedOut != null) {
                throw ClerkTimeoutException(call.operation, socketTimedOut(call, options), true, e)
            }
            // A refused connection, an unknown host, or a TLS handshake that failed (e.g. an untrusted certificate):
            // no request byte was sent.
            val handshake = generateSequence<Throwable>(e) { it.cause }
                .any { it is javax.net.ssl.SSLHandshakeException || it is java.security.cert.CertificateException }
            val neverSent = handshake || e is ConnectException || e is UnknownHostException ||
                e is UnresolvedAddressException || e is NoRouteToHostException
            val what = when {
                handshake -> "TLS handshake with ${hostOf()} failed (is its certificate trusted?)"
                neverSent -> "could not connect to ${hostOf()}"
                else -> "connection failed"
            }
            throw ClerkTransportException(
                call.operation,
                "${call.operation} $what (${e.javaClass.simpleName}: ${e.message})" +
                    if (neverSent) "" else "; the request may have reached the server",
                mayHaveReachedServer = !neverSent,
                cause = e,
            )
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

    private fun closesConnection(response: HttpResponse): Boolean =
        response.headers.getAll(HttpHeaders.Connection).orEmpty()
            .any { v -> v.split(',').any { it.trim().equals("close", ignoreCase = true) } }

    private fun isJson(contentType: String): Boolean {
        val mime = contentType.substringBefore(';').trim().lowercase()
        return mime == "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"))
    }

    /** Reads the whole body inside the response scope, bounded by [ClerkConfig.maxResponseBytes]. */
    private suspend fun readBody(call: ApiCall, response: HttpResponse): String {
        val limit = config.maxResponseBytes
        val declared = response.headers[HttpHeaders.ContentLength]?.toLongOrNull()
        if (declared != null && declared > limit) throw tooLarge(call, response.status.value, declared)
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

    private fun socketTimedOut(call: ApiCall, options: RequestOptions) =
        "${call.operation} timed out: no bytes moved on the connection for socketTimeout " +
            "(${(options.socketTimeout ?: config.socketTimeout).toMillis()} ms); " +
            "the request may have reached the server"

    private fun hostOf(): String = runCatching { java.net.URI(baseUrl).authority }.getOrDefault(baseUrl)

    /** A server that echoes the request must not make the secret appear in an exception or log. */
    private fun redact(text: String): String =
        if (text.contains(config.secretKey)) text.replace(config.secretKey, "[REDACTED]") else text
}
