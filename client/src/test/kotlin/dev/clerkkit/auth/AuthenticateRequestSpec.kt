package dev.clerkkit.auth

import dev.clerkkit.ClerkClient
import dev.clerkkit.testkit.BrowserSession
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.MutableClock
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import java.net.URLDecoder
import java.time.Duration
import java.time.Instant
import java.util.Base64

/** Every state and reason of authenticateRequest, against the sandbox over real sockets (default OkHttp engine). */
class AuthenticateRequestSpec : FunSpec({
    val clock = MutableClock(Instant.parse("2026-06-01T10:00:00Z"))
    val party = "https://app.example.com"
    val sandbox = ClerkSandbox.start { this.clock = clock; authorizedParty = party }
    val clerk = ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }
    afterSpec { clerk.close(); sandbox.close() }
    val options = AuthenticateRequestOptions {
        publishableKey = sandbox.publishableKey
        authorizedParties = setOf(party)
        this.clock = clock
    }

    fun newSession(): String = sandbox.addSession(sandbox.addUser())

    /** The dev browser cookies a development instance's browser carries (read suffixed or not, as the session). */
    val devBrowser = "__clerk_db_jwt=dvb_test; __clerk_db_jwt_${BrowserSession.cookieSuffixOf(sandbox.publishableKey)}=dvb_test"

    fun request(
        method: String = "GET",
        url: String = "$party/dashboard?tab=1",
        document: Boolean = false,
        headers: Map<String, List<String>> = emptyMap(),
        cookie: String? = null,
    ): AuthRequest {
        val b = AuthRequest.builder().method(method).url(url).headers(headers)
        if (document) b.header("Sec-Fetch-Dest", "document")
        if (cookie != null) b.header("Cookie", cookie)
        return b.build()
    }

    suspend fun auth(r: AuthRequest, o: AuthenticateRequestOptions = options) = clerk.authenticateRequest(r, o)

    suspend fun signedOut(r: AuthRequest, reason: String, o: AuthenticateRequestOptions = options): AuthResult.SignedOut {
        val res = auth(r, o).shouldBeInstanceOf<AuthResult.SignedOut>()
        res.reason.wireName shouldBe reason
        res.headers["x-clerk-auth-status"] shouldBe listOf("signed-out")
        res.headers["x-clerk-auth-reason"] shouldBe listOf(reason)
        return res
    }

    suspend fun handshake(r: AuthRequest, reason: String): AuthResult.Handshake {
        val res = auth(r).shouldBeInstanceOf<AuthResult.Handshake>()
        res.reason.wireName shouldBe reason
        res.headers["x-clerk-auth-status"] shouldBe listOf("handshake")
        res.headers["x-clerk-auth-reason"] shouldBe listOf(reason)
        res.headers["cache-control"] shouldBe listOf("no-store")
        res.headers["location"] shouldBe listOf(res.location)
        res.location shouldStartWith "https://clerk.sandbox.local/v1/client/handshake?redirect_url="
        res.location shouldContain "__clerk_hs_reason=$reason"
        return res
    }

    fun bearer(token: String) = mapOf("Authorization" to listOf("Bearer $token"))

    context("token in the Authorization header") {
        test("Bearer and scheme-less tokens sign in; typed claims; no debug headers") {
            val sid = sandbox.addSession(sandbox.addUser(), lastActiveOrganizationId = "org_Acme")
            val token = sandbox.issueToken(sid)
            val res = auth(request(headers = bearer(token))).shouldBeInstanceOf<AuthResult.SignedIn>()
            res.status shouldBe "signed-in"
            res.sessionId shouldBe sid
            res.userId shouldBe sandbox.session(sid)!!["user_id"].toString().trim('"')
            res.organization!!.id shouldBe "org_Acme"
            res.organization!!.role shouldBe "org:admin"
            res.sessionStatus shouldBe "active"
            res.isAuthenticated shouldBe true
            res.token shouldBe token
            res.headers shouldBe emptyMap()
            res.toString() shouldNotContain token
            auth(request(headers = mapOf("authorization" to listOf(token)))).shouldBeInstanceOf<AuthResult.SignedIn>()
        }
        test("other schemes are ignored (the cookie path decides)") {
            signedOut(request(headers = mapOf("Authorization" to listOf("Basic dXNlcjpwYXNz")), cookie = devBrowser), "session-token-and-uat-missing")
        }
        test("machine tokens and JWT-template tokens: token-type-mismatch, without any request") {
            val before = sandbox.stats.totalRequests
            for (t in listOf("ak_1234567890", "mt_1234567890", "oat_1234567890", sandbox.issueTemplateToken(newSession()))) {
                signedOut(request(headers = bearer(t)), "token-type-mismatch")
            }
            sandbox.stats.totalRequests shouldBe before
        }
        test("not a JWT, several Authorization headers, alg other than RS256: no network call") {
            val good = sandbox.issueToken(newSession())
            auth(request(headers = bearer(good))) // warm JWKS
            val before = sandbox.stats.totalRequests
            signedOut(request(headers = bearer("not-a-jwt")), "token-invalid").message shouldContain "token-carrier=header"
            signedOut(request(headers = mapOf("Authorization" to listOf("Bearer $good", "Bearer $good"))), "token-invalid")
            val (h, p, s) = good.split('.')
            val hs = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String(Base64.getUrlDecoder().decode(h)).replace("RS256", "HS256").toByteArray())
            signedOut(request(headers = bearer("$hs.$p.$s")), "token-invalid-algorithm")
            signedOut(request(headers = bearer("a".repeat(40_000))), "token-invalid")
            sandbox.stats.totalRequests shouldBe before
        }
        test("another instance's token: jwk-kid-mismatch; forged kid: token-invalid-signature") {
            ClerkSandbox.start { this.clock = clock; authorizedParty = party }.use { other ->
                val foreign = other.issueToken(other.addSession(other.addUser()))
                signedOut(request(headers = bearer(foreign)), "jwk-kid-mismatch")
                val (h, p, s) = foreign.split('.')
                val header = String(Base64.getUrlDecoder().decode(h)).replace(Regex("\"kid\":\"[^\"]+\""), "\"kid\":\"${sandbox.activeKeyId}\"")
                val forged = Base64.getUrlEncoder().withoutPadding().encodeToString(header.toByteArray())
                signedOut(request(headers = bearer("$forged.$p.$s")), "token-invalid-signature")
            }
        }
        test("azp missing or foreign while authorizedParties is set: token-invalid-authorized-parties") {
            val sid = newSession()
            signedOut(request(headers = bearer(sandbox.issueToken(sid, authorizedParty = null))), "token-invalid-authorized-parties")
            signedOut(request(headers = bearer(sandbox.issueToken(sid, authorizedParty = "https://evil.example"))), "token-invalid-authorized-parties")
            auth(request(headers = bearer(sandbox.issueToken(sid, authorizedParty = null))), AuthenticateRequestOptions { this.clock = clock })
                .shouldBeInstanceOf<AuthResult.SignedIn>()
        }
        test("expired: not refreshed without a refresh cookie or off GET; handshake only for documents") {
            val expired = sandbox.issueToken(newSession(), lifetimeSeconds = 60, issuedAtOffsetSeconds = -120)
            signedOut(request(method = "POST", headers = bearer(expired)), "session-token-expired-refresh-non-eligible-non-get")
            signedOut(request(headers = bearer(expired)), "session-token-expired-refresh-non-eligible-no-refresh-cookie")
                .message shouldContain "reason=token-expired"
            handshake(request(document = true, headers = bearer(expired)), "session-token-expired-refresh-non-eligible-no-refresh-cookie")
        }
        test("nbf in the future: session-token-nbf") {
            val early = sandbox.issueToken(newSession(), issuedAtOffsetSeconds = 60)
            signedOut(request(headers = bearer(early)), "session-token-nbf")
        }
    }

    context("session cookies") {
        test("no cookies / __client_uat=0: session-token-and-uat-missing, never a handshake") {
            signedOut(request(document = true, cookie = devBrowser), "session-token-and-uat-missing")
            signedOut(request(document = true, cookie = "$devBrowser; __client_uat=0"), "session-token-and-uat-missing")
        }
        test("signed-in browser: suffixed and unsuffixed cookies") {
            val b = sandbox.signIn(newSession())
            auth(request(document = true, cookie = "${b.cookieHeader()}; $devBrowser")).shouldBeInstanceOf<AuthResult.SignedIn>().sessionId shouldBe b.sessionId
            auth(request(cookie = "${b.cookieHeader(suffixed = false)}; $devBrowser")).shouldBeInstanceOf<AuthResult.SignedIn>()
        }
        test("session without __client_uat, __client_uat without session, iat before __client_uat") {
            val b = sandbox.signIn(newSession())
            val sfx = b.cookieSuffix
            handshake(request(document = true, cookie = "__session=${b.sessionToken}; $devBrowser"), "session-token-but-no-client-uat")
            // a suffixed session without its __client_uat falls back to the unsuffixed cookies, as Clerk decides
            signedOut(request(document = true, cookie = "__session_$sfx=${b.sessionToken}; $devBrowser"), "session-token-and-uat-missing")
            signedOut(request(cookie = "__session=${b.sessionToken}; $devBrowser"), "session-token-but-no-client-uat")
            handshake(request(document = true, cookie = "__client_uat=${b.clientUat}; $devBrowser"), "client-uat-but-no-session-token")
            val newer = b.withClientUat(b.clientUat + 30)
            val hs = handshake(request(document = true, cookie = "${newer.cookieHeader()}; $devBrowser"), "session-token-iat-before-client-uat")
            hs.headers["set-cookie"] shouldBe listOf("__clerk_redirect_count=1; SameSite=Lax; HttpOnly; Max-Age=2")
            hs.location shouldContain "suffixed_cookies=true"
            URLDecoder.decode(hs.location.substringAfter("redirect_url=").substringBefore('&'), "UTF-8") shouldBe "$party/dashboard?tab=1"
            hs.toString() shouldNotContain b.sessionToken
            hs.headers["x-clerk-auth-message"].shouldBeNull()
            signedOut(request(document = true, cookie = "${newer.cookieHeader()}; $devBrowser; __clerk_redirect_count=3"), "session-token-iat-before-client-uat")
        }
        test("a template token in the cookie: token-type-mismatch") {
            val b = sandbox.signIn(newSession())
            signedOut(request(cookie = "${b.withSessionToken(sandbox.issueTemplateToken(b.sessionId)).cookieHeader()}; $devBrowser"), "token-type-mismatch")
        }
        test("expired token + __refresh on GET: refreshed through sessions.refresh(format=cookie), signed in with Set-Cookie") {
            val b = sandbox.signIn(newSession(), issuedAtOffsetSeconds = -120)
            sandbox.clearRecordedRequests()
            val res = auth(request(document = true, cookie = "${b.cookieHeader()}; $devBrowser", headers = mapOf("User-Agent" to listOf("spec"))))
                .shouldBeInstanceOf<AuthResult.SignedIn>()
            res.sessionId shouldBe b.sessionId
            res.token shouldBe res.headers["set-cookie"]!!.first().substringAfter("__session=").substringBefore(';')
            res.headers["set-cookie"]!! shouldHaveSize 2
            val refresh = sandbox.requests.single { it.route == Route.REFRESH_SESSION }
            refresh.rawPath shouldBe "/v1/sessions/${b.sessionId}/refresh"
            refresh.body shouldContain "\"format\":\"cookie\""
            refresh.body shouldContain "\"request_origin\":\"$party\""
            refresh.body shouldContain "\"user-agent\":[\"spec\"]"
            res.toString() shouldNotContain res.token
        }
        test("expired token + __refresh off GET, or refused by Clerk: the refresh outcome is the reason") {
            val b = sandbox.signIn(newSession(), issuedAtOffsetSeconds = -120)
            signedOut(request(method = "POST", cookie = "${b.cookieHeader()}; $devBrowser"), "session-token-expired-refresh-non-eligible-non-get")
            sandbox.setSessionStatus(b.sessionId, "revoked")
            handshake(request(document = true, cookie = "${b.cookieHeader()}; $devBrowser"), "session-token-expired-refresh-authentication_invalid")
            signedOut(request(cookie = "${b.cookieHeader()}; $devBrowser"), "session-token-expired-refresh-authentication_invalid")
        }
        test("pending sessions are signed in but not authenticated by default") {
            val sid = newSession()
            sandbox.setSessionStatus(sid, "pending")
            val b = sandbox.signIn(sid)
            val res = auth(request(cookie = "${b.cookieHeader()}; $devBrowser")).shouldBeInstanceOf<AuthResult.SignedIn>()
            res.isPending shouldBe true
            res.isAuthenticated shouldBe false
            val lenient = options.toString().let { AuthenticateRequestOptions { publishableKey = sandbox.publishableKey; this.clock = clock; treatPendingAsSignedOut = false } }
            auth(request(cookie = "${b.cookieHeader()}; $devBrowser"), lenient).isAuthenticated shouldBe true
        }
        test("development instance: dev-browser-missing and dev-browser-sync") {
            val b = sandbox.signIn(newSession())
            handshake(request(document = true, cookie = b.cookieHeader()), "dev-browser-missing")
            signedOut(request(cookie = b.cookieHeader()), "dev-browser-missing")
            handshake(request(document = true, url = "$party/?__clerk_db_jwt=dvb_1", cookie = b.cookieHeader()), "dev-browser-sync")
                .location shouldContain "redirect_url=${java.net.URLEncoder.encode("$party/", "UTF-8")}&"
        }
        test("cross-origin document navigation of a signed-in browser: primary-domain-cross-origin-sync") {
            val b = sandbox.signIn(newSession())
            val r = request(document = true, cookie = "${b.cookieHeader()}; $devBrowser", headers = mapOf("Referer" to listOf("https://other.example/page")))
            handshake(r, "primary-domain-cross-origin-sync")
            val fromClerk = request(document = true, cookie = "${b.cookieHeader()}; $devBrowser", headers = mapOf("Referer" to listOf("https://accounts.sandbox.local/sign-in")))
            auth(fromClerk).shouldBeInstanceOf<AuthResult.SignedIn>()
        }
        test("without a publishable key: unsuffixed cookies only, no handshake (signed-out with the same reason)") {
            val b = sandbox.signIn(newSession())
            val plain = AuthenticateRequestOptions { this.clock = clock }
            auth(request(cookie = b.cookieHeader(suffixed = false)), plain).shouldBeInstanceOf<AuthResult.SignedIn>()
            signedOut(request(document = true, cookie = "__client_uat=1"), "client-uat-but-no-session-token", plain)
        }
    }

    context("bad input never throws") {
        test("malformed and oversized Cookie headers, garbage URLs") {
            signedOut(request(cookie = "garbage;;==; =x; %%%; __session=\"\"; $devBrowser"), "session-token-and-uat-missing")
            signedOut(request(cookie = "$devBrowser; __client_uat=1; __session=" + "x".repeat(1_000_000)), "token-invalid")
            auth(request(url = "not a url", cookie = devBrowser)).shouldBeInstanceOf<AuthResult.SignedOut>()
            signedOut(request(cookie = "$devBrowser; __client_uat=abc"), "session-token-and-uat-missing")
        }
    }

    test("AuthReason keeps unknown wire names; equality by wire name") {
        AuthReason.of("token-type-mismatch") shouldBe AuthReason.TOKEN_TYPE_MISMATCH
        AuthReason.of("something-new").wireName shouldBe "something-new"
        AuthReason.sessionTokenExpired("fetch-error").wireName shouldBe "session-token-expired-refresh-fetch-error"
        clock.advance(Duration.ZERO)
        BrowserSession.cookieSuffixOf(sandbox.publishableKey) shouldBe PublishableKeys.cookieSuffix(sandbox.publishableKey)
    }
})
