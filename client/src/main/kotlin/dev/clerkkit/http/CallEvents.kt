package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.events.RateBudgetKind
import dev.clerkkit.events.RateBudgetWaited
import dev.clerkkit.events.RetryReason
import dev.clerkkit.events.RetryScheduled
import dev.clerkkit.events.TokenVerified
import dev.clerkkit.ratelimit.LocalRateBudget
import dev.clerkkit.ratelimit.RateBudget
import kotlinx.coroutines.CancellationException
import org.slf4j.LoggerFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicReference
import kotlin.coroutines.AbstractCoroutineContextElement
import kotlin.coroutines.CoroutineContext

/**
 * The client's configured [ClerkEventListener]s ([ClerkConfig.eventListeners]), each behind a guard: a listener that
 * throws is logged once (its class and the exception's class, nothing of the event) and otherwise ignored. Null from
 * [of] when there are none: then the event stages are not in the chain and the other stages skip their event calls.
 */
internal class Listeners private constructor(private val guards: Array<Guard>) {
    /** Starts the events of one call: each listener's [ClerkEventListener.forCall], on the calling thread. */
    fun forCall(): CallEvents = CallEvents(guards, Array(guards.size) { i -> guards[i].call { it.forCall() } ?: guards[i].listener })

    fun tokenVerified(event: TokenVerified) = guards.forEach { g -> g.call { it.tokenVerified(event) } }

    /** Guards one configured listener. */
    class Guard(val listener: ClerkEventListener) {
        private val logged = AtomicBoolean(false)

        inline fun <T> call(block: (ClerkEventListener) -> T): T? = try {
            block(listener)
        } catch (e: Throwable) {
            failed(e)
            null
        }

        fun failed(e: Throwable) {
            if (e is VirtualMachineError) throw e
            if (logged.compareAndSet(false, true)) {
                LOG.warn(
                    "clerkkit event listener {} threw {}; its exceptions are ignored (logged once)",
                    listener.javaClass.name, e.javaClass.name,
                )
            }
        }
    }

    companion object {
        private val LOG = LoggerFactory.getLogger("dev.clerkkit.events")

        fun of(config: ClerkConfig): Listeners? = config.eventListeners.takeIf { it.isNotEmpty() }?.let { l -> Listeners(Array(l.size) { Guard(l[it]) }) }
    }
}

/**
 * The listeners of one call (what each [ClerkEventListener.forCall] gave), carried on [ApiRequest.events] from the call
 * stage to the attempt stages. The events of one call are sequential, so the counters need no locking.
 */
internal class CallEvents(val guards: Array<Listeners.Guard>, val perCall: Array<ClerkEventListener>) {
    /** Attempts started so far. */
    var attempts: Int = 0
    var lastStatus: Int? = null
    var lastTraceId: String? = null

    inline fun emit(block: (ClerkEventListener) -> Unit) {
        for (i in perCall.indices) guards[i].call { block(perCall[i]) }
    }

    fun retryScheduled(request: ApiRequest, attempt: Int, failure: Exception, delay: Duration) {
        val reason = when (failure) {
            is RateLimitException -> RetryReason.RATE_LIMITED
            is ServerException -> RetryReason.SERVER_ERROR
            is ClerkTimeoutException -> RetryReason.TIMEOUT
            else -> RetryReason.TRANSPORT
        }
        val op = request.operation
        val event = RetryScheduled(op.name, op.method, op.pathTemplate, attempt, reason, delay)
        emit { it.retryScheduled(event) }
    }

    fun rateBudgetWaited(request: ApiRequest, budget: RateBudget, waitedNanos: Long, granted: Boolean) {
        val op = request.operation
        val kind = if (budget is LocalRateBudget) RateBudgetKind.LOCAL else RateBudgetKind.SHARED
        val event = RateBudgetWaited(op.name, op.method, op.pathTemplate, request.attempt, kind, Duration.ofNanos(waitedNanos), granted)
        emit { it.rateBudgetWaited(event) }
    }

    companion object {
        /** `error.type` of [e] (see [dev.clerkkit.events.AttemptEnded.errorType]). */
        fun errorType(e: Throwable): String = when (e) {
            is CancellationException -> "cancelled"
            is ClerkApiException -> e.statusCode.toString()
            else -> e.javaClass.name
        }

        fun statusOf(e: Throwable): Int? = when (e) {
            is ClerkApiException -> e.statusCode
            is ClerkResponseException -> e.statusCode
            else -> null
        }
    }
}

/**
 * The events of a call started by the Java facade on the caller's thread ([dev.clerkkit.ClerkClient.callerContext]),
 * handed to the call stage in the coroutine context. Taken once: a call the first one makes inside it (the JWKS fetch
 * of a verification) starts its own.
 */
internal class CapturedCall(events: CallEvents) : AbstractCoroutineContextElement(Key) {
    private val events = AtomicReference(events)

    fun take(): CallEvents? = events.getAndSet(null)

    companion object Key : CoroutineContext.Key<CapturedCall>
}
