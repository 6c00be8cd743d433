package dev.clerkkit.errors

import dev.clerkkit.internal.toPlainMap
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import java.time.Duration
import java.time.Instant
import java.time.ZonedDateTime
import java.time.format.DateTimeFormatter
import java.util.Collections

/**
 * The one place that turns a non-2xx response into a [ClerkApiException]: [map] picks the type by status,
 * [details] reads the evidence (also for errors built by hand through the public constructors). Never throws while
 * parsing.
 */
internal object ErrorMapper {
    private val json = Json { ignoreUnknownKeys = true; isLenient = true }

    /** The typed error for [status]; [headers] names are expected lower-case (they are lower-cased anyway). */
    fun map(operation: String, status: Int, headers: Map<String, List<String>>, body: String): ClerkApiException =
        when (typeFor(status)) {
            BadRequestException::class.java -> BadRequestException(operation, status, body, headers)
            AuthenticationException::class.java -> AuthenticationException(operation, status, body, headers)
            PermissionDeniedException::class.java -> PermissionDeniedException(operation, status, body, headers)
            NotFoundException::class.java -> NotFoundException(operation, status, body, headers)
            GoneException::class.java -> GoneException(operation, status, body, headers)
            UnprocessableEntityException::class.java -> UnprocessableEntityException(operation, status, body, headers)
            RateLimitException::class.java -> RateLimitException(operation, status, body, headers)
            ServerException::class.java -> ServerException(operation, status, body, headers)
            else -> UnexpectedStatusException(operation, status, body, headers)
        }

    /** Which [ClerkApiException] stands for [status]; the constructors check it, so the two cannot drift apart. */
    fun typeFor(status: Int): Class<out ClerkApiException> = when {
        status == 400 -> BadRequestException::class.java
        status == 401 -> AuthenticationException::class.java
        status == 403 -> PermissionDeniedException::class.java
        status == 404 -> NotFoundException::class.java
        status == 410 -> GoneException::class.java
        status == 422 -> UnprocessableEntityException::class.java
        status == 429 -> RateLimitException::class.java
        status in 500..599 -> ServerException::class.java
        else -> UnexpectedStatusException::class.java
    }

    /**
     * The evidence of a non-2xx response: `errors[]`, top-level `meta` and `clerk_trace_id` from [body] (when it is
     * Clerk's error JSON), else the trace id of the `x-clerk-trace-id` header; `Retry-After` relative to [now].
     * Header names are lower-cased (values of repeated names are merged in order).
     */
    fun details(
        status: Int,
        body: String,
        headers: Map<String, List<String>>,
        now: Instant = Instant.now(),
    ): ResponseDetails {
        val lowerHeaders = lowerCased(headers)
        val root = runCatching { json.parseToJsonElement(body) as? JsonObject }.getOrNull()
        val errors = (root?.get("errors") as? JsonArray).orEmpty().mapNotNull { e ->
            val o = e as? JsonObject ?: return@mapNotNull null
            ClerkError(
                code = o.string("code") ?: "unknown",
                message = o.string("message") ?: "",
                longMessage = o.string("long_message"),
                meta = o.plainObject("meta"),
            )
        }
        val meta = root?.plainObject("meta")
        val traceId = root?.string("clerk_trace_id") ?: lowerHeaders.first("x-clerk-trace-id")
        val retryAfter = lowerHeaders.first("retry-after")?.let { parseRetryAfter(it, now) }
        return ResponseDetails(status, Collections.unmodifiableList(errors), meta, traceId, retryAfter, lowerHeaders, body)
    }

    /** `Retry-After` as delta-seconds or HTTP-date; negative or unparseable -> null. */
    fun parseRetryAfter(value: String, now: Instant): Duration? {
        val v = value.trim()
        v.toLongOrNull()?.let { return if (it >= 0) Duration.ofSeconds(it) else null }
        v.toDoubleOrNull()?.let { return if (it >= 0) Duration.ofMillis((it * 1000).toLong()) else null }
        return runCatching {
            val at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant()
            Duration.between(now, at).let { if (it.isNegative) Duration.ZERO else it }
        }.getOrNull()
    }

    private fun lowerCased(headers: Map<String, List<String>>): Map<String, List<String>> {
        val out = LinkedHashMap<String, MutableList<String>>(headers.size)
        headers.forEach { (name, values) -> out.getOrPut(name.lowercase()) { ArrayList(values.size) }.addAll(values) }
        return Collections.unmodifiableMap(out.mapValuesTo(LinkedHashMap(out.size)) { Collections.unmodifiableList(it.value) })
    }

    private fun JsonObject.string(key: String): String? = (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.contentOrNull

    /** A JSON object member as plain values; null when absent, not an object, or holding a literal that is no number. */
    private fun JsonObject.plainObject(key: String): Map<String, Any?>? =
        (this[key] as? JsonObject)?.let { runCatching { it.toPlainMap() }.getOrNull() }

    private fun Map<String, List<String>>.first(name: String): String? = this[name]?.firstOrNull()
}
