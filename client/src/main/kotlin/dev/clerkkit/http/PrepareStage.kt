package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.http.engine.EngineResponse
import java.net.URLEncoder

/**
 * Prepare (once per call): the request's URL (base URL, encoded path, query values percent-encoded) and the headers
 * every call carries: `Authorization: Bearer <secret key>`, `Clerk-API-Version`, `User-Agent`, `Accept`, then the
 * call's own [dev.clerkkit.RequestOptions.headers] (which cannot replace `Authorization`).
 */
internal class PrepareStage(private val config: ClerkConfig) : Stage {
    private val authorization = "Bearer " + config.secretKey

    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val headers = ArrayList<Pair<String, String>>(4 + request.options.headers.size)
        headers += "Authorization" to authorization
        headers += "Clerk-API-Version" to config.apiVersion
        headers += "User-Agent" to config.userAgent
        headers += "Accept" to "application/json"
        request.options.headers.forEach { (k, v) -> headers += k to v }
        return chain.proceed(request.copy(url = url(request), headers = headers))
    }

    private fun url(request: ApiRequest): String = buildString {
        append(config.baseUrl).append(request.path)
        request.query.forEachIndexed { i, (k, v) ->
            append(if (i == 0) '?' else '&')
            append(k).append('=').append(URLEncoder.encode(v, Charsets.UTF_8).replace("+", "%20"))
        }
    }

    override fun toString(): String = "PrepareStage"
}
