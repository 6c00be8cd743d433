package dev.clerkkit.tokens

import com.nimbusds.jose.JOSEException
import com.nimbusds.jose.JWSAlgorithm
import com.nimbusds.jose.crypto.RSASSAVerifier
import com.nimbusds.jose.util.Base64URL
import com.nimbusds.jwt.SignedJWT
import dev.clerkkit.events.TokenVerified
import dev.clerkkit.http.Listeners
import dev.clerkkit.tokens.Keys.forMessage
import dev.clerkkit.tokens.TokenVerificationException.Reason
import kotlinx.coroutines.runBlocking
import kotlinx.serialization.SerializationException
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import java.security.interfaces.RSAPublicKey
import java.text.ParseException
import java.time.Duration

/**
 * Verifies Clerk session tokens (the `__session` cookie, or the `Authorization: Bearer` JWT) locally, the way
 * Clerk's backend SDKs' `verifyToken` does; this replaces the deprecated `POST /sessions/{id}/verify`.
 *
 * Keys come from one of two places:
 * - **PEM** ([TokenVerifierOptions.jwtKey], e.g. from `CLERK_JWT_KEY` via [TokenVerifierOptions.fromEnv]):
 *   verification never touches the network and [jwksFetcher] is ignored (may be `null`).
 * - **JWKS**: otherwise the keys of `GET /v1/jwks` are obtained through [jwksFetcher], cached for
 *   [TokenVerifierOptions.jwksCacheTtl] (default 1 hour), refreshed once when a token names an unknown `kid`
 *   (at most once per [TokenVerifierOptions.jwksMinRefreshInterval], default 1 minute) and fetched single-flight
 *   (any number of concurrent verifications on a cold cache make one request).
 *
 * A token is accepted only if, in this order (the order of `@clerk/backend`'s checks): it is a compact JWS no longer
 * than 16 KiB; its `alg` header is exactly `RS256`; its key is found (`kid` in JWKS mode); the signature verifies; it
 * has `sub` and, unless [TokenVerifierOptions.allowNonSessionTokens], is a session token by category (a `cat` header
 * that is absent or Clerk's session-token category, neither an OAuth access token (`typ` `at+jwt`) nor a machine token
 * (`sub` `mch_...`)); `aud` is acceptable ([TokenVerifierOptions.audience]); `azp` is present and listed when
 * [TokenVerifierOptions.authorizedParties] is set; `exp` (required) is not past, `nbf` and `iat` (optional) are not in
 * the future, each with [TokenVerifierOptions.clockSkew] of tolerance (default 5 s); and, unless
 * [TokenVerifierOptions.allowNonSessionTokens], it has a `sid`. Every rejection is a [TokenVerificationException]
 * whose [TokenVerificationException.reason] says which
 * check failed. `iss` is not checked (it is the signing instance's own URL, already bound by the key).
 *
 * Thread-safe; create one per Clerk instance and share it (the JWKS cache lives in it). Verifiers made by
 * `ClerkClient.tokenVerifier` share that client's JWKS cache instead (one per client, so per instance base URL and
 * secret key), whatever their other options.
 *
 * @param options configuration; see [TokenVerifierOptions] for defaults.
 * @param jwksFetcher source of the JWKS; required unless [options] has a PEM key, ignored if it has one.
 *   Default: `null`.
 * @throws IllegalArgumentException if [options] has no PEM key and [jwksFetcher] is `null`.
 */
public class SessionTokenVerifier @JvmOverloads constructor(
    public val options: TokenVerifierOptions,
    jwksFetcher: JwksFetcher? = null,
) {
    private val pemKey: RSAPublicKey? = options.jwtPublicKey

    private val jwks: JwksKeyCache? = if (pemKey != null) {
        null
    } else {
        requireNotNull(jwksFetcher) {
            "SessionTokenVerifier needs a key source: set TokenVerifierOptions.jwtKey to the instance's PEM public " +
                "key (or CLERK_JWT_KEY with TokenVerifierOptions.fromEnv()) for networkless verification, or pass " +
                "a JwksFetcher that returns GET /v1/jwks"
        }
        (jwksFetcher as? InstanceJwks)?.cacheFor(options)
            ?: JwksKeyCache(jwksFetcher, options.jwksCacheTtl, options.jwksMinRefreshInterval, options.clock)
    }

    /** `true` when a PEM key is configured, i.e. verification never performs I/O. */
    public val isNetworkless: Boolean get() = pemKey != null

    /** Number of JWKS fetches attempted so far (always 0 in PEM mode); for metrics and tests. */
    public val jwksFetchCount: Long get() = jwks?.fetchAttempts ?: 0

    /**
     * Verifies [token] (the bare JWT: no `Bearer ` prefix, no surrounding whitespace) and returns its claims.
     * In JWKS mode it may suspend while the JWKS is fetched; in PEM mode it never suspends.
     *
     * @throws TokenVerificationException when the token is not acceptable (see [TokenVerificationException.Reason]).
     */
    public suspend fun verify(token: String): SessionClaims {
        val observers = listeners ?: return verifyNow(token)
        val fetches = jwksFetchCount
        val t0 = System.nanoTime()
        val claims = try {
            verifyNow(token)
        } catch (e: TokenVerificationException) {
            observers.tokenVerified(TokenVerified(false, e.reason.name, jwksFetchCount != fetches, Duration.ofNanos(System.nanoTime() - t0)))
            throw e
        }
        observers.tokenVerified(TokenVerified(true, null, jwksFetchCount != fetches, Duration.ofNanos(System.nanoTime() - t0)))
        return claims
    }

    /** The client's event listeners, set by the `ClerkClient` that made this verifier; null for none. */
    @JvmSynthetic
    internal var listeners: Listeners? = null

    private suspend fun verifyNow(token: String): SessionClaims {
        val jws = parse(token)
        val key = pemKey ?: jwks!!.keyFor(
            jws.kid ?: throw TokenVerificationException(Reason.UNKNOWN_KID, "token has no kid header"),
        )
        return check(jws, key)
    }

    /**
     * Blocking form of [verify] for non-coroutine callers (Java, servlet filters).
     *
     * With a PEM key it is pure computation: no network, no blocking, no coroutine machinery. In JWKS mode it runs
     * [verify] inside `runBlocking`, which blocks the calling thread while the JWKS is fetched (only on a cold or
     * expired cache or on a key-rotation refresh); do not call it from a coroutine or an event-loop thread in that
     * mode; use [verify] there.
     *
     * @throws TokenVerificationException as [verify].
     */
    public fun verifyBlocking(token: String): SessionClaims {
        val key = pemKey ?: return runBlocking { verify(token) }
        val observers = listeners ?: return check(parse(token), key)
        val t0 = System.nanoTime()
        val claims = try {
            check(parse(token), key)
        } catch (e: TokenVerificationException) {
            observers.tokenVerified(TokenVerified(false, e.reason.name, false, Duration.ofNanos(System.nanoTime() - t0)))
            throw e
        }
        observers.tokenVerified(TokenVerified(true, null, false, Duration.ofNanos(System.nanoTime() - t0)))
        return claims
    }

    override fun toString(): String = "SessionTokenVerifier(keySource=${if (isNetworkless) "PEM" else "JWKS"})"

    private class ParsedJws(val jwt: SignedJWT, val kid: String?, val header: JsonObject)

    private fun parse(token: String): ParsedJws {
        if (token.isEmpty()) malformed("token is empty")
        if (token.length > MAX_TOKEN_LENGTH) malformed("token is longer than $MAX_TOKEN_LENGTH characters")
        val parts = token.split('.')
        if (parts.size != 3) malformed("token is not a compact JWS (expected 3 dot-separated parts, got ${parts.size})")
        if (parts[0].isEmpty() || parts.any { part -> part.any { !it.isBase64UrlChar() } }) {
            malformed("token parts are not base64url")
        }
        val header = try {
            Json.parseToJsonElement(Base64URL(parts[0]).decodeToString()) as? JsonObject
        } catch (_: SerializationException) {
            null
        } ?: malformed("token header is not a JSON object")
        when (val alg = header["alg"]) {
            null, JsonNull -> throw TokenVerificationException(Reason.UNSUPPORTED_ALGORITHM, "token has no alg header")
            !is JsonPrimitive -> throw TokenVerificationException(Reason.UNSUPPORTED_ALGORITHM, "token alg header is not a string")
            else -> if (!alg.isString || alg.content != JWSAlgorithm.RS256.name) {
                throw TokenVerificationException(
                    Reason.UNSUPPORTED_ALGORITHM,
                    "token alg '${alg.content.forMessage()}' is not accepted (only RS256)",
                )
            }
        }
        if (parts[1].isEmpty() || parts[2].isEmpty()) malformed("token has an empty payload or signature")
        val jwt = try {
            SignedJWT.parse(token)
        } catch (e: ParseException) {
            throw TokenVerificationException(Reason.MALFORMED, "token is not a valid JWS: ${e.message.orEmpty().forMessage(120)}", e)
        }
        return ParsedJws(jwt, jwt.header.keyID, header)
    }

    private fun check(jws: ParsedJws, key: RSAPublicKey): SessionClaims {
        val valid = try {
            jws.jwt.verify(RSASSAVerifier(key))
        } catch (e: JOSEException) {
            throw TokenVerificationException(Reason.BAD_SIGNATURE, "signature could not be verified", e)
        }
        if (!valid) throw TokenVerificationException(Reason.BAD_SIGNATURE, "signature does not match the key")

        val payload = try {
            Json.parseToJsonElement(jws.jwt.payload.toString()) as? JsonObject
        } catch (_: SerializationException) {
            null
        } ?: malformed("token payload is not a JSON object")
        val reader = ClaimsReader(payload)

        val claims = SessionClaims.read(payload)
        if (!options.allowNonSessionTokens) {
            TokenCategory.nonSessionKind(jws.header, payload)?.let { kind ->
                throw TokenVerificationException(Reason.NOT_A_SESSION_TOKEN, "token is $kind, not a session token")
            }
        }
        if (options.audience.isNotEmpty() && claims.audience.none { it in options.audience }) {
            throw TokenVerificationException(
                Reason.WRONG_AUDIENCE,
                if (claims.audience.isEmpty()) "token has no aud claim" else "token aud matches none of the accepted audiences",
            )
        }
        val azp = claims.authorizedParty
        if (options.authorizedParties.isNotEmpty() && (azp.isNullOrEmpty() || azp !in options.authorizedParties)) {
            throw TokenVerificationException(
                Reason.UNAUTHORIZED_PARTY,
                if (azp.isNullOrEmpty()) "token has no azp claim" else "azp '${azp.forMessage()}' is not an authorized party",
            )
        }
        val nowMs = options.clock.millis()
        val skewMs = options.clockSkew.toMillisSaturated()
        val exp = reader.numericDate("exp") ?: malformed("token has no exp claim")
        if (exp.secondsToMillis() <= nowMs.minusSaturated(skewMs)) {
            throw TokenVerificationException(Reason.EXPIRED, "token expired at $exp (epoch seconds)")
        }
        reader.numericDate("nbf")?.let { nbf ->
            if (nbf.secondsToMillis() > nowMs.plusSaturated(skewMs)) {
                throw TokenVerificationException(Reason.NOT_YET_VALID, "token is not valid before $nbf (epoch seconds)")
            }
        }
        reader.numericDate("iat")?.let { iat ->
            if (iat.secondsToMillis() > nowMs.plusSaturated(skewMs)) {
                throw TokenVerificationException(Reason.ISSUED_IN_FUTURE, "token is issued in the future at $iat (epoch seconds)")
            }
        }

        if (claims.sessionId == null && !options.allowNonSessionTokens) {
            throw TokenVerificationException(Reason.NOT_A_SESSION_TOKEN, "token has no sid claim")
        }
        return claims
    }

    private companion object {
        /** Longest token accepted; Clerk session tokens are ~1 KB, cookies are capped at 4 KB. */
        private const val MAX_TOKEN_LENGTH: Int = 16 * 1024

        fun malformed(message: String): Nothing = throw TokenVerificationException(Reason.MALFORMED, message)

        fun Char.isBase64UrlChar(): Boolean = this in 'A'..'Z' || this in 'a'..'z' || this in '0'..'9' || this == '-' || this == '_'

        fun Long.secondsToMillis(): Long = when {
            this > Long.MAX_VALUE / 1000 -> Long.MAX_VALUE
            this < Long.MIN_VALUE / 1000 -> Long.MIN_VALUE
            else -> this * 1000
        }

        fun java.time.Duration.toMillisSaturated(): Long = try {
            toMillis()
        } catch (_: ArithmeticException) {
            Long.MAX_VALUE
        }

        fun Long.plusSaturated(other: Long): Long = if (this > Long.MAX_VALUE - other) Long.MAX_VALUE else this + other

        fun Long.minusSaturated(other: Long): Long = if (this < Long.MIN_VALUE + other) Long.MIN_VALUE else this - other
    }
}
