package dev.clerkkit.auth

import dev.clerkkit.tokens.OrganizationClaims
import dev.clerkkit.tokens.SessionClaims
import java.util.Collections
import java.util.Optional

/**
 * The outcome of `authenticateRequest`, one of `@clerk/backend`'s three request states: [SignedIn], [SignedOut] or
 * [Handshake]. [headers] are the response headers to send back as they are (`Set-Cookie` of a refreshed session, the
 * handshake's `Location`, and on [SignedOut]/[Handshake] the debug headers `x-clerk-auth-status`,
 * `x-clerk-auth-reason` and `x-clerk-auth-message`). [toString] never shows a token.
 */
public sealed class AuthResult {
    /** `signed-in`, `signed-out` or `handshake`. */
    public abstract val status: String

    /** Response headers to set (names lower-cased; unmodifiable). Empty for most [SignedIn] results. */
    public abstract val headers: Map<String, List<String>>

    /**
     * Whether the request is from an authenticated user: a [SignedIn] result whose session is not pending, or any
     * [SignedIn] result when the options say `treatPendingAsSignedOut = false`.
     */
    public abstract val isAuthenticated: Boolean

    /**
     * A signed-in request: the verified session token and what it says. The constructor is public so that tests of
     * code using results can build one; `authenticateRequest` is the way to obtain a real one.
     *
     * @param claims the verified claims.
     * @param rawToken the session token.
     * @param responseHeaders headers to set on the response (copied).
     * @param treatPendingAsSignedOut whether a pending session makes [isAuthenticated] `false`.
     */
    public class SignedIn(
        /** The verified claims. */
        public val claims: SessionClaims,
        private val rawToken: String,
        responseHeaders: Map<String, List<String>>,
        private val treatPendingAsSignedOut: Boolean,
    ) : AuthResult() {
        override val headers: Map<String, List<String>> = frozen(responseHeaders)

        override val status: String get() = STATUS_SIGNED_IN

        /** The session token (from the header, the cookie, or the refresh). A secret: never log it. */
        public val token: String get() = rawToken

        /** `sid`, the session id. */
        public val sessionId: String get() = claims.sessionId.orEmpty()

        /** `sub`, the user id. */
        public val userId: String get() = claims.userId

        /** `sts`, the session status (`active`, `pending`), or `null` for tokens without it. Java: an `Optional`. */
        @get:JvmSynthetic public val sessionStatus: String? get() = claims.sessionStatus

        /** The active organization, or `null`. Java: an `Optional`. */
        @get:JvmSynthetic public val organization: OrganizationClaims? get() = claims.organization

        /** `act.sub`, the impersonating user, or `null`. Java: an `Optional`. */
        @get:JvmSynthetic public val actorId: String? get() = claims.actorId

        /** `true` when the session is `pending` (tasks left). */
        public val isPending: Boolean get() = claims.isPending

        override val isAuthenticated: Boolean get() = !(isPending && treatPendingAsSignedOut)

        /** [sessionStatus] for Java. */
        @JvmName("getSessionStatus") public fun sessionStatusOptional(): Optional<String> = Optional.ofNullable(sessionStatus)

        /** [organization] for Java. */
        @JvmName("getOrganization") public fun organizationOptional(): Optional<OrganizationClaims> = Optional.ofNullable(organization)

        /** [actorId] for Java. */
        @JvmName("getActorId") public fun actorIdOptional(): Optional<String> = Optional.ofNullable(actorId)

        override fun toString(): String =
            "AuthResult.SignedIn(sessionId=$sessionId, userId=$userId, sessionStatus=$sessionStatus, " +
                "organization=${organization?.id}, actorId=$actorId, headerNames=${headers.keys})"
    }

    /**
     * A signed-out request, with why.
     *
     * @param reason why the request is signed out.
     * @param message a human-readable explanation (may be empty).
     * @param responseHeaders headers to set on the response (copied), the debug headers among them.
     */
    public class SignedOut(
        /** Why the request is signed out. */
        public val reason: AuthReason,
        /** A human-readable explanation (may be empty); never contains a token. */
        public val message: String,
        responseHeaders: Map<String, List<String>>,
    ) : AuthResult() {
        override val headers: Map<String, List<String>> = frozen(responseHeaders)

        override val status: String get() = STATUS_SIGNED_OUT
        override val isAuthenticated: Boolean get() = false

        override fun toString(): String = "AuthResult.SignedOut(reason=$reason, message=$message)"
    }

    /**
     * The browser must go through Clerk's handshake: answer `307 Temporary Redirect` with [headers] (they hold
     * `Location` = [location] and `Cache-Control: no-store`).
     *
     * @param reason why a handshake is needed.
     * @param message a human-readable explanation (may be empty).
     * @param redirect the handshake URL.
     * @param responseHeaders headers to set on the response (copied).
     */
    public class Handshake(
        /** Why a handshake is needed. */
        public val reason: AuthReason,
        /** A human-readable explanation (may be empty); never contains a token. */
        public val message: String,
        private val redirect: String,
        responseHeaders: Map<String, List<String>>,
    ) : AuthResult() {
        override val headers: Map<String, List<String>> = frozen(responseHeaders)

        override val status: String get() = STATUS_HANDSHAKE
        override val isAuthenticated: Boolean get() = false

        /** The handshake URL on the instance's Frontend API. It may carry the session token: never log it. */
        public val location: String get() = redirect

        override fun toString(): String = "AuthResult.Handshake(reason=$reason, message=$message)"
    }

    /** Status names. */
    public companion object {
        /** [SignedIn.status]. */
        public const val STATUS_SIGNED_IN: String = "signed-in"

        /** [SignedOut.status]. */
        public const val STATUS_SIGNED_OUT: String = "signed-out"

        /** [Handshake.status]. */
        public const val STATUS_HANDSHAKE: String = "handshake"

        private fun frozen(headers: Map<String, List<String>>): Map<String, List<String>> =
            Collections.unmodifiableMap(LinkedHashMap(headers.mapValues { Collections.unmodifiableList(ArrayList(it.value)) }))
    }
}
