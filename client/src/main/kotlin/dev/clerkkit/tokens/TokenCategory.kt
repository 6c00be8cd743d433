package dev.clerkkit.tokens

import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive

/**
 * Clerk's token classes, told apart the way `@clerk/backend` does before verification: the `cat` protected header
 * (token category, shared with Clerk's Go backend), the RFC 9068 `typ` of OAuth access tokens and the `mch_` subject
 * of machine-to-machine JWTs.
 */
internal object TokenCategory {
    const val SESSION_TOKEN: String = "cl_B7d4PD111AAA"
    const val JWT_TEMPLATE: String = "cl_B7d4PD222AAA"
    const val M2M_TOKEN: String = "cl_B7d4PD333AAA"

    /** Stamped on every class by instances that do not discriminate; carries no class information. */
    const val IGNORE: String = "cl_I7d4PD111III"

    private val OAUTH_ACCESS_TOKEN_TYPES = setOf("at+jwt", "application/at+jwt")
    private val MACHINE_TOKEN_PREFIXES = listOf("mt_", "oat_", "ak_")

    /** What the token is when it is not a session token (for messages), or `null` when it may be one. */
    fun nonSessionKind(header: JsonObject, payload: JsonObject): String? {
        val typ = header.string("typ")
        if (typ != null && typ in OAUTH_ACCESS_TOKEN_TYPES) return "an OAuth access token"
        if (payload.string("sub")?.startsWith("mch_") == true) return "a machine token"
        val cat = header.string("cat") ?: return null
        return when (cat) {
            SESSION_TOKEN, IGNORE -> null
            JWT_TEMPLATE -> "a JWT-template token"
            M2M_TOKEN -> "a machine token"
            else -> "of another token category"
        }
    }

    /** Whether [token] has the prefix of one of Clerk's opaque machine tokens (M2M, OAuth, API key). */
    fun isOpaqueMachineToken(token: String): Boolean = MACHINE_TOKEN_PREFIXES.any { token.startsWith(it) }

    private fun JsonObject.string(name: String): String? = (this[name] as? JsonPrimitive)?.takeIf { it.isString }?.content
}
