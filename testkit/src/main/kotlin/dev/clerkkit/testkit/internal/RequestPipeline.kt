package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.Faults
import dev.clerkkit.testkit.RecordedRequest
import dev.clerkkit.testkit.Route
import dev.clerkkit.testkit.SandboxStats
import kotlinx.serialization.json.JsonElement
import java.time.LocalDate

/**
 * The order every request goes through: match the route, record and count it, apply a scripted fault (before
 * authentication), then authenticate, rate-limit (not `/jwks`), resolve the `Clerk-API-Version` and dispatch to
 * [routes]; a successful answer carries `X-Clerk-Trace-Id`. Every answer is counted per status in [stats].
 */
internal class RequestPipeline(
    private val acceptedKeys: Set<String>,
    private val defaultApiVersion: LocalDate?,
    private val recorder: RequestRecorder,
    private val stats: SandboxStats,
    private val faults: Faults,
    private val limiter: RateLimiter?,
    private val routes: SessionRoutes,
) {
    fun handle(raw: RawRequest): Reply {
        val (route, params) = Route.match(raw.method, RequestDecoding.decodeSegments(raw.rawPath))
        recorder.record {
            RecordedRequest(raw.connectionId, raw.method, raw.rawPath, raw.query, raw.headers, raw.body.toString(Charsets.UTF_8), route)
        }
        stats.requestReceived(raw.connectionId, route)
        val limit = faults.maxRequestsPerConnection
        val after = if (faults.alwaysCloseConnections || (limit != null && stats.requestsOn(raw.connectionId) >= limit)) {
            After.CLOSE
        } else {
            After.KEEP
        }
        val fault = faults.next(route, raw.method, raw.rawPath)
        val reply = if (fault == null) {
            normal(raw, route, params, after)
        } else {
            FaultReplies.reply(fault, after) { normal(raw, route, params, it) }
        }
        if (reply is Reply.Respond) stats.responded(reply.status)
        return reply
    }

    private fun normal(raw: RawRequest, route: Route, params: Map<String, String>, after: After): Reply {
        var headers = emptyList<Pair<String, String>>()
        val result: Pair<Int, JsonElement> = try {
            val key = bearerKey(raw)
            if (key == null) {
                401 to ClerkJson.errors(
                    "authentication_invalid",
                    "Invalid authentication",
                    "Unable to authenticate the request, you need to supply an active API key",
                )
            } else {
                if (route != Route.JWKS) rateLimit(key)
                val version = ApiVersions.resolve(raw.header(API_VERSION_HEADER), defaultApiVersion)
                routes.dispatch(raw, route, params, version).also { headers = listOf(TRACE_HEADER to ClerkJson.traceId()) }
            }
        } catch (e: ApiError) {
            headers = e.headers
            e.status to ClerkJson.errors(e.code, e.message ?: ClerkJson.defaultMessage(e.status), e.longMessage, e.meta)
        }
        return Reply.Respond(result.first, result.second.toString().toByteArray(), headers, after)
    }

    /** The accepted secret key the request carries as a bearer token, or `null`. */
    private fun bearerKey(raw: RawRequest): String? {
        val header = raw.header("Authorization") ?: return null
        if (!header.startsWith("Bearer ", ignoreCase = true)) return null
        return header.substring(7).trim().takeIf { it in acceptedKeys }
    }

    private fun rateLimit(key: String) {
        val limiter = limiter ?: return
        val waitMillis = limiter.acquire(key) ?: return
        stats.rateLimited()
        val seconds = RateLimiter.retryAfterSeconds(waitMillis)
        throw ApiError(
            429,
            "too_many_requests",
            "Too many requests",
            "Rate limit exceeded for this instance. Try again in $seconds second${if (seconds == 1L) "" else "s"}.",
            headers = listOf("Retry-After" to seconds.toString()),
        )
    }

    private companion object {
        const val API_VERSION_HEADER = "Clerk-API-Version"

        /** Clerk's trace id of a successful answer (an error carries its own in the body's `clerk_trace_id`). */
        const val TRACE_HEADER = "X-Clerk-Trace-Id"
    }
}
