package dev.clerkkit.sessions

import dev.clerkkit.ClerkResponse
import dev.clerkkit.RequestOptions
import dev.clerkkit.http.Operation
import dev.clerkkit.http.Operations
import dev.clerkkit.http.Pipeline
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/**
 * clerkkit's [Sessions]: each operation is its [Operations] entry's request, built from the params object, run
 * through the [Pipeline]. The plain operations are the raw ones without the status and headers.
 */
internal class DefaultSessions(private val pipeline: Pipeline) : Sessions {
    private val raw = Raw()

    override fun withRawResponse(): Sessions.WithRawResponse = raw

    override suspend fun list(params: SessionListParams, options: RequestOptions): List<Session> = raw.list(params, options).value
    override suspend fun listPage(params: SessionListParams, options: RequestOptions): SessionPage = raw.listPage(params, options).value
    override suspend fun create(params: CreateSessionParams, options: RequestOptions): Session = raw.create(params, options).value
    override suspend fun get(params: GetSessionParams, options: RequestOptions): Session = raw.get(params, options).value
    override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): SessionRefresh = raw.refresh(params, options).value
    override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): Session = raw.revoke(params, options).value

    @Deprecated("See Sessions.verify")
    @Suppress("DEPRECATION")
    override suspend fun verify(params: VerifySessionParams, options: RequestOptions): Session = raw.verify(params, options).value

    override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): SessionToken = raw.createToken(params, options).value

    override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): SessionToken =
        raw.createTokenFromTemplate(params, options).value

    override fun toString(): String = "Sessions"

    private inner class Raw : Sessions.WithRawResponse {
        override suspend fun list(params: SessionListParams, options: RequestOptions): ClerkResponse<List<Session>> =
            run(Operations.LIST_SESSIONS, options, query = params.query(paginated = false))

        override suspend fun listPage(params: SessionListParams, options: RequestOptions): ClerkResponse<SessionPage> =
            run(Operations.LIST_SESSIONS_PAGE, options, query = params.query(paginated = true))

        override suspend fun create(params: CreateSessionParams, options: RequestOptions): ClerkResponse<Session> {
            val body = buildJsonObject {
                put("user_id", params.userId)
                params.activeOrganizationId?.let { put("active_organization_id", it) }
            }
            return run(Operations.CREATE_SESSION, options, body = body.toString())
        }

        override suspend fun get(params: GetSessionParams, options: RequestOptions): ClerkResponse<Session> =
            run(Operations.GET_SESSION, options, session(params.sessionId))

        override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): ClerkResponse<SessionRefresh> =
            run(Operations.REFRESH_SESSION, options, session(params.sessionId), body = params.body())

        override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): ClerkResponse<Session> =
            run(Operations.REVOKE_SESSION, options, session(params.sessionId))

        @Deprecated("See Sessions.verify")
        override suspend fun verify(params: VerifySessionParams, options: RequestOptions): ClerkResponse<Session> =
            run(Operations.VERIFY_SESSION, options, session(params.sessionId), body = buildJsonObject { put("token", params.token) }.toString())

        override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): ClerkResponse<SessionToken> =
            run(Operations.CREATE_TOKEN, options, session(params.sessionId), body = lifetimeBody(params.expiresInSeconds))

        override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): ClerkResponse<SessionToken> =
            run(
                Operations.CREATE_TOKEN_FROM_TEMPLATE, options,
                mapOf("session_id" to params.sessionId, "template_name" to params.templateName),
                body = lifetimeBody(params.expiresInSeconds),
            )

        override fun toString(): String = "Sessions.WithRawResponse"
    }

    private suspend fun <T> run(
        operation: Operation<T>,
        options: RequestOptions,
        pathParams: Map<String, String> = emptyMap(),
        query: List<Pair<String, String>> = emptyList(),
        body: String? = null,
    ): ClerkResponse<T> = pipeline.execute(operation, operation.request(options, pathParams, query, body))

    private fun session(sessionId: String) = mapOf("session_id" to sessionId)

    /** `{"expires_in_seconds": N}`, sent only when a lifetime is asked for. */
    private fun lifetimeBody(expiresInSeconds: Long?): String? =
        expiresInSeconds?.let { buildJsonObject { put("expires_in_seconds", it) }.toString() }
}
