package dev.clerkkit.ktor.server

import dev.clerkkit.auth.AuthResult
import dev.clerkkit.tokens.OrganizationClaims
import dev.clerkkit.tokens.SessionClaims

/**
 * The signed-in state of a call authenticated by the [clerk] provider: `call.principal<ClerkPrincipal>()`. Every
 * property reads [result], the [AuthResult.SignedIn] that `authenticateRequest` answered. [toString] never shows the
 * token. The constructor is public so that tests of route handlers can build one; the provider is the way to obtain
 * a real one.
 *
 * @param result the signed-in result the principal stands for.
 */
public class ClerkPrincipal(
    /** The signed-in result of `authenticateRequest`, response headers included. */
    public val result: AuthResult.SignedIn,
) {
    /** `sid`, the session id (`sess_...`). */
    public val sessionId: String get() = result.sessionId

    /** `sub`, the user id (`user_...`). */
    public val userId: String get() = result.userId

    /** The active organization (`o` claim: id, slug, role, permissions), or `null`. */
    public val organization: OrganizationClaims? get() = result.organization

    /** `act.sub`, the user impersonating [userId], or `null`. */
    public val actorId: String? get() = result.actorId

    /** `sts`, the session status (`active`, `pending`), or `null` for tokens without it. */
    public val sessionStatus: String? get() = result.sessionStatus

    /** `true` when the session is `pending` (only seen with `treatPendingAsSignedOut = false`). */
    public val isPending: Boolean get() = result.isPending

    /** Every verified claim of the session token. */
    public val claims: SessionClaims get() = result.claims

    /** The session token (from `Authorization`, the `__session` cookie, or a refresh). A secret: never log it. */
    public val token: String get() = result.token

    override fun toString(): String =
        "ClerkPrincipal(sessionId=$sessionId, userId=$userId, organization=${organization?.id}, sessionStatus=$sessionStatus, actorId=$actorId)"
}
