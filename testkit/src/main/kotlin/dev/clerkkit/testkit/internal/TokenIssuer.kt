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

/**
 * Signs session tokens (RS256, with the active key of [keys]) as Clerk does: `iss`, `sub` (user id), `sid`, `iat`,
 * `nbf` (10 s before `iat`), `exp`, optional `azp`, plus a JWT template's claims with `{{user.id}}` and
 * `{{session.id}}` substituted (standard claims cannot be overridden).
 */
internal class TokenIssuer(
    val keys: SigningKeys,
    private val clock: Clock,
    private val issuer: String,
    private val authorizedParty: String?,
) {
    fun sign(session: SessionRecord, template: JwtTemplate?, lifetimeSeconds: Long, iatOffsetSeconds: Long): String {
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
        authorizedParty?.let { b.claim("azp", it) }
        return keys.sign(b.build())
    }

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
        private val RESERVED_CLAIMS = setOf("iss", "sub", "sid", "iat", "nbf", "exp", "azp")

        /** The Token schema: `{"object":"token","jwt":...}`. */
        fun tokenJson(jwt: String): JsonObject = buildJsonObject {
            put("object", "token")
            put("jwt", jwt)
        }
    }
}
