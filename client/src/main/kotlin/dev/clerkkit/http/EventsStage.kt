package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.events.AttemptEnded
import dev.clerkkit.events.AttemptStarted
import dev.clerkkit.events.CallEnded
import dev.clerkkit.events.CallOutcome
import dev.clerkkit.events.CallStarted
import dev.clerkkit.http.engine.EngineResponse
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.currentCoroutineContext
import java.net.URI
import java.time.Duration

/**
 * Call events (once per call, right after Prepare; only with event listeners): starts the call's [CallEvents] (or takes
 * the ones the Java facade started on the caller's thread), reports `callStarted` and `callEnded` and hands the events
 * to the stages after it on [ApiRequest.events].
 */
internal class CallEventsStage(private val listeners: Listeners) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val events = currentCoroutineContext()[CapturedCall]?.take() ?: listeners.forCall()
        val op = request.operation
        val started = CallStarted(op.name, op.method, op.pathTemplate)
        events.emit { it.callStarted(started) }
        val t0 = System.nanoTime()
        val response = try {
            chain.proceed(request.copy(events = events))
        } catch (e: Throwable) {
            val outcome = if (e is CancellationException) CallOutcome.CANCELLED else CallOutcome.FAILURE
            val traceId = (e as? ClerkApiException)?.traceId ?: events.lastTraceId
            val ended = CallEnded(
                op.name, op.method, op.pathTemplate, outcome, events.attempts, Duration.ofNanos(System.nanoTime() - t0),
                CallEvents.statusOf(e) ?: events.lastStatus, CallEvents.errorType(e), traceId,
            )
            events.emit { it.callEnded(ended) }
            throw e
        }
        val ended = CallEnded(
            op.name, op.method, op.pathTemplate, CallOutcome.SUCCESS, events.attempts, Duration.ofNanos(System.nanoTime() - t0),
            response.status, null, events.lastTraceId,
        )
        events.emit { it.callEnded(ended) }
        return response
    }

    override fun toString(): String = "CallEventsStage"
}

/**
 * Attempt events (every attempt, after its rate permit, outside the attempt timeout; only with event listeners):
 * reports `attemptStarted` (adding the headers listeners asked for) and `attemptEnded` with the status, Clerk's trace
 * id, the error type and whether the engine reused a connection.
 */
internal class AttemptEventsStage(config: ClerkConfig) : Stage {
    private val host: String
    private val port: Int

    init {
        val uri = URI(config.baseUrl)
        host = uri.host
        port = if (uri.port != -1) {
            uri.port
        } else if (uri.scheme.equals("http", ignoreCase = true)) {
            80
        } else {
            443
        }
    }

    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val events = request.events ?: return chain.proceed(request)
        val op = request.operation
        val started = AttemptStarted(op.name, op.method, op.pathTemplate, host, port, request.attempt, request.headers.map { it.first })
        events.attempts = request.attempt
        events.emit { it.attemptStarted(started) }
        val added = started.added
        val sent = if (added == null) request else request.copy(headers = request.headers + added)
        val t0 = System.nanoTime()
        val response = try {
            chain.proceed(sent)
        } catch (e: Throwable) {
            val status = CallEvents.statusOf(e)
            val traceId = (e as? ClerkApiException)?.traceId
            events.lastStatus = status
            events.lastTraceId = traceId
            ended(events, request, t0, status, CallEvents.errorType(e), traceId, null)
            throw e
        }
        val traceId = response.header(TRACE_ID_HEADER)
        events.lastStatus = response.status
        events.lastTraceId = traceId
        ended(events, request, t0, response.status, null, traceId, response.connectionReused)
        return response
    }

    private fun ended(events: CallEvents, request: ApiRequest, t0: Long, status: Int?, errorType: String?, traceId: String?, reused: Boolean?) {
        val op = request.operation
        val event = AttemptEnded(
            op.name, op.method, op.pathTemplate, host, port, request.attempt, Duration.ofNanos(System.nanoTime() - t0),
            status, errorType, traceId, reused,
        )
        events.emit { it.attemptEnded(event) }
    }

    override fun toString(): String = "AttemptEventsStage"

    private companion object {
        const val TRACE_ID_HEADER = "x-clerk-trace-id"
    }
}
