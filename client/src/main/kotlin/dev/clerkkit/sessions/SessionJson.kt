package dev.clerkkit.sessions

import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/** Decoding of the Sessions resource's answers (all of clerkkit's wire JSON for sessions lives here). */
internal object SessionJson {
    val json = Json {
        ignoreUnknownKeys = true
        explicitNulls = false
    }
    private val sessionList = ListSerializer(Session.serializer())

    fun decodeSession(text: String): Session = json.decodeFromString(Session.serializer(), text)

    /**
     * Decodes the answer to a call about one session and checks it is about that session: an answer meant for
     * another call (a keep-alive connection out of step) fails as a bad response instead of being returned.
     */
    fun sessionNamed(sessionId: String): (String) -> Session = { text ->
        decodeSession(text).also { s ->
            check(s.id == sessionId) { "the answer is about session '${s.id.take(100)}', not the requested '$sessionId'" }
        }
    }

    fun decodeToken(text: String): SessionToken = json.decodeFromString(SessionToken.serializer(), text)

    /**
     * Both list shapes: a bare array, or `{"data":[...],"total_count":N}` (`paginated=true`). Decoded straight from
     * the text (no intermediate JSON tree: measured 1.8x faster on a 500-session page, bench/RESULTS.md).
     */
    fun decodeList(text: String): SessionPage = when (text.firstOrNull { !it.isWhitespace() }) {
        '[' -> json.decodeFromString(sessionList, text).let { SessionPage(it, it.size.toLong()) }
        '{' -> json.decodeFromString(PaginatedSessions.serializer(), text).let {
            SessionPage(it.data, it.totalCount ?: it.data.size.toLong())
        }
        else -> throw IllegalArgumentException("list response is neither an array nor an object")
    }

    fun decodeRefresh(text: String): SessionRefresh {
        val root = json.parseToJsonElement(text) as? JsonObject ?: throw IllegalArgumentException("refresh response is not an object")
        return when (val kind = (root["object"] as? JsonPrimitive)?.content) {
            "token" -> SessionRefresh.Token(root.string("jwt"))
            "cookies" -> SessionRefresh.Cookies(
                (root["cookies"] as? JsonArray ?: throw IllegalArgumentException("cookies response has no 'cookies' array"))
                    .map { (it as JsonPrimitive).content },
            )
            else -> throw IllegalArgumentException("unknown refresh response object '$kind'")
        }
    }

    private fun JsonObject.string(key: String): String =
        (this[key] as? JsonPrimitive)?.takeIf { it.isString }?.content ?: throw IllegalArgumentException("missing string '$key'")
}

/** Wire shape of `GET /sessions?paginated=true`. */
@Serializable
internal class PaginatedSessions(
    val data: List<Session>,
    @SerialName("total_count") val totalCount: Long? = null,
)
