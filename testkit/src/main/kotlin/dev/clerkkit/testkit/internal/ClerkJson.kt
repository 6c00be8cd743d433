package dev.clerkkit.testkit.internal

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.longOrNull
import kotlinx.serialization.json.put
import java.security.SecureRandom

/** JSON and id helpers shared by the sandbox. */
internal object ClerkJson {
    val json: Json = Json { encodeDefaults = true }
    private val random = SecureRandom()
    private const val BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

    fun base62(length: Int): String = buildString(length) { repeat(length) { append(BASE62[random.nextInt(BASE62.length)]) } }

    fun id(prefix: String): String = prefix + base62(27)

    fun traceId(): String = buildString(32) { repeat(32) { append("0123456789abcdef"[random.nextInt(16)]) } }

    /** Clerk's error envelope: `{"errors":[{message,long_message,code,meta?}],"meta":{},"clerk_trace_id":...}`. */
    fun errors(code: String, message: String, longMessage: String, meta: JsonObject? = null): JsonObject = buildJsonObject {
        put(
            "errors",
            buildJsonArray {
                add(
                    buildJsonObject {
                        put("message", message)
                        put("long_message", longMessage)
                        put("code", code)
                        if (meta != null) put("meta", meta)
                    },
                )
            },
        )
        put("meta", JsonObject(emptyMap()))
        put("clerk_trace_id", traceId())
    }

    fun errorBytes(status: Int, code: String, longMessage: String): ByteArray =
        errors(code, defaultMessage(status), longMessage).toString().toByteArray()

    fun defaultCode(status: Int): String = when (status) {
        400 -> "request_invalid"
        401 -> "authentication_invalid"
        403 -> "authorization_invalid"
        404 -> "resource_not_found"
        410 -> "deprecated_endpoint"
        422 -> "form_param_value_invalid"
        429 -> "too_many_requests"
        500 -> "internal_clerk_error"
        502 -> "bad_gateway"
        503 -> "service_unavailable"
        504 -> "gateway_timeout"
        else -> "unexpected_error"
    }

    fun defaultMessage(status: Int): String = when (status) {
        400 -> "Bad request"
        401 -> "Unauthorized request"
        403 -> "Forbidden"
        404 -> "Resource not found"
        410 -> "Endpoint deprecated"
        422 -> "Invalid request parameters"
        429 -> "Too many requests"
        500 -> "Oops, something went wrong"
        502 -> "Bad gateway"
        503 -> "Service unavailable"
        504 -> "Gateway timeout"
        else -> "Unexpected error"
    }

    /** Converts plain Kotlin/Java values (maps, lists, strings, numbers, booleans, null, JsonElements) to JSON. */
    fun toJson(value: Any?): JsonElement = when (value) {
        null -> JsonNull
        is JsonElement -> value
        is String -> JsonPrimitive(value)
        is Number -> JsonPrimitive(value)
        is Boolean -> JsonPrimitive(value)
        is Map<*, *> -> JsonObject(value.entries.associate { (k, v) -> k.toString() to toJson(v) })
        is Iterable<*> -> JsonArray(value.map { toJson(it) })
        is Array<*> -> JsonArray(value.map { toJson(it) })
        else -> throw IllegalArgumentException("Unsupported claim value type: ${value::class.java.name}")
    }

    /** Converts JSON to plain Java values (as nimbus-jose-jwt expects for claims). */
    fun toJava(e: JsonElement): Any? = when (e) {
        is JsonNull -> null
        is JsonPrimitive -> when {
            e.isString -> e.content
            e.booleanOrNull != null -> e.booleanOrNull
            e.longOrNull != null -> e.longOrNull
            else -> e.doubleOrNull
        }
        is JsonObject -> LinkedHashMap<String, Any?>().apply { e.forEach { (k, v) -> put(k, toJava(v)) } }
        is JsonArray -> e.map { toJava(it) }
    }

    fun JsonObject.Companion.of(vararg pairs: Pair<String, Any?>): JsonObject = buildJsonObject {
        pairs.forEach { (k, v) -> put(k, toJson(v)) }
    }

    fun metaParam(name: String): JsonObject = buildJsonObject { put("param_name", name) }
}
