package dev.clerkkit.testkit.internal

import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.contentOrNull
import java.io.ByteArrayOutputStream
import java.net.URLDecoder

/** Decoding and validation of request paths, query strings and JSON bodies; failures are Clerk-shaped [ApiError]s. */
internal object RequestDecoding {
    /** The request body as a JSON object; `null` for an empty body unless [required] (then `400`). */
    fun jsonBody(raw: RawRequest, required: Boolean): JsonObject? {
        val text = raw.body.toString(Charsets.UTF_8)
        if (text.isBlank()) {
            if (!required) return null
            throw ApiError(400, "request_body_invalid", "Request body invalid", "The request body is empty; a JSON object is expected.")
        }
        val parsed = try {
            ClerkJson.json.parseToJsonElement(text)
        } catch (_: Exception) {
            throw ApiError(400, "request_body_invalid", "Request body invalid", "The request body is not valid JSON.")
        }
        return parsed as? JsonObject
            ?: throw ApiError(400, "request_body_invalid", "Request body invalid", "The request body must be a JSON object.")
    }

    /** The string field [name] of [body]; `null` when absent or JSON `null`, `422` when not a string. */
    fun stringField(body: JsonObject, name: String): String? {
        val e = body[name] ?: return null
        if (e is JsonNull) return null
        return (e as? JsonPrimitive)?.takeIf { it.isString }?.contentOrNull
            ?: throw ApiError(422, "form_param_value_invalid", "is invalid", "$name must be a string.", ClerkJson.metaParam(name))
    }

    /** Rejects any field of [body] outside [allowed] with `400 form_param_unknown` (the first unknown one). */
    fun rejectUnknown(body: JsonObject, allowed: Set<String>) {
        val unknown = body.keys - allowed
        if (unknown.isNotEmpty()) throw ApiError.unknownParameter(unknown.first())
    }

    /** Query parameters (decoded; the first value of a repeated name wins). */
    fun parseQuery(query: String?): Map<String, String> {
        if (query.isNullOrEmpty()) return emptyMap()
        val out = LinkedHashMap<String, String>()
        for (part in query.split('&')) {
            if (part.isEmpty()) continue
            val eq = part.indexOf('=')
            val k = URLDecoder.decode(if (eq >= 0) part.substring(0, eq) else part, Charsets.UTF_8)
            val v = URLDecoder.decode(if (eq >= 0) part.substring(eq + 1) else "", Charsets.UTF_8)
            out.putIfAbsent(k, v)
        }
        return out
    }

    /** Percent-decoded path segments after `/v1/`, or `null` when the path is outside `/v1/` or badly encoded. */
    fun decodeSegments(rawPath: String): List<String>? {
        if (!rawPath.startsWith("/v1/")) return null
        return try {
            rawPath.removePrefix("/v1/").split('/').map { percentDecode(it) }
        } catch (_: IllegalArgumentException) {
            null
        }
    }

    private fun percentDecode(s: String): String {
        if ('%' !in s) return s
        val bytes = ByteArrayOutputStream()
        var i = 0
        while (i < s.length) {
            val c = s[i]
            if (c == '%' && i + 2 < s.length) {
                bytes.write(s.substring(i + 1, i + 3).toInt(16))
                i += 3
            } else {
                bytes.write(c.toString().toByteArray(Charsets.UTF_8))
                i++
            }
        }
        return bytes.toString(Charsets.UTF_8)
    }
}
