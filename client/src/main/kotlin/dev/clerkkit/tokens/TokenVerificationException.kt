package dev.clerkkit.tokens

/**
 * The single error type thrown by [SessionTokenVerifier] when a session token cannot be accepted.
 *
 * [reason] is machine-readable (switch on it; do not parse [message]). The message is meant for logs:
 * it never contains the token, and attacker-controlled header values quoted in it (such as `kid` or `alg`)
 * are truncated and stripped of control characters.
 *
 * This is a plain [RuntimeException], deliberately independent of the rest of the client's error hierarchy:
 * a rejected token is a normal outcome of request authentication (typically mapped to HTTP 401), not an API failure.
 *
 * @property reason why the token was rejected.
 * @param message human-readable description, safe to log.
 * @param cause the underlying exception, if any (defaults to `null`); for [Reason.JWKS_UNAVAILABLE] it is the
 *   exception thrown by the [JwksFetcher] or the JWKS parse error.
 */
public class TokenVerificationException @JvmOverloads constructor(
    public val reason: Reason,
    message: String,
    cause: Throwable? = null,
) : RuntimeException(message, cause) {

    /** Machine-readable rejection reasons. */
    public enum class Reason {
        /** Not a compact JWS `header.payload.signature`, bad base64url/JSON, too long, or a registered claim of the wrong type (or `exp` missing). */
        MALFORMED,

        /** The `alg` header is missing or is anything other than `RS256` (`none`, `HS256`, `ES256`, ... are all refused). */
        UNSUPPORTED_ALGORITHM,

        /** JWKS mode only: the token's `kid` is absent or not in the instance's JWKS, even after the (rate-limited) refresh. */
        UNKNOWN_KID,

        /** The RS256 signature does not match the key (tampered token, or signed by another key). */
        BAD_SIGNATURE,

        /** `exp` is in the past, beyond the configured clock skew. */
        EXPIRED,

        /** `nbf` is in the future, beyond the configured clock skew. */
        NOT_YET_VALID,

        /** `iat` is in the future, beyond the configured clock skew. */
        ISSUED_IN_FUTURE,

        /** [TokenVerifierOptions.authorizedParties] is set and `azp` is missing or not one of them. */
        UNAUTHORIZED_PARTY,

        /** [TokenVerifierOptions.audience] is configured and the token's `aud` is missing or matches none of it. */
        WRONG_AUDIENCE,

        /**
         * The token has no `sub`, or, while [TokenVerifierOptions.allowNonSessionTokens] is `false`, is not a session
         * token: no `sid`, a JWT-template or machine `cat` header, an OAuth access token (`typ` `at+jwt`) or a machine
         * token (`sub` `mch_...`).
         */
        NOT_A_SESSION_TOKEN,

        /** JWKS mode only: the keys could not be obtained (the fetcher threw, or returned something that is not a JWKS). */
        JWKS_UNAVAILABLE,
    }
}
