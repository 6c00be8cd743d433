package dev.clerkkit.auth

import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.sessions.RefreshFormat
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.tokens.SessionClaims
import dev.clerkkit.tokens.SessionTokenVerifier
import dev.clerkkit.tokens.TokenCategory
import dev.clerkkit.tokens.TokenVerificationException
import dev.clerkkit.tokens.TokenVerificationException.Reason
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.doubleOrNull
import java.net.URI
import java.net.URLDecoder
import java.net.URLEncoder
import java.nio.charset.StandardCharsets
import java.util.Base64
import kotlin.coroutines.cancellation.CancellationException

/**
 * `@clerk/backend`'s `authenticateRequest` decision tree for session tokens: header before cookie, the `__client_uat`
 * checks, verification, refresh of an expired token through [sessions], the handshake for document requests, debug
 * headers. Never throws (except cancellation); a malformed token never leads to a network call.
 */
internal class RequestAuthenticator(
    private val options: AuthenticateRequestOptions,
    private val verifier: SessionTokenVerifier,
    private val sessions: Sessions,
) {
    suspend fun authenticate(request: AuthRequest): AuthResult = try {
        Context(request, options).run()
    } catch (e: CancellationException) {
        throw e
    } catch (_: Exception) {
        signedOut(AuthReason.UNEXPECTED_ERROR, "")
    }

    private inner class Context(val request: AuthRequest, val options: AuthenticateRequestOptions) {
        val method = request.method
        val cookies: Map<String, String> = parseCookies(request.headerValues("cookie"))
        val clerkUrl: URI? = deriveUrl()
        val origin: String? = clerkUrl?.let { "${it.scheme}://${it.rawAuthority}" }
        val tokenInHeader: String? = parseAuthorization(header("authorization"))
        val suffixed: Boolean = usesSuffixedCookies()
        val sessionTokenInCookie: String? = suffixedOrNot("__session")
        val refreshTokenInCookie: String? = options.cookieSuffix?.let { cookie("__refresh_$it") }
        val clientUat: Long = suffixedOrNot("__client_uat")?.let(::parseIntPrefix) ?: 0
        val devBrowserToken: String? = queryParam("__clerk_db_jwt") ?: suffixedOrNot("__clerk_db_jwt")
        val redirectCount: Long = cookie("__clerk_redirect_count")?.toLongOrNull() ?: 0
        val sessionToken: String? get() = sessionTokenInCookie ?: tokenInHeader

        suspend fun run(): AuthResult {
            tokenInHeader?.let { return fromHeader(it) }
            return fromCookie()
        }

        private suspend fun fromHeader(token: String): AuthResult {
            if (TokenCategory.isOpaqueMachineToken(token)) return signedOut(AuthReason.TOKEN_TYPE_MISMATCH, "")
            val decoded = decode(token) ?: return sessionTokenError(invalid(), "header")
            if (TokenCategory.nonSessionKind(decoded.header, decoded.payload) != null) {
                return signedOut(AuthReason.TOKEN_TYPE_MISMATCH, "")
            }
            return verified(token, "header")
        }

        private suspend fun fromCookie(): AuthResult {
            if (options.isDevelopment && queryParam("__clerk_db_jwt") != null) return maybeHandshake(AuthReason.DEV_BROWSER_SYNC, "")
            if (options.isDevelopment && devBrowserToken == null) return maybeHandshake(AuthReason.DEV_BROWSER_MISSING, "")
            val hasActiveClient = clientUat != 0L
            val token = sessionTokenInCookie
            if (!hasActiveClient && token == null) return signedOut(AuthReason.SESSION_TOKEN_AND_UAT_MISSING, "")
            if (!hasActiveClient) return maybeHandshake(AuthReason.SESSION_TOKEN_WITHOUT_CLIENT_UAT, "")
            if (token == null) return maybeHandshake(AuthReason.CLIENT_UAT_WITHOUT_SESSION_TOKEN, "")
            val decoded = decode(token) ?: return sessionTokenError(invalid(), "cookie")
            if (TokenCategory.nonSessionKind(decoded.header, decoded.payload) != null) {
                return signedOut(AuthReason.TOKEN_TYPE_MISMATCH, "")
            }
            val iat = (decoded.payload["iat"] as? JsonPrimitive)?.takeIf { !it.isString }?.doubleOrNull
            if (iat != null && iat < clientUat) return maybeHandshake(AuthReason.SESSION_TOKEN_IAT_BEFORE_CLIENT_UAT, "")
            val result = verified(token, "cookie")
            if (result is AuthResult.SignedIn && method == "GET" && header("sec-fetch-dest") == "document" &&
                isCrossOriginReferrer() && !isKnownClerkReferrer() && redirectCount == 0L
            ) {
                return maybeHandshake(AuthReason.PRIMARY_DOMAIN_CROSS_ORIGIN_SYNC, "Cross-origin request from satellite domain requires handshake")
            }
            return result
        }

        private suspend fun verified(token: String, carrier: String): AuthResult {
            val claims = try {
                verifier.verify(token)
            } catch (e: TokenVerificationException) {
                return sessionTokenError(e, carrier)
            }
            return signedIn(claims, token, emptyMap())
        }

        private suspend fun sessionTokenError(e: TokenVerificationException, carrier: String): AuthResult {
            val reason = wireReason(e)
            val message = "${e.message.orEmpty()} (reason=${reason.wireName}, token-carrier=$carrier)"
            if (e.reason == Reason.EXPIRED) {
                val refreshError = if (refreshTokenInCookie != null && method == "GET") {
                    when (val refreshed = refresh()) {
                        is Refreshed.Ok -> return refreshed.result
                        is Refreshed.Failed -> refreshed.reason
                    }
                } else if (method != "GET") {
                    "non-eligible-non-get"
                } else {
                    "non-eligible-no-refresh-cookie"
                }
                return maybeHandshake(AuthReason.sessionTokenExpired(refreshError), message)
            }
            return when (e.reason) {
                Reason.NOT_YET_VALID -> maybeHandshake(AuthReason.SESSION_TOKEN_NBF, message)
                Reason.ISSUED_IN_FUTURE -> maybeHandshake(AuthReason.SESSION_TOKEN_IAT_IN_THE_FUTURE, message)
                else -> signedOut(reason, message)
            }
        }

        private suspend fun refresh(): Refreshed {
            val expired = sessionToken ?: return Refreshed.Failed("missing-session-token")
            val refreshToken = refreshTokenInCookie ?: return Refreshed.Failed("missing-refresh-token")
            val decoded = decode(expired) ?: return Refreshed.Failed("expired-session-token-decode-failed")
            val sid = (decoded.payload["sid"] as? JsonPrimitive)?.takeIf { it.isString }?.content
            if (sid.isNullOrEmpty()) return Refreshed.Failed("expired-session-token-missing-sid-claim")
            val requestOrigin = origin ?: return Refreshed.Failed("unexpected-sdk-error")
            val cookiesToSet = try {
                val params = RefreshSessionParams {
                    sessionId = sid
                    expiredToken = expired
                    this.refreshToken = refreshToken
                    this.requestOrigin = requestOrigin
                    requestHeaders = request.headers.mapValues { (_, v) -> listOf(v.joinToString(", ").take(MAX_HEADER_CHARS)) }
                    format = RefreshFormat.COOKIE
                }
                when (val r = sessions.refresh(params)) {
                    is SessionRefresh.Cookies -> r.cookies
                    is SessionRefresh.Token -> emptyList()
                }
            } catch (e: CancellationException) {
                throw e
            } catch (e: ClerkApiException) {
                val code = e.errors.firstOrNull()?.code
                return Refreshed.Failed(
                    when {
                        code == null -> "unexpected-bapi-error"
                        code == "unexpected_error" -> "fetch-error"
                        else -> code
                    },
                )
            } catch (_: Exception) {
                return Refreshed.Failed("unexpected-bapi-error")
            }
            if (cookiesToSet.isEmpty()) return Refreshed.Failed("unexpected-sdk-error")
            var newToken = ""
            for (c in cookiesToSet) {
                val pair = c.substringBefore(';')
                if (pair.substringBefore('=').startsWith("__session")) newToken = pair.substringAfter('=', "").substringBefore('=')
            }
            val claims = try {
                verifier.verify(newToken)
            } catch (_: TokenVerificationException) {
                return Refreshed.Failed("invalid-session-token")
            }
            return Refreshed.Ok(signedIn(claims, newToken, mapOf("set-cookie" to cookiesToSet)))
        }

        private fun maybeHandshake(reason: AuthReason, message: String): AuthResult {
            if (!eligibleForHandshake()) return signedOut(reason, message)
            val frontendApi = options.frontendApi ?: return signedOut(reason, message)
            val url = clerkUrl ?: return signedOut(reason, message)
            if (redirectCount == 3L) return signedOut(reason, message)
            val base = if (frontendApi.startsWith("http")) frontendApi.trimEnd('/') else "https://${frontendApi.trimEnd('/')}"
            val query = buildList {
                add("redirect_url" to withoutDevBrowser(url))
                add("__clerk_api_version" to HANDSHAKE_API_VERSION)
                add("suffixed_cookies" to suffixed.toString())
                add("__clerk_hs_reason" to reason.wireName)
                add("format" to "nonce")
                sessionToken?.let { add("__session" to it) }
                if (options.isDevelopment) devBrowserToken?.let { add("__clerk_db_jwt" to it) }
            }.joinToString("&") { (k, v) -> "${form(k)}=${form(v)}" }
            val location = "$base/v1/client/handshake?$query"
            val headers = linkedMapOf(
                "location" to listOf(location),
                "cache-control" to listOf("no-store"),
                "set-cookie" to listOf("__clerk_redirect_count=${redirectCount + 1}; SameSite=Lax; HttpOnly; Max-Age=2"),
            )
            withDebug(headers, AuthResult.STATUS_HANDSHAKE, reason, message)
            return AuthResult.Handshake(reason, message, location, headers)
        }

        private fun eligibleForHandshake(): Boolean {
            if (method != "GET") return false
            val dest = header("sec-fetch-dest")
            if (dest == "document" || dest == "iframe") return true
            return dest == null && header("accept")?.startsWith("text/html") == true
        }

        private fun isCrossOriginReferrer(): Boolean {
            val ref = header("referer") ?: return false
            val own = origin ?: return false
            return originOf(ref)?.let { it != own } ?: false
        }

        private fun isKnownClerkReferrer(): Boolean {
            val ref = header("referer") ?: return false
            val host = try {
                URI(ref).host
            } catch (_: Exception) {
                null
            } ?: return false
            val fapi = options.frontendApi ?: return false
            val fapiHost = if (fapi.startsWith("http")) runCatching { URI(fapi).host }.getOrNull() else fapi
            if (host == fapiHost) return true
            if (options.isDevelopment) {
                if (host.startsWith("accounts.") && listOf(".lcl.dev", ".lclstage.dev", ".lclclerk.com").any { host.endsWith(it) }) return true
                if (listOf(".accounts.dev", ".accountsstage.dev", ".accounts.lclclerk.com").any { host.endsWith(it) && !host.endsWith(".clerk$it") }) {
                    return true
                }
            }
            val accounts = fapi.replaceFirst(Regex("clerk\\.accountsstage\\."), "accountsstage.")
                .replaceFirst(Regex("clerk\\.accounts\\.|clerk\\."), "accounts.")
            return originOf(ref) == originOf("https://$accounts")
        }

        // ---- request reading -------------------------------------------------------------------------------------

        fun header(name: String): String? {
            val values = request.headerValues(name)
            if (values.isEmpty()) return null
            return values.joinToString(", ").take(MAX_HEADER_CHARS).ifEmpty { null }
        }

        private fun cookie(name: String): String? = cookies[name]?.ifEmpty { null }

        private fun suffixedOrNot(name: String): String? =
            if (suffixed) options.cookieSuffix?.let { cookie("${name}_$it") } else cookie(name)

        private fun queryParam(name: String): String? {
            val raw = clerkUrl?.rawQuery ?: return null
            for (part in raw.split('&')) {
                val k = decodeForm(part.substringBefore('='))
                if (k == name) return decodeForm(part.substringAfter('=', ""))
            }
            return null
        }

        /** `@clerk/backend`'s `usesSuffixedCookies`. */
        private fun usesSuffixedCookies(): Boolean {
            val suffix = options.cookieSuffix ?: return false
            val suffixedUat = cookie("__client_uat_$suffix")
            val uat = cookie("__client_uat")
            val suffixedSession = cookie("__session_$suffix").orEmpty()
            val session = cookie("__session").orEmpty()
            if (session.isNotEmpty()) {
                val d = decode(session)
                val iss = (d?.payload?.get("iss") as? JsonPrimitive)?.takeIf { it.isString }?.content
                if (iss.isNullOrEmpty()) return false
                if (iss.replace(Regex("https?://", RegexOption.IGNORE_CASE), "") != options.frontendApi) return true
            }
            if (suffixedUat == null && suffixedSession.isEmpty()) return false
            val sessionIat = decode(session)?.payload?.get("iat")?.let { (it as? JsonPrimitive)?.doubleOrNull } ?: 0.0
            val suffixedDecoded = decode(suffixedSession)
            val suffixedIat = suffixedDecoded?.payload?.get("iat")?.let { (it as? JsonPrimitive)?.doubleOrNull } ?: 0.0
            if (suffixedUat != "0" && uat != "0" && sessionIat > suffixedIat) return false
            if (suffixedUat == "0" && uat != "0") return false
            if (options.isDevelopment) {
                val exp = suffixedDecoded?.payload?.get("exp")?.let { (it as? JsonPrimitive)?.doubleOrNull }
                val expired = exp != null && exp <= options.clock.millis() / 1000
                if (suffixedUat != "0" && uat == "0" && expired) return false
            }
            if (suffixedUat == null && suffixedSession.isNotEmpty()) return false
            return true
        }

        private fun deriveUrl(): URI? = try {
            val initial = URI(request.url)
            val forwardedProto = header("x-forwarded-proto")?.substringBefore(',')?.trim()?.ifEmpty { null }
            val forwardedHost = header("x-forwarded-host")?.substringBefore(',')?.trim()?.ifEmpty { null }
            val host = forwardedHost ?: header("host") ?: initial.rawAuthority
            val proto = forwardedProto ?: initial.scheme
            if (host != null && proto != null) URI("$proto://$host${initial.rawPath.orEmpty()}${initial.rawQuery?.let { "?$it" }.orEmpty()}") else initial
        } catch (_: Exception) {
            null
        }

        private fun withoutDevBrowser(url: URI): String {
            val q = url.rawQuery?.split('&')?.filter {
                val k = decodeForm(it.substringBefore('='))
                k != "__clerk_db_jwt" && k != "__dev_session"
            }?.joinToString("&")
            val path = url.rawPath?.ifEmpty { "/" } ?: "/"
            return "${url.scheme}://${url.rawAuthority}$path${if (q.isNullOrEmpty()) "" else "?$q"}"
        }
    }

    private sealed class Refreshed {
        class Ok(val result: AuthResult.SignedIn) : Refreshed()
        class Failed(val reason: String) : Refreshed()
    }

    private class Decoded(val header: JsonObject, val payload: JsonObject)

    private fun signedIn(claims: SessionClaims, token: String, headers: Map<String, List<String>>): AuthResult.SignedIn =
        AuthResult.SignedIn(claims, token, headers, options.treatPendingAsSignedOut)

    private fun signedOut(reason: AuthReason, message: String): AuthResult.SignedOut {
        val headers = LinkedHashMap<String, List<String>>()
        withDebug(headers, AuthResult.STATUS_SIGNED_OUT, reason, message)
        return AuthResult.SignedOut(reason, message, headers)
    }

    private companion object {
        /** Longest header value read (longer `Authorization`/`Cookie`/... values are cut there; a cut token fails to verify). */
        private const val MAX_HEADER_CHARS: Int = 16 * 1024

        /** Most cookies parsed from the `Cookie` header(s). */
        private const val MAX_COOKIES: Int = 256

        /** The Backend API version Clerk's handshake is asked to speak (as `@clerk/backend` sends it). */
        private const val HANDSHAKE_API_VERSION: String = "2026-05-12"

        fun withDebug(headers: MutableMap<String, List<String>>, status: String, reason: AuthReason, message: String) {
            val safe = message.filter { it in ' '..'~' }
            if (safe.isNotEmpty()) headers["x-clerk-auth-message"] = listOf(safe)
            headers["x-clerk-auth-reason"] = listOf(reason.wireName)
            headers["x-clerk-auth-status"] = listOf(status)
        }

        fun invalid() = TokenVerificationException(Reason.MALFORMED, "Invalid JWT form. A JWT consists of three parts separated by dots.")

        fun wireReason(e: TokenVerificationException): AuthReason = when (e.reason) {
            Reason.MALFORMED -> AuthReason.TOKEN_INVALID
            Reason.UNSUPPORTED_ALGORITHM -> AuthReason.TOKEN_INVALID_ALGORITHM
            Reason.UNKNOWN_KID -> AuthReason.JWK_KID_MISMATCH
            Reason.BAD_SIGNATURE -> AuthReason.TOKEN_INVALID_SIGNATURE
            Reason.EXPIRED -> AuthReason.of("token-expired")
            Reason.NOT_YET_VALID -> AuthReason.of("token-not-active-yet")
            Reason.ISSUED_IN_FUTURE -> AuthReason.of("token-iat-in-the-future")
            Reason.UNAUTHORIZED_PARTY -> AuthReason.TOKEN_INVALID_AUTHORIZED_PARTIES
            Reason.WRONG_AUDIENCE, Reason.NOT_A_SESSION_TOKEN -> AuthReason.TOKEN_VERIFICATION_FAILED
            Reason.JWKS_UNAVAILABLE -> AuthReason.JWK_REMOTE_FAILED_TO_LOAD
        }

        private val JWT_FORMAT = Regex("^[a-zA-Z0-9\\-_]+\\.[a-zA-Z0-9\\-_]+\\.[a-zA-Z0-9\\-_]+$")

        /** Header and payload of a compact JWS without verification, or `null` when it is not one (no I/O). */
        fun decode(token: String): Decoded? {
            if (token.isEmpty() || token.length > MAX_HEADER_CHARS || !JWT_FORMAT.matches(token)) return null
            val parts = token.split('.')
            return try {
                val h = Json.parseToJsonElement(String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8)) as? JsonObject
                val p = Json.parseToJsonElement(String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)) as? JsonObject
                if (h == null || p == null) null else Decoded(h, p)
            } catch (_: Exception) {
                null
            }
        }

        /** `@clerk/backend`'s `parseAuthorizationHeader`: the `Bearer` scheme or a bare token; other schemes ignored. */
        fun parseAuthorization(value: String?): String? {
            if (value.isNullOrEmpty()) return null
            val parts = value.split(' ')
            val scheme = parts[0]
            val token = parts.getOrNull(1)
            if (token.isNullOrEmpty()) return scheme.ifEmpty { null }
            return if (scheme == "Bearer") token else null
        }

        /** RFC 6265 `Cookie` parsing as the `cookie` package does it: first occurrence wins, quotes and %-escapes removed. */
        fun parseCookies(values: List<String>): Map<String, String> {
            val out = HashMap<String, String>()
            var budget = MAX_HEADER_CHARS * 4
            for (raw in values) {
                val header = raw.take(budget)
                budget -= header.length
                for (pair in header.split(';')) {
                    if (out.size >= MAX_COOKIES) return out
                    val eq = pair.indexOf('=')
                    if (eq < 0) continue
                    val name = pair.substring(0, eq).trim()
                    if (name.isEmpty() || name in out) continue
                    var v = pair.substring(eq + 1).trim()
                    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.substring(1, v.length - 1)
                    out[name] = if ('%' in v) {
                        try {
                            URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8)
                        } catch (_: IllegalArgumentException) {
                            v
                        }
                    } else {
                        v
                    }
                }
                if (budget <= 0) break
            }
            return out
        }

        /** The leading integer of [s], as `Number.parseInt` reads it; `null` when there is none. */
        fun parseIntPrefix(s: String): Long? = Regex("^\\s*[+-]?\\d+").find(s)?.value?.trim()?.toLongOrNull()

        fun originOf(url: String): String? = try {
            val u = URI(url)
            if (u.scheme == null || u.rawAuthority == null) null else "${u.scheme}://${u.rawAuthority}"
        } catch (_: Exception) {
            null
        }

        fun form(s: String): String = URLEncoder.encode(s, StandardCharsets.UTF_8)

        fun decodeForm(s: String): String = try {
            URLDecoder.decode(s, StandardCharsets.UTF_8)
        } catch (_: IllegalArgumentException) {
            s
        }
    }
}
