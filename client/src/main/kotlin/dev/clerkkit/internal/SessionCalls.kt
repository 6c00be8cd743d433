package dev.clerkkit.internal

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.http.ApiCall
import dev.clerkkit.http.ClerkHttp
import dev.clerkkit.http.Replay
import dev.clerkkit.http.pathSegment
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionJson
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionToken
import io.ktor.http.HttpMethod
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * One call, checked and described, not yet sent. [execute] sends it through the client's pipeline (retries, rate
 * budget, typed errors); each [execute] is a new call.
 */
@InternalClerkkitApi
public class PreparedCall<T> internal constructor(
    private val http: ClerkHttp,
    private val call: ApiCall,
    private val options: RequestOptions,
    private val decode: (String) -> T,
) {
    /** Sends the call and decodes its answer. @throws dev.clerkkit.errors.ClerkException when it fails. */
    public suspend fun execute(): T = http.execute(call, options, decode)

    override fun toString(): String = "PreparedCall(${call.operation})"
}

/**
 * The Sessions operations in two steps: each method checks its input and describes the call without suspending
 * (throwing [IllegalArgumentException] at once), and the returned [PreparedCall] does the I/O. The suspend
 * [dev.clerkkit.sessions.Sessions] and the Java facade both run on it, so input errors are the same everywhere and
 * the facade throws them synchronously.
 */
@InternalClerkkitApi
public class SessionCalls internal constructor(private val http: ClerkHttp) {

    /** `GET /sessions` (a bare array). */
    public fun list(params: SessionListParams, options: RequestOptions): PreparedCall<List<Session>> =
        prepare(ApiCall("sessions.list", HttpMethod.Get, listOf(SESSIONS), params.query(paginated = false)), options) {
            SessionJson.decodeList(it).data
        }

    /** `GET /sessions?paginated=true`. */
    public fun listPage(params: SessionListParams, options: RequestOptions): PreparedCall<SessionPage> =
        prepare(ApiCall("sessions.list", HttpMethod.Get, listOf(SESSIONS), params.query(paginated = true)), options, SessionJson::decodeList)

    /** @throws IllegalArgumentException unless [pageSize] is in 1..[SessionListParams.MAX_LIMIT]. */
    public fun checkPageSize(pageSize: Int) {
        require(pageSize in 1..SessionListParams.MAX_LIMIT) { "pageSize must be in 1..${SessionListParams.MAX_LIMIT}, was $pageSize" }
    }

    /** `POST /sessions`. */
    public fun create(userId: String, activeOrganizationId: String?, options: RequestOptions): PreparedCall<Session> {
        require(userId.isNotBlank()) { "userId must not be blank" }
        activeOrganizationId?.let { require(it.isNotBlank()) { "activeOrganizationId must not be blank" } }
        val body = buildJsonObject {
            put("user_id", userId)
            activeOrganizationId?.let { put("active_organization_id", it) }
        }
        return prepare(
            ApiCall("sessions.create", HttpMethod.Post, listOf(SESSIONS), body = body.toString(), replay = Replay.UNSAFE),
            options, SessionJson::decodeSession,
        )
    }

    /** `GET /sessions/{session_id}`. */
    public fun get(sessionId: String, options: RequestOptions): PreparedCall<Session> =
        prepare(ApiCall("sessions.get", HttpMethod.Get, listOf(SESSIONS, pathSegment("sessionId", sessionId))), options, SessionJson.sessionNamed(sessionId))

    /** `POST /sessions/{session_id}/refresh`. */
    public fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions): PreparedCall<SessionRefresh> {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "refresh")
        return prepare(ApiCall("sessions.refresh", HttpMethod.Post, path, body = params.body()), options, SessionJson::decodeRefresh)
    }

    /** `POST /sessions/{session_id}/revoke`. */
    public fun revoke(sessionId: String, options: RequestOptions): PreparedCall<Session> =
        prepare(
            ApiCall("sessions.revoke", HttpMethod.Post, listOf(SESSIONS, pathSegment("sessionId", sessionId), "revoke")),
            options, SessionJson.sessionNamed(sessionId),
        )

    /** `POST /sessions/{session_id}/verify` (deprecated by Clerk). */
    public fun verify(sessionId: String, token: String, options: RequestOptions): PreparedCall<Session> {
        require(token.isNotBlank()) { "token must not be blank" }
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "verify")
        val body = buildJsonObject { put("token", token) }
        return prepare(ApiCall("sessions.verify", HttpMethod.Post, path, body = body.toString()), options, SessionJson.sessionNamed(sessionId))
    }

    /** `POST /sessions/{session_id}/tokens`. */
    public fun createToken(sessionId: String, expiresInSeconds: Long?, options: RequestOptions): PreparedCall<SessionToken> {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "tokens")
        return prepare(ApiCall("sessions.createToken", HttpMethod.Post, path, body = lifetimeBody(expiresInSeconds)), options, SessionJson::decodeToken)
    }

    /** `POST /sessions/{session_id}/tokens/{template_name}`. */
    public fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long?,
        options: RequestOptions,
    ): PreparedCall<SessionToken> {
        val path = listOf(SESSIONS, pathSegment("sessionId", sessionId), "tokens", pathSegment("templateName", templateName))
        return prepare(
            ApiCall("sessions.createTokenFromTemplate", HttpMethod.Post, path, body = lifetimeBody(expiresInSeconds)),
            options, SessionJson::decodeToken,
        )
    }

    private fun <T> prepare(call: ApiCall, options: RequestOptions, decode: (String) -> T) = PreparedCall(http, call, options, decode)

    private fun lifetimeBody(expiresInSeconds: Long?): String? {
        expiresInSeconds ?: return null
        require(expiresInSeconds in MIN_TOKEN_LIFETIME..MAX_TOKEN_LIFETIME) {
            "expiresInSeconds must be in $MIN_TOKEN_LIFETIME..$MAX_TOKEN_LIFETIME, was $expiresInSeconds"
        }
        return buildJsonObject { put("expires_in_seconds", expiresInSeconds) }.toString()
    }

    private companion object {
        const val SESSIONS = "sessions"
        const val MIN_TOKEN_LIFETIME = 30L
        const val MAX_TOKEN_LIFETIME = 315_360_000L
    }
}

/** The two-step Sessions operations of [client] (for clerkkit's Java facade). */
@InternalClerkkitApi
public fun sessionCalls(client: ClerkClient): SessionCalls = client.sessionCalls
