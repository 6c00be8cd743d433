package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.emptyFlow

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
        override fun listAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Flow<Session> = emptyFlow()
        override suspend fun create(userId: String, activeOrganizationId: String?, options: RequestOptions): Session = TODO()
        override suspend fun get(sessionId: String, options: RequestOptions): Session = TODO()
        override suspend fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions): SessionRefresh = TODO()
        override suspend fun revoke(sessionId: String, options: RequestOptions): Session {
            revoked += sessionId
            throw IllegalStateException("gone")
        }
        @Deprecated("test")
        override suspend fun verify(sessionId: String, token: String, options: RequestOptions): Session = TODO()
        override suspend fun createToken(sessionId: String, expiresInSeconds: Long?, options: RequestOptions): SessionToken = TODO()
        override suspend fun createTokenFromTemplate(
            sessionId: String,
            templateName: String,
            expiresInSeconds: Long?,
            options: RequestOptions,
        ): SessionToken = TODO()
    }

    test("a hand-written fake serves the same calls as the real client, defaults and named filters included") {
        val fake = FakeSessions()
        val sessions: Sessions = fake
        sessions.list(userId = "user_1", status = SessionStatus.ACTIVE) shouldBe emptyList()
        shouldThrow<IllegalStateException> { sessions.revoke("sess_gone") }
        fake.revoked shouldBe listOf("sess_gone")
    }
})
