package dev.clerkkit.tokens

import dev.clerkkit.tokens.TokenVerificationException.Reason
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.longOrNull
import java.util.Collections
import kotlin.math.floor

/**
 * The verified claims of a Clerk session token. Immutable; equality is that of [claims].
 *
 * [toString] shows the identifying claims only (ids, issuer, times, organization), never custom claims
 * (which may hold personal data) and never the token, which is not retained.
 *
 * @property claims every claim of the payload, verbatim.
 * @property sessionId `sid`: the session id (`sess_...`); `null` only for non-session tokens, which are accepted
 *   only with [TokenVerifierOptions.allowNonSessionTokens].
 * @property userId `sub`: the user id (`user_...`). Always present.
 * @property issuer `iss` (the instance's Frontend API URL), or `null` if absent. Not checked by the verifier.
 * @property authorizedParty `azp` (the origin that requested the token), or `null` if absent.
 * @property audience `aud` as a list (a single string becomes a one-element list); empty if absent.
 * @property issuedAt `iat` in epoch seconds, or `null` if absent.
 * @property notBefore `nbf` in epoch seconds, or `null` if absent.
 * @property expiresAt `exp` in epoch seconds (required).
 * @property version `v`, the session-token format version: `2` for current tokens, `null` for v1 tokens
 *   (which carry no `v`).
 * @property sessionStatus `sts` (e.g. `active`, `pending`), or `null` if the instance does not emit it.
 * @property actor `act` (present when the session is an impersonation), or `null`.
 * @property organization the active organization, from `o` (v2) or `org_*` (v1) claims; `null` when none is active.
 */
public class SessionClaims internal constructor(
    public val claims: JsonObject,
    public val sessionId: String?,
    public val userId: String,
    public val issuer: String?,
    public val authorizedParty: String?,
    public val audience: List<String>,
    public val issuedAt: Long?,
    public val notBefore: Long?,
    public val expiresAt: Long,
    public val version: Int?,
    public val sessionStatus: String?,
    public val actor: JsonObject?,
    public val organization: OrganizationClaims?,
) {
    override fun equals(other: Any?): Boolean = other is SessionClaims && other.claims == claims

    override fun hashCode(): Int = claims.hashCode()

    override fun toString(): String =
        "SessionClaims(sessionId=$sessionId, userId=$userId, issuer=$issuer, authorizedParty=$authorizedParty, " +
            "audience=$audience, issuedAt=$issuedAt, notBefore=$notBefore, expiresAt=$expiresAt, version=$version, " +
            "sessionStatus=$sessionStatus, actor=${if (actor != null) "present" else "null"}, " +
            "organization=$organization, claimNames=${claims.keys})"

    /** Factory for claims that were verified elsewhere. */
    public companion object {
        /**
         * Reads the typed view of an already verified claim set. Performs **no** verification at all (no
         * signature, time, party, audience or `sid` check): meant for tests and for claims verified by other means.
         *
         * @throws TokenVerificationException with [Reason.MALFORMED] if a registered claim has the wrong type or
         *   `exp` is missing, or [Reason.NOT_A_SESSION_TOKEN] if `sub` is missing.
         */
        @JvmStatic
        public fun fromVerifiedClaims(claims: JsonObject): SessionClaims = ClaimsReader(claims).read()
    }
}

/**
 * The active organization of a session.
 *
 * @property id organization id (`org_...`): v2 `o.id`, v1 `org_id`.
 * @property role role key: v2 `"org:" + o.rol` (as Clerk's SDKs expose it, e.g. `org:admin`), v1 `org_role`
 *   verbatim; `null` if absent.
 * @property slug v2 `o.slg`, v1 `org_slug`; `null` if absent.
 * @property permissions v1 `org_permissions` verbatim; v2 decoded as Clerk's SDKs do: for each organization
 *   feature `f` of the `fea` claim (entries whose scope contains `o`) and the matching entry of `o.fpm` (a bitmask
 *   over the names in `o.per`, least-significant bit first), `org:<f>:<permission>`. Empty if none.
 */
public class OrganizationClaims internal constructor(
    public val id: String,
    public val role: String?,
    public val slug: String?,
    public val permissions: List<String>,
) {
    override fun equals(other: Any?): Boolean =
        other is OrganizationClaims && other.id == id && other.role == role && other.slug == slug &&
            other.permissions == permissions

    override fun hashCode(): Int = listOf(id, role, slug, permissions).hashCode()

    override fun toString(): String = "OrganizationClaims(id=$id, role=$role, slug=$slug, permissions=$permissions)"

    internal companion object {
        fun create(id: String, role: String?, slug: String?, permissions: List<String>): OrganizationClaims =
            OrganizationClaims(id, role, slug, Collections.unmodifiableList(permissions.toList()))
    }
}

/** Typed reading of a claim set; registered claims are strict, organization claims are lenient. */
internal class ClaimsReader(private val claims: JsonObject) {

    fun read(): SessionClaims {
        val sub = string("sub")
        if (sub.isNullOrEmpty()) throw TokenVerificationException(Reason.NOT_A_SESSION_TOKEN, "token has no sub claim")
        val exp = numericDate("exp") ?: throw TokenVerificationException(Reason.MALFORMED, "token has no exp claim")
        return SessionClaims(
            claims = claims,
            sessionId = string("sid")?.takeIf { it.isNotEmpty() },
            userId = sub,
            issuer = string("iss"),
            authorizedParty = string("azp"),
            audience = audience(),
            issuedAt = numericDate("iat"),
            notBefore = numericDate("nbf"),
            expiresAt = exp,
            version = version(),
            sessionStatus = (claims["sts"] as? JsonPrimitive)?.takeIf { it.isString }?.content,
            actor = claims["act"] as? JsonObject,
            organization = organization(),
        )
    }

    private fun malformed(name: String, expected: String): Nothing =
        throw TokenVerificationException(Reason.MALFORMED, "claim '$name' is not $expected")

    private fun string(name: String): String? = when (val e = claims[name]) {
        null, JsonNull -> null
        is JsonPrimitive -> if (e.isString) e.content else malformed(name, "a string")
        else -> malformed(name, "a string")
    }

    /** A JSON number of seconds since the epoch (fractions are floored). */
    fun numericDate(name: String): Long? {
        val e = claims[name]
        if (e == null || e == JsonNull) return null
        if (e !is JsonPrimitive || e.isString) malformed(name, "a number")
        e.longOrNull?.let { return it }
        val d = e.doubleOrNull?.takeIf { it.isFinite() } ?: malformed(name, "a number")
        return floor(d.coerceIn(Long.MIN_VALUE.toDouble(), Long.MAX_VALUE.toDouble())).toLong()
    }

    private fun audience(): List<String> = when (val e = claims["aud"]) {
        null, JsonNull -> emptyList()
        is JsonPrimitive -> if (e.isString) listOf(e.content) else malformed("aud", "a string or an array of strings")
        is JsonArray -> Collections.unmodifiableList(
            e.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: malformed("aud", "an array of strings") },
        )
        else -> malformed("aud", "a string or an array of strings")
    }

    private fun version(): Int? = when (val e = claims["v"]) {
        null, JsonNull -> null
        is JsonPrimitive -> if (e.isString) malformed("v", "a number") else e.intOrNull ?: malformed("v", "an integer")
        else -> malformed("v", "a number")
    }

    private fun organization(): OrganizationClaims? {
        val o = claims["o"]
        return if (o is JsonObject) organizationV2(o) else organizationV1()
    }

    private fun organizationV1(): OrganizationClaims? {
        val id = lenientString(claims["org_id"]) ?: return null
        val permissions = (claims["org_permissions"] as? JsonArray)
            ?.mapNotNull { lenientString(it) }
            .orEmpty()
        return OrganizationClaims.create(id, lenientString(claims["org_role"]), lenientString(claims["org_slug"]), permissions)
    }

    private fun organizationV2(o: JsonObject): OrganizationClaims? {
        val id = lenientString(o["id"]) ?: return null
        val role = lenientString(o["rol"])?.let { if (it.startsWith("org:")) it else "org:$it" }
        return OrganizationClaims.create(id, role, lenientString(o["slg"]), permissionsV2(o))
    }

    /** Mirrors Clerk's `jwtPayloadParser`: `fea` org features x `o.fpm` bitmasks over `o.per` names. */
    private fun permissionsV2(o: JsonObject): List<String> {
        val per = lenientString(o["per"]).orEmpty()
        val fpm = lenientString(o["fpm"]).orEmpty()
        if (per.isBlank() || fpm.isBlank()) return emptyList()
        val names = per.split(',').map { it.trim() }
        val masks = fpm.split(',').map { it.trim().toLongOrNull() ?: 0L }
        val orgFeatures = lenientString(claims["fea"]).orEmpty()
            .split(',')
            .map { it.trim() }
            .filter { it.substringBefore(':').contains('o') && it.contains(':') }
            .map { it.substringAfter(':') }
        val result = ArrayList<String>()
        orgFeatures.forEachIndexed { featureIndex, feature ->
            val mask = masks.getOrNull(featureIndex) ?: return@forEachIndexed
            names.forEachIndexed { bit, name ->
                if (bit < Long.SIZE_BITS - 1 && (mask shr bit) and 1L == 1L) result += "org:$feature:$name"
            }
        }
        return result
    }

    private fun lenientString(e: Any?): String? =
        (e as? JsonPrimitive)?.takeIf { it.isString }?.content?.takeIf { it.isNotEmpty() }
}
