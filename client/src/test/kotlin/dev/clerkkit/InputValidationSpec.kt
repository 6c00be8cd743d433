package dev.clerkkit

import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.SessionListParams
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
            rejects("sessionId") { s.verify(bad, "t") }
            rejects("sessionId") { s.refresh(bad, RefreshSessionParams { expiredToken = "e"; refreshToken = "r"; requestOrigin = "o" }) }
        }
        rejects("userId") { s.create(" ") }
        rejects("activeOrganizationId") { s.create("user_1", "") }
        rejects("token") { s.verify("sess_1", "") }
        rejects("too long") { s.get("x".repeat(1025)) }
    }
    test("list limits and offsets") {
        rejects("limit must be in 1..500, was 0") { s.list(limit = 0) }
        rejects("limit must be in 1..500, was 501") { s.list(limit = 501) }
        rejects("offset must be >= 0, was -1") { s.listPage(offset = -1) }
        rejects("userId must not be blank") { s.list(userId = "") }
        rejects("clientId must not be blank") { s.list(clientId = " ") }
        rejects("pageSize") { s.listAll(pageSize = 0).toList() }
        rejects("pageSize") { s.listAll(pageSize = 501).toList() }
        rejects("limit") { SessionListParams.builder().limit(-5).build() }
    }
    test("token lifetimes") {
        rejects("expiresInSeconds must be in 30..315360000, was 29") { s.createToken("sess_1", 29) }
        rejects("was 315360001") { s.createToken("sess_1", 315_360_001) }
        rejects("expiresInSeconds") { s.createTokenFromTemplate("sess_1", "tpl", 0) }
    }
    test("refresh params") {
        rejects("expiredToken is required") { RefreshSessionParams { refreshToken = "r"; requestOrigin = "o" } }
        rejects("refreshToken must not be blank") { RefreshSessionParams { expiredToken = "e"; refreshToken = ""; requestOrigin = "o" } }
        rejects("requestOrigin is required") { RefreshSessionParams { expiredToken = "e"; refreshToken = "r" } }
    }
    test("per-call options") {
        rejects("Authorization") { RequestOptions { header("authorization", "Bearer other") } }
        rejects("CR/LF") { RequestOptions { header("X-A", "a\r\nInjected: 1") } }
        rejects("timeout") { RequestOptions { timeout = java.time.Duration.ZERO } }
    }
})
