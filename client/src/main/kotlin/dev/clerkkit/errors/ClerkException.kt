package dev.clerkkit.errors

import kotlinx.serialization.json.JsonObject
import java.time.Duration
import java.util.Optional

/**
 * Root of every error the client throws for a call that was attempted (input errors are plain
 * [IllegalArgumentException]s thrown before any I/O). Unchecked.
 *
 * - [ClerkApiException]: Clerk answered with a non-2xx status (one subclass per documented status).
 * - [ClerkTransportException]: the exchange failed below HTTP (connect, reset, closed connection); [ClerkTimeoutException] is one.
 * - [ClerkResponseException]: a 2xx answer that could not be read or decoded.
 *
 * Messages name the operation, the status, the first error code and the trace id; they never contain the secret key.
 */
public sealed class ClerkException(message: String, cause: Throwable?) : RuntimeException(message, cause) {
    /** The operation that failed, e.g. `sessions.get`. */
    public abstract val operation: String

    /** Attempts made, the failing one included (more than 1 when the call was retried). */
    public var attempts: Int = 1
        internal set
}

/** One entry of Clerk's `errors[]`. */
public class ClerkError(
    /** Machine-readable code, e.g. `resource_not_found`. */
    public val code: String,
    /** Short human message. */
    public val message: String,
    /** Longer human message; null when Clerk sent none. */
    @get:JvmSynthetic public val longMessage: String?,
    /** The error's `meta` object (e.g. `param_name`); null when absent. */
    @get:JvmSynthetic public val meta: JsonObject?,
) {
    /** [longMessage] for Java. */
    @JvmName("getLongMessage")
    public fun longMessageOptional(): Optional<String> = Optional.ofNullable(longMessage)

    /** [meta] for Java. */
    @JvmName("getMeta")
    public fun metaOptional(): Optional<JsonObject> = Optional.ofNullable(meta)

    override fun toString(): String = "ClerkError(code=$code, message=$message, longMessage=$longMessage, meta=$meta)"
    override fun equals(other: Any?): Boolean = other is ClerkError && code == other.code && message == other.message &&
        longMessage == other.longMessage && meta == other.meta
    override fun hashCode(): Int = listOf(code, message, longMessage, meta).hashCode()
}

/**
 * Clerk answered with a non-2xx status. Carries all the evidence: status, `errors[]`, `meta`, `clerk_trace_id`
 * (from the body, else the `X-Clerk-Trace-Id` header), parsed `Retry-After`, response headers and the raw body.
 * A body that is not Clerk's error JSON still yields this error (with empty [errors]).
 */
public sealed class ClerkApiException(
    override val operation: String,
    details: ResponseDetails,
) : ClerkException(describe(operation, details.statusCode, details.errors, details.traceId), null) {
    /** HTTP status code. */
    public val statusCode: Int = details.statusCode
    /** Clerk's `errors[]`, possibly empty. */
    public val errors: List<ClerkError> = details.errors
    /** Top-level `meta` of the error body; null when absent. */
    @get:JvmSynthetic public val meta: JsonObject? = details.meta
    /** `clerk_trace_id` of the body or the trace header; null when absent. */
    @get:JvmSynthetic public val traceId: String? = details.traceId
    /** Parsed `Retry-After`; null when absent or unparseable. */
    @get:JvmSynthetic public val retryAfter: Duration? = details.retryAfter
    /** Response headers (names lower-case). */
    public val headers: Map<String, List<String>> = details.headers
    /** Raw response body as text (secret key, if echoed, redacted). */
    public val body: String = details.body

    /** First error's code, if any. */
    @get:JvmSynthetic public val code: String? get() = errors.firstOrNull()?.code

    /** [code] for Java. */
    @JvmName("getCode") public fun codeOptional(): Optional<String> = Optional.ofNullable(code)
    /** [meta] for Java. */
    @JvmName("getMeta") public fun metaOptional(): Optional<JsonObject> = Optional.ofNullable(meta)
    /** [traceId] for Java. */
    @JvmName("getTraceId") public fun traceIdOptional(): Optional<String> = Optional.ofNullable(traceId)
    /** [retryAfter] for Java. */
    @JvmName("getRetryAfter") public fun retryAfterOptional(): Optional<Duration> = Optional.ofNullable(retryAfter)

    internal companion object {
        fun describe(operation: String, status: Int, errors: List<ClerkError>, traceId: String?): String = buildString {
            append(operation).append(" failed: HTTP ").append(status)
            errors.firstOrNull()?.let { append(' ').append(it.code).append(": ").append(it.longMessage ?: it.message) }
            if (traceId != null) append(" (trace id ").append(traceId).append(')')
        }
    }
}

/** What a non-2xx response carried; built by [ErrorMapper]. */
internal class ResponseDetails(
    val statusCode: Int,
    val errors: List<ClerkError>,
    val meta: JsonObject?,
    val traceId: String?,
    val retryAfter: Duration?,
    val headers: Map<String, List<String>>,
    val body: String,
)

/** 400: the request was malformed. */
public class BadRequestException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 401: the secret key is missing or invalid (`authentication_invalid`), or a refresh/verify token was rejected. */
public class AuthenticationException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 403: the key may not do this. */
public class PermissionDeniedException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 404: no such session, user or JWT template. */
public class NotFoundException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/**
 * 410: the endpoint is gone for this API version (e.g. the deprecated `verify`). Verify session tokens
 * locally with `ClerkClient.verifyToken` instead.
 */
public class GoneException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 422: a parameter was invalid (see [ClerkError.meta]'s `param_name`). */
public class UnprocessableEntityException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 429: rate limited; [retryAfter] says when to come back. */
public class RateLimitException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** 5xx: Clerk failed. */
public class ServerException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/** Any other non-2xx status (including 3xx: redirects are never followed, so the secret never travels to another host). */
public class UnexpectedStatusException internal constructor(operation: String, details: ResponseDetails) : ClerkApiException(operation, details)

/**
 * The exchange failed below HTTP: connection refused, reset, closed before a complete response.
 * [mayHaveReachedServer] tells whether the request may have been processed (then a non-idempotent call was not replayed).
 */
public open class ClerkTransportException internal constructor(
    override val operation: String,
    message: String,
    /** False only when the request provably never left (e.g. the connection could not be opened). */
    public val mayHaveReachedServer: Boolean,
    cause: Throwable?,
) : ClerkException(message, cause)

/** A connect, socket or whole-request timeout elapsed. */
public class ClerkTimeoutException internal constructor(
    operation: String,
    message: String,
    mayHaveReachedServer: Boolean,
    cause: Throwable?,
) : ClerkTransportException(operation, message, mayHaveReachedServer, cause)

/** A 2xx response that could not be read or decoded (malformed JSON, wrong shape, too large). Carries status and body. */
public class ClerkResponseException internal constructor(
    override val operation: String,
    /** HTTP status code of the response. */
    public val statusCode: Int,
    /** Raw body (possibly truncated to the first 64 KiB). */
    public val body: String,
    message: String,
    cause: Throwable?,
) : ClerkException(message, cause)
