package dev.clerkkit.tokens

import dev.clerkkit.internal.plainMapToJson
import dev.clerkkit.internal.toPlainMap
import dev.clerkkit.tokens.TokenVerificationException.Reason
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonArray
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.doubleOrNull
import kotlinx.serialization.json.intOrNull
import kotlinx.serialization.json.longOrNull
import java.util.Collections
import java.util.Optional
import kotlin.math.floor

/**
 * The verified claims of a Clerk session token. Immutable; two instances are equal when their claim sets are.
 *
 * Obtained from [SessionTokenVerifier.verify] (or `ClerkClient.verifyToken`); [fromVerifiedClaims] and
 * [fromVerifiedClaimsJson] build one from a claim set checked elsewhere (e.g. in tests). There is deliberately no
 * builder: the typed properties are always read from [claims], so they cannot disagree with it.
 *
 * Absent claims are `null` in Kotlin; Java sees an `Optional` getter of the same name instead (`getSessionId()`,
 * `getIssuedAt()`, ...), never `null`.
 *
 * [toString] shows the identifying claims only (ids, issuer, times, organization), never custom claims
 * (which may hold personal data) and never the token, which is not retained.
 */
public class SessionClaims protected constructor(
    /** The payload as parsed; the typed properties below are read from it. */
    private val json: JsonObject,
    /**
     * Every claim of the payload, verbatim, as plain values: objects are unmodifiable `Map<String, Any?>`s, arrays
     * unmodifiable `List<Any?>`s, strings `String`, booleans `Boolean`, integral numbers that fit `Long`, other numbers
     * `BigDecimal`, JSON `null` `null`. Key order is the payload's. Never `null`; unmodifiable.
     */
    public val claims: Map<String, Any?>,
    /**
     * `sid`: the session id (`sess_...`); `null` only for non-session tokens, which are accepted only with
     * [TokenVerifierOptions.allowNonSessionTokens]. Java: `getSessionId()` returns an `Optional`.
     */
    @get:JvmSynthetic public val sessionId: String?,
    /** `sub`: the user id (`user_...`). Always present. */
    public val userId: String,
    /**
     * `iss` (the instance's Frontend API URL), or `null` if absent. Not checked by the verifier. Java: `getIssuer()`
     * returns an `Optional`.
     */
    @get:JvmSynthetic public val issuer: String?,
    /**
     * `azp` (the origin that requested the token), or `null` if absent. Java: `getAuthorizedParty()` returns an
     * `Optional`.
     */
    @get:JvmSynthetic public val authorizedParty: String?,
    /** `aud` as a list (a single string becomes a one-element list); empty if absent. Unmodifiable. */
    public val audience: List<String>,
    /** `iat` in epoch seconds, or `null` if absent. Java: `getIssuedAt()` returns an `Optional<Long>`. */
    @get:JvmSynthetic public val issuedAt: Long?,
    /** `nbf` in epoch seconds, or `null` if absent. Java: `getNotBefore()` returns an `Optional<Long>`. */
    @get:JvmSynthetic public val notBefore: Long?,
    /** `exp` in epoch seconds. Always present (a claim set without it is refused). */
    public val expiresAt: Long,
    /**
     * `v`, the session-token format version: `2` for current tokens, `null` for v1 tokens (which carry no `v`).
     * Java: `getVersion()` returns an `Optional<Integer>`.
     */
    @get:JvmSynthetic public val version: Int?,
    /**
     * `sts` (e.g. `active`, `pending`), or `null` if the instance does not emit it. Java: `getSessionStatus()` returns
     * an `Optional`.
     */
    @get:JvmSynthetic public val sessionStatus: String?,
    /**
     * `act` (present when the session is an impersonation) as plain values (see [claims]), or `null`. Java:
     * `getActor()` returns an `Optional`.
     */
    @get:JvmSynthetic public val actor: Map<String, Any?>?,
    /**
     * The active organization, from `o` (v2) or `org_*` (v1) claims; `null` when none is active. Java:
     * `getOrganization()` returns an `Optional`.
     */
    @get:JvmSynthetic public val organization: OrganizationClaims?,
) {
    /**
     * `true` when [sessionStatus] is `pending` (the user still has session tasks to complete). `authenticateRequest`
     * treats such a session as signed out unless told otherwise (`treatPendingAsSignedOut`).
     */
    public val isPending: Boolean get() = sessionStatus == SESSION_STATUS_PENDING

    /**
     * `fva` (v2): minutes since the first and the second factor were last verified, `-1` for a factor never verified;
     * `null` when the token has no well-formed `fva` (two integers). Java: `getFactorVerificationAge()` returns an
     * `Optional`.
     */
    @get:JvmSynthetic public val factorVerificationAge: List<Long>?
        get() = (claims["fva"] as? List<*>)?.takeIf { l -> l.size == 2 && l.all { it is Long } }?.map { it as Long }

    /**
     * `act.sub`, the id of the user impersonating the session's user; `null` unless the session is an impersonation.
     * Java: `getActorId()` returns an `Optional`.
     */
    @get:JvmSynthetic public val actorId: String? get() = actor?.get("sub") as? String

    /** [factorVerificationAge] for Java. */
    @JvmName("getFactorVerificationAge")
    public fun factorVerificationAgeOptional(): Optional<List<Long>> = Optional.ofNullable(factorVerificationAge)

    /** [actorId] for Java. */
    @JvmName("getActorId")
    public fun actorIdOptional(): Optional<String> = Optional.ofNullable(actorId)

    /** [sessionId] for Java; empty for a non-session token. */
    @JvmName("getSessionId")
    public fun sessionIdOptional(): Optional<String> = Optional.ofNullable(sessionId)

    /** [issuer] for Java; empty when the token has no `iss`. */
    @JvmName("getIssuer")
    public fun issuerOptional(): Optional<String> = Optional.ofNullable(issuer)

    /** [authorizedParty] for Java; empty when the token has no `azp`. */
    @JvmName("getAuthorizedParty")
    public fun authorizedPartyOptional(): Optional<String> = Optional.ofNullable(authorizedParty)

    /** [issuedAt] for Java; empty when the token has no `iat`. */
    @JvmName("getIssuedAt")
    public fun issuedAtOptional(): Optional<Long> = Optional.ofNullable(issuedAt)

    /** [notBefore] for Java; empty when the token has no `nbf`. */
    @JvmName("getNotBefore")
    public fun notBeforeOptional(): Optional<Long> = Optional.ofNullable(notBefore)

    /** [version] for Java; empty for v1 tokens. */
    @JvmName("getVersion")
    public fun versionOptional(): Optional<Int> = Optional.ofNullable(version)

    /** [sessionStatus] for Java; empty when the token has no `sts`. */
    @JvmName("getSessionStatus")
    public fun sessionStatusOptional(): Optional<String> = Optional.ofNullable(sessionStatus)

    /** [actor] for Java; empty unless the session is an impersonation. */
    @JvmName("getActor")
    public fun actorOptional(): Optional<Map<String, Any?>> = Optional.ofNullable(actor)

    /** [organization] for Java; empty when no organization is active. */
    @JvmName("getOrganization")
    public fun organizationOptional(): Optional<OrganizationClaims> = Optional.ofNullable(organization)

    override fun equals(other: Any?): Boolean = other is SessionClaims && other.json == json

    override fun hashCode(): Int = json.hashCode()

    override fun toString(): String =
        "SessionClaims(sessionId=$sessionId, userId=$userId, issuer=$issuer, authorizedParty=$authorizedParty, " +
            "audience=$audience, issuedAt=$issuedAt, notBefore=$notBefore, expiresAt=$expiresAt, version=$version, " +
            "sessionStatus=$sessionStatus, actor=${if (actor != null) "present" else "null"}, " +
            "organization=$organization, claimNames=${claims.keys})"

    /** Factories for claims that were verified elsewhere. */
    public companion object {
        /** The [sessionStatus] of a session with tasks left to complete. */
        public const val SESSION_STATUS_PENDING: String = "pending"

        /**
         * Reads the typed view of an already verified claim set given as plain values (`Map<String, Object>` in
         * Java): strings, booleans, numbers, nested maps with string keys, lists/iterables/arrays, or `null`, as
         * [claims] holds them. Numbers are normalized as in [claims] (an `Integer` `exp` reads back as a `Long`).
         * Performs **no** verification at all (no signature, time, party, audience or `sid` check): meant for tests
         * and for claims verified by other means.
         *
         * @throws TokenVerificationException with [Reason.MALFORMED] if a registered claim has the wrong type or
         *   `exp` is missing, or [Reason.NOT_A_SESSION_TOKEN] if `sub` is missing.
         * @throws IllegalArgumentException if a value is not one of the plain JSON values above.
         */
        @JvmStatic
        public fun fromVerifiedClaims(claims: Map<String, Any?>): SessionClaims = read(plainMapToJson(claims))

        /**
         * As [fromVerifiedClaims], for a claim set given as JSON text (e.g. a decoded token payload).
         *
         * @throws TokenVerificationException with [Reason.MALFORMED] if [json] is not a JSON object, a registered
         *   claim has the wrong type or `exp` is missing, or [Reason.NOT_A_SESSION_TOKEN] if `sub` is missing.
         */
        @JvmStatic
        public fun fromVerifiedClaimsJson(json: String): SessionClaims {
            val parsed = try {
                Json.parseToJsonElement(json) as? JsonObject
            } catch (_: SerializationException) {
                null
            } ?: throw TokenVerificationException(Reason.MALFORMED, "claims are not a JSON object")
            return read(parsed)
        }

        /** The typed view of [json] (the verifier's path; no checks beyond the claims' types). */
        @JvmSynthetic
        internal fun read(json: JsonObject): SessionClaims {
            val r = ClaimsReader(json)
            val sub = r.string("sub")
            if (sub.isNullOrEmpty()) throw TokenVerificationException(Reason.NOT_A_SESSION_TOKEN, "token has no sub claim")
            val exp = r.numericDate("exp") ?: throw TokenVerificationException(Reason.MALFORMED, "token has no exp claim")
            val plain = r.plainClaims()
            @Suppress("UNCHECKED_CAST")
            val actor = plain["act"] as? Map<String, Any?>
            return SessionClaims(
                json = json,
                claims = plain,
                sessionId = r.string("sid")?.takeIf { it.isNotEmpty() },
                userId = sub,
                issuer = r.string("iss"),
                authorizedParty = r.string("azp"),
                audience = r.audience(),
                issuedAt = r.numericDate("iat"),
                notBefore = r.numericDate("nbf"),
                expiresAt = exp,
                version = r.version(),
                sessionStatus = (json["sts"] as? JsonPrimitive)?.takeIf { it.isString }?.content,
                actor = actor,
                organization = r.organization(),
            )
        }
    }
}

/**
 * The active organization of a session, as read from a session token's claims.
 *
 * Built by the verifier; [builder] exists for tests that compare against or fake one. Absent values are `null` in
 * Kotlin and an empty `Optional` in Java (`getRole()`, `getSlug()`).
 */
public class OrganizationClaims protected constructor(builder: Builder) {
    /** Organization id (`org_...`): v2 `o.id`, v1 `org_id`. Never empty. */
    public val id: String = requireNotNull(builder.id?.takeIf { it.isNotEmpty() }) { "OrganizationClaims.id must be set and not empty" }

    /**
     * Role key: v2 `"org:" + o.rol` (as Clerk's SDKs expose it, e.g. `org:admin`), v1 `org_role` verbatim; `null` if
     * absent. Java: `getRole()` returns an `Optional`.
     */
    @get:JvmSynthetic public val role: String? = builder.role

    /** v2 `o.slg`, v1 `org_slug`; `null` if absent. Java: `getSlug()` returns an `Optional`. */
    @get:JvmSynthetic public val slug: String? = builder.slug

    /**
     * v1 `org_permissions` verbatim; v2 decoded as Clerk's SDKs do: for each organization feature `f` of the `fea`
     * claim (entries whose scope contains `o`) and the matching entry of `o.fpm` (a bitmask over the names in `o.per`,
     * least-significant bit first), `org:<f>:<permission>`. Empty if none; unmodifiable.
     */
    public val permissions: List<String> = Collections.unmodifiableList(builder.permissions.toList())

    /** [role] for Java; empty when the token names no role. */
    @JvmName("getRole")
    public fun roleOptional(): Optional<String> = Optional.ofNullable(role)

    /** [slug] for Java; empty when the token names no slug. */
    @JvmName("getSlug")
    public fun slugOptional(): Optional<String> = Optional.ofNullable(slug)

    /** A builder pre-filled with these values. */
    public fun toBuilder(): Builder = Builder().id(id).role(role).slug(slug).permissions(permissions)

    override fun equals(other: Any?): Boolean =
        other is OrganizationClaims && other.id == id && other.role == role && other.slug == slug &&
            other.permissions == permissions

    override fun hashCode(): Int = listOf(id, role, slug, permissions).hashCode()

    override fun toString(): String = "OrganizationClaims(id=$id, role=$role, slug=$slug, permissions=$permissions)"

    /** Builder of [OrganizationClaims]: [id] is required; [role] and [slug] default to absent, [permissions] to empty. */
    public class Builder {
        internal var id: String? = null
        internal var role: String? = null
        internal var slug: String? = null
        internal var permissions: List<String> = emptyList()

        /** Sets [OrganizationClaims.id] (required, not empty). */
        public fun id(id: String): Builder = apply { this.id = id }

        /** Sets [OrganizationClaims.role]; `null` (the default) means absent. */
        public fun role(role: String?): Builder = apply { this.role = role }

        /** Sets [OrganizationClaims.slug]; `null` (the default) means absent. */
        public fun slug(slug: String?): Builder = apply { this.slug = slug }

        /** Replaces [OrganizationClaims.permissions] (copied). Default: empty. */
        public fun permissions(permissions: List<String>): Builder = apply { this.permissions = permissions.toList() }

        /**
         * Builds the value.
         * @throws IllegalArgumentException if [id] is unset or empty.
         */
        public fun build(): OrganizationClaims = OrganizationClaims(this)
    }

    /** Factory of [Builder]. */
    public companion object {
        /** A new, empty [Builder]. */
        @JvmStatic
        public fun builder(): Builder = Builder()
    }
}

/** Typed reading of a claim set; registered claims are strict, organization claims are lenient. */
internal class ClaimsReader(private val claims: JsonObject) {

    private fun malformed(name: String, expected: String): Nothing =
        throw TokenVerificationException(Reason.MALFORMED, "claim '$name' is not $expected")

    /** Every claim as plain values; a number literal that is not a number (JSON parsers may let one through) is malformed. */
    fun plainClaims(): Map<String, Any?> = try {
        claims.toPlainMap()
    } catch (_: NumberFormatException) {
        throw TokenVerificationException(Reason.MALFORMED, "token payload holds a value that is not JSON")
    }

    fun string(name: String): String? = when (val e = claims[name]) {
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

    fun audience(): List<String> = when (val e = claims["aud"]) {
        null, JsonNull -> emptyList()
        is JsonPrimitive -> if (e.isString) listOf(e.content) else malformed("aud", "a string or an array of strings")
        is JsonArray -> Collections.unmodifiableList(
            e.map { (it as? JsonPrimitive)?.takeIf { p -> p.isString }?.content ?: malformed("aud", "an array of strings") },
        )
        else -> malformed("aud", "a string or an array of strings")
    }

    fun version(): Int? = when (val e = claims["v"]) {
        null, JsonNull -> null
        is JsonPrimitive -> if (e.isString) malformed("v", "a number") else e.intOrNull ?: malformed("v", "an integer")
        else -> malformed("v", "a number")
    }

    fun organization(): OrganizationClaims? {
        val o = claims["o"]
        return if (o is JsonObject) organizationV2(o) else organizationV1()
    }

    private fun organizationV1(): OrganizationClaims? {
        val id = lenientString(claims["org_id"]) ?: return null
        val permissions = (claims["org_permissions"] as? JsonArray)
            ?.mapNotNull { lenientString(it) }
            .orEmpty()
        return OrganizationClaims.builder().id(id).role(lenientString(claims["org_role"]))
            .slug(lenientString(claims["org_slug"])).permissions(permissions).build()
    }

    private fun organizationV2(o: JsonObject): OrganizationClaims? {
        val id = lenientString(o["id"]) ?: return null
        val role = lenientString(o["rol"])?.let { if (it.startsWith("org:")) it else "org:$it" }
        return OrganizationClaims.builder().id(id).role(role).slug(lenientString(o["slg"])).permissions(permissionsV2(o)).build()
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
