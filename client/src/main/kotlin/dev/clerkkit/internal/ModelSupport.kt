package dev.clerkkit.internal

import java.util.Collections

/*
 * What the public models' builders share (dev.clerkkit.sessions.Models.kt): required fields, defensive copies of
 * collections, plain values (see JsonValues.kt) and toString pieces. Here rather than private in Models.kt, where
 * every use from a model class would need a public synthetic accessor on a public `ModelsKt` class.
 */

/** This builder value, or [IllegalStateException] naming `model.field`. */
internal fun <T : Any> T?.requiredField(model: String, field: String): T =
    this ?: throw IllegalStateException("$model.$field is required (set it on $model.Builder before build())")

/**
 * [value] as a plain value, deep-copied and normalized (an `Int` becomes a `Long`, a `Double` a `BigDecimal`, maps
 * and lists unmodifiable). A kotlinx JSON element (the decoder's input; a `JsonObject` is also a `Map`) is converted
 * once. @throws IllegalArgumentException for anything that is not JSON-like.
 */
internal fun plainValue(value: Any?): Any? = plainToJson(value).toPlain()

/** [plainValue] of a map. */
@Suppress("UNCHECKED_CAST")
internal fun plainMap(value: Map<String, Any?>): Map<String, Any?> = plainValue(value) as Map<String, Any?>

/** Replaces this builder map's content with a plain copy of [value]; a bad value leaves it as it was. */
internal fun MutableMap<String, Any?>.replacePlain(value: Map<String, Any?>) {
    val copy = plainMap(value)
    clear()
    putAll(copy)
}

/** An unmodifiable snapshot of this map (insertion order kept). */
internal fun Map<String, Any?>.frozenMap(): Map<String, Any?> =
    if (isEmpty()) emptyMap() else Collections.unmodifiableMap(LinkedHashMap(this))

/** An unmodifiable copy of [value]. @throws IllegalArgumentException if it holds null (Java callers can). */
internal fun <T> frozenList(value: List<T>, what: String): List<T> {
    val copy = ArrayList(value)
    require(copy.none { it == null }) { "$what must not contain null" }
    return Collections.unmodifiableList(copy)
}

/** `, additionalProperties={...}` for a toString, or nothing when there are none. */
internal fun Map<String, Any?>.describeExtra(): String = if (isEmpty()) "" else ", additionalProperties=$this"

/** For models that carry secrets: the names of the unknown fields, never their values. */
internal fun Map<String, Any?>.describeExtraKeys(): String = if (isEmpty()) "" else ", additionalProperties=$keys"

/** The most characters an id may have. */
internal const val MAX_ID_LENGTH: Int = 1024

/** [value] as a checked id named [name]. @throws IllegalArgumentException when missing or unacceptable. */
internal fun checkedId(name: String, value: String?): String {
    requireNotNull(value) { "$name is required" }
    require(value.isNotBlank()) { "$name must not be blank" }
    require(value != "." && value != "..") { "$name must not be '.' or '..' (it would escape its path segment)" }
    require(value.length <= MAX_ID_LENGTH) { "$name is too long (${value.length} characters, at most $MAX_ID_LENGTH)" }
    return value
}

/** Session token lifetimes Clerk accepts, in seconds. */
internal val TOKEN_LIFETIME_SECONDS: LongRange = 30L..315_360_000L

/** [value] as a checked token lifetime. @throws IllegalArgumentException when out of [TOKEN_LIFETIME_SECONDS]. */
internal fun checkedLifetime(value: Long?): Long? = value?.also {
    require(it in TOKEN_LIFETIME_SECONDS) { "expiresInSeconds must be in $TOKEN_LIFETIME_SECONDS, was $it" }
}
