package dev.clerkkit.ktor.server

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.io.File

/**
 * Secrets never leak: after calls through every path that handles a token (header, cookie, refresh, handshake,
 * refusals), no session token, refresh token or secret key is in the test JVM's log (every logger at TRACE, the
 * client at `LogLevel.BODY`; see the pom's surefire settings) nor in any `toString` the provider's types give.
 */
class LogCanarySpec : FunSpec({
    val app = TestApp()
    afterSpec { app.close() }
    val sandbox = app.sandbox
    val logFile = File(System.getProperty("org.slf4j.simpleLogger.logFile"))

    test("no token in the log or in toString, whatever path the call took") {
        val secrets = mutableListOf(sandbox.secretKey)
        val sid = app.newSession()
        val token = sandbox.issueToken(sid)
        secrets += token

        val strings = app.get("/me/strings", bearer(token))
        strings.statusCode() shouldBe 200
        strings.body() shouldContain "ClerkPrincipal(sessionId=$sid"
        strings.body() shouldContain "AuthResult.SignedIn(sessionId=$sid"

        val browser = sandbox.signIn(sid)
        secrets += listOf(browser.sessionToken, browser.refreshToken)
        app.get("/me", cookie("${browser.cookieHeader()}; ${app.devBrowser}")).statusCode() shouldBe 200

        val expired = sandbox.signIn(sid, issuedAtOffsetSeconds = -120)
        secrets += listOf(expired.sessionToken, expired.refreshToken)
        val refreshed = app.get("/me", cookie("${expired.cookieHeader()}; ${app.devBrowser}"))
        refreshed.statusCode() shouldBe 200
        val setCookies = refreshed.headers().allValues("set-cookie")
        setCookies shouldHaveSize 2
        secrets += setCookies.map { it.substringAfter('=').substringBefore(';') }

        val handshake = app.get("/me", cookie("${browser.withClientUat(browser.clientUat + 30).cookieHeader()}; ${app.devBrowser}"), DOCUMENT)
        handshake.statusCode() shouldBe 307
        handshake.headers().firstValue("location").get() shouldContain browser.sessionToken // the handshake carries it to Clerk

        val expiredHeader = sandbox.issueToken(sid, lifetimeSeconds = 60, issuedAtOffsetSeconds = -120)
        secrets += expiredHeader
        val refused = app.get("/me", bearer(expiredHeader))
        refused.statusCode() shouldBe 401
        val challenged = app.get("/validated/me", bearer(expiredHeader))
        challenged.body() shouldContain "ClerkChallengeContext(result=AuthResult.SignedOut(reason=session-token-expired-refresh-non-eligible-no-refresh-cookie"

        val log = logFile.readText()
        // the log is not empty by accident: the provider, Ktor's authentication and the client's HTTP log all wrote
        log shouldContain "Clerk authentication of GET /me: signed-in"
        log shouldContain "Clerk authentication of GET /me: handshake (session-token-iat-before-client-uat)"
        log shouldContain "io.ktor.server.auth"
        log shouldContain "/refresh"
        val everything = listOf(log, strings.body(), challenged.body()) + listOf(refused, challenged, strings, handshake).flatMap { r ->
            r.headers().map().filterKeys { !it.equals("location", ignoreCase = true) }.values.flatten()
        }
        for (text in everything) for (secret in secrets) text shouldNotContain secret
        log shouldNotContain Regex("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.")
    }
})
