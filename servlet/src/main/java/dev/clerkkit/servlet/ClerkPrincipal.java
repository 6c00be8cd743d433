package dev.clerkkit.servlet;

import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.tokens.OrganizationClaims;
import dev.clerkkit.tokens.SessionClaims;
import java.security.Principal;
import java.util.Objects;
import java.util.Optional;

/**
 * The signed-in Clerk user of a request, as {@link ClerkAuthFilter} exposes it through
 * {@code HttpServletRequest.getUserPrincipal()}: {@link #getName()} is the user id ({@code sub}).
 *
 * <p>{@link #toString()} shows the user and session ids only, never the session token; the token is reachable through
 * {@link #getResult()} for callers that must forward it. Two principals are equal when their user and session ids are.
 */
public final class ClerkPrincipal implements Principal {
    private final AuthResult.SignedIn result;

    /**
     * The principal of a signed-in result. Public so that tests of code reading principals can build one;
     * {@link ClerkAuthFilter} makes the real ones.
     *
     * @param result the signed-in result of {@code authenticateRequest}.
     */
    public ClerkPrincipal(AuthResult.SignedIn result) {
        this.result = Objects.requireNonNull(result, "result");
    }

    /** The user id ({@code sub}, {@code user_...}). */
    @Override
    public String getName() {
        return result.getUserId();
    }

    /** The user id ({@code sub}, {@code user_...}); the same as {@link #getName()}. */
    public String getUserId() {
        return result.getUserId();
    }

    /** The session id ({@code sid}, {@code sess_...}). */
    public String getSessionId() {
        return result.getSessionId();
    }

    /** The session status ({@code sts}: {@code active}, {@code pending}), empty for tokens without it. */
    public Optional<String> getSessionStatus() {
        return result.getSessionStatus();
    }

    /** The active organization (id, slug, role, permissions), if any. */
    public Optional<OrganizationClaims> getOrganization() {
        return result.getOrganization();
    }

    /** The impersonating user ({@code act.sub}), if the session is an impersonation. */
    public Optional<String> getActorId() {
        return result.getActorId();
    }

    /** Every verified claim of the session token. */
    public SessionClaims getClaims() {
        return result.getClaims();
    }

    /** The whole signed-in result, the session token among it ({@code getToken()}, a secret: never log it). */
    public AuthResult.SignedIn getResult() {
        return result;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClerkPrincipal
            && ((ClerkPrincipal) other).getUserId().equals(getUserId())
            && ((ClerkPrincipal) other).getSessionId().equals(getSessionId());
    }

    @Override
    public int hashCode() {
        return Objects.hash(getUserId(), getSessionId());
    }

    @Override
    public String toString() {
        return "ClerkPrincipal(userId=" + getUserId() + ", sessionId=" + getSessionId() + ")";
    }
}
