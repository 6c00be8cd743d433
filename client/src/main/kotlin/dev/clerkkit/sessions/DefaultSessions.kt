package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import dev.clerkkit.internal.InternalClerkkitApi
import dev.clerkkit.internal.SessionCalls
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/** clerkkit's [Sessions]: each operation is the checked, prepared call of [SessionCalls], executed. */
@OptIn(InternalClerkkitApi::class)
internal class DefaultSessions(private val calls: SessionCalls) : Sessions {
    override suspend fun list(params: SessionListParams, options: RequestOptions): List<Session> = calls.list(params, options).execute()

    override suspend fun listPage(params: SessionListParams, options: RequestOptions): SessionPage = calls.listPage(params, options).execute()

    override fun listAll(params: SessionListParams, pageSize: Int, options: RequestOptions): Flow<Session> {
        calls.checkPageSize(pageSize)
        return flow {
            var offset: Int? = params.offset ?: 0
            while (offset != null) {
                val page = listPage(params.toBuilder().limit(pageSize).offset(offset).build(), options)
                page.data.forEach { emit(it) }
                offset = page.nextOffset(offset, pageSize)
            }
        }
    }

    override suspend fun create(userId: String, activeOrganizationId: String?, options: RequestOptions): Session =
        calls.create(userId, activeOrganizationId, options).execute()

    override suspend fun get(sessionId: String, options: RequestOptions): Session = calls.get(sessionId, options).execute()

    override suspend fun refresh(sessionId: String, params: RefreshSessionParams, options: RequestOptions): SessionRefresh =
        calls.refresh(sessionId, params, options).execute()

    override suspend fun revoke(sessionId: String, options: RequestOptions): Session = calls.revoke(sessionId, options).execute()

    @Deprecated("See Sessions.verify")
    override suspend fun verify(sessionId: String, token: String, options: RequestOptions): Session =
        calls.verify(sessionId, token, options).execute()

    override suspend fun createToken(sessionId: String, expiresInSeconds: Long?, options: RequestOptions): SessionToken =
        calls.createToken(sessionId, expiresInSeconds, options).execute()

    override suspend fun createTokenFromTemplate(
        sessionId: String,
        templateName: String,
        expiresInSeconds: Long?,
        options: RequestOptions,
    ): SessionToken = calls.createTokenFromTemplate(sessionId, templateName, expiresInSeconds, options).execute()

    override fun toString(): String = "Sessions"
}
