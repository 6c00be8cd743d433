package dev.clerkkit.bench

import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.SandboxConfig
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable
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

    /** The Json configuration of a bare kotlinx decode (the ceiling): unknown keys ignored, absent nulls allowed. */
    @JvmField
    val clientJson: Json = Json {
        ignoreUnknownKeys = true
        explicitNulls = false
    }

    private val sessionList = ListSerializer(KotlinxSession.serializer())

    /**
     * The ceiling: kotlinx's generated serializer for the same session shape ([KotlinxSession], a data class that drops
     * unknown fields), straight from the string (no JsonElement tree).
     */
    @JvmStatic
    fun decodeListDirect(text: String): List<KotlinxSession> = clientJson.decodeFromString(sessionList, text)

    /** One session, decoded the same way as [decodeListDirect]. */
    @JvmStatic
    fun decodeSessionDirect(text: String): KotlinxSession = clientJson.decodeFromString(KotlinxSession.serializer(), text)

    /**
     * clerkkit's own internal `SessionJson.decodeList` (what `list`, `listPage` and `listAll` run), reached by
     * reflection because it is `internal`. Null if its name changed.
     */
    @JvmStatic
    val internalDecodeList: MethodHandle? = runCatching {
        val owner = Class.forName("dev.clerkkit.sessions.SessionJson")
        val m = owner.declaredMethods.first { it.name.startsWith("decodeList") && it.parameterCount == 1 }
        m.isAccessible = true
        val instance = owner.getDeclaredField("INSTANCE").also { it.isAccessible = true }.get(null)
        MethodHandles.lookup().unreflect(m).bindTo(instance).asType(MethodType.methodType(SessionPage::class.java, String::class.java))
    }.getOrNull()

    /** [internalDecodeList]. @throws IllegalStateException when it is unreachable (renamed). */
    @JvmStatic
    fun decodeListInternal(text: String): SessionPage {
        val mh = internalDecodeList ?: error("dev.clerkkit.sessions.SessionJson.decodeList not found: update Fixtures")
        return mh.invokeExact(text) as SessionPage
    }
}

/*
 * The Sessions wire shape as kotlinx-generated serializers decode it (unknown fields dropped): the bench's ceiling
 * for decoding, and the model of the bare Ktor driver (d). clerkkit's public models are not @Serializable.
 */

/** `Session`. */
@Serializable
class KotlinxSession(
    @SerialName("object") val objectType: String = "session",
    val id: String,
    @SerialName("user_id") val userId: String,
    @SerialName("client_id") val clientId: String,
    val actor: JsonObject? = null,
    val status: String,
    @SerialName("last_active_organization_id") val lastActiveOrganizationId: String? = null,
    @SerialName("last_active_at") val lastActiveAt: Long,
    @SerialName("latest_activity") val latestActivity: KotlinxActivity? = null,
    @SerialName("expire_at") val expireAt: Long,
    @SerialName("abandon_at") val abandonAt: Long,
    @SerialName("updated_at") val updatedAt: Long,
    @SerialName("created_at") val createdAt: Long,
    val tasks: List<KotlinxTask>? = null,
)

/** `SessionActivityResponse`. */
@Serializable
class KotlinxActivity(
    @SerialName("object") val objectType: String,
    val id: String,
    @SerialName("is_mobile") val isMobile: Boolean,
    @SerialName("device_type") val deviceType: String? = null,
    @SerialName("browser_name") val browserName: String? = null,
    @SerialName("browser_version") val browserVersion: String? = null,
    @SerialName("ip_address") val ipAddress: String? = null,
    val city: String? = null,
    val country: String? = null,
)

/** `SessionTask`. */
@Serializable
class KotlinxTask(val key: String)
