package dev.clerkkit.testkit

import com.nimbusds.jwt.JWTClaimsSet
import dev.clerkkit.testkit.internal.After
import dev.clerkkit.testkit.internal.ClerkJson
import dev.clerkkit.testkit.internal.HttpServer
import dev.clerkkit.testkit.internal.RawRequest
import dev.clerkkit.testkit.internal.Reply
import dev.clerkkit.testkit.internal.SelfSignedTls
import dev.clerkkit.testkit.internal.SigningKeys
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.contentOrNull
import kotlinx.serialization.json.put
import java.net.URLDecoder
import java.security.KeyStore
import java.security.cert.X509Certificate
import java.time.Instant
import java.time.ZoneOffset
import java.time.format.DateTimeFormatter
import java.util.Base64
import java.util.Date
import java.util.Locale
import javax.net.ssl.SSLContext

/**
 * A local, in-memory server that behaves like the Sessions resource of Clerk's Backend API (`/v1/sessions*` and
 * `/v1/jwks`), for real-socket tests, users' tests and offline demos.
 *
 * Behaviour follows Clerk's published OpenAPI description (API versions 2026-05-12 and, for `verify`, 2024-10-01)
 * plus what the live service does beyond it: timestamps are epoch milliseconds from [SandboxConfig.clock],
 * `GET /v1/sessions?paginated=true` answers `{"data":[...],"total_count":N}`, `429`/`503` fault answers may carry
 * `Retry-After`, and every error body is `{"errors":[{message,long_message,code,meta?}],"meta":{},"clerk_trace_id":...}`.
 * Every response has `Content-Type: application/json`.
 *
 * Requests must carry `Authorization: Bearer <secretKey>` (else `401 authentication_invalid`), except that scripted
 * [faults] are applied before authentication.
 *
 * Design: HTTP is served by a small blocking HTTP/1.1 server on `java.net` sockets (one thread per connection),
 * not Ktor, so that connection-level behaviour (keep-alive idle close, `Connection: close`, TCP resets, truncated
 * bodies) and connection statistics are fully controllable. HTTPS, when enabled, uses a self-signed certificate
 * generated at start; trust it through [trustStore], [certificate] or [clientSslContext].
 *
 * Session statuses follow the clock lazily: an `active` session whose `expire_at` has passed is served as `expired`.
 *
 * Start with [start]; stop with [close] (it is [AutoCloseable]).
 */
public class ClerkSandbox private constructor(
    /** The configuration this sandbox was started with. */
    public val config: SandboxConfig,
) : AutoCloseable {

    private val lock = Any()
    private val users = LinkedHashSet<String>()
    private val clients = LinkedHashSet<String>()
    private val sessions = LinkedHashMap<String, SessionRecord>()
    private val templates = LinkedHashMap<String, JwtTemplate>()
    private var sequence = 0L
    private val keys = SigningKeys()
    private val tls: SelfSignedTls? = if (config.https) SelfSignedTls() else null
    private val recorded = ArrayDeque<RecordedRequest>()

    /** Fault injection controls; see [Faults]. */
    public val faults: Faults = Faults()

    /** Connection and request counters; see [SandboxStats]. */
    public val stats: SandboxStats = SandboxStats()

    /** When `true`, `POST /v1/sessions/{id}/verify` answers `410` with a Clerk error body (code `deprecated_endpoint`). */
    @Volatile
    public var verifyGone: Boolean = config.verifyGone

    private val server = HttpServer(
        config.host,
        config.port,
        tls?.serverContext,
        { faults.idleTimeoutMillis ?: config.idleTimeoutMillis },
        stats,
        ::handle,
    )

    /** The TCP port the server listens on. */
    public val port: Int = server.port

    /** Base URL including the `/v1` prefix, e.g. `http://127.0.0.1:54321/v1` (`https://` when TLS is on). */
    public val baseUrl: String = "${if (config.https) "https" else "http"}://${hostForUrl(config.host)}:$port/v1"

    /** The secret key clients must send as a bearer token. */
    public val secretKey: String get() = config.secretKey

    /** The issuer (`iss`) of the JWTs this sandbox signs. */
    public val issuer: String get() = config.issuer

    /** The self-signed server certificate when HTTPS is on, else `null`. */
    public val certificate: X509Certificate? get() = tls?.certificate

    /** The server certificate as PEM text when HTTPS is on, else `null`. */
    public val certificatePem: String?
        get() = tls?.certificate?.let {
            "-----BEGIN CERTIFICATE-----\n" +
                Base64.getMimeEncoder(64, "\n".toByteArray()).encodeToString(it.encoded) +
                "\n-----END CERTIFICATE-----\n"
        }

    /** A PKCS12 trust store holding only [certificate] when HTTPS is on, else `null`. */
    public val trustStore: KeyStore? get() = tls?.trustStore

    /** A client `SSLContext` that trusts exactly [certificate] (hostname checks stay on), or `null` without HTTPS. */
    public fun clientSslContext(): SSLContext? = tls?.clientContext()

    /**
     * Requests received so far, in arrival order (a snapshot; at most [SandboxConfig.maxRecordedRequests], the
     * oldest are dropped first).
     */
    public val requests: List<RecordedRequest> get() = synchronized(recorded) { recorded.toList() }

    /** Forgets the recorded [requests]. */
    public fun clearRecordedRequests() {
        synchronized(recorded) { recorded.clear() }
    }

    /** The key id (`kid`) currently used to sign JWTs. */
    public val activeKeyId: String get() = keys.active.keyID

    /** The JWKS document (`{"keys":[...]}`) as served by `GET /v1/jwks`. */
    public fun jwks(): JsonObject = ClerkJson.json.parseToJsonElement(keys.jwksJson()) as JsonObject

    /** The JWKS document as JSON text. */
    public fun jwksJson(): String = keys.jwksJson()

    init {
        if (config.demoData) seedDemoData()
    }

    // ---------------------------------------------------------------- state seeding

    /** Registers a user and returns its id (generated as `user_...` when not given). */
    @JvmOverloads
    public fun addUser(id: String = ClerkJson.id("user_")): String = synchronized(lock) { users.add(id); id }

    /** Registers a client and returns its id (generated as `client_...` when not given). */
    @JvmOverloads
    public fun addClient(id: String = ClerkJson.id("client_")): String = synchronized(lock) { clients.add(id); id }

    /**
     * Seeds a session directly and returns its id. Unknown [userId]/[clientId] are registered on the fly; a `null`
     * [clientId] creates a new client. [status] must be one of the Session schema's statuses. Timestamps default to
     * the clock's now; `expire_at` is `createdAt + 7 days`, `abandon_at` is `createdAt + 30 days`.
     */
    @JvmOverloads
    public fun addSession(
        userId: String,
        clientId: String? = null,
        status: String = "active",
        lastActiveOrganizationId: String? = null,
        createdAtMillis: Long? = null,
        id: String? = null,
        withLatestActivity: Boolean = false,
    ): String {
        require(status in SESSION_STATUSES) { "status must be one of $SESSION_STATUSES, was $status" }
        synchronized(lock) {
            users.add(userId)
            val client = clientId ?: ClerkJson.id("client_")
            clients.add(client)
            val created = createdAtMillis ?: now()
            val sessionId = id ?: ClerkJson.id("sess_")
            sessions[sessionId] = SessionRecord(
                id = sessionId,
                userId = userId,
                clientId = client,
                status = status,
                lastActiveOrganizationId = lastActiveOrganizationId,
                lastActiveAt = created,
                latestActivity = if (withLatestActivity) demoActivity() else null,
                expireAt = created + SESSION_LIFETIME_MS,
                abandonAt = created + ABANDON_AFTER_MS,
                updatedAt = created,
                createdAt = created,
                sequence = ++sequence,
            )
            return sessionId
        }
    }

    /** Sets a session's status directly (bumping `updated_at`); returns `false` if the session does not exist. */
    public fun setSessionStatus(id: String, status: String): Boolean {
        require(status in SESSION_STATUSES) { "status must be one of $SESSION_STATUSES, was $status" }
        synchronized(lock) {
            val s = sessions[id] ?: return false
            s.status = status
            s.updatedAt = now()
            return true
        }
    }

    /** The session [id] as `GET /v1/sessions/{id}` would serve it, or `null`. */
    public fun session(id: String): JsonObject? = synchronized(lock) { sessions[id]?.let { refresh(it); it.toJson(true) } }

    /** [session] as JSON text (handy from Java), or `null`. */
    public fun sessionJson(id: String): String? = session(id)?.toString()

    /** All sessions as served, newest first. */
    public fun sessions(): List<JsonObject> = synchronized(lock) {
        sortedSessions().map { refresh(it); it.toJson(true) }
    }

    /**
     * Defines (or replaces) the JWT template [name]. Its [claims] are added to tokens from
     * `POST /v1/sessions/{id}/tokens/{name}`; string values `{{user.id}}` and `{{session.id}}` are substituted.
     * Standard claims (`iss`, `sub`, `sid`, `iat`, `nbf`, `exp`, `azp`) cannot be overridden.
     */
    @JvmOverloads
    public fun addJwtTemplate(name: String, claims: Map<String, Any?>, lifetimeSeconds: Long = 60) {
        addJwtTemplate(name, ClerkJson.toJson(claims) as JsonObject, lifetimeSeconds)
    }

    /** [addJwtTemplate] with claims given as a [JsonObject]. */
    @JvmOverloads
    public fun addJwtTemplate(name: String, claims: JsonObject, lifetimeSeconds: Long = 60) {
        require(lifetimeSeconds > 0) { "lifetimeSeconds must be > 0" }
        synchronized(lock) { templates[name] = JwtTemplate(claims, lifetimeSeconds) }
    }

    /**
     * Generates a new RS256 signing key and makes it active (new tokens carry its `kid`). Older keys stay published
     * in `GET /v1/jwks` and keep verifying until [removeOldSigningKeys]. Returns the new key id.
     */
    public fun rotateSigningKey(): String = keys.rotate()

    /** Unpublishes every signing key except the active one. */
    public fun removeOldSigningKeys() {
        keys.retireOld()
    }

    /**
     * Signs a session token for [sessionId] as `POST /v1/sessions/{id}/tokens` would (without HTTP), with `iat` =
     * now + [issuedAtOffsetSeconds] (negative values make already-expired tokens, e.g. for refresh tests).
     */
    @JvmOverloads
    public fun issueToken(sessionId: String, lifetimeSeconds: Long = config.defaultTokenLifetimeSeconds, issuedAtOffsetSeconds: Long = 0): String {
        val s = synchronized(lock) { sessions[sessionId] } ?: throw IllegalArgumentException("unknown session $sessionId")
        return sign(s, null, lifetimeSeconds, issuedAtOffsetSeconds)
    }

    /** Seeds a few users, clients and sessions in various statuses (active, revoked, ended, expired, abandoned). */
    public fun seedDemoData() {
        val alice = addUser("user_demo_alice")
        val bob = addUser("user_demo_bob")
        val carol = addUser("user_demo_carol")
        val laptop = addClient("client_demo_alice_laptop")
        val phone = addClient("client_demo_alice_phone")
        val t = now()
        val hour = 3_600_000L
        addSession(alice, laptop, "active", "org_demo_acme", t - 2 * hour, "sess_demo_alice_laptop", true)
        addSession(alice, phone, "active", null, t - 3 * hour, "sess_demo_alice_phone", true)
        addSession(alice, laptop, "revoked", null, t - 24 * hour, "sess_demo_alice_revoked")
        addSession(bob, null, "active", null, t - hour, "sess_demo_bob", true)
        addSession(bob, null, "ended", null, t - 48 * hour, "sess_demo_bob_ended")
        addSession(carol, null, "expired", null, t - 8 * 24 * hour, "sess_demo_carol_expired")
        addSession(carol, null, "abandoned", null, t - 40 * 24 * hour, "sess_demo_carol_abandoned")
        addJwtTemplate("demo", mapOf("email" to "alice@example.test", "role" to "admin", "uid" to "{{user.id}}"))
    }

    /** Stops the server and closes every open connection. */
    override fun close() {
        server.close()
    }

    override fun toString(): String = "ClerkSandbox(baseUrl=$baseUrl)"

    // ---------------------------------------------------------------- HTTP handling

    private fun handle(raw: RawRequest): Reply {
        val segments = decodeSegments(raw.rawPath)
        val (route, params) = Route.match(raw.method, segments)
        if (config.maxRecordedRequests > 0) {
            val r = RecordedRequest(raw.connectionId, raw.method, raw.rawPath, raw.query, raw.headers, raw.body.toString(Charsets.UTF_8), route)
            synchronized(recorded) {
                recorded.addLast(r)
                while (recorded.size > config.maxRecordedRequests) recorded.removeFirst()
            }
        }
        stats.requestReceived(raw.connectionId, route)
        val limit = faults.maxRequestsPerConnection
        val after = if (faults.alwaysCloseConnections || (limit != null && stats.requestsOn(raw.connectionId) >= limit)) {
            After.CLOSE
        } else {
            After.KEEP
        }
        return when (val fault = faults.next(route, raw.method, raw.rawPath)) {
            null -> normal(raw, route, params, after)
            is Fault.Status -> {
                val headers = fault.retryAfter?.let { listOf("Retry-After" to retryAfterValue(it)) } ?: emptyList()
                val body = ClerkJson.errors(
                    ClerkJson.defaultCode(fault.status),
                    ClerkJson.defaultMessage(fault.status),
                    "The sandbox answered ${fault.status} because a fault was injected.",
                )
                Reply.Respond(fault.status, body.toString().toByteArray(), headers, after)
            }
            is Fault.Delay -> {
                Thread.sleep(fault.millis)
                normal(raw, route, params, after)
            }
            Fault.Drop -> Reply.Drop
            Fault.Reset -> Reply.Reset
            Fault.TruncatedBody -> (normal(raw, route, params, After.CLOSE) as Reply.Respond).let {
                Reply.Respond(it.status, it.body, it.headers, After.CLOSE, truncate = true)
            }
            Fault.MalformedJson -> Reply.Respond(200, "{\"object\":\"session\",\"id\":\"sess_".toByteArray(), emptyList(), after)
            Fault.ConnectionClose -> normal(raw, route, params, After.CLOSE)
            Fault.ResetAfterResponse -> normal(raw, route, params, After.RESET)
            is Fault.Respond -> Reply.Respond(fault.status, fault.body.toByteArray(), fault.headers, after)
        }
    }

    private fun retryAfterValue(r: RetryAfter): String = when (r) {
        is RetryAfter.Seconds -> r.seconds.toString()
        is RetryAfter.HttpDate -> IMF_FIXDATE.format(r.at.atOffset(ZoneOffset.UTC))
    }

    private fun normal(raw: RawRequest, route: Route, params: Map<String, String>, after: After): Reply {
        val result: Pair<Int, JsonElement> = try {
            if (!authorized(raw)) {
                401 to ClerkJson.errors(
                    "authentication_invalid",
                    "Invalid authentication",
                    "Unable to authenticate the request, you need to supply an active API key",
                )
            } else {
                dispatch(raw, route, params)
            }
        } catch (e: ApiError) {
            e.status to ClerkJson.errors(e.code, e.message ?: ClerkJson.defaultMessage(e.status), e.longMessage, e.meta)
        }
        return Reply.Respond(result.first, result.second.toString().toByteArray(), emptyList(), after)
    }

    private fun authorized(raw: RawRequest): Boolean {
        val header = raw.header("Authorization") ?: return false
        if (!header.startsWith("Bearer ", ignoreCase = true)) return false
        return header.substring(7).trim() == config.secretKey
    }

    private fun dispatch(raw: RawRequest, route: Route, params: Map<String, String>): Pair<Int, JsonElement> = when (route) {
        Route.LIST_SESSIONS -> 200 to listSessions(parseQuery(raw.query))
        Route.CREATE_SESSION -> 200 to createSession(jsonBody(raw, required = true)!!)
        Route.GET_SESSION -> 200 to withSession(params.getValue("session_id")) { it.toJson(true) }
        Route.REVOKE_SESSION -> 200 to withSession(params.getValue("session_id")) {
            it.status = "revoked"
            it.updatedAt = now()
            it.toJson(true)
        }
        Route.CREATE_TOKEN -> 200 to createToken(params.getValue("session_id"), null, jsonBody(raw, required = false))
        Route.CREATE_TOKEN_FROM_TEMPLATE ->
            200 to createToken(params.getValue("session_id"), params.getValue("template_name"), jsonBody(raw, required = false))
        Route.REFRESH_SESSION -> 200 to refreshSession(params.getValue("session_id"), raw)
        Route.VERIFY_SESSION -> 200 to verifySession(params.getValue("session_id"), raw)
        Route.JWKS -> 200 to jwks()
        Route.UNKNOWN -> throw ApiError(404, "resource_not_found", "Resource not found", "No route matches ${raw.method} ${raw.rawPath}")
    }

    private fun listSessions(query: Map<String, String>): JsonElement {
        fun intParam(name: String, default: Int, range: IntRange): Int {
            val v = query[name] ?: return default
            val n = v.toIntOrNull()
            if (n == null || n !in range) {
                throw ApiError(
                    422,
                    "form_param_value_invalid",
                    "is invalid",
                    "$name must be an integer between ${range.first} and ${if (range.last == Int.MAX_VALUE) "infinity" else range.last.toString()}",
                    ClerkJson.metaParam(name),
                )
            }
            return n
        }
        val limit = intParam("limit", 10, 1..500)
        val offset = intParam("offset", 0, 0..Int.MAX_VALUE)
        val paginated = when (val p = query["paginated"]) {
            null, "false" -> false
            "true" -> true
            else -> throw ApiError(422, "form_param_value_invalid", "is invalid", "paginated must be true or false, was '$p'", ClerkJson.metaParam("paginated"))
        }
        val status = query["status"]
        if (status != null && status !in LIST_STATUSES) {
            throw ApiError(
                422,
                "form_param_value_invalid",
                "is invalid",
                "status must be one of ${LIST_STATUSES.joinToString(", ")}",
                ClerkJson.metaParam("status"),
            )
        }
        val clientId = query["client_id"]
        val userId = query["user_id"]
        return synchronized(lock) {
            val matching = sortedSessions().onEach { refresh(it) }.filter {
                (clientId == null || it.clientId == clientId) &&
                    (userId == null || it.userId == userId) &&
                    (status == null || it.status == status)
            }
            val page = JsonArray(matching.drop(offset).take(limit).map { it.toJson(true) })
            if (paginated) {
                buildJsonObject {
                    put("data", page)
                    put("total_count", matching.size)
                }
            } else {
                page
            }
        }
    }

    private fun createSession(body: JsonObject): JsonElement {
        val userId = stringField(body, "user_id")
            ?: throw ApiError(422, "form_param_missing", "missing required parameter", "user_id must be included.", ClerkJson.metaParam("user_id"))
        val org = stringField(body, "active_organization_id")
        synchronized(lock) {
            if (userId !in users) {
                throw ApiError(404, "resource_not_found", "not found", "No user was found with id $userId", ClerkJson.metaParam("user_id"))
            }
            val id = addSession(userId, null, "active", org)
            return sessions.getValue(id).toJson(true)
        }
    }

    private fun createToken(sessionId: String, templateName: String?, body: JsonObject?): JsonElement {
        val expiresIn: Long? = body?.get("expires_in_seconds")?.let { e ->
            if (e is JsonNull) return@let null
            val n = (e as? JsonPrimitive)?.takeIf { !it.isString }?.content?.toLongOrNull()
            if (n == null || n !in 30..315_360_000L) {
                throw ApiError(
                    422,
                    "form_param_value_invalid",
                    "is invalid",
                    "expires_in_seconds must be an integer between 30 and 315360000",
                    ClerkJson.metaParam("expires_in_seconds"),
                )
            }
            n
        }
        val session = synchronized(lock) {
            val s = sessions[sessionId] ?: throw notFound(sessionId)
            refresh(s)
            if (s.status != "active") {
                throw ApiError(404, "resource_not_found", "not found", "No active session was found with id $sessionId")
            }
            s
        }
        val template = templateName?.let {
            synchronized(lock) { templates[it] }
                ?: throw ApiError(404, "resource_not_found", "not found", "No JWT template exists with name: $it", ClerkJson.metaParam("template_name"))
        }
        val lifetime = expiresIn ?: template?.lifetimeSeconds ?: config.defaultTokenLifetimeSeconds
        return tokenJson(sign(session, template, lifetime, 0))
    }

    private fun tokenJson(jwt: String): JsonObject = buildJsonObject {
        put("object", "token")
        put("jwt", jwt)
    }

    private fun sign(session: SessionRecord, template: JwtTemplate?, lifetimeSeconds: Long, iatOffsetSeconds: Long): String {
        val nowSeconds = now() / 1000 + iatOffsetSeconds
        val b = JWTClaimsSet.Builder()
        template?.claims?.forEach { (k, v) ->
            if (k !in RESERVED_CLAIMS) b.claim(k, ClerkJson.toJava(substitute(v, session)))
        }
        b.issuer(config.issuer)
            .subject(session.userId)
            .claim("sid", session.id)
            .issueTime(Date(nowSeconds * 1000))
            .notBeforeTime(Date((nowSeconds - NBF_SKEW_SECONDS) * 1000))
            .expirationTime(Date((nowSeconds + lifetimeSeconds) * 1000))
        config.authorizedParty?.let { b.claim("azp", it) }
        return keys.sign(b.build())
    }

    private fun substitute(v: JsonElement, s: SessionRecord): JsonElement = when {
        v is JsonPrimitive && v.isString ->
            JsonPrimitive(v.content.replace("{{user.id}}", s.userId).replace("{{session.id}}", s.id))
        v is JsonObject -> JsonObject(v.mapValues { substitute(it.value, s) })
        v is JsonArray -> JsonArray(v.map { substitute(it, s) })
        else -> v
    }

    private fun refreshSession(sessionId: String, raw: RawRequest): JsonElement {
        val body = jsonBody(raw, required = true)!!
        val unknown = body.keys - REFRESH_FIELDS
        if (unknown.isNotEmpty()) {
            val name = unknown.first()
            throw ApiError(400, "form_param_unknown", "is unknown", "$name is not a valid parameter for this request.", ClerkJson.metaParam(name))
        }
        for (name in listOf("expired_token", "refresh_token", "request_origin")) {
            if (stringField(body, name).isNullOrEmpty()) {
                throw ApiError(400, "form_param_missing", "missing required parameter", "$name must be included.", ClerkJson.metaParam(name))
            }
        }
        val format = when (val f = body["format"]) {
            null, JsonNull -> "token"
            else -> (f as? JsonPrimitive)?.takeIf { it.isString }?.content
        }
        if (format != "token" && format != "cookie") {
            throw ApiError(400, "form_param_value_invalid", "is invalid", "format must be one of: token, cookie", ClerkJson.metaParam("format"))
        }
        val claims = keys.verify(stringField(body, "expired_token")!!)
        val session = synchronized(lock) {
            sessions[sessionId]?.also { refresh(it) }
        }
        if (claims == null || claims.getStringClaim("sid") != sessionId || session == null || session.status != "active" ||
            claims.subject != session.userId
        ) {
            throw ApiError(
                401,
                "authentication_invalid",
                "Invalid session refresh",
                "The expired_token is not a valid session token for session $sessionId, or the session is not active.",
            )
        }
        val jwt = sign(session, null, config.defaultTokenLifetimeSeconds, 0)
        synchronized(lock) {
            session.lastActiveAt = now()
            session.updatedAt = now()
        }
        return if (format == "token") {
            tokenJson(jwt)
        } else {
            buildJsonObject {
                put("object", "cookies")
                put(
                    "cookies",
                    buildJsonArray {
                        add(JsonPrimitive("__session=$jwt; Path=/; Secure; SameSite=Lax"))
                        add(JsonPrimitive("__client_uat=${now() / 1000}; Path=/; Max-Age=315360000; Secure; SameSite=Lax"))
                    },
                )
            }
        }
    }

    private fun verifySession(sessionId: String, raw: RawRequest): JsonElement {
        if (verifyGone) {
            throw ApiError(
                410,
                "deprecated_endpoint",
                "Endpoint deprecated",
                "The verify endpoint is deprecated and no longer available. Use networkless session token verification.",
            )
        }
        val body = jsonBody(raw, required = true)!!
        val unknown = body.keys - setOf("token")
        if (unknown.isNotEmpty()) {
            val name = unknown.first()
            throw ApiError(400, "form_param_unknown", "is unknown", "$name is not a valid parameter for this request.", ClerkJson.metaParam(name))
        }
        val token = stringField(body, "token")
            ?: throw ApiError(400, "form_param_missing", "missing required parameter", "token must be included.", ClerkJson.metaParam("token"))
        synchronized(lock) {
            val s = sessions[sessionId] ?: throw notFound(sessionId)
            refresh(s)
            val claims = keys.verify(token)
            if (claims == null || claims.getStringClaim("sid") != sessionId || claims.subject != s.userId) {
                throw ApiError(401, "authentication_invalid", "Invalid session token", "The token is not a valid session token for session $sessionId.")
            }
            val nowMs = now()
            if (claims.expirationTime == null || claims.expirationTime.time <= nowMs) {
                throw ApiError(401, "authentication_invalid", "Session token expired", "The session token has expired.")
            }
            if (s.status != "active") {
                throw ApiError(401, "authentication_invalid", "Session not active", "Session $sessionId is ${s.status}.")
            }
            // The 2024-10-01 Session schema has no `tasks` field (and forbids additional properties).
            return s.toJson(false)
        }
    }

    private fun <T> withSession(id: String, block: (SessionRecord) -> T): T = synchronized(lock) {
        val s = sessions[id] ?: throw notFound(id)
        refresh(s)
        block(s)
    }

    private fun notFound(id: String) =
        ApiError(404, "resource_not_found", "not found", "No session was found with id $id", ClerkJson.metaParam("session_id"))

    private fun jsonBody(raw: RawRequest, required: Boolean): JsonObject? {
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

    private fun stringField(body: JsonObject, name: String): String? {
        val e = body[name] ?: return null
        if (e is JsonNull) return null
        return (e as? JsonPrimitive)?.takeIf { it.isString }?.contentOrNull
            ?: throw ApiError(422, "form_param_value_invalid", "is invalid", "$name must be a string.", ClerkJson.metaParam(name))
    }

    private fun parseQuery(query: String?): Map<String, String> {
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

    private fun decodeSegments(rawPath: String): List<String>? {
        if (!rawPath.startsWith("/v1/")) return null
        return try {
            rawPath.removePrefix("/v1/").split('/').map { percentDecode(it) }
        } catch (_: IllegalArgumentException) {
            null
        }
    }

    private fun percentDecode(s: String): String {
        if ('%' !in s) return s
        val bytes = java.io.ByteArrayOutputStream()
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

    private fun now(): Long = config.clock.millis()

    private fun refresh(s: SessionRecord) {
        if (s.status == "active" && now() >= s.expireAt) {
            s.status = "expired"
            s.updatedAt = s.expireAt
        }
    }

    private fun sortedSessions(): List<SessionRecord> =
        sessions.values.sortedWith(compareByDescending<SessionRecord> { it.createdAt }.thenByDescending { it.sequence })

    private fun demoActivity(): JsonObject = buildJsonObject {
        put("object", "session_activity")
        put("id", ClerkJson.id("sess_activity_"))
        put("device_type", "Macintosh")
        put("is_mobile", false)
        put("browser_name", "Chrome")
        put("browser_version", "130.0.0.0")
        put("ip_address", "127.0.0.1")
        put("city", "Sandbox")
        put("country", "ZZ")
    }

    private class SessionRecord(
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

    private class JwtTemplate(val claims: JsonObject, val lifetimeSeconds: Long)

    private class ApiError(
        val status: Int,
        val code: String,
        message: String,
        val longMessage: String,
        val meta: JsonObject? = null,
    ) : RuntimeException(message)

    /** Factories. */
    public companion object {
        private const val SESSION_LIFETIME_MS = 7L * 24 * 3_600_000
        private const val ABANDON_AFTER_MS = 30L * 24 * 3_600_000
        private const val NBF_SKEW_SECONDS = 10L
        private val SESSION_STATUSES = setOf("active", "revoked", "ended", "expired", "removed", "abandoned", "replaced", "pending")
        private val LIST_STATUSES = setOf("abandoned", "active", "ended", "expired", "removed", "replaced", "revoked")
        private val REFRESH_FIELDS =
            setOf("expired_token", "refresh_token", "request_origin", "request_headers", "format", "request_originating_ip")
        private val IMF_FIXDATE: DateTimeFormatter = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
        private val RESERVED_CLAIMS = setOf("iss", "sub", "sid", "iat", "nbf", "exp", "azp")

        /** Starts a sandbox with default configuration on an ephemeral loopback port. */
        @JvmStatic
        public fun start(): ClerkSandbox = ClerkSandbox(SandboxConfig.defaults())

        /** Starts a sandbox configured by the Kotlin DSL [configure]. */
        public fun start(configure: SandboxConfig.Builder.() -> Unit): ClerkSandbox =
            ClerkSandbox(SandboxConfig.Builder().apply(configure).build())

        /** Starts a sandbox with [config] (Java-friendly). */
        @JvmStatic
        public fun start(config: SandboxConfig): ClerkSandbox = ClerkSandbox(config)

        private fun hostForUrl(host: String): String = if (':' in host && !host.startsWith("[")) "[$host]" else host
    }
}
