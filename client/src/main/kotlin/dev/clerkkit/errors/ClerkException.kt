package dev.clerkkit.errors

import java.time.Duration
import java.time.Instant
import java.util.Collections
import java.util.Optional

/**
 * Root of every error the client throws for a call that was attempted (input errors are plain
 * [IllegalArgumentException]s thrown before any I/O). Unchecked.
 *
 * - [ClerkApiException]: Clerk answered with a non-2xx status (one subclass per documented status).
 * - [ClerkTransportException]: the exchange failed below HTTP (connect, reset, closed connection); [ClerkTimeoutException] is one.
 * - [ClerkResponseException]: a 2xx answer that could not be read or decoded.
 * - [RateBudgetExhaustedException]: the call was not sent, the client-side rate budget being spent.
 *
 * Messages name the operation, the status, the first error code and the trace id; they never contain the secret key.
 *
 * The concrete types have public constructors so that code faking the client (e.g. a test double of `Sessions`)
 * can throw exactly what the client throws. Such hand-made errors carry what they are given: the client's own
 * redaction of the secret key applies only to errors it builds from a response.
 */
public sealed class ClerkException(message: String, cause: Throwable?) : RuntimeException(message, cause) {
    /** The operation that failed, e.g. `sessions.get`. */
    public abstract val operation: String

    /** Attempts made, the failing one included (more than 1 when the call was retried). Default: 1. */
    public var attempts: Int = 1
        internal set
}

/**
 * One entry of Clerk's `errors[]`.
 *
 * @param code machine-readable code, e.g. `resource_not_found`.
 * @param message short human message.
 * @param longMessage longer human message; `null` when Clerk sent none.
 * @param meta the error's `meta` object as plain values (see [ClerkApiException.meta]); `null` when absent. Copied.
 */
public class ClerkError(
    /** Machine-readable code, e.g. `resource_not_found`. */
    public val code: String,
    /** Short human message. */
    public val message: String,
    /** Longer human message; null when Clerk sent none. Java: `getLongMessage()` returns an `Optional`. */
    @get:JvmSynthetic public val longMessage: String?,
    meta: Map<String, Any?>?,
) {
    /**
     * The error's `meta` object (e.g. `param_name`) as plain values (nested objects are maps, arrays lists, integral
     * numbers `Long`, others `BigDecimal`); null when absent. Unmodifiable. Java: `getMeta()` returns an `Optional`.
     */
    @get:JvmSynthetic public val meta: Map<String, Any?>? = meta?.let { Collections.unmodifiableMap(LinkedHashMap(it)) }

    /** [longMessage] for Java. */
    @JvmName("getLongMessage")
    public fun longMessageOptional(): Optional<String> = Optional.ofNullable(longMessage)

    /** [meta] for Java. */
    @JvmName("getMeta")
    public fun metaOptional(): Optional<Map<String, Any?>> = Optional.ofNullable(meta)

    override fun toString(): String = "ClerkError(code=$code, message=$message, longMessage=$longMessage, meta=$meta)"
    override fun equals(other: Any?): Boolean = other is ClerkError && code == other.code && message == other.message &&
        longMessage == other.longMessage && meta == other.meta
    override fun hashCode(): Int = listOf(code, message, longMessage, meta).hashCode()
}

/**
 * Clerk answered with a non-2xx status. Carries all the evidence: status, `errors[]`, `meta`, `clerk_trace_id`
 * (from the body, else the `X-Clerk-Trace-Id` header), parsed `Retry-After`, response headers and the raw body.
 * A body that is not Clerk's error JSON still yields this error (with empty [errors]).
 *
 * Every subclass has one public constructor `(operation, statusCode, body, headers)`, the same the client uses:
 * [errors], [meta] and [traceId] are parsed from `body` and `headers`, [retryAfter] from the `Retry-After` header
 * (relative to now), and parsing never fails (an unreadable body gives empty [errors]). For example, in Java:
 * `new NotFoundException("sessions.get", 404, "{\"errors\":[{\"code\":\"resource_not_found\",\"message\":\"not found\"}]}", Map.of())`.
 * The status must be one the subclass stands for (e.g. 404 for [NotFoundException], 500..599 for
 * [ServerException]), otherwise the constructor throws [IllegalArgumentException].
 */
public sealed class ClerkApiException protected constructor(
    override val operation: String,
    details: ResponseDetails,
) : ClerkException(describe(operation, details.statusCode, details.errors, details.traceId), null) {

    /** Parses the evidence of [body] and [headers] (see the class comment). */
    protected constructor(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
        this(operation, ErrorMapper.details(statusCode, body, headers))

    /** HTTP status code. */
    public val statusCode: Int = details.statusCode
    /** Clerk's `errors[]`, possibly empty. Unmodifiable. */
    public val errors: List<ClerkError> = details.errors
    /**
     * Top-level `meta` of the error body as plain values (nested objects are maps, arrays lists, integral numbers
     * `Long`, others `BigDecimal`); null when absent. Unmodifiable. Java: `getMeta()` returns an `Optional`.
     */
    @get:JvmSynthetic public val meta: Map<String, Any?>? = details.meta
    /** `clerk_trace_id` of the body or the trace header; null when absent. Java: `getTraceId()` returns an `Optional`. */
    @get:JvmSynthetic public val traceId: String? = details.traceId
    /** Parsed `Retry-After`; null when absent or unparseable. Java: `getRetryAfter()` returns an `Optional`. */
    @get:JvmSynthetic public val retryAfter: Duration? = details.retryAfter
    /** Response headers (names lower-case). Unmodifiable. */
    public val headers: Map<String, List<String>> = details.headers
    /** Raw response body as text (secret key, if echoed, redacted when the client built this error). */
    public val body: String = details.body

    /** First error's code, if any. Java: `getCode()` returns an `Optional`. */
    @get:JvmSynthetic public val code: String? get() = errors.firstOrNull()?.code

    init {
        val expected = ErrorMapper.typeFor(statusCode)
        require(expected == javaClass) {
            "${javaClass.simpleName} cannot carry HTTP $statusCode (that status is a ${expected.simpleName})"
        }
    }

    /** [code] for Java. */
    @JvmName("getCode") public fun codeOptional(): Optional<String> = Optional.ofNullable(code)
    /** [meta] for Java. */
    @JvmName("getMeta") public fun metaOptional(): Optional<Map<String, Any?>> = Optional.ofNullable(meta)
    /** [traceId] for Java. */
    @JvmName("getTraceId") public fun traceIdOptional(): Optional<String> = Optional.ofNullable(traceId)
    /** [retryAfter] for Java. */
    @JvmName("getRetryAfter") public fun retryAfterOptional(): Optional<Duration> = Optional.ofNullable(retryAfter)

    private companion object {
        fun describe(operation: String, status: Int, errors: List<ClerkError>, traceId: String?): String = buildString {
            append(operation).append(" failed: HTTP ").append(status)
            errors.firstOrNull()?.let { append(' ').append(it.code).append(": ").append(it.longMessage ?: it.message) }
            if (traceId != null) append(" (trace id ").append(traceId).append(')')
        }
    }
}

/** What a non-2xx response carried; parsed by [ErrorMapper.details]. */
internal class ResponseDetails(
    val statusCode: Int,
    val errors: List<ClerkError>,
    val meta: Map<String, Any?>?,
    val traceId: String?,
    val retryAfter: Duration?,
    val headers: Map<String, List<String>>,
    val body: String,
)

/*
 * The subclasses' constructors all read: operation (e.g. `sessions.get`), the HTTP status (which must be the
 * subclass's), the raw body, the response headers (any case; kept lower-cased). See ClerkApiException.
 */

/**
 * 400: the request was malformed.
 * @constructor See [ClerkApiException]: [operation] (e.g. `sessions.get`), `statusCode` 400, raw `body`, response
 *   `headers`; errors, meta, trace id and Retry-After are parsed from them.
 * @throws IllegalArgumentException if `statusCode` is not 400.
 */
public class BadRequestException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 401: the secret key is missing or invalid (`authentication_invalid`), or a refresh/verify token was rejected.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 401, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not 401.
 */
public class AuthenticationException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 403: the key may not do this.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 403, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not 403.
 */
public class PermissionDeniedException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 404: no such session, user or JWT template.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 404, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not 404.
 */
public class NotFoundException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 410: the endpoint is gone for this API version (e.g. the deprecated `verify`). Verify session tokens
 * locally with `ClerkClient.verifyToken` instead.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 410, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not 410.
 */
public class GoneException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 422: a parameter was invalid (see [ClerkError.meta]'s `param_name`).
 * @constructor See [ClerkApiException]: [operation], `statusCode` 422, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not 422.
 */
public class UnprocessableEntityException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 429: rate limited; [retryAfter] says when to come back.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 429, raw `body`, response `headers` (a
 *   `retry-after` entry becomes [retryAfter]).
 * @throws IllegalArgumentException if `statusCode` is not 429.
 */
public class RateLimitException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * 5xx: Clerk failed.
 * @constructor See [ClerkApiException]: [operation], `statusCode` 500..599, raw `body`, response `headers`.
 * @throws IllegalArgumentException if `statusCode` is not in 500..599.
 */
public class ServerException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * Any other non-2xx status (including 3xx: redirects are never followed, so the secret never travels to another host).
 * @constructor See [ClerkApiException]: [operation], a `statusCode` no other subclass stands for, raw `body`,
 *   response `headers`.
 * @throws IllegalArgumentException if `statusCode` is one of 400, 401, 403, 404, 410, 422, 429 or 500..599.
 */
public class UnexpectedStatusException(operation: String, statusCode: Int, body: String, headers: Map<String, List<String>>) :
    ClerkApiException(operation, statusCode, body, headers)

/**
 * The exchange failed below HTTP: connection refused, reset, closed before a complete response.
 * [mayHaveReachedServer] tells whether the request may have been processed (then a non-idempotent call was not replayed).
 *
 * @constructor For code that fakes the client: [operation] (e.g. `sessions.get`), the full [message],
 *   [mayHaveReachedServer], and the underlying [cause] (default `null`).
 */
public open class ClerkTransportException @JvmOverloads constructor(
    override val operation: String,
    message: String,
    /** False only when the request provably never left (e.g. the connection could not be opened). */
    public val mayHaveReachedServer: Boolean,
    cause: Throwable? = null,
) : ClerkException(message, cause)

/**
 * A connect, socket or whole-request timeout elapsed.
 *
 * A whole-request timeout covers the attempt's wait for a rate-budget permit too: [rateBudgetWait] says how much of
 * it went waiting (zero when the attempt had its permit at once). A call whose permit would come later than its
 * request timeout is not sent and fails with [RateBudgetExhaustedException] instead.
 *
 * @constructor For code that fakes the client: [operation], the full [message], [mayHaveReachedServer] (`false` for a
 *   connect timeout), the underlying [cause] (default `null`) and [rateBudgetWait] (default zero).
 */
public class ClerkTimeoutException @JvmOverloads constructor(
    operation: String,
    message: String,
    mayHaveReachedServer: Boolean,
    cause: Throwable? = null,
    /** How much of the request timeout this attempt spent waiting for its rate-budget permit. */
    public val rateBudgetWait: Duration = Duration.ZERO,
) : ClerkTransportException(operation, message, mayHaveReachedServer, cause)

/**
 * A 2xx response that could not be read or decoded (malformed JSON, wrong shape, too large). Carries status and body.
 *
 * @constructor For code that fakes the client: [operation], [statusCode], [body], the full [message], and the
 *   decoding failure as [cause] (default `null`).
 */
public class ClerkResponseException @JvmOverloads constructor(
    override val operation: String,
    /** HTTP status code of the response. */
    public val statusCode: Int,
    /** Raw body (possibly truncated to the first 64 KiB; secret key, if echoed, redacted when the client built this error). */
    public val body: String,
    message: String,
    cause: Throwable? = null,
) : ClerkException(message, cause)
