package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.Route
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonArray
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * The Sessions resource and `/jwks`, for an authenticated request: validates input, reads and changes [store] and
 * answers `status to body`, or throws [ApiError].
 *
 * [verifyGone] is the explicit `410` override of `POST /sessions/{id}/verify` (`null`: decided by the API version).
 */
internal class SessionRoutes(
    private val store: SessionStore,
    private val tokens: TokenIssuer,
    private val defaultTokenLifetimeSeconds: Long,
    private val verifyGone: () -> Boolean?,
) {
    fun dispatch(raw: RawRequest, route: Route, params: Map<String, String>, version: ApiVersion): Pair<Int, JsonElement> =
        when (route) {
            Route.LIST_SESSIONS -> 200 to listSessions(RequestDecoding.parseQuery(raw.query), version)
            Route.CREATE_SESSION -> 200 to createSession(RequestDecoding.jsonBody(raw, required = true)!!, version)
            Route.GET_SESSION -> 200 to store.withSession(params.getValue("session_id")) { it.toJson(version.hasTasks) }
            Route.REVOKE_SESSION -> 200 to store.withSession(params.getValue("session_id")) {
                it.status = "revoked"
                it.updatedAt = store.now()
                it.toJson(version.hasTasks)
            }
            Route.CREATE_TOKEN ->
                200 to createToken(params.getValue("session_id"), null, RequestDecoding.jsonBody(raw, required = false))
            Route.CREATE_TOKEN_FROM_TEMPLATE -> 200 to createToken(
                params.getValue("session_id"),
                params.getValue("template_name"),
                RequestDecoding.jsonBody(raw, required = false),
            )
            Route.REFRESH_SESSION -> 200 to refreshSession(params.getValue("session_id"), raw)
            Route.VERIFY_SESSION -> 200 to verifySession(params.getValue("session_id"), raw, version)
            Route.JWKS -> 200 to ClerkJson.json.parseToJsonElement(tokens.keys.jwksJson())
            Route.UNKNOWN -> throw ApiError(404, "resource_not_found", "Resource not found", "No route matches ${raw.method} ${raw.rawPath}")
        }

    private fun listSessions(query: Map<String, String>, version: ApiVersion): JsonElement {
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
        return store.locked {
            val matching = store.sorted().filter {
                (clientId == null || it.clientId == clientId) &&
                    (userId == null || it.userId == userId) &&
                    (status == null || it.status == status)
            }
            val page = JsonArray(matching.drop(offset).take(limit).map { it.toJson(version.hasTasks) })
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

    private fun createSession(body: JsonObject, version: ApiVersion): JsonElement {
        val userId = RequestDecoding.stringField(body, "user_id") ?: throw ApiError.missingParameter(422, "user_id")
        val org = RequestDecoding.stringField(body, "active_organization_id")
        return store.locked {
            if (!store.hasUser(userId)) {
                throw ApiError(404, "resource_not_found", "not found", "No user was found with id $userId", ClerkJson.metaParam("user_id"))
            }
            store.addSession(userId, null, "active", org, null, null, null).toJson(version.hasTasks)
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
        val session = store.withSession(sessionId) { s ->
            if (s.status != "active") {
                throw ApiError(404, "resource_not_found", "not found", "No active session was found with id $sessionId")
            }
            s
        }
        val template = templateName?.let {
            store.template(it)
                ?: throw ApiError(404, "resource_not_found", "not found", "No JWT template exists with name: $it", ClerkJson.metaParam("template_name"))
        }
        val lifetime = expiresIn ?: template?.lifetimeSeconds ?: defaultTokenLifetimeSeconds
        return TokenIssuer.tokenJson(tokens.sign(session, template, lifetime, 0))
    }

    private fun refreshSession(sessionId: String, raw: RawRequest): JsonElement {
        val body = RequestDecoding.jsonBody(raw, required = true)!!
        RequestDecoding.rejectUnknown(body, REFRESH_FIELDS)
        for (name in listOf("expired_token", "refresh_token", "request_origin")) {
            if (RequestDecoding.stringField(body, name).isNullOrEmpty()) throw ApiError.missingParameter(400, name)
        }
        val format = when (val f = body["format"]) {
            null, JsonNull -> "token"
            else -> (f as? JsonPrimitive)?.takeIf { it.isString }?.content
        }
        if (format != "token" && format != "cookie") {
            throw ApiError(400, "form_param_value_invalid", "is invalid", "format must be one of: token, cookie", ClerkJson.metaParam("format"))
        }
        val claims = tokens.verify(RequestDecoding.stringField(body, "expired_token")!!)
        val session = store.find(sessionId)
        if (claims == null || claims.getStringClaim("sid") != sessionId || session == null || session.status != "active" ||
            claims.subject != session.userId ||
            !tokens.refreshTokenMatches(RequestDecoding.stringField(body, "refresh_token")!!, sessionId)
        ) {
            throw ApiError(
                401,
                "authentication_invalid",
                "Invalid session refresh",
                "The expired_token is not a valid session token for session $sessionId, or the session is not active.",
            )
        }
        val jwt = tokens.sign(session, null, defaultTokenLifetimeSeconds, 0, claims.getStringClaim("azp"))
        store.locked {
            session.lastActiveAt = store.now()
            session.updatedAt = store.now()
        }
        return if (format == "token") {
            TokenIssuer.tokenJson(jwt)
        } else {
            buildJsonObject {
                put("object", "cookies")
                put(
                    "cookies",
                    buildJsonArray {
                        add(JsonPrimitive("__session=$jwt; Path=/; Max-Age=60; Secure; SameSite=Lax"))
                        add(JsonPrimitive("__client_uat=${store.now() / 1000}; Path=/; Max-Age=315360000; Secure; SameSite=Strict"))
                    },
                )
            }
        }
    }

    private fun verifySession(sessionId: String, raw: RawRequest, version: ApiVersion): JsonElement {
        if (verifyGone() ?: !version.hasVerify) {
            throw ApiError(
                410,
                "deprecated_endpoint",
                "Endpoint deprecated",
                "The verify endpoint is deprecated and no longer available. Use networkless session token verification.",
            )
        }
        val body = RequestDecoding.jsonBody(raw, required = true)!!
        RequestDecoding.rejectUnknown(body, setOf("token"))
        val token = RequestDecoding.stringField(body, "token") ?: throw ApiError.missingParameter(400, "token")
        return store.withSession(sessionId) { s ->
            val claims = tokens.verify(token)
            if (claims == null || claims.getStringClaim("sid") != sessionId || claims.subject != s.userId) {
                throw ApiError(401, "authentication_invalid", "Invalid session token", "The token is not a valid session token for session $sessionId.")
            }
            if (claims.expirationTime == null || claims.expirationTime.time <= store.now()) {
                throw ApiError(401, "authentication_invalid", "Session token expired", "The session token has expired.")
            }
            if (s.status != "active") {
                throw ApiError(401, "authentication_invalid", "Session not active", "Session $sessionId is ${s.status}.")
            }
            // Up to 2024-10-01 (and unversioned) the Session schema has no `tasks` and forbids additional properties.
            s.toJson(version.verifyHasTasks)
        }
    }

    private companion object {
        val LIST_STATUSES = setOf("abandoned", "active", "ended", "expired", "removed", "replaced", "revoked")
        val REFRESH_FIELDS =
            setOf("expired_token", "refresh_token", "request_origin", "request_headers", "format", "request_originating_ip")
    }
}
