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

    test("revokeAll and listActive ride on the public operations, so they work over a fake") {
        fun session(id: String, status: SessionStatus = SessionStatus.ACTIVE) = Session.builder().id(id).userId("user_1").clientId("client_1")
            .status(status).lastActiveAt(1).expireAt(2).abandonAt(3).updatedAt(1).createdAt(1).build()
        val revoked = java.util.concurrent.CopyOnWriteArrayList<String>()
        // not `Sessions by FakeSessions()`: delegation would hand revokeAll itself to the other fake
        val fake = object : Sessions {
            override suspend fun list(params: SessionListParams, options: RequestOptions): List<Session> = TODO()
            override suspend fun create(params: CreateSessionParams, options: RequestOptions): Session = TODO()
            override suspend fun get(params: GetSessionParams, options: RequestOptions): Session = TODO()
            override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): SessionRefresh = TODO()

            @Deprecated("test")
            override suspend fun verify(params: VerifySessionParams, options: RequestOptions): Session = TODO()
            override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): SessionToken = TODO()
            override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): SessionToken = TODO()
            override suspend fun listPage(params: SessionListParams, options: RequestOptions): SessionPage {
                params.userId shouldBe "user_1"
                params.status shouldBe SessionStatus.ACTIVE
                val all = listOf("sess_3", "sess_2", "sess_1", "sess_0").map { session(it) }
                return SessionPage.builder().data(all.drop(params.offset!!).take(params.limit!!)).totalCount(all.size.toLong()).build()
            }
            override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): Session {
                if (params.sessionId == "sess_2") throw dev.clerkkit.errors.NotFoundException("sessions.revoke", 404, "{}", emptyMap())
                if (params.sessionId == "sess_1") throw dev.clerkkit.errors.ServerException("sessions.revoke", 500, "{}", emptyMap())
                revoked += params.sessionId
                return session(params.sessionId, SessionStatus.REVOKED)
            }
        }
        val active = mutableListOf<String>()
        fake.listActive("user_1").collect { active += it.id }
        active shouldBe listOf("sess_3", "sess_2", "sess_1", "sess_0")
        val report = fake.revokeAll("user_1", except = setOf("sess_0"))
        report.revoked shouldBe listOf("sess_3")
        report.alreadyGone shouldBe listOf("sess_2")
        report.failed.keys shouldBe setOf("sess_1")
        report.kept shouldBe listOf("sess_0")
        report.isComplete shouldBe false
        revoked shouldBe listOf("sess_3")
        shouldThrow<IllegalArgumentException> { fake.revokeAll(" ") }
        shouldThrow<IllegalArgumentException> { fake.revokeAll("user_1", concurrency = 65) }
        shouldThrow<IllegalArgumentException> { RevokeAllParams { userId = "user_1"; concurrency = 0 } }.message shouldBe "concurrency must be in 1..64, was 0"
        shouldThrow<IllegalArgumentException> { RevokeAllParams { userId = "." } }
        RevokeAllParams.of("user_1") shouldBe RevokeAllParams { userId = "user_1"; concurrency = RevokeAllParams.DEFAULT_CONCURRENCY }
        fake.revokeAll(RevokeAllParams { userId = "user_1"; except = setOf("sess_0") }).kept shouldBe listOf("sess_0")
    }
})
