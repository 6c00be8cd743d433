package dev.clerkkit.java

import dev.clerkkit.RequestOptions
import dev.clerkkit.internal.SessionCalls
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionToken
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletableFuture
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** clerkkit's [SessionsAsync]: each operation is the core's prepared call ([SessionCalls]) run as a future. */
internal class DefaultSessionsAsync(
    private val sessions: SessionCalls,
    private val calls: FutureCalls,
) : SessionsAsync {
    override fun list(params: SessionListParams, options: RequestOptions): CompletableFuture<List<Session>> =
        calls.run { sessions.list(params, options) }

    override fun listPage(params: SessionListParams, options: RequestOptions): CompletableFuture<SessionPage> =
        calls.run { sessions.listPage(params, options) }

    override fun listAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Stream<Session> {
        val pages = pager(params, pageSize, options)
        return StreamSupport.stream(
            { Spliterators.spliteratorUnknownSize(pages.iterator(), Spliterator.ORDERED or Spliterator.NONNULL) },
            Spliterator.ORDERED or Spliterator.NONNULL,
            false,
        )
    }

    override fun iterateAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Iterable<Session> =
        pager(params, pageSize, options)

    private fun pager(params: SessionListParams, pageSize: Int, options: RequestOptions): SessionPager {
        sessions.checkPageSize(pageSize)
        return SessionPager(params, pageSize) { page -> listPage(page, options) }
    }

    override fun get(sessionId: String, options: RequestOptions): CompletableFuture<Session> =
        calls.run { sessions.get(sessionId, options) }

    override fun create(userId: String, activeOrganizationId: String?, options: RequestOptions): CompletableFuture<Session> =
        calls.run { sessions.create(userId, activeOrganizationId, options) }

    override fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions): CompletableFuture<SessionRefresh> =
        calls.run { sessions.refresh(sessionId, params, options) }

    override fun revoke(sessionId: String, options: RequestOptions): CompletableFuture<Session> =
        calls.run { sessions.revoke(sessionId, options) }

    @Deprecated("See SessionsAsync.verify")
    override fun verify(sessionId: String, token: String, options: RequestOptions): CompletableFuture<Session> =
        calls.run { sessions.verify(sessionId, token, options) }

    override fun createToken(sessionId: String, options: RequestOptions): CompletableFuture<SessionToken> =
        calls.run { sessions.createToken(sessionId, null, options) }

    override fun createToken(sessionId: String, expiresInSeconds: Long, options: RequestOptions): CompletableFuture<SessionToken> =
        calls.run { sessions.createToken(sessionId, expiresInSeconds, options) }

    override fun createTokenFromTemplate(sessionId: String, templateName: String, options: RequestOptions): CompletableFuture<SessionToken> =
        calls.run { sessions.createTokenFromTemplate(sessionId, templateName, null, options) }

    override fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long,
        options: RequestOptions,
    ): CompletableFuture<SessionToken> = calls.run { sessions.createTokenFromTemplate(sessionId, templateName, expiresInSeconds, options) }

    override fun toString(): String = "SessionsAsync"
}
