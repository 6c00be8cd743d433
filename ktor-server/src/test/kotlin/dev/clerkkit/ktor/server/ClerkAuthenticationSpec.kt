package dev.clerkkit.ktor.server

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.net.http.HttpResponse

/** The Clerk provider in a real Ktor server (CIO) over real sockets, against the testkit sandbox. */
class ClerkAuthenticationSpec : FunSpec({
    val app = TestApp()
    afterSpec { app.close() }
    val sandbox = app.sandbox

    fun HttpResponse<String>.header(name: String): List<String> = headers().allValues(name)

    fun signedOut(res: HttpResponse<String>, reason: String) {
        (res.statusCode() to res.body()) shouldBe (401 to reason)
        res.header("x-clerk-auth-status") shouldBe listOf("signed-out")
        res.header("x-clerk-auth-reason") shouldBe listOf(reason)
    }

    context("signed in") {
        test("by the Authorization header: the principal's session, user and organization") {
            val sid = sandbox.addSession(sandbox.addUser(), lastActiveOrganizationId = "org_Acme")
            val uid = sandbox.session(sid)!!["user_id"].toString().trim('"')
            val res = app.get("/me", bearer(sandbox.issueToken(sid)))
            (res.statusCode() to res.body()) shouldBe (200 to "$sid $uid org_Acme active")
            res.header("x-clerk-auth-status") shouldBe emptyList()
        }
    }

    context("signed out") {
        test("no credentials: 401 with the reason; debug headers") {
            signedOut(app.get("/me", cookie(app.devBrowser)), "session-token-and-uat-missing")
        }
    }
})
