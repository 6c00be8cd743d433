package dev.clerkkit.testkit.internal

import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.time.Clock

/** One stored session; mutable fields change only under [SessionStore.lock]. */
internal class SessionRecord(
    val id: String,
    val userId: String,
    val clientId: String,
    var status: String,
    var lastActiveOrganizationId: String?,
    var lastActiveAt: Long,
    val latestActivity: JsonObject?,
    val expireAt: Long,
    val abandonAt: Long,
    var updatedAt: Long,
    val createdAt: Long,
    val sequence: Long,
) {
    /** The Session schema; [withTasks] adds `tasks` (absent from API versions up to 2024-10-01). */
    fun toJson(withTasks: Boolean): JsonObject = buildJsonObject {
        put("object", "session")
        put("id", id)
        put("user_id", userId)
        put("client_id", clientId)
        put("actor", JsonNull)
        put("status", status)
        put("last_active_organization_id", lastActiveOrganizationId?.let { JsonPrimitive(it) } ?: JsonNull)
        put("last_active_at", lastActiveAt)
        put("latest_activity", latestActivity ?: JsonNull)
        put("expire_at", expireAt)
        put("abandon_at", abandonAt)
        put("updated_at", updatedAt)
        put("created_at", createdAt)
        if (withTasks) put("tasks", JsonArray(emptyList()))
    }
}

/** A JWT template: extra claims and a default lifetime. */
internal class JwtTemplate(val claims: JsonObject, val lifetimeSeconds: Long)

/**
 * The sandbox's in-memory state: users, clients, sessions and JWT templates, guarded by one [lock].
 *
 * Session statuses follow the [clock] lazily: every read path calls [refresh], which turns an `active` session whose
 * `expire_at` has passed into `expired`.
 */
internal class SessionStore(private val clock: Clock) {
    val lock = Any()
    private val users = LinkedHashSet<String>()
    private val clients = LinkedHashSet<String>()
    private val sessions = LinkedHashMap<String, SessionRecord>()
    private val templates = LinkedHashMap<String, JwtTemplate>()
    private var sequence = 0L

    fun now(): Long = clock.millis()

    fun addUser(id: String): String = synchronized(lock) { users.add(id); id }

    fun addClient(id: String): String = synchronized(lock) { clients.add(id); id }

    fun hasUser(id: String): Boolean = synchronized(lock) { id in users }

    fun users(): List<String> = synchronized(lock) { users.toList() }

    fun addSession(
        userId: String,
        clientId: String?,
        status: String,
        lastActiveOrganizationId: String?,
        createdAtMillis: Long?,
        id: String?,
        latestActivity: JsonObject?,
    ): SessionRecord {
        require(status in SESSION_STATUSES) { "status must be one of $SESSION_STATUSES, was $status" }
        synchronized(lock) {
            users.add(userId)
            val client = clientId ?: ClerkJson.id("client_")
            clients.add(client)
            val created = createdAtMillis ?: now()
            val sessionId = id ?: ClerkJson.id("sess_")
            val record = SessionRecord(
                id = sessionId,
                userId = userId,
                clientId = client,
                status = status,
                lastActiveOrganizationId = lastActiveOrganizationId,
                lastActiveAt = created,
                latestActivity = latestActivity,
                expireAt = created + SESSION_LIFETIME_MS,
                abandonAt = created + ABANDON_AFTER_MS,
                updatedAt = created,
                createdAt = created,
                sequence = ++sequence,
            )
            sessions[sessionId] = record
            return record
        }
    }

    /** Sets a session's status (bumping `updated_at`); `false` if it does not exist. */
    fun setStatus(id: String, status: String): Boolean {
        require(status in SESSION_STATUSES) { "status must be one of $SESSION_STATUSES, was $status" }
        synchronized(lock) {
            val s = sessions[id] ?: return false
            s.status = status
            s.updatedAt = now()
            return true
        }
    }

    /** The session [id], refreshed against the clock, or `null`. */
    fun find(id: String): SessionRecord? = synchronized(lock) { sessions[id]?.also { refresh(it) } }

    /** The session [id] without refreshing it (for signing tokens), or `null`. */
    fun peek(id: String): SessionRecord? = synchronized(lock) { sessions[id] }

    /** Runs [block] under the lock on the refreshed session [id]; `404` when it does not exist. */
    fun <T> withSession(id: String, block: (SessionRecord) -> T): T = synchronized(lock) {
        val s = sessions[id] ?: throw ApiError.sessionNotFound(id)
        refresh(s)
        block(s)
    }

    /** All sessions, refreshed, newest first (ties: last created first). */
    fun sorted(): List<SessionRecord> = synchronized(lock) {
        sessions.values.sortedWith(compareByDescending<SessionRecord> { it.createdAt }.thenByDescending { it.sequence })
            .onEach { refresh(it) }
    }

    /** Runs [block] under the lock (for multi-step updates of a record). */
    fun <T> locked(block: () -> T): T = synchronized(lock) { block() }

    fun putTemplate(name: String, template: JwtTemplate) {
        synchronized(lock) { templates[name] = template }
    }

    fun template(name: String): JwtTemplate? = synchronized(lock) { templates[name] }

    private fun refresh(s: SessionRecord) {
        if (s.status == "active" && now() >= s.expireAt) {
            s.status = "expired"
            s.updatedAt = s.expireAt
        }
    }

    companion object {
        const val SESSION_LIFETIME_MS = 7L * 24 * 3_600_000
        const val ABANDON_AFTER_MS = 30L * 24 * 3_600_000
        val SESSION_STATUSES = setOf("active", "revoked", "ended", "expired", "removed", "abandoned", "replaced", "pending")
    }
}
