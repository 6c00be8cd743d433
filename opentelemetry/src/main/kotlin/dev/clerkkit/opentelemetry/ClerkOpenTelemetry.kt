package dev.clerkkit.opentelemetry

import dev.clerkkit.events.AttemptEnded
import dev.clerkkit.events.AttemptStarted
import dev.clerkkit.events.CallEnded
import dev.clerkkit.events.CallOutcome
import dev.clerkkit.events.CallStarted
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.events.RateBudgetWaited
import dev.clerkkit.events.RetryScheduled
import dev.clerkkit.events.TokenVerified
import io.opentelemetry.api.OpenTelemetry
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.common.Attributes
import io.opentelemetry.api.metrics.DoubleHistogram
import io.opentelemetry.api.metrics.LongCounter
import io.opentelemetry.api.trace.Span
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.Tracer
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.TextMapSetter

/**
 * clerkkit calls in OpenTelemetry: a [ClerkEventListener] to add with `ClerkConfig.Builder.addEventListener` (or
 * `ClerkJavaClient.Builder.addEventListener`). It emits, following OpenTelemetry's HTTP client conventions:
 * - a span per call, named after the operation (`sessions.get`, kind INTERNAL), whose parent is the context current
 *   on the thread that makes the call (for Java futures: the thread calling the facade, before the executor hop);
 * - a child span per attempt (kind CLIENT, named `GET /sessions/{session_id}`) with `http.request.method`,
 *   `server.address`, `server.port`, `url.template`, `http.response.status_code`, `error.type`,
 *   `http.request.resend_count` (retries), `clerk.operation`, `clerk.trace_id` and `clerk.rate_budget.wait` (seconds);
 * - the histogram `http.client.request.duration` (seconds, one point per attempt) and `clerk.rate_budget.wait.duration`
 *   (seconds, one point per permit), and the counter `clerk.token.verifications`;
 * - with [Builder.propagateTraceContext], the attempt's context sent to Clerk through the configured propagators
 *   (W3C `traceparent` with the default ones).
 *
 * No attribute carries the secret key, a token, a URL query or a session or user id (docs/observability.md has the
 * table). Recording goes to the OpenTelemetry SDK's in-memory structures; exporting happens on its own threads.
 */
public class ClerkOpenTelemetry private constructor(builder: Builder) : ClerkEventListener {
    private val openTelemetry: OpenTelemetry = builder.openTelemetry
    private val propagate: Boolean = builder.propagateTraceContext
    private val tracer: Tracer = openTelemetry.getTracer(SCOPE)
    private val requestDuration: DoubleHistogram = openTelemetry.getMeter(SCOPE).histogramBuilder("http.client.request.duration")
        .setUnit("s").setDescription("Duration of HTTP client requests (one per attempt).").build()
    private val rateWait: DoubleHistogram = openTelemetry.getMeter(SCOPE).histogramBuilder("clerk.rate_budget.wait.duration")
        .setUnit("s").setDescription("Time an attempt waited for its rate-budget permit.").build()
    private val verifications: LongCounter = openTelemetry.getMeter(SCOPE).counterBuilder("clerk.token.verifications")
        .setDescription("Session-token verifications.").build()

    /** A listener holding this call's span; its parent is the context current now, on the calling thread. */
    override fun forCall(): ClerkEventListener = CallTrace(Context.current())

    override fun tokenVerified(event: TokenVerified) {
        verifications.add(
            1,
            Attributes.of(VALID, event.valid, REASON, event.reason ?: "", JWKS_FETCHED, event.jwksFetched),
        )
    }

    override fun toString(): String = "ClerkOpenTelemetry(propagateTraceContext=$propagate)"

    private inner class CallTrace(private val parent: Context) : ClerkEventListener {
        private var call: Span? = null
        private var attempt: Span? = null
        private var waitedSeconds: Double? = null

        override fun callStarted(event: CallStarted) {
            call = tracer.spanBuilder(event.operation).setParent(parent).setSpanKind(SpanKind.INTERNAL)
                .setAttribute(OPERATION, event.operation)
                .setAttribute(METHOD, event.method)
                .setAttribute(URL_TEMPLATE, event.urlTemplate)
                .startSpan()
        }

        override fun rateBudgetWaited(event: RateBudgetWaited) {
            val seconds = event.waited.toNanos() / 1e9
            waitedSeconds = seconds
            rateWait.record(
                seconds,
                Attributes.of(OPERATION, event.operation, BUDGET, event.budget.name.lowercase(), GRANTED, event.granted),
            )
            if (!event.granted) call?.addEvent("clerk.rate_budget.exhausted", Attributes.of(RATE_WAIT, seconds))
        }

        override fun attemptStarted(event: AttemptStarted) {
            val parentContext = call?.let { parent.with(it) } ?: parent
            val builder = tracer.spanBuilder("${event.method} ${event.urlTemplate}").setParent(parentContext)
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(METHOD, event.method)
                .setAttribute(SERVER_ADDRESS, event.serverAddress)
                .setAttribute(SERVER_PORT, event.serverPort.toLong())
                .setAttribute(URL_TEMPLATE, event.urlTemplate)
                .setAttribute(OPERATION, event.operation)
            if (event.attempt > 1) builder.setAttribute(RESEND_COUNT, (event.attempt - 1).toLong())
            waitedSeconds?.let { builder.setAttribute(RATE_WAIT, it) }
            waitedSeconds = null
            val span = builder.startSpan()
            attempt = span
            if (propagate) {
                openTelemetry.propagators.textMapPropagator.inject(parentContext.with(span), event, SETTER)
            }
        }

        override fun attemptEnded(event: AttemptEnded) {
            val span = attempt ?: return
            attempt = null
            event.statusCode?.let { span.setAttribute(STATUS, it.toLong()) }
            event.clerkTraceId?.let { span.setAttribute(CLERK_TRACE_ID, it) }
            event.errorType?.let {
                span.setAttribute(ERROR_TYPE, it)
                span.setStatus(StatusCode.ERROR)
            }
            span.end()
            val attributes = Attributes.builder()
                .put(METHOD, event.method)
                .put(SERVER_ADDRESS, event.serverAddress)
                .put(SERVER_PORT, event.serverPort.toLong())
                .put(OPERATION, event.operation)
            event.statusCode?.let { attributes.put(STATUS, it.toLong()) }
            event.errorType?.let { attributes.put(ERROR_TYPE, it) }
            requestDuration.record(event.duration.toNanos() / 1e9, attributes.build())
        }

        override fun retryScheduled(event: RetryScheduled) {
            call?.addEvent(
                "clerk.retry",
                Attributes.of(RETRY_REASON, event.reason.name.lowercase(), RETRY_DELAY, event.delay.toNanos() / 1e9, ATTEMPT, event.attempt.toLong()),
            )
        }

        override fun callEnded(event: CallEnded) {
            val span = call ?: return
            call = null
            span.setAttribute(ATTEMPTS, event.attempts.toLong())
            span.setAttribute(OUTCOME, event.outcome.name.lowercase())
            event.statusCode?.let { span.setAttribute(STATUS, it.toLong()) }
            event.clerkTraceId?.let { span.setAttribute(CLERK_TRACE_ID, it) }
            event.errorType?.let { span.setAttribute(ERROR_TYPE, it) }
            if (event.outcome == CallOutcome.FAILURE) span.setStatus(StatusCode.ERROR)
            span.end()
        }
    }

    /**
     * Settings of a [ClerkOpenTelemetry]. [propagateTraceContext] defaults to false: Clerk does not read trace headers,
     * so sending them is only useful for proxies or gateways in between that trace.
     */
    public class Builder internal constructor(internal val openTelemetry: OpenTelemetry) {
        internal var propagateTraceContext: Boolean = false

        /** Sends each attempt's trace context to Clerk (`traceparent` with W3C propagators). Default false. */
        public fun propagateTraceContext(value: Boolean): Builder = apply { propagateTraceContext = value }

        /** The listener. */
        public fun build(): ClerkOpenTelemetry = ClerkOpenTelemetry(this)
    }

    /** Factories. */
    public companion object {
        /** Instrumentation scope name of the tracer and meter. */
        public const val SCOPE: String = "dev.clerkkit"

        /** A listener recording to [openTelemetry] with default settings (no trace-context propagation). */
        @JvmStatic
        public fun create(openTelemetry: OpenTelemetry): ClerkOpenTelemetry = Builder(openTelemetry).build()

        /** A builder for a listener recording to [openTelemetry]. */
        @JvmStatic
        public fun builder(openTelemetry: OpenTelemetry): Builder = Builder(openTelemetry)

        private val OPERATION = AttributeKey.stringKey("clerk.operation")
        private val METHOD = AttributeKey.stringKey("http.request.method")
        private val SERVER_ADDRESS = AttributeKey.stringKey("server.address")
        private val SERVER_PORT = AttributeKey.longKey("server.port")
        private val URL_TEMPLATE = AttributeKey.stringKey("url.template")
        private val STATUS = AttributeKey.longKey("http.response.status_code")
        private val ERROR_TYPE = AttributeKey.stringKey("error.type")
        private val RESEND_COUNT = AttributeKey.longKey("http.request.resend_count")
        private val CLERK_TRACE_ID = AttributeKey.stringKey("clerk.trace_id")
        private val RATE_WAIT = AttributeKey.doubleKey("clerk.rate_budget.wait")
        private val BUDGET = AttributeKey.stringKey("clerk.rate_budget")
        private val GRANTED = AttributeKey.booleanKey("clerk.rate_budget.granted")
        private val RETRY_REASON = AttributeKey.stringKey("clerk.retry.reason")
        private val RETRY_DELAY = AttributeKey.doubleKey("clerk.retry.delay")
        private val ATTEMPT = AttributeKey.longKey("clerk.attempt")
        private val ATTEMPTS = AttributeKey.longKey("clerk.attempts")
        private val OUTCOME = AttributeKey.stringKey("clerk.outcome")
        private val VALID = AttributeKey.booleanKey("clerk.token.valid")
        private val REASON = AttributeKey.stringKey("clerk.token.reason")
        private val JWKS_FETCHED = AttributeKey.booleanKey("clerk.token.jwks_fetched")

        private val SETTER = TextMapSetter<AttemptStarted> { carrier, key, value -> carrier?.addHeader(key, value) }
    }
}
