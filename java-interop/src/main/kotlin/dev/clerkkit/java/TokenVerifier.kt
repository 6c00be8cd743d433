package dev.clerkkit.java

import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.SessionTokenVerifier
import dev.clerkkit.tokens.TokenVerifierOptions
import java.util.concurrent.CompletableFuture

/**
 * Session-token verification for Java with the options it was made with ([ClerkJavaClient.tokenVerifier]), answering
 * a future or blocking. Thread-safe; create one per set of options and share it (it holds the JWKS cache).
 * An interface so that your own tests can fake it.
 */
public interface TokenVerifier {
    /** The options this verifier checks tokens with. */
    public fun options(): TokenVerifierOptions

    /** True when a PEM key is configured: verification never performs I/O. */
    public fun isNetworkless(): Boolean

    /** Verifies [token] and completes with its claims, or with [dev.clerkkit.tokens.TokenVerificationException]. */
    public fun verify(token: String): CompletableFuture<SessionClaims>

    /**
     * Verifies [token] and returns its claims. With a PEM key this is pure computation on the calling thread; without
     * one it may wait for a JWKS fetch. @throws dev.clerkkit.tokens.TokenVerificationException when it is not valid.
     */
    public fun verifyBlocking(token: String): SessionClaims
}

/** [TokenVerifier] over the core's [SessionTokenVerifier] (one JWKS cache per verifier). */
internal class DefaultTokenVerifier(private val verifier: SessionTokenVerifier, private val futures: Futures) : TokenVerifier {
    override fun options(): TokenVerifierOptions = verifier.options
    override fun isNetworkless(): Boolean = verifier.isNetworkless
    override fun verify(token: String): CompletableFuture<SessionClaims> = futures.future { verifier.verify(token) }
    override fun verifyBlocking(token: String): SessionClaims =
        if (verifier.isNetworkless) verifier.verifyBlocking(token) else futures.blocking { verifier.verify(token) }
    override fun toString(): String = "TokenVerifier($verifier)"
}
