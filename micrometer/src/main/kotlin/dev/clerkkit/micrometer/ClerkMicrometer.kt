package dev.clerkkit.micrometer

import dev.clerkkit.events.AttemptEnded
import dev.clerkkit.events.AttemptStarted
import dev.clerkkit.events.CallEnded
import dev.clerkkit.events.CallStarted
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.events.RateBudgetWaited
import dev.clerkkit.events.RetryScheduled
import dev.clerkkit.events.TokenVerified
import io.micrometer.core.instrument.Counter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.Timer
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationRegistry
import java.util.WeakHashMap
import java.util.concurrent.atomic.AtomicInteger

/**
 * clerkkit calls in Micrometer: a [ClerkEventListener] to add with `ClerkConfig.Builder.addEventListener` (or
 * `ClerkJavaClient.Builder.addEventListener`). It does nothing unless a registry is set on its [Builder]:
 * - with a [MeterRegistry]: the timers [CALLS] (one per call) and [ATTEMPTS] (`http.client.requests`, one per
 *   attempt on the wire), the timer [RATE_BUDGET_WAIT] (one per rate-budget permit), the counters [RETRIES] and
 *   [TOKEN_VERIFICATIONS], and the gauge [CALLS_ACTIVE] (calls in flight);
 * - with an [ObservationRegistry]: calls and attempts are observations instead (same names and low-cardinality
 *   keys; the attempt's parent is its call, the call's parent the observation current on the thread that makes the
 *   call), so the registry's handlers make the timers, spans or logs; the meter registry, if also set, then gets only
 *   the rate-budget timer, the counters and the gauge. A rate-budget wait is then also an event
 *   ([RATE_BUDGET_WAIT]) of the call's observation, and the call's total wait its high-cardinality key
 *   `clerk.rate_budget.wait_ms`, so it is visible with an observation registry alone (a wait that already happened
 *   cannot be an observation of its own: for the timer, set a meter registry too).
 *
 * Several listeners may share one meter registry (e.g. one per client): their meters are the same meters, and the
 * gauge [CALLS_ACTIVE] counts the calls in flight of all of them.
 *
 * Every tag is low-cardinality: the operation (`sessions.get`), method, path template, outcome, status class (`2xx`,
 * `4xx`, `none`), error kind and the API's host. No tag or key value carries the secret key, a token, a URL query or a
 * session or user id (docs/observability.md has the table). Recording failures are the registry's: a registry that
 * throws fails no call (the client ignores a listener's exceptions), and the in-flight gauge is kept right first.
 * Meters are registered in the registry the first time they are needed; the gauge when the first listener on the
 * registry is built.
 */
public class ClerkMicrometer private constructor(builder: Builder) : ClerkEventListener {
    private val meters: MeterRegistry? = builder.meterRegistry
    private val observations: ObservationRegistry? = builder.observationRegistry?.takeUnless { it.isNoop }
    private val active: AtomicInteger = meters?.let(::inFlightOf) ?: AtomicInteger()

    /** True when a registry is set: without one the listener records nothing and costs nothing per call. */
    public val isEnabled: Boolean get() = meters != null || observations != null

    /**
     * The current number of calls in flight: what the gauge [CALLS_ACTIVE] reads (with a meter registry, the calls of
     * every listener on that registry; without, this listener's).
     */
    public fun callsActive(): Int = active.get()

    override fun forCall(): ClerkEventListener = if (!isEnabled) NOOP else CallMeter(observations?.currentObservation)

    override fun tokenVerified(event: TokenVerified) {
        val registry = meters ?: return
        Counter.builder(TOKEN_VERIFICATIONS)
            .tags("valid", event.valid.toString(), "reason", event.reason?.lowercase() ?: "none", "jwks_fetched", event.jwksFetched.toString())
            .register(registry).increment()
    }

    override fun toString(): String = "ClerkMicrometer(meters=${meters != null}, observations=${observations != null})"

    /** The state of one call: when it counts as active, its observation and its current attempt's. */
    private inner class CallMeter(private val parent: Observation?) : ClerkEventListener {
        private var counted = false
        private var call: Observation? = null
        private var attempt: Observation? = null
        private var rateWaitNanos = 0L

        override fun callStarted(event: CallStarted) {
            active.incrementAndGet()
            counted = true
            val registry = observations ?: return
            call = Observation.createNotStarted(CALLS, registry)
                .contextualName(event.operation)
                .parentObservation(parent)
                .lowCardinalityKeyValue(OPERATION, event.operation)
                .lowCardinalityKeyValue(METHOD, event.method)
                .lowCardinalityKeyValue(URI, event.urlTemplate)
                .start()
        }

        override fun attemptStarted(event: AttemptStarted) {
            val registry = observations ?: return
            attempt = Observation.createNotStarted(ATTEMPTS, registry)
                .contextualName("${event.method} ${event.urlTemplate}")
                .parentObservation(call ?: parent)
                .lowCardinalityKeyValue(OPERATION, event.operation)
                .lowCardinalityKeyValue(METHOD, event.method)
                .lowCardinalityKeyValue(URI, event.urlTemplate)
                .lowCardinalityKeyValue(CLIENT_NAME, event.serverAddress)
                .highCardinalityKeyValue(ATTEMPT, event.attempt.toString())
                .start()
        }

        override fun attemptEnded(event: AttemptEnded) {
            val status = statusClass(event.statusCode)
            val outcome = httpOutcome(event.statusCode)
            val exception = exceptionOf(event.errorType)
            val observation = attempt
            if (observation != null) {
                attempt = null
                observation.lowCardinalityKeyValue(STATUS, status)
                    .lowCardinalityKeyValue(OUTCOME, outcome)
                    .lowCardinalityKeyValue(EXCEPTION, exception)
                event.clerkTraceId?.let { observation.highCardinalityKeyValue(CLERK_TRACE_ID, it) }
                observation.stop()
                return
            }
            val registry = meters ?: return
            Timer.builder(ATTEMPTS)
                .tags(
                    Tags.of(OPERATION, event.operation, METHOD, event.method, URI, event.urlTemplate, CLIENT_NAME, event.serverAddress)
                        .and(STATUS, status, OUTCOME, outcome, EXCEPTION, exception),
                )
                .register(registry).record(event.duration)
        }

        override fun retryScheduled(event: RetryScheduled) {
            call?.event(Observation.Event.of(RETRY_EVENT, "retry ${event.reason.name.lowercase()}"))
            val registry = meters ?: return
            Counter.builder(RETRIES).tags(OPERATION, event.operation, REASON, event.reason.name.lowercase())
                .register(registry).increment()
        }

        override fun rateBudgetWaited(event: RateBudgetWaited) {
            call?.let { observation ->
                rateWaitNanos += event.waited.toNanos()
                val budget = event.budget.name.lowercase()
                val what = if (event.granted) "waited ${event.waited.toMillis()} ms" else "none free after ${event.waited.toMillis()} ms"
                observation.event(Observation.Event.of(RATE_BUDGET_WAIT, "rate budget ($budget): $what"))
            }
            val registry = meters ?: return
            Timer.builder(RATE_BUDGET_WAIT)
                .tags(OPERATION, event.operation, BUDGET, event.budget.name.lowercase(), GRANTED, event.granted.toString())
                .register(registry).record(event.waited)
        }

        override fun callEnded(event: CallEnded) {
            if (counted) {
                counted = false
                active.decrementAndGet()
            }
            val outcome = event.outcome.name.lowercase()
            val status = statusClass(event.statusCode)
            val error = errorOf(event.errorType)
            val observation = call
            if (observation != null) {
                call = null
                observation.lowCardinalityKeyValue(OUTCOME, outcome)
                    .lowCardinalityKeyValue(STATUS, status)
                    .lowCardinalityKeyValue(ERROR, error)
                    .highCardinalityKeyValue(ATTEMPTS_KEY, event.attempts.toString())
                    .highCardinalityKeyValue(RATE_WAIT_MS, (rateWaitNanos / 1_000_000).toString())
                event.clerkTraceId?.let { observation.highCardinalityKeyValue(CLERK_TRACE_ID, it) }
                observation.stop()
                return
            }
            val registry = meters ?: return
            Timer.builder(CALLS)
                .tags(OPERATION, event.operation, METHOD, event.method, OUTCOME, outcome, STATUS, status, ERROR, error)
                .register(registry).record(event.duration)
        }
    }

    /**
     * Settings of a [ClerkMicrometer]: the registries it records to. Neither is set by default, and then the listener
     * records nothing.
     */
    public class Builder internal constructor() {
        internal var meterRegistry: MeterRegistry? = null
        internal var observationRegistry: ObservationRegistry? = null

        /** Records timers, counters and the in-flight gauge to [registry]. Default: none. */
        public fun meterRegistry(registry: MeterRegistry): Builder = apply { meterRegistry = registry }

        /**
         * Makes calls and attempts observations of [registry] (its handlers decide what they become). Default: none.
         * A no-op registry ([ObservationRegistry.NOOP]) counts as none.
         */
        public fun observationRegistry(registry: ObservationRegistry): Builder = apply { observationRegistry = registry }

        /** The listener. */
        public fun build(): ClerkMicrometer = ClerkMicrometer(this)
    }

    /** Factories and the names of what the listener records. */
    public companion object {
        /** Timer (or observation), one per call: tags `clerk.operation`, `method`, `outcome`, `status`, `error`. */
        public const val CALLS: String = "clerk.calls"

        /**
         * Timer (or observation), one per attempt on the wire: tags `clerk.operation`, `method`, `uri` (the path
         * template), `client.name` (the API's host), `status` (class), `outcome` (`SUCCESS`, `CLIENT_ERROR`,
         * `SERVER_ERROR`, `REDIRECTION`, `UNKNOWN`), `exception`.
         */
        public const val ATTEMPTS: String = "http.client.requests"

        /** Timer, one per rate-budget permit: tags `clerk.operation`, `budget` (`local`, `shared`), `granted`. */
        public const val RATE_BUDGET_WAIT: String = "clerk.rate_budget.wait"

        /** Counter of retries scheduled: tags `clerk.operation`, `reason` (`rate_limited`, `server_error`, `timeout`, `transport`). */
        public const val RETRIES: String = "clerk.retries"

        /** Gauge of calls in flight (started, not yet ended), no tags. */
        public const val CALLS_ACTIVE: String = "clerk.calls.active"

        /** Counter of session-token verifications: tags `valid`, `reason`, `jwks_fetched`. */
        public const val TOKEN_VERIFICATIONS: String = "clerk.token.verifications"

        /** A listener recording to [registry]. */
        @JvmStatic
        public fun create(registry: MeterRegistry): ClerkMicrometer = Builder().meterRegistry(registry).build()

        /** A builder with no registry set. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        private const val OPERATION = "clerk.operation"
        private const val METHOD = "method"
        private const val URI = "uri"
        private const val CLIENT_NAME = "client.name"
        private const val STATUS = "status"
        private const val OUTCOME = "outcome"
        private const val EXCEPTION = "exception"
        private const val ERROR = "error"
        private const val REASON = "reason"
        private const val BUDGET = "budget"
        private const val GRANTED = "granted"
        private const val ATTEMPT = "clerk.attempt"
        private const val ATTEMPTS_KEY = "clerk.attempts"
        private const val CLERK_TRACE_ID = "clerk.trace_id"
        private const val NONE = "none"
        private const val RETRY_EVENT = "clerk.retry"
        private const val RATE_WAIT_MS = "clerk.rate_budget.wait_ms"

        private val NOOP = object : ClerkEventListener {}

        /** Calls in flight per meter registry, behind its one gauge (a registry keeps the first gauge of a name). */
        private val inFlight = WeakHashMap<MeterRegistry, AtomicInteger>()

        private fun inFlightOf(registry: MeterRegistry): AtomicInteger = synchronized(inFlight) {
            inFlight.getOrPut(registry) {
                AtomicInteger().also { count ->
                    Gauge.builder(CALLS_ACTIVE, count) { it.get().toDouble() }.strongReference(true)
                        .description("clerkkit calls in flight").register(registry)
                }
            }
        }

        private fun statusClass(status: Int?): String = if (status == null) NONE else "${status / 100}xx"

        /** As Spring's `http.client.requests` outcome. */
        private fun httpOutcome(status: Int?): String = when (status) {
            null -> "UNKNOWN"
            in 100..199 -> "INFORMATIONAL"
            in 200..299 -> "SUCCESS"
            in 300..399 -> "REDIRECTION"
            in 400..499 -> "CLIENT_ERROR"
            in 500..599 -> "SERVER_ERROR"
            else -> "UNKNOWN"
        }

        /** The exception of a failure below HTTP (its simple class name), `cancelled`, or `none` (an HTTP status). */
        private fun exceptionOf(errorType: String?): String = when {
            errorType == null || errorType.all(Char::isDigit) -> NONE
            else -> errorType.substringAfterLast('.')
        }

        /** The call's error: the status code of an error answer, else as [exceptionOf]. */
        private fun errorOf(errorType: String?): String = when {
            errorType == null -> NONE
            errorType.all(Char::isDigit) -> errorType
            else -> errorType.substringAfterLast('.')
        }
    }
}
