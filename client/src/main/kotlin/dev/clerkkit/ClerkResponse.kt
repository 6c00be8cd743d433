package dev.clerkkit

import java.util.Collections
import java.util.Optional

/**
 * A successful answer of Clerk with what came with it: the HTTP status, the response headers and Clerk's trace id,
 * besides the decoded [value]. Returned by the `withRawResponse()` views of the Sessions operations (Kotlin
 * `Sessions.withRawResponse()`, Java `SessionsAsync.withRawResponse()` / `SessionsBlocking.withRawResponse()`).
 *
 * [toString] shows the status, the trace id and the header names, never header values or the value's secrets.
 *
 * @constructor For code that fakes clerkkit: a response of [statusCode] with `headers` (any case; kept lower-cased)
 *   and [value].
 */
public class ClerkResponse<T>(
    /** The HTTP status, 200..299. */
    public val statusCode: Int,
    headers: Map<String, List<String>>,
    /** The decoded answer, as the plain call returns it. */
    public val value: T,
) {
    /** Response headers, names lower-case, values in the order received. Unmodifiable. */
    public val headers: Map<String, List<String>> =
        Collections.unmodifiableMap(headers.entries.associateTo(LinkedHashMap()) { (k, v) -> k.lowercase() to v.toList() })

    /** Clerk's trace id of this answer (`X-Clerk-Trace-Id`), or null when the answer has none. Java: `getTraceId()`, an `Optional`. */
    @get:JvmSynthetic public val traceId: String? get() = header("x-clerk-trace-id")

    /** The first value of header [name] (any case), or null. Java: `header(name)` returns an `Optional`. */
    @JvmSynthetic
    public fun header(name: String): String? = headers[name.lowercase()]?.firstOrNull()

    /** [traceId] for Java. */
    @JvmName("getTraceId") public fun traceIdOptional(): Optional<String> = Optional.ofNullable(traceId)

    /** [header] for Java. */
    @JvmName("header") public fun headerOptional(name: String): Optional<String> = Optional.ofNullable(header(name))

    /** This response with [value] replaced by [transform] of it (same status and headers). */
    @JvmSynthetic
    public fun <R> map(transform: (T) -> R): ClerkResponse<R> = ClerkResponse(statusCode, headers, transform(value))

    override fun toString(): String = "ClerkResponse(statusCode=$statusCode, traceId=$traceId, headers=${headers.keys}, value=$value)"
}
