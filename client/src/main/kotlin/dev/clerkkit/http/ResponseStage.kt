package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.ErrorMapper
import dev.clerkkit.http.engine.EngineResponse
import kotlinx.coroutines.CancellationException

/**
 * Response (every attempt): what came back is Clerk's answer, whole, or a typed error.
 * - A body larger than [ClerkConfig.maxResponseBytes] (declared or read): [ClerkResponseException].
 * - A body shorter than its `Content-Length` (the server closed early; engines end such a body quietly): a broken
 *   exchange, [ClerkTransportException] with `mayHaveReachedServer`.
 * - A non-2xx status: the typed [dev.clerkkit.errors.ClerkApiException] of [ErrorMapper], with the body and headers
 *   (secret key redacted).
 * - A 2xx that says it is not JSON (an HTML page of a proxy or captive portal): [ClerkResponseException], even if its
 *   text happens to parse. No `Content-Type` at all is tolerated.
 *
 * - A 2xx whose body its [Operation] cannot decode: [ClerkResponseException] (never a transport error that would be
 *   replayed). The decoded value goes back on [EngineResponse.decoded], so the stages outside this one (the event
 *   stages, the retry stage) see a body that does not decode as the failure it is.
 *
 * A rejected 2xx answer is reported to the engine ([EngineResponse.discardConnection]).
 */
internal class ResponseStage(private val config: ClerkConfig, private val redaction: Redaction) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val op = request.operation.name
        val response = chain.proceed(request)
        val status = response.status
        val limit = config.maxResponseBytes
        val declared = response.header("content-length")?.toLongOrNull()
        if ((declared != null && declared > limit) || response.body.size > limit) {
            response.discardConnection()
            throw ClerkResponseException(
                op, status, "",
                "$op: response body of ${declared ?: "more than $limit"} bytes exceeds maxResponseBytes ($limit)",
                null,
            )
        }
        if (declared != null && response.body.size < declared) {
            response.discardConnection()
            throw ClerkTransportException(
                op,
                "$op connection closed mid-response: got ${response.body.size} of $declared body bytes; the request may have reached the server",
                mayHaveReachedServer = true,
                cause = null,
            )
        }
        if (status !in 200..299) {
            val headers = response.headers.mapValues { (_, values) -> values.map(redaction::secrets) }
            throw ErrorMapper.map(op, status, headers, redaction.secrets(response.body.decodeToString()))
        }
        val contentType = response.header("content-type")
        if (contentType != null && !isJson(contentType)) {
            response.discardConnection()
            throw ClerkResponseException(
                op, status, redaction.secrets(response.body.decodeToString()).take(MAX_BODY_IN_ERROR),
                "$op: HTTP $status response has Content-Type '${contentType.take(100)}', expected JSON",
                null,
            )
        }
        response.decoded = decode(request, response)
        return response
    }

    private fun decode(request: ApiRequest, response: EngineResponse): Any? {
        val operation = request.operation
        val text = response.body.decodeToString()
        return try {
            operation.decode(text, request)
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            response.discardConnection()
            throw ClerkResponseException(
                operation.name, response.status, redaction.secrets(text).take(MAX_BODY_IN_ERROR),
                redaction.secrets(
                    "${operation.name}: HTTP ${response.status} response could not be decoded (${e.javaClass.simpleName}: ${e.message?.take(300)})",
                ),
                // the decoder's message may quote the input: when that input echoes the secret, the cause is dropped
                if (text.contains(config.secretKey)) null else e,
            )
        }
    }

    private fun isJson(contentType: String): Boolean {
        val mime = contentType.substringBefore(';').trim().lowercase()
        return mime == "application/json" || (mime.startsWith("application/") && mime.endsWith("+json"))
    }

    override fun toString(): String = "ResponseStage"

    companion object {
        /** The most of a body a [ClerkResponseException] keeps. */
        const val MAX_BODY_IN_ERROR: Int = 65536
    }
}
