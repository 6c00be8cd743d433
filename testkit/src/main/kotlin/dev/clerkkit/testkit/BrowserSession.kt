package dev.clerkkit.testkit

import java.security.MessageDigest
import java.util.Base64

/**
 * The browser side of a signed-in user, as Clerk's Frontend API leaves it: the `__session` cookie (a session token),
 * `__client_uat` (when the client last changed, epoch seconds; `0` when signed out) and `__refresh` (the refresh
 * token `POST /v1/sessions/{id}/refresh` accepts for this session). Made by [ClerkSandbox.signIn].
 *
 * [cookieHeader] renders a `Cookie` request header with unsuffixed names (`__session`) or names suffixed with
 * [cookieSuffix] (`__session_<suffix>`), as current Clerk frontends set them. [toString] shows the session id only:
 * the token and the refresh token are secrets.
 */
public class BrowserSession internal constructor(
    /** The session the cookies belong to (`sess_...`). */
    public val sessionId: String,
    /** The `__session` cookie's value: a session token. */
    public val sessionToken: String,
    /** The `__client_uat` cookie's value, epoch seconds. */
    public val clientUat: Long,
    /** The `__refresh` cookie's value. */
    public val refreshToken: String,
    /** The suffix of this instance's cookie names ([cookieSuffixOf] of its publishable key). */
    public val cookieSuffix: String,
) {
    /**
     * A `Cookie` header value holding `__session`, `__client_uat` and `__refresh` (the last one always suffixed, as
     * Clerk sets it), with suffixed `__session`/`__client_uat` names when [suffixed] is `true` (the default).
     */
    @JvmOverloads
    public fun cookieHeader(suffixed: Boolean = true): String {
        val s = if (suffixed) "_$cookieSuffix" else ""
        return "__session$s=$sessionToken; __client_uat$s=$clientUat; __refresh_$cookieSuffix=$refreshToken"
    }

    /** This session with another `__session` value (e.g. an expired token from [ClerkSandbox.issueToken]). */
    public fun withSessionToken(token: String): BrowserSession = BrowserSession(sessionId, token, clientUat, refreshToken, cookieSuffix)

    /** This session with another `__client_uat` value. */
    public fun withClientUat(uat: Long): BrowserSession = BrowserSession(sessionId, sessionToken, uat, refreshToken, cookieSuffix)

    override fun toString(): String = "BrowserSession(sessionId=$sessionId, clientUat=$clientUat)"

    /** Cookie-name helpers. */
    public companion object {
        /**
         * The cookie suffix Clerk derives from a publishable key: the first 8 characters of the URL-safe base64 of the
         * key's SHA-1.
         */
        @JvmStatic
        public fun cookieSuffixOf(publishableKey: String): String {
            val digest = MessageDigest.getInstance("SHA-1").digest(publishableKey.toByteArray())
            return Base64.getUrlEncoder().encodeToString(digest).take(8)
        }
    }
}
