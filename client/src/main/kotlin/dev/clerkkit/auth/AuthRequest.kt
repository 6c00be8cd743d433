package dev.clerkkit.auth

import java.util.Collections
import java.util.Locale

/**
 * A framework-free view of an incoming HTTP request, as [authenticateRequest][dev.clerkkit.ClerkClient.authenticateRequest]
 * reads it: the method, the full URL the client used, and the headers as a multi-map. Header names are compared
 * case-insensitively (they are stored lower-cased); cookies are parsed from the `Cookie` header(s) on demand.
 *
 * Build one with [builder] (Java) or [of]. [toString] shows the method, URL and header names only (header values such
 * as `Authorization` and `Cookie` carry secrets).
 */
public class AuthRequest protected constructor(builder: Builder) {
    /** The method, upper-cased (`GET`, `POST`, ...). Required. */
    public val method: String = requireNotNull(builder.method?.takeIf { it.isNotBlank() }) { "AuthRequest.method is required" }
        .uppercase(Locale.ROOT)

    /** The absolute URL of the request (`https://app.example.com/path?query`). Required. */
    public val url: String = requireNotNull(builder.url?.takeIf { it.isNotBlank() }) { "AuthRequest.url is required" }

    /** Every header, names lower-cased, values in arrival order. Unmodifiable. */
    public val headers: Map<String, List<String>> = Collections.unmodifiableMap(
        LinkedHashMap<String, List<String>>().also { m ->
            builder.headers.forEach { (k, v) -> m[k] = Collections.unmodifiableList(ArrayList(v)) }
        },
    )

    /** The values of header [name] (any case); empty when absent. */
    public fun headerValues(name: String): List<String> = headers[name.lowercase(Locale.ROOT)] ?: emptyList()

    override fun toString(): String = "AuthRequest(method=$method, url=$url, headerNames=${headers.keys})"

    /** Mutable builder; [method] and [url] are required. */
    public class Builder {
        internal var method: String? = null
        internal var url: String? = null
        internal val headers: MutableMap<String, MutableList<String>> = LinkedHashMap()

        /** Sets the method. */
        public fun method(value: String): Builder = apply { method = value }

        /** Sets the absolute URL. */
        public fun url(value: String): Builder = apply { url = value }

        /** Adds one value of header [name] (kept beside earlier values of the same name). */
        public fun header(name: String, value: String): Builder = apply {
            headers.getOrPut(name.lowercase(Locale.ROOT)) { ArrayList(1) }.add(value)
        }

        /** Adds every value of every header of [values]. */
        public fun headers(values: Map<String, List<String>>): Builder = apply {
            values.forEach { (k, vs) -> vs.forEach { header(k, it) } }
        }

        /** The request view. @throws IllegalArgumentException when the method or URL is missing. */
        public fun build(): AuthRequest = AuthRequest(this)
    }

    /** Factories. */
    public companion object {
        /** A new, empty builder. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** A request view of [method], [url] and [headers] (names in any case). */
        @JvmStatic
        public fun of(method: String, url: String, headers: Map<String, List<String>>): AuthRequest =
            Builder().method(method).url(url).headers(headers).build()
    }
}
