package dev.clerkkit.tokens

/**
 * Supplies the raw JSON body of Clerk's `GET /v1/jwks` (authenticated with the instance secret key), e.g.
 * `{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"ins_...","n":"...","e":"AQAB"}]}`.
 *
 * The client implements it on top of its single HTTP pipeline; [SessionTokenVerifier] decides when to call it
 * (cold cache, expired cache, or a rate-limited refresh on an unknown `kid`) and never calls it concurrently
 * with itself. Any exception it throws (other than the caller's own cancellation) is reported to verifications as
 * [TokenVerificationException.Reason.JWKS_UNAVAILABLE] with that exception as the cause. It is not used at all
 * when a PEM key is configured ([TokenVerifierOptions.jwtKey]).
 */
public fun interface JwksFetcher {
    /** Fetches the current JWKS document and returns it verbatim. */
    public suspend fun fetchJwks(): String
}
