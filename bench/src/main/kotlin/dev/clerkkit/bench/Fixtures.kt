package dev.clerkkit.bench

import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.SandboxConfig
import kotlinx.serialization.builtins.ListSerializer
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.lang.invoke.MethodHandle
import java.lang.invoke.MethodHandles
import java.lang.invoke.MethodType

/** Spec-valid JSON produced by the testkit sandbox (the same generator that serves the load tests). */
object Fixtures {
    /** A bare JSON array of [n] sessions, as `GET /sessions` returns it. */
    @JvmStatic
    fun sessionListJson(n: Int): String = JsonArray(sessions(n)).toString()

    /** `{"data":[...],"total_count":n}`, as `GET /sessions?paginated=true` returns it. */
    @JvmStatic
    fun sessionPageJson(n: Int): String =
        JsonObject(mapOf("data" to JsonArray(sessions(n)), "total_count" to JsonPrimitive(n))).toString()

    /** One session, as `GET /sessions/{id}` returns it. */
    @JvmStatic
    fun sessionJson(): String = sessions(1).single().toString()

    private fun sessions(n: Int): List<JsonObject> =
        ClerkSandbox.start(SandboxConfig.builder().maxRecordedRequests(0).build()).use { sandbox ->
            val user = sandbox.addUser()
            repeat(n) { sandbox.addSession(user, withLatestActivity = true) }
            sandbox.sessions()
        }

    /** The Json configuration clerkkit's `Sessions` uses (copied: it is internal there). */
    @JvmField
    val clientJson: Json = Json {
        ignoreUnknownKeys = true
        explicitNulls = false
    }

    private val sessionList = ListSerializer(Session.serializer())

    /** Same Json config + ListSerializer(Session.serializer()) as the client, straight from the string. */
    @JvmStatic
    fun decodeListDirect(text: String): List<Session> = clientJson.decodeFromString(sessionList, text)

    /**
     * clerkkit's own internal `Sessions.decodeList` (tree parse, then decodeFromJsonElement), reached by reflection
     * because it is `internal`. Null if its name changed.
     */
    @JvmStatic
    val internalDecodeList: MethodHandle? = runCatching {
        val companion = Class.forName("dev.clerkkit.sessions.Sessions\$Companion")
        val m = companion.declaredMethods.first { it.name.startsWith("decodeList") && it.parameterCount == 1 }
        m.isAccessible = true
        val instance = Class.forName("dev.clerkkit.sessions.Sessions").getDeclaredField("Companion").also { it.isAccessible = true }.get(null)
        MethodHandles.lookup().unreflect(m).bindTo(instance).asType(MethodType.methodType(SessionPage::class.java, String::class.java))
    }.getOrNull()

    /** [internalDecodeList] or, when unreachable, an exact copy of its code. */
    @JvmStatic
    fun decodeListInternal(text: String): SessionPage {
        val mh = internalDecodeList
        if (mh != null) return mh.invokeExact(text) as SessionPage
        return when (val root = clientJson.parseToJsonElement(text)) {
            is JsonArray -> clientJson.decodeFromJsonElement(sessionList, root).let { SessionPage(it, it.size.toLong()) }
            is JsonObject -> {
                val items = clientJson.decodeFromJsonElement(sessionList, root["data"] as JsonArray)
                SessionPage(items, (root["total_count"] as JsonPrimitive).content.toLong())
            }
            else -> error("bad list")
        }
    }
}
