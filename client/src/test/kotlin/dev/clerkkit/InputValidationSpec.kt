package dev.clerkkit

import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.sessions.CreateTokenFromTemplateParams
import dev.clerkkit.sessions.CreateTokenParams
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.VerifySessionParams
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.string.shouldContain
import kotlinx.coroutines.flow.toList

/** Bad input fails with a clear IllegalArgumentException and never reaches the network. */
class InputValidationSpec : FunSpec({
    val rec = Recorder()
    val client = mockClient(rec) { error("no request may be sent") }
    afterSpec { client.close() }
    afterTest { rec.requests.shouldBeEmpty() }

    suspend fun rejects(fragment: String, block: suspend () -> Any?) {
        shouldThrow<IllegalArgumentException> { block() }.message shouldContain fragment
    }
    val s = client.sessions

    @Suppress("DEPRECATION")
    test("blank and dot-segment ids") {
        for (bad in listOf("", "   ", ".", "..")) {
            rejects("sessionId") { s.get(bad) }
            rejects("sessionId") { s.revoke(bad) }
            rejects("sessionId") { s.createToken(bad) }
            rejects("sessionId") { s.createTokenFromTemplate(bad, "tpl") }
            rejects("templateName") { s.createTokenFromTemplate("sess_1", bad) }
            rejects("sessionId") { s.verify(VerifySessionParams { sessionId = bad; token = "t" }) }
            rejects("sessionId") { s.refresh(RefreshSessionParams { sessionId = bad; expiredToken = "e"; refreshToken = "r"; requestOrigin = "o" }) }
        }
        rejects("userId") { s.create(" ") }
        rejects("activeOrganizationId") { s.create(CreateSessionParams { userId = "user_1"; activeOrganizationId = "" }) }
        rejects("token") { s.verify(VerifySessionParams { sessionId = "sess_1"; token = "" }) }
        rejects("too long") { s.get("x".repeat(1025)) }
    }
    test("list limits and offsets") {
        rejects("limit must be in 1..500, was 0") { s.list(SessionListParams { limit = 0 }) }
        rejects("limit must be in 1..500, was 501") { s.list(SessionListParams { limit = 501 }) }
        rejects("offset must be >= 0, was -1") { s.listPage(SessionListParams { offset = -1 }) }
        rejects("userId must not be blank") { s.list(SessionListParams { userId = "" }) }
        rejects("clientId must not be blank") { s.list(SessionListParams { clientId = " " }) }
        rejects("limit") { SessionListParams.builder().limit(-5).build() }
    }
    test("token lifetimes") {
        rejects("expiresInSeconds must be in 30..315360000, was 29") { s.createToken(CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 29 }) }
        rejects("was 315360001") { s.createToken(CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 315_360_001 }) }
        rejects("expiresInSeconds") { s.createTokenFromTemplate(CreateTokenFromTemplateParams { sessionId = "sess_1"; templateName = "tpl"; expiresInSeconds = 0 }) }
    }
    test("refresh params") {
        rejects("sessionId is required") { RefreshSessionParams { expiredToken = "e"; refreshToken = "r"; requestOrigin = "o" } }
        rejects("expiredToken is required") { RefreshSessionParams { sessionId = "sess_1"; refreshToken = "r"; requestOrigin = "o" } }
        rejects("refreshToken must not be blank") { RefreshSessionParams { sessionId = "sess_1"; expiredToken = "e"; refreshToken = ""; requestOrigin = "o" } }
        rejects("requestOrigin is required") { RefreshSessionParams { sessionId = "sess_1"; expiredToken = "e"; refreshToken = "r" } }
    }
    test("per-call options") {
        rejects("Authorization") { RequestOptions { header("authorization", "Bearer other") } }
        rejects("CR/LF") { RequestOptions { header("X-A", "a\r\nInjected: 1") } }
        rejects("timeout") { RequestOptions { timeout = java.time.Duration.ZERO } }
    }
})
