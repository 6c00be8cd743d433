package dev.clerkkit.sessions

import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.booleanOrNull
import kotlinx.serialization.json.longOrNull

/**
 * Decoding of the Sessions resource's answers (all of clerkkit's wire JSON for sessions lives here).
 *
 * Each answer is parsed into a JSON tree, then every known field is read strictly (a missing required field, a wrong
 * type, a fraction where an integer belongs: [IllegalArgumentException] naming the model and the field, which the
 * pipeline turns into a `ClerkResponseException`), and every other key goes to the model's `additionalProperties`.
 * The tree is the price of keeping unknown fields: kotlinx's generated serializers skip them without a hook. Where
 * the spec requires `object` but clerkkit never needed it, a missing `object` reads as its only value.
 */
internal object SessionJson {
    private val json = Json

    fun decodeSession(text: String): Session = session(parseObject(text, "Session"))

    fun decodeToken(text: String): SessionToken {
        val o = parseObject(text, "SessionToken")
        val r = FieldReader(o, "SessionToken")
        return SessionToken.builder()
            .objectType(r.optString("object") ?: "token")
            .jwt(r.string("jwt"))
            .also { b -> r.unknown(TOKEN_KEYS, b::putAdditionalProperty) }
            .build()
    }

    /** Both list shapes: a bare array, or `{"data":[...],"total_count":N}` (`paginated=true`). */
    fun decodeList(text: String): SessionPage = when (val root = json.parseToJsonElement(text)) {
        is JsonArray -> sessions(root, "list").let { SessionPage.builder().data(it).totalCount(it.size.toLong()).build() }
        is JsonObject -> {
            val r = FieldReader(root, "SessionPage")
            val data = root["data"] as? JsonArray ?: throw r.wrong("data", "an array")
            val items = sessions(data, "data")
            SessionPage.builder().data(items).totalCount(r.optLong("total_count") ?: items.size.toLong()).build()
        }
        else -> throw IllegalArgumentException("list response is neither an array nor an object")
    }

    fun decodeRefresh(text: String): SessionRefresh {
        val o = parseObject(text, "SessionRefresh")
        return when (val kind = (o["object"] as? JsonPrimitive)?.takeIf { it.isString }?.content) {
            "token" -> FieldReader(o, "SessionRefresh.Token").let { r ->
                SessionRefresh.Token.builder().jwt(r.string("jwt")).also { b -> r.unknown(TOKEN_KEYS, b::putAdditionalProperty) }.build()
            }
            "cookies" -> FieldReader(o, "SessionRefresh.Cookies").let { r ->
                val cookies = o["cookies"] as? JsonArray ?: throw r.wrong("cookies", "an array")
                SessionRefresh.Cookies.builder()
                    .cookies(cookies.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: throw r.wrong("cookies", "an array of strings") })
                    .also { b -> r.unknown(COOKIES_KEYS, b::putAdditionalProperty) }
                    .build()
            }
            else -> throw IllegalArgumentException("unknown refresh response object '${kind?.take(100)}'")
        }
    }

    private fun sessions(array: JsonArray, where: String): List<Session> = array.mapIndexed { i, e ->
        session(e as? JsonObject ?: throw IllegalArgumentException("$where[$i]: expected a Session object, was ${FieldReader.kind(e)}"))
    }

    private fun session(o: JsonObject): Session {
        val r = FieldReader(o, "Session")
        return Session.builder()
            .objectType(r.optString("object") ?: "session")
            .id(r.string("id"))
            .userId(r.string("user_id"))
            .clientId(r.string("client_id"))
            .actor(r.optObject("actor"))
            .status(SessionStatus.of(r.string("status")))
            .lastActiveOrganizationId(r.optString("last_active_organization_id"))
            .lastActiveAt(r.long("last_active_at"))
            .latestActivity(r.optObject("latest_activity")?.let(::activity))
            .expireAt(r.long("expire_at"))
            .abandonAt(r.long("abandon_at"))
            .updatedAt(r.long("updated_at"))
            .createdAt(r.long("created_at"))
            .tasks(r.optArray("tasks")?.let(::tasks))
            .also { b -> r.unknown(SESSION_KEYS, b::putAdditionalProperty) }
            .build()
    }

    private fun activity(o: JsonObject): SessionActivity {
        val r = FieldReader(o, "SessionActivity")
        return SessionActivity.builder()
            .objectType(r.string("object"))
            .id(r.string("id"))
            .isMobile(r.boolean("is_mobile"))
            .deviceType(r.optString("device_type"))
            .browserName(r.optString("browser_name"))
            .browserVersion(r.optString("browser_version"))
            .ipAddress(r.optString("ip_address"))
            .city(r.optString("city"))
            .country(r.optString("country"))
            .also { b -> r.unknown(ACTIVITY_KEYS, b::putAdditionalProperty) }
            .build()
    }

    private fun tasks(array: JsonArray): List<SessionTask> = array.mapIndexed { i, e ->
        val o = e as? JsonObject ?: throw IllegalArgumentException("Session.tasks[$i]: expected a SessionTask object, was ${FieldReader.kind(e)}")
        val r = FieldReader(o, "SessionTask")
        SessionTask.builder().key(r.string("key")).also { b -> r.unknown(TASK_KEYS, b::putAdditionalProperty) }.build()
    }

    private fun parseObject(text: String, model: String): JsonObject = when (val root = json.parseToJsonElement(text)) {
        is JsonObject -> root
        else -> throw IllegalArgumentException("expected a $model object, was ${FieldReader.kind(root)}")
    }

    private val SESSION_KEYS = setOf(
        "object", "id", "user_id", "client_id", "actor", "status", "last_active_organization_id", "last_active_at",
        "latest_activity", "expire_at", "abandon_at", "updated_at", "created_at", "tasks",
    )
    private val ACTIVITY_KEYS = setOf(
        "object", "id", "is_mobile", "device_type", "browser_name", "browser_version", "ip_address", "city", "country",
    )
    private val TASK_KEYS = setOf("key")
    private val TOKEN_KEYS = setOf("object", "jwt")
    private val COOKIES_KEYS = setOf("object", "cookies")
}

/**
 * Strict reads of one JSON object's known fields. An absent key and `null` are the same (absent) for optional
 * fields; required fields must be present and non-null. Error messages name the field, never quote its value.
 */
private class FieldReader(private val o: JsonObject, private val model: String) {
    fun string(key: String): String = optString(key) ?: throw missing(key)
    fun long(key: String): Long = optLong(key) ?: throw missing(key)
    fun boolean(key: String): Boolean = when (val e = present(key)) {
        null -> throw missing(key)
        else -> (e as? JsonPrimitive)?.takeUnless { it.isString }?.booleanOrNull ?: throw wrong(key, "a boolean", e)
    }

    fun optString(key: String): String? = present(key)?.let { e ->
        (e as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw wrong(key, "a string", e)
    }

    fun optLong(key: String): Long? = present(key)?.let { e ->
        (e as? JsonPrimitive)?.takeUnless { it.isString }?.longOrNull ?: throw wrong(key, "an integer", e)
    }

    fun optObject(key: String): JsonObject? = present(key)?.let { e -> e as? JsonObject ?: throw wrong(key, "an object", e) }
    fun optArray(key: String): JsonArray? = present(key)?.let { e -> e as? JsonArray ?: throw wrong(key, "an array", e) }

    /** Every key not in [known], as is (the builders turn JSON elements into plain values). */
    inline fun unknown(known: Set<String>, put: (String, Any?) -> Any) {
        for ((k, v) in o) if (k !in known) put(k, v)
    }

    fun wrong(key: String, expected: String, was: JsonElement? = o[key]) =
        IllegalArgumentException("$model.$key: expected $expected, was ${kind(was)}")

    private fun present(key: String): JsonElement? = o[key]?.takeUnless { it === JsonNull }
    private fun missing(key: String) = IllegalArgumentException("$model.$key: required field is missing or null")

    companion object {
        /** What [e] is, for error messages (never its content). */
        fun kind(e: JsonElement?): String = when (e) {
            null -> "absent"
            JsonNull -> "null"
            is JsonObject -> "an object"
            is JsonArray -> "an array"
            is JsonPrimitive -> when {
                e.isString -> "a string"
                e.booleanOrNull != null -> "a boolean"
                else -> "a number"
            }
        }
    }
}
