package dev.clerkkit.ktor.server

import dev.clerkkit.ClerkConfig
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import dev.clerkkit.tokens.TokenVerifierOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import io.ktor.server.auth.AuthenticationConfig
import java.net.URLDecoder
import java.net.http.HttpResponse
import java.util.Base64

/**
 * Every state and reason of authenticateRequest through the Clerk provider, in a real Ktor server (CIO) over real
 * sockets with the JDK's HTTP client, against the testkit sandbox.
 */
class ClerkAuthenticationSpec : FunSpec({
    val app = TestApp()
    afterSpec { app.close() }
    val sandbox = app.sandbox
    val dev = app.devBrowser

    fun HttpResponse<String>.header(name: String): List<String> = headers().allValues(name)

    fun userOf(sid: String) = sandbox.session(sid)!!["user_id"].toString().trim('"')

    fun signedIn(res: HttpResponse<String>, sid: String, org: String? = null, status: String = "active") {
        (res.statusCode() to res.body()) shouldBe (200 to "$sid ${userOf(sid)} $org $status")
        res.header("x-clerk-auth-status") shouldBe emptyList()
    }

    fun signedOut(res: HttpResponse<String>, reason: String, body: String = reason) {
        (res.statusCode() to res.body()) shouldBe (401 to body)
        res.header("x-clerk-auth-status") shouldBe listOf("signed-out")
        res.header("x-clerk-auth-reason") shouldBe listOf(reason)
    }

    /** A 307 to Clerk's handshake for [reason]; returns the decoded `redirect_url`. */
    fun handshake(res: HttpResponse<String>, reason: String): String {
        (res.statusCode() to res.body()) shouldBe (307 to "")
        val location = res.header("location").single()
        location shouldStartWith "https://clerk.sandbox.local/v1/client/handshake?redirect_url="
        location shouldContain "__clerk_hs_reason=$reason"
        res.header("cache-control") shouldBe listOf("no-store")
        res.header("set-cookie").single() shouldStartWith "__clerk_redirect_count=1;"
        res.header("x-clerk-auth-status") shouldBe listOf("handshake")
        res.header("x-clerk-auth-reason") shouldBe listOf(reason)
        return URLDecoder.decode(location.substringAfter("redirect_url=").substringBefore('&'), "UTF-8")
    }

    context("signed in") {
        test("by the Authorization header (Bearer or no scheme): the principal's session, user, organization, status") {
            val sid = sandbox.addSession(sandbox.addUser(), lastActiveOrganizationId = "org_Acme")
            val token = sandbox.issueToken(sid)
            signedIn(app.get("/me", bearer(token)), sid, org = "org_Acme")
            signedIn(app.get("/me", "Authorization" to token), sid, org = "org_Acme")
            signedIn(app.send("POST", "/me", bearer(token)), sid, org = "org_Acme")
            app.get("/me", bearer(token)).header("set-cookie") shouldBe emptyList()
        }
        test("by the cookies of a signed-in browser, suffixed and unsuffixed, on API and document requests") {
            val sid = app.newSession()
            val b = sandbox.signIn(sid)
            signedIn(app.get("/me", cookie("${b.cookieHeader()}; $dev")), sid)
            signedIn(app.get("/me", cookie("${b.cookieHeader(suffixed = false)}; $dev")), sid)
            signedIn(app.get("/me", cookie("${b.cookieHeader()}; $dev"), DOCUMENT), sid)
            // several Cookie headers are one cookie list
            signedIn(app.get("/me", cookie(b.cookieHeader()), cookie(dev)), sid)
        }
        test("an optional route sees the principal; a provider built from a ClerkConfig owns its client") {
            val sid = app.newSession()
            app.get("/maybe", bearer(sandbox.issueToken(sid))).body() shouldBe userOf(sid)
            signedIn(app.get("/owned/me", bearer(sandbox.issueToken(sid))), sid)
        }
        test("validate maps the session to the application's principal, or refuses it (custom challenge)") {
            val allowed = app.newSession()
            app.get("/validated/me", bearer(sandbox.issueToken(allowed))).body() shouldBe "app user ${userOf(allowed)}"
            val refused = app.newSession()
            app.blocked += userOf(refused)
            val res = app.get("/validated/me", bearer(sandbox.issueToken(refused)))
            (res.statusCode() to res.body().lineSequence().first()) shouldBe (403 to "forbidden: not allowed")
            val anonymous = app.get("/validated/me", cookie(dev))
            (anonymous.statusCode() to anonymous.body().lineSequence().first()) shouldBe (403 to "forbidden: session-token-and-uat-missing")
            anonymous.header("x-clerk-auth-reason") shouldBe listOf("session-token-and-uat-missing")
        }
        test("a pending session is no credentials by default (401; an optional route lets it through anonymous)") {
            val sid = app.newSession()
            sandbox.setSessionStatus(sid, "pending")
            val token = sandbox.issueToken(sid)
            val res = app.get("/me", bearer(token))
            (res.statusCode() to res.body()) shouldBe (401 to "unauthorized")
            app.get("/maybe", bearer(token)).body() shouldBe "anonymous signed-in"
            signedIn(app.get("/lenient/me", bearer(token)), sid, status = "pending")
        }
    }

    context("signed out: the reason as the 401's text and in the debug headers") {
        test("no credentials: 401 on a required route, anonymous on an optional one (debug headers set too)") {
            signedOut(app.get("/me", cookie(dev)), "session-token-and-uat-missing")
            signedOut(app.get("/me", cookie("$dev; __client_uat=0"), DOCUMENT), "session-token-and-uat-missing")
            val maybe = app.get("/maybe", cookie(dev))
            (maybe.statusCode() to maybe.body()) shouldBe (200 to "anonymous signed-out")
            maybe.header("x-clerk-auth-reason") shouldBe listOf("session-token-and-uat-missing")
            // a development instance's client without any cookie
            signedOut(app.get("/me"), "dev-browser-missing")
            app.get("/maybe").body() shouldBe "anonymous signed-out"
            // other schemes are ignored: the cookies decide
            signedOut(app.get("/me", "Authorization" to "Basic dXNlcjpwYXNz", cookie(dev)), "session-token-and-uat-missing")
        }
        test("tokens in the header that are not session tokens, not JWTs, not RS256: no call to Clerk") {
            val good = sandbox.issueToken(app.newSession())
            app.get("/me", bearer(good)).statusCode() shouldBe 200 // JWKS warm
            val before = sandbox.stats.totalRequests
            for (t in listOf("ak_1234567890", "mt_1234567890", "oat_1234567890", sandbox.issueTemplateToken(app.newSession()))) {
                signedOut(app.get("/me", bearer(t)), "token-type-mismatch")
            }
            signedOut(app.get("/me", bearer("not-a-jwt")), "token-invalid")
            signedOut(app.get("/me", bearer(good), bearer(good)), "token-invalid")
            val (h, p, s) = good.split('.')
            val hs = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(String(Base64.getUrlDecoder().decode(h)).replace("RS256", "HS256").toByteArray())
            signedOut(app.get("/me", bearer("$hs.$p.$s")), "token-invalid-algorithm")
            // an optional route challenges invalid credentials
            signedOut(app.get("/maybe", bearer("not-a-jwt")), "token-invalid")
            sandbox.stats.totalRequests shouldBe before
        }
        test("another instance's token, a forged key id, a foreign or missing azp, nbf in the future") {
            ClerkSandbox.start { clock = app.clock; authorizedParty = PARTY }.use { other ->
                val foreign = other.issueToken(other.addSession(other.addUser()))
                signedOut(app.get("/me", bearer(foreign)), "jwk-kid-mismatch")
                val (h, p, s) = foreign.split('.')
                val header = String(Base64.getUrlDecoder().decode(h)).replace(Regex("\"kid\":\"[^\"]+\""), "\"kid\":\"${sandbox.activeKeyId}\"")
                val forged = Base64.getUrlEncoder().withoutPadding().encodeToString(header.toByteArray())
                signedOut(app.get("/me", bearer("$forged.$p.$s")), "token-invalid-signature")
            }
            val sid = app.newSession()
            signedOut(app.get("/me", bearer(sandbox.issueToken(sid, authorizedParty = null))), "token-invalid-authorized-parties")
            signedOut(app.get("/me", bearer(sandbox.issueToken(sid, authorizedParty = "https://evil.example"))), "token-invalid-authorized-parties")
            signedIn(app.get("/plain/me", bearer(sandbox.issueToken(sid, authorizedParty = null))), sid) // no authorizedParties there
            signedOut(app.get("/me", bearer(sandbox.issueToken(sid, issuedAtOffsetSeconds = 60))), "session-token-nbf")
        }
        test("expired token in the header: not refreshed off GET or without a refresh cookie") {
            val expired = sandbox.issueToken(app.newSession(), lifetimeSeconds = 60, issuedAtOffsetSeconds = -120)
            signedOut(app.send("POST", "/me", bearer(expired)), "session-token-expired-refresh-non-eligible-non-get")
            val res = app.get("/me", bearer(expired))
            signedOut(res, "session-token-expired-refresh-non-eligible-no-refresh-cookie")
            res.header("x-clerk-auth-message").single() shouldContain "token-carrier=header"
            res.header("x-clerk-auth-message").single() shouldNotContain expired
        }
        test("cookies: session without __client_uat, __client_uat without session, iat before __client_uat, template token") {
            val b = sandbox.signIn(app.newSession())
            signedOut(app.get("/me", cookie("__session=${b.sessionToken}; $dev")), "session-token-but-no-client-uat")
            signedOut(app.get("/me", cookie("__client_uat=${b.clientUat}; $dev")), "client-uat-but-no-session-token")
            signedOut(app.get("/me", cookie("${b.withClientUat(b.clientUat + 30).cookieHeader()}; $dev")), "session-token-iat-before-client-uat")
            signedOut(app.get("/me", cookie("${b.withSessionToken(sandbox.issueTemplateToken(b.sessionId)).cookieHeader()}; $dev")), "token-type-mismatch")
            signedOut(app.get("/me", cookie(b.cookieHeader())), "dev-browser-missing")
        }
        test("without a publishable key: unsuffixed cookies only and never a handshake") {
            val sid = app.newSession()
            val b = sandbox.signIn(sid)
            signedIn(app.get("/plain/me", cookie(b.cookieHeader(suffixed = false))), sid)
            signedOut(app.get("/plain/me", cookie("__client_uat=1"), DOCUMENT), "client-uat-but-no-session-token")
        }
    }

    context("handshake: a 307 to Clerk for a document GET, signed-out for any other request") {
        test("a document GET (Sec-Fetch-Dest or Accept: text/html) is redirected; the route does not run") {
            val b = sandbox.signIn(app.newSession()).let { it.withClientUat(it.clientUat + 30) }
            val cookies = cookie("${b.cookieHeader()}; $dev")
            handshake(app.get("/me?tab=1", cookies, DOCUMENT), "session-token-iat-before-client-uat") shouldBe "${app.base}/me?tab=1"
            handshake(app.get("/me", cookies, "Accept" to "text/html,application/xhtml+xml"), "session-token-iat-before-client-uat")
            app.get("/me", cookies, DOCUMENT).header("location").single() shouldNotContain b.refreshToken
            // the same browser's API calls and non-GET navigations are signed out with the same reason
            signedOut(app.get("/me", cookies, "Accept" to "application/json"), "session-token-iat-before-client-uat")
            signedOut(app.send("POST", "/me", cookies, DOCUMENT), "session-token-iat-before-client-uat")
            // Clerk's redirect-loop guard
            signedOut(app.get("/me", cookie("${b.cookieHeader()}; $dev; __clerk_redirect_count=3"), DOCUMENT), "session-token-iat-before-client-uat")
        }
        test("every reason that asks for a handshake, on an optional route too") {
            val b = sandbox.signIn(app.newSession())
            handshake(app.get("/me", cookie("__session=${b.sessionToken}; $dev"), DOCUMENT), "session-token-but-no-client-uat")
            handshake(app.get("/me", cookie("__client_uat=${b.clientUat}; $dev"), DOCUMENT), "client-uat-but-no-session-token")
            handshake(app.get("/me", cookie(b.cookieHeader()), DOCUMENT), "dev-browser-missing")
            handshake(app.get("/me?__clerk_db_jwt=dvb_1", cookie(b.cookieHeader()), DOCUMENT), "dev-browser-sync") shouldBe "${app.base}/me"
            handshake(app.get("/me", cookie("${b.cookieHeader()}; $dev"), DOCUMENT, "Referer" to "https://other.example/page"), "primary-domain-cross-origin-sync")
            val expired = sandbox.issueToken(b.sessionId, lifetimeSeconds = 60, issuedAtOffsetSeconds = -120)
            handshake(app.get("/maybe", bearer(expired), DOCUMENT), "session-token-expired-refresh-non-eligible-no-refresh-cookie")
            handshake(app.get("/me", bearer(sandbox.issueToken(b.sessionId, issuedAtOffsetSeconds = 60)), DOCUMENT), "session-token-nbf")
        }
        test("the redirect_url is Ktor's origin; X-Forwarded-* count only where trustForwardedHeaders is set") {
            val b = sandbox.signIn(app.newSession())
            val forwarded = arrayOf(cookie("__client_uat=${b.clientUat}; $dev"), DOCUMENT, "X-Forwarded-Host" to "app.example.com", "X-Forwarded-Proto" to "https")
            handshake(app.get("/me", *forwarded), "client-uat-but-no-session-token") shouldBe "${app.base}/me"
            handshake(app.get("/forwarded/me", *forwarded), "client-uat-but-no-session-token") shouldBe "https://app.example.com/forwarded/me"
        }
    }

    context("refresh of an expired session token through __refresh") {
        test("GET with the expired cookie: refreshed through sessions.refresh(format=cookie), signed in, Set-Cookie on the response") {
            val sid = app.newSession()
            val b = sandbox.signIn(sid, issuedAtOffsetSeconds = -120)
            sandbox.clearRecordedRequests()
            val res = app.get("/me", cookie("${b.cookieHeader()}; $dev"), "User-Agent" to "ktor-spec")
            signedIn(res, sid)
            val setCookies = res.header("set-cookie")
            setCookies shouldHaveSize 2
            val newToken = setCookies.first { it.startsWith("__session") }.substringAfter('=').substringBefore(';')
            app.clerk.tokenVerifier(TokenVerifierOptions { clock = app.clock }).verify(newToken).sessionId shouldBe sid
            val refresh = sandbox.requests.single { it.route == Route.REFRESH_SESSION }
            refresh.rawPath shouldBe "/v1/sessions/$sid/refresh"
            refresh.body shouldContain "\"format\":\"cookie\""
            refresh.body shouldContain "\"request_origin\":\"${app.base}\""
            refresh.body shouldContain "\"user-agent\":[\"ktor-spec\"]"
            // a document navigation is refreshed the same way (no handshake)
            signedIn(app.get("/me", cookie("${b.cookieHeader()}; $dev"), DOCUMENT), sid)
        }
        test("the refresh's request_origin: Ktor's origin, or the forwarded one where trusted") {
            val b = sandbox.signIn(app.newSession(), issuedAtOffsetSeconds = -120)
            val headers = arrayOf(cookie("${b.cookieHeader()}; $dev"), "X-Forwarded-Host" to "app.example.com", "X-Forwarded-Proto" to "https")
            sandbox.clearRecordedRequests()
            app.get("/me", *headers).statusCode() shouldBe 200
            app.get("/forwarded/me", *headers).statusCode() shouldBe 200
            val origins = sandbox.requests.filter { it.route == Route.REFRESH_SESSION }.map { it.body.substringAfter("\"request_origin\":\"").substringBefore('"') }
            origins shouldBe listOf(app.base, "https://app.example.com")
        }
        test("off GET, or refused by Clerk: signed out (or a handshake) with the refresh outcome as the reason") {
            val b = sandbox.signIn(app.newSession(), issuedAtOffsetSeconds = -120)
            val cookies = cookie("${b.cookieHeader()}; $dev")
            signedOut(app.send("POST", "/me", cookies), "session-token-expired-refresh-non-eligible-non-get")
            sandbox.setSessionStatus(b.sessionId, "revoked")
            signedOut(app.get("/me", cookies), "session-token-expired-refresh-authentication_invalid")
            handshake(app.get("/me", cookies, DOCUMENT), "session-token-expired-refresh-authentication_invalid")
        }
    }

    context("install-time errors, before any call") {
        test("a client and a config, an invalid publishable key, a blank authorized party: IllegalArgumentException") {
            shouldThrow<IllegalArgumentException> {
                AuthenticationConfig().clerk { client = app.clerk; clerkConfig = ClerkConfig { secretKey = sandbox.secretKey } }
            }.message shouldBe "set client or clerkConfig, not both"
            shouldThrow<IllegalArgumentException> { AuthenticationConfig().clerk { client = app.clerk; publishableKey = "pk_nope" } }
            shouldThrow<IllegalArgumentException> { AuthenticationConfig().clerk { client = app.clerk; authorizedParties = setOf(" ") } }
        }
        test("neither a client nor a config, and no CLERK_SECRET_KEY: the config's own error").config(enabledIf = { System.getenv("CLERK_SECRET_KEY") == null }) {
            shouldThrow<IllegalArgumentException> { AuthenticationConfig().clerk { } }.message shouldContain "CLERK_SECRET_KEY"
        }
    }

    context("bad input is a 401 with a reason, never a 500") {
        test("malformed, repeated and oversized Cookie and Authorization headers") {
            signedOut(app.get("/me", cookie("garbage;;==; =x; %%%; __session=\"\"; $dev")), "session-token-and-uat-missing")
            signedOut(app.get("/me", cookie("$dev; __client_uat=abc")), "session-token-and-uat-missing")
            signedOut(app.get("/me", cookie("$dev; __client_uat=1; __session=" + "x".repeat(8_000))), "token-invalid")
            signedOut(app.get("/me", cookie("$dev; __client_uat=1; __session=a.b.c")), "token-invalid")
            signedOut(app.get("/me", "Authorization" to "Bearer"), "token-invalid")
            signedOut(app.get("/me", "Authorization" to "Bearer a b c"), "token-invalid")
            signedOut(app.get("/me", bearer("x".repeat(8_000))), "token-invalid")
            // a header line over 8 KiB never reaches the provider: Ktor's CIO engine answers 400 itself
            app.get("/me", bearer("x".repeat(20_000))).statusCode() shouldBe 400
            signedOut(app.get("/me", bearer("e30.e30.e30")), "token-invalid-algorithm") // {} header: no alg
            signedOut(app.get("/me", "Authorization" to "Bearer %00\u00e9"), "token-invalid")
        }
    }
})
