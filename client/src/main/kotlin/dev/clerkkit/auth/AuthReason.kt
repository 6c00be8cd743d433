package dev.clerkkit.auth

/**
 * Why a request is not signed in, by `@clerk/backend`'s wire name ([wireName], sent in `x-clerk-auth-reason`). The
 * constants are the reasons this library produces; [of] keeps any other name (for example a Backend API error code
 * reported by a failed refresh) so that nothing is lost. Two reasons are equal when their wire names are.
 */
public class AuthReason private constructor(
    /** The reason as `@clerk/backend` names it, e.g. `session-token-and-uat-missing`. */
    public val wireName: String,
) {
    override fun equals(other: Any?): Boolean = other is AuthReason && other.wireName == wireName

    override fun hashCode(): Int = wireName.hashCode()

    override fun toString(): String = wireName

    /** The known reasons. */
    public companion object {
        /** A `__client_uat` cookie says signed in but there is no `__session` cookie. */
        @JvmField public val CLIENT_UAT_WITHOUT_SESSION_TOKEN: AuthReason = AuthReason("client-uat-but-no-session-token")

        /** Development instance: the dev browser token in the URL must be synced. */
        @JvmField public val DEV_BROWSER_SYNC: AuthReason = AuthReason("dev-browser-sync")

        /** Development instance: no dev browser token (`__clerk_db_jwt`). */
        @JvmField public val DEV_BROWSER_MISSING: AuthReason = AuthReason("dev-browser-missing")

        /** A signed-in document navigation from another site's page (Clerk re-checks it). */
        @JvmField public val PRIMARY_DOMAIN_CROSS_ORIGIN_SYNC: AuthReason = AuthReason("primary-domain-cross-origin-sync")

        /** No session token and no `__client_uat` (or `__client_uat=0`): an anonymous visitor. */
        @JvmField public val SESSION_TOKEN_AND_UAT_MISSING: AuthReason = AuthReason("session-token-and-uat-missing")

        /** A `__session` cookie without a `__client_uat` cookie. */
        @JvmField public val SESSION_TOKEN_WITHOUT_CLIENT_UAT: AuthReason = AuthReason("session-token-but-no-client-uat")

        /** The session token was issued before the client last changed (`iat` < `__client_uat`). */
        @JvmField public val SESSION_TOKEN_IAT_BEFORE_CLIENT_UAT: AuthReason = AuthReason("session-token-iat-before-client-uat")

        /** `nbf` of the session token is in the future. */
        @JvmField public val SESSION_TOKEN_NBF: AuthReason = AuthReason("session-token-nbf")

        /** `iat` of the session token is in the future. */
        @JvmField public val SESSION_TOKEN_IAT_IN_THE_FUTURE: AuthReason = AuthReason("session-token-iat-in-the-future")

        /** A machine token, an OAuth access token or a JWT-template token where a session token is expected. */
        @JvmField public val TOKEN_TYPE_MISMATCH: AuthReason = AuthReason("token-type-mismatch")

        /** Something unexpected happened while authenticating. */
        @JvmField public val UNEXPECTED_ERROR: AuthReason = AuthReason("unexpected-error")

        /** The token is not a well-formed JWT. */
        @JvmField public val TOKEN_INVALID: AuthReason = AuthReason("token-invalid")

        /** The token's `alg` is not RS256. */
        @JvmField public val TOKEN_INVALID_ALGORITHM: AuthReason = AuthReason("token-invalid-algorithm")

        /** The token's signature does not verify (e.g. another instance's token). */
        @JvmField public val TOKEN_INVALID_SIGNATURE: AuthReason = AuthReason("token-invalid-signature")

        /** The token's `azp` is missing or not an authorized party. */
        @JvmField public val TOKEN_INVALID_AUTHORIZED_PARTIES: AuthReason = AuthReason("token-invalid-authorized-parties")

        /** The token failed another claim check (`sub`, `aud`, `sid`). */
        @JvmField public val TOKEN_VERIFICATION_FAILED: AuthReason = AuthReason("token-verification-failed")

        /** The token's key id is not in the instance's JWKS. */
        @JvmField public val JWK_KID_MISMATCH: AuthReason = AuthReason("jwk-kid-mismatch")

        /** The instance's JWKS could not be loaded. */
        @JvmField public val JWK_REMOTE_FAILED_TO_LOAD: AuthReason = AuthReason("jwk-remote-failed-to-load")

        /** The wire name of an expired session token's reason: `session-token-expired-refresh-<refresh outcome>`. */
        public const val SESSION_TOKEN_EXPIRED_PREFIX: String = "session-token-expired-refresh-"

        private val known: Map<String, AuthReason> = listOf(
            CLIENT_UAT_WITHOUT_SESSION_TOKEN, DEV_BROWSER_SYNC, DEV_BROWSER_MISSING, PRIMARY_DOMAIN_CROSS_ORIGIN_SYNC,
            SESSION_TOKEN_AND_UAT_MISSING, SESSION_TOKEN_WITHOUT_CLIENT_UAT, SESSION_TOKEN_IAT_BEFORE_CLIENT_UAT,
            SESSION_TOKEN_NBF, SESSION_TOKEN_IAT_IN_THE_FUTURE, TOKEN_TYPE_MISMATCH, UNEXPECTED_ERROR, TOKEN_INVALID,
            TOKEN_INVALID_ALGORITHM, TOKEN_INVALID_SIGNATURE, TOKEN_INVALID_AUTHORIZED_PARTIES, TOKEN_VERIFICATION_FAILED,
            JWK_KID_MISMATCH, JWK_REMOTE_FAILED_TO_LOAD,
        ).associateBy { it.wireName }

        /**
         * The reason named [wireName]: one of the constants when it is known, else a new value keeping the name.
         * @throws IllegalArgumentException if [wireName] is blank.
         */
        @JvmStatic
        public fun of(wireName: String): AuthReason {
            require(wireName.isNotBlank()) { "wireName must not be blank" }
            return known[wireName] ?: AuthReason(wireName)
        }

        /**
         * `session-token-expired-refresh-<refreshOutcome>`: an expired session token, with why it was not refreshed
         * (`non-eligible-no-refresh-cookie`, `non-eligible-non-get`, a refresh error, ...).
         */
        @JvmStatic
        public fun sessionTokenExpired(refreshOutcome: String): AuthReason = of(SESSION_TOKEN_EXPIRED_PREFIX + refreshOutcome)
    }
}
