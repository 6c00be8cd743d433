package dev.clerkkit.testkit.internal

import com.nimbusds.jwt.JWTClaimsSet
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonElement
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.time.Clock
import java.util.Date
import java.util.concurrent.ConcurrentHashMap

/**
 * Signs tokens (RS256, with the active key of [keys]) as Clerk does. The protected header has `alg`, `kid`,
 * `typ: JWT` and `cat`, Clerk's token category (session token or JWT template). Every token has `iss`, `sub` (user
 * id), `sid`, `iat`, `nbf` (10 s before `iat`), `exp` and `azp` (the configured or given one, if any). A session token
 * also has the v2 claims: `v: 2`, `sts` (`active` or `pending`), `fva` (`[0, -1]`: first factor just verified, no
 * second factor) and, with an active organization, `o` (`id`, `rol: admin`, `slg`). A JWT-template token has `jti`
 * and the template's claims with `{{user.id}}` and `{{session.id}}` substituted (standard claims cannot be overridden).
 */
internal class TokenIssuer(
    val keys: SigningKeys,
    private val clock: Clock,
    private val issuer: String,
    private val authorizedParty: String?,
) {
    /** Refresh tokens handed out by [newRefreshToken]: refresh token to session id. */
    private val refreshTokens = ConcurrentHashMap<String, String>()

    fun sign(
        session: SessionRecord,
        template: JwtTemplate?,
        lifetimeSeconds: Long,
        iatOffsetSeconds: Long,
        azp: String? = authorizedParty,
    ): String {
        val nowSeconds = clock.millis() / 1000 + iatOffsetSeconds
        val b = JWTClaimsSet.Builder()
        template?.claims?.forEach { (k, v) ->
            if (k !in RESERVED_CLAIMS) b.claim(k, ClerkJson.toJava(substitute(v, session)))
        }
        b.issuer(issuer)
            .subject(session.userId)
            .claim("sid", session.id)
            .issueTime(Date(nowSeconds * 1000))
            .notBeforeTime(Date((nowSeconds - NBF_SKEW_SECONDS) * 1000))
            .expirationTime(Date((nowSeconds + lifetimeSeconds) * 1000))
        azp?.let { b.claim("azp", it) }
        if (template == null) {
            b.claim("v", 2)
            b.claim("sts", if (session.status == "pending") "pending" else "active")
            b.claim("fva", listOf(0, -1))
            session.lastActiveOrganizationId?.let { org ->
                b.claim("o", mapOf("id" to org, "rol" to "admin", "slg" to org.removePrefix("org_").lowercase()))
            }
        } else {
            b.jwtID(ClerkJson.id("jti_"))
        }
        return keys.sign(b.build(), if (template == null) CATEGORY_SESSION_TOKEN else CATEGORY_JWT_TEMPLATE)
    }

    /** A new refresh token bound to [sessionId]. */
    fun newRefreshToken(sessionId: String): String =
        ClerkJson.id("rt_").also { refreshTokens[it] = sessionId }

    /**
     * Whether [refreshToken] may refresh [sessionId]: a token handed out by [newRefreshToken] only for its own
     * session; any other non-empty value is taken as issued elsewhere and accepted.
     */
    fun refreshTokenMatches(refreshToken: String, sessionId: String): Boolean =
        refreshTokens[refreshToken]?.let { it == sessionId } ?: true

    /** The claims of [token] if this sandbox signed it with a published key, else `null`. */
    fun verify(token: String): JWTClaimsSet? = keys.verify(token)

    private fun substitute(v: JsonElement, s: SessionRecord): JsonElement = when {
        v is JsonPrimitive && v.isString ->
            JsonPrimitive(v.content.replace("{{user.id}}", s.userId).replace("{{session.id}}", s.id))
        v is JsonObject -> JsonObject(v.mapValues { substitute(it.value, s) })
        v is JsonArray -> JsonArray(v.map { substitute(it, s) })
        else -> v
    }

    companion object {
        private const val NBF_SKEW_SECONDS = 10L
        private val RESERVED_CLAIMS = setOf("iss", "sub", "sid", "iat", "nbf", "exp", "azp", "jti")

        /** Clerk's `cat` header values. */
        const val CATEGORY_SESSION_TOKEN = "cl_B7d4PD111AAA"
        const val CATEGORY_JWT_TEMPLATE = "cl_B7d4PD222AAA"

        /** The Token schema: `{"object":"token","jwt":...}`. */
        fun tokenJson(jwt: String): JsonObject = buildJsonObject {
            put("object", "token")
            put("jwt", jwt)
        }
    }
}
