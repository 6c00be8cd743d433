package dev.clerkkit.java

import dev.clerkkit.auth.AuthRequest
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.TokenVerifierOptions

/**
 * The blocking view of a [ClerkJavaClient] (`clerk.blocking()`): the same client, each call returning its value or
 * throwing the typed exception itself. Closing the [ClerkJavaClient] closes this view too. An interface so that your
 * own tests can fake it.
 */
public interface ClerkBlockingClient {
    /** The Sessions resource, blocking. */
    public fun sessions(): SessionsBlocking

    /**
     * Verifies a session token locally and returns its claims (see [ClerkJavaClient.verifyToken]). With a PEM key it
     * never touches the network (pure computation, safe on any thread); without one it may wait for the first JWKS
     * fetch. @throws dev.clerkkit.tokens.TokenVerificationException when the token is not valid.
     */
    public fun verifyToken(token: String): SessionClaims

    /** [ClerkJavaClient.tokenVerifier]: a verifier with [options]; its `verifyBlocking` is the blocking form. */
    public fun tokenVerifier(options: TokenVerifierOptions): TokenVerifier

    /**
     * [ClerkJavaClient.authenticateRequest] with the default options, waiting for the answer (a network call happens
     * only for a JWKS fetch or a session refresh). Never throws for bad input.
     */
    public fun authenticateRequest(request: AuthRequest): AuthResult

    /** [ClerkJavaClient.authenticateRequest] with [options], waiting for the answer. */
    public fun authenticateRequest(request: AuthRequest, options: AuthenticateRequestOptions): AuthResult

    /** The asynchronous client this is the blocking view of. */
    public fun async(): ClerkJavaClient
}

/** The [ClerkBlockingClient] of [client]. */
internal class DefaultClerkBlockingClient(
    private val client: ClerkJavaClient,
    private val sessions: SessionsBlocking,
    private val tokens: () -> TokenVerifier,
) : ClerkBlockingClient {
    override fun sessions(): SessionsBlocking = sessions
    override fun verifyToken(token: String): SessionClaims = tokens().verifyBlocking(token)
    override fun tokenVerifier(options: TokenVerifierOptions): TokenVerifier = client.tokenVerifier(options)
    override fun authenticateRequest(request: AuthRequest): AuthResult = Blocking.await(client.authenticateRequest(request))
    override fun authenticateRequest(request: AuthRequest, options: AuthenticateRequestOptions): AuthResult =
        Blocking.await(client.authenticateRequest(request, options))
    override fun async(): ClerkJavaClient = client
    override fun toString(): String = "ClerkBlockingClient($client)"
}
