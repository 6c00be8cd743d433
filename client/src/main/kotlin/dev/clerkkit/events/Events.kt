package dev.clerkkit.events

import java.time.Duration
import java.util.Optional
import java.util.OptionalInt

/** How a call ended ([CallEnded.outcome]). */
public enum class CallOutcome {
    /** A 2xx answer, decoded. */
    SUCCESS,

    /** A typed `ClerkException` (an HTTP error status, a transport failure, a timeout, a bad answer, an exhausted budget). */
    FAILURE,

    /** The caller cancelled it (a coroutine cancellation; a cancelled or interrupted Java future). */
    CANCELLED,
}

/** Why an attempt is retried ([RetryScheduled.reason]). */
public enum class RetryReason {
    /** Clerk answered 429. */
    RATE_LIMITED,

    /** Clerk answered 5xx. */
    SERVER_ERROR,

    /** The attempt timed out (connect, socket or request timeout). */
    TIMEOUT,

    /** The attempt failed below HTTP (refused, reset, closed mid-response). */
    TRANSPORT,
}

/** Which rate budget an attempt drew from ([RateBudgetWaited.budget]). */
public enum class RateBudgetKind {
    /** The client's own [dev.clerkkit.ratelimit.LocalRateBudget]. */
    LOCAL,

    /** A budget given in [dev.clerkkit.ClerkConfig.rateBudget] (e.g. one shared through Redis). */
    SHARED,
}

/**
 * What every event of a call says about it: the operation, its HTTP method and path template. The events' public
 * constructors are for tests of listeners; the client creates them with the values documented on each property.
 */
public sealed class CallEvent(
    /** The operation, e.g. `sessions.get` (the name errors and logs use). */
    public val operation: String,
    /** Its HTTP method, e.g. `GET`. */
    public val method: String,
    /** Its path template below the base URL, e.g. `/sessions/{session_id}`: no ids, so fit for a metric tag. */
    public val urlTemplate: String,
)

/** See [ClerkEventListener.callStarted]. */
public class CallStarted public constructor(operation: String, method: String, urlTemplate: String) :
    CallEvent(operation, method, urlTemplate) {
    override fun toString(): String = "CallStarted($operation, $method $urlTemplate)"
}

/** See [ClerkEventListener.callEnded]. */
public class CallEnded public constructor(
    operation: String,
    method: String,
    urlTemplate: String,
    /** How it ended. */
    public val outcome: CallOutcome,
    /** Attempts made (0 when it ended before the first, e.g. an exhausted rate budget or a cancellation while waiting). */
    public val attempts: Int,
    /** From the start of the call to its end, retries and waits included. */
    public val duration: Duration,
    private val status: Int?,
    errorType: String?,
    clerkTraceId: String?,
) : CallEvent(operation, method, urlTemplate) {
    /** The HTTP status of the last attempt's answer; null when none came. */
    @get:JvmSynthetic public val statusCode: Int? = status

    /** [AttemptEnded.errorType] of the failure the call ended with; null on success. */
    @get:JvmSynthetic public val errorType: String? = errorType

    /** Clerk's trace id of the last answer (`clerk_trace_id` / `x-clerk-trace-id`), for Clerk's support; null when none. */
    @get:JvmSynthetic public val clerkTraceId: String? = clerkTraceId

    /** [statusCode] for Java. */
    @JvmName("getStatusCode") public fun statusCodeOptional(): OptionalInt = status?.let { OptionalInt.of(it) } ?: OptionalInt.empty()

    /** [errorType] for Java. */
    @JvmName("getErrorType") public fun errorTypeOptional(): Optional<String> = Optional.ofNullable(errorType)

    /** [clerkTraceId] for Java. */
    @JvmName("getClerkTraceId") public fun clerkTraceIdOptional(): Optional<String> = Optional.ofNullable(clerkTraceId)

    override fun toString(): String =
        "CallEnded($operation, $outcome, attempts=$attempts, duration=$duration, status=$statusCode, errorType=$errorType, clerkTraceId=$clerkTraceId)"
}

/** See [ClerkEventListener.attemptStarted]. */
public class AttemptStarted public constructor(
    operation: String,
    method: String,
    urlTemplate: String,
    /** The API's host, e.g. `api.clerk.com`. */
    public val serverAddress: String,
    /** The API's port (443 for `https` without one). */
    public val serverPort: Int,
    /** 1 for the first attempt, 2 for the first retry, ... */
    public val attempt: Int,
    /** Names of the headers the request already has (they cannot be added again). */
    private val existingHeaders: Collection<String>,
) : CallEvent(operation, method, urlTemplate) {
    @get:JvmSynthetic @set:JvmSynthetic
    internal var added: MutableList<Pair<String, String>>? = null

    /**
     * Sends the header [name]: [value] with this attempt (for trace context: `traceparent`, `tracestate`, `baggage`).
     * A header the request already has (`Authorization`, `User-Agent`, ...) is never replaced.
     * @throws IllegalArgumentException when [name] is already on the request, or is not a valid header name.
     */
    public fun addHeader(name: String, value: String) {
        require(name.isNotEmpty() && name.all { it.code in 0x21..0x7e && it != ':' }) { "not a header name: '$name'" }
        require(value.none { it == '\r' || it == '\n' }) { "header $name: value has a line break" }
        val taken = existingHeaders.any { it.equals(name, ignoreCase = true) } ||
            added.orEmpty().any { it.first.equals(name, ignoreCase = true) }
        require(!taken) { "header $name is already on the request" }
        (added ?: mutableListOf<Pair<String, String>>().also { added = it }) += name to value
    }

    override fun toString(): String = "AttemptStarted($operation, attempt $attempt, $method $serverAddress:$serverPort$urlTemplate)"
}

/** See [ClerkEventListener.attemptEnded]. */
public class AttemptEnded public constructor(
    operation: String,
    method: String,
    urlTemplate: String,
    /** See [AttemptStarted.serverAddress]. */
    public val serverAddress: String,
    /** See [AttemptStarted.serverPort]. */
    public val serverPort: Int,
    /** See [AttemptStarted.attempt]. */
    public val attempt: Int,
    /** From [ClerkEventListener.attemptStarted] to here. */
    public val duration: Duration,
    private val status: Int?,
    errorType: String?,
    clerkTraceId: String?,
    connectionReused: Boolean?,
) : CallEvent(operation, method, urlTemplate) {
    /** The HTTP status that came back; null when none did (a failure below HTTP, a timeout, a cancellation). */
    @get:JvmSynthetic public val statusCode: Int? = status

    /**
     * Null for a 2xx answer. Otherwise, as OpenTelemetry's `error.type`: the status code (`"404"`) for an error
     * status, `"cancelled"` for a cancellation, else the exception's class name (e.g.
     * `dev.clerkkit.errors.ClerkTimeoutException`).
     */
    @get:JvmSynthetic public val errorType: String? = errorType

    /** Clerk's trace id of the answer (`clerk_trace_id` of an error body, else the `x-clerk-trace-id` header), or null. */
    @get:JvmSynthetic public val clerkTraceId: String? = clerkTraceId

    /**
     * Whether the attempt went on a pooled connection (true) or opened one (false), where the engine says: the OkHttp
     * engine (the default, and the writes of `CIO_READS_OKHTTP_WRITES`) does; CIO, the JDK engine and an injected Ktor
     * engine do not (null). Null also when the attempt failed before it had a connection.
     */
    @get:JvmSynthetic public val connectionReused: Boolean? = connectionReused

    /** [statusCode] for Java. */
    @JvmName("getStatusCode") public fun statusCodeOptional(): OptionalInt = status?.let { OptionalInt.of(it) } ?: OptionalInt.empty()

    /** [errorType] for Java. */
    @JvmName("getErrorType") public fun errorTypeOptional(): Optional<String> = Optional.ofNullable(errorType)

    /** [clerkTraceId] for Java. */
    @JvmName("getClerkTraceId") public fun clerkTraceIdOptional(): Optional<String> = Optional.ofNullable(clerkTraceId)

    /** [connectionReused] for Java. */
    @JvmName("getConnectionReused") public fun connectionReusedOptional(): Optional<Boolean> = Optional.ofNullable(connectionReused)

    override fun toString(): String =
        "AttemptEnded($operation, attempt $attempt, duration=$duration, status=$statusCode, errorType=$errorType, " +
            "clerkTraceId=$clerkTraceId, connectionReused=$connectionReused)"
}

/** See [ClerkEventListener.retryScheduled]. */
public class RetryScheduled public constructor(
    operation: String,
    method: String,
    urlTemplate: String,
    /** The attempt that failed (the retry is attempt + 1). */
    public val attempt: Int,
    /** Why it is retried. */
    public val reason: RetryReason,
    /** How long the client waits before the retry (backoff, or the answer's `Retry-After`). */
    public val delay: Duration,
) : CallEvent(operation, method, urlTemplate) {
    override fun toString(): String = "RetryScheduled($operation, after attempt $attempt, $reason, delay=$delay)"
}

/** See [ClerkEventListener.rateBudgetWaited]. */
public class RateBudgetWaited public constructor(
    operation: String,
    method: String,
    urlTemplate: String,
    /** The attempt that asked for the permit. */
    public val attempt: Int,
    /** Which budget it drew from. */
    public val budget: RateBudgetKind,
    /** How long it waited for the permit (zero when one was free). */
    public val waited: Duration,
    /** False when none was free within the request timeout: the call fails with `RateBudgetExhaustedException`. */
    public val granted: Boolean,
) : CallEvent(operation, method, urlTemplate) {
    override fun toString(): String = "RateBudgetWaited($operation, attempt $attempt, $budget, waited=$waited, granted=$granted)"
}

/** See [ClerkEventListener.tokenVerified]. Carries nothing of the token itself. */
public class TokenVerified public constructor(
    /** True when the token was accepted. */
    public val valid: Boolean,
    reason: String?,
    /** True when the verifier fetched the instance's JWKS during this verification (a cold cache or a new `kid`). */
    public val jwksFetched: Boolean,
    /** How long the verification took, JWKS fetch included. */
    public val duration: Duration,
) {
    /** Why it was rejected: the name of its [dev.clerkkit.tokens.TokenVerificationException.Reason]; null when valid. */
    @get:JvmSynthetic public val reason: String? = reason

    /** [reason] for Java. */
    @JvmName("getReason") public fun reasonOptional(): Optional<String> = Optional.ofNullable(reason)

    override fun toString(): String = "TokenVerified(valid=$valid, reason=$reason, jwksFetched=$jwksFetched, duration=$duration)"
}
