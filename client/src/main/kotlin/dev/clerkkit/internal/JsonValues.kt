package dev.clerkkit.internal

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.longOrNull
import java.math.BigDecimal
import java.util.Collections

/*
 * Free-form JSON as plain JVM values, so no kotlinx.serialization type reaches a public signature:
 * object -> unmodifiable Map<String, Any?> (insertion order), array -> unmodifiable List<Any?>, string -> String,
 * true/false -> Boolean, integral number that fits -> Long, other number -> BigDecimal (exact), null -> null.
 */

/** This element as a plain value (see the file comment). */
internal fun JsonElement.toPlain(): Any? = when (this) {
    JsonNull -> null
    is JsonObject -> toPlainMap()
    is JsonArray -> Collections.unmodifiableList(map { it.toPlain() })
    is JsonPrimitive -> when {
        isString -> content
        else -> booleanOrNull ?: longOrNull ?: BigDecimal(content)
    }
}

/** This object as an unmodifiable, ordered map of plain values. */
internal fun JsonObject.toPlainMap(): Map<String, Any?> =
    Collections.unmodifiableMap(LinkedHashMap<String, Any?>(size).also { m -> forEach { (k, v) -> m[k] = v.toPlain() } })

/**
 * A plain value (as produced by [toPlain], or what a user passes to a builder: any [Number], [Boolean], [String],
 * [Map] with string keys, [Iterable], array, or null) as JSON.
 * @throws IllegalArgumentException for anything else.
 */
internal fun plainToJson(value: Any?): JsonElement = when (value) {
    null -> JsonNull
    is JsonElement -> value
    is String -> JsonPrimitive(value)
    is Boolean -> JsonPrimitive(value)
    is Number -> JsonPrimitive(value)
    is Map<*, *> -> JsonObject(
        value.entries.associateTo(LinkedHashMap()) { (k, v) ->
            require(k is String) { "JSON object keys must be strings, was ${k?.javaClass?.name}" }
            k to plainToJson(v)
        },
    )
    is Iterable<*> -> JsonArray(value.map(::plainToJson))
    is Array<*> -> JsonArray(value.map(::plainToJson))
    else -> throw IllegalArgumentException("not a JSON value: ${value.javaClass.name}")
}

/** A map of plain values as a JSON object (see [plainToJson]). */
internal fun plainMapToJson(map: Map<String, Any?>): JsonObject = plainToJson(map) as JsonObject
