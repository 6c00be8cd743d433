package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe

/**
 * [Sessions] is an interface so that users can fake it in their own tests, without a mocking library's inline
 * mocking: this fake is what a user would write.
 */
class FakeSessionsSpec : FunSpec({
    class FakeSessions : Sessions {
        val revoked = mutableListOf<String>()
        override suspend fun list(params: SessionListParams, options: RequestOptions): List<Session> =
            if (params.userId == "user_1" && params.status == SessionStatus.ACTIVE) emptyList() else error("unexpected $params")
        override suspend fun listPage(params: SessionListParams, options: RequestOptions): SessionPage = TODO()
        override suspend fun create(params: CreateSessionParams, options: RequestOptions): Session = TODO()
        override suspend fun get(params: GetSessionParams, options: RequestOptions): Session = TODO()
        override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): SessionRefresh = TODO()
        override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): Session {
            revoked += params.sessionId
            throw IllegalStateException("gone")
        }
        @Deprecated("test")
        override suspend fun verify(params: VerifySessionParams, options: RequestOptions): Session = TODO()
        override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): SessionToken = TODO()
        override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): SessionToken = TODO()
    }

    test("a hand-written fake serves the same calls as the real client: shorthands and defaults included") {
        val fake = FakeSessions()
        val sessions: Sessions = fake
        sessions.list(SessionListParams { userId = "user_1"; status = SessionStatus.ACTIVE }) shouldBe emptyList()
        shouldThrow<IllegalStateException> { sessions.revoke("sess_gone") }
        fake.revoked shouldBe listOf("sess_gone")
        shouldThrow<UnsupportedOperationException> { sessions.withRawResponse() }
    }
})
