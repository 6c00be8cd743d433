package dev.clerkkit.http

import dev.clerkkit.RequestOptions

/** Whether a call may be replayed after its request may have reached Clerk. See docs/retries.md for the per-operation table. */
internal enum class Replay {
    /** Replaying cannot do harm (reads; revoke; minting a token): retried on 5xx, 429 and any transport failure. */
    SAFE,

    /** Replaying could duplicate an effect (create): retried only on 429 and when the request provably never left. */
    UNSAFE,
}

/**
 * One operation of Clerk's Backend API that clerkkit calls, described once (the table is [Operations]): its name (as
 * errors and logs show it), method, path template below the base URL (`{name}` for a path parameter, as in Clerk's
 * spec), whether it may be replayed, whether it draws from the rate budget, and how its 2xx answer is decoded.
 *
 * [decode] gets the answer's text and the request it answers (so it can check the answer is about what was asked).
 */
internal class Operation<T>(
    val name: String,
    val method: String,
    val pathTemplate: String,
    val replay: Replay,
    val rateLimited: Boolean = true,
    val decode: (text: String, request: ApiRequest) -> T,
) {
    /**
     * The request for this operation: [pathParams] (already checked by the params objects) are encoded as one path
     * segment each into [pathTemplate]; [query] values are encoded when the URL is built.
     * @throws IllegalArgumentException when a path parameter is missing or not acceptable ([pathSegment]).
     */
    fun request(
        options: RequestOptions,
        pathParams: Map<String, String> = emptyMap(),
        query: List<Pair<String, String>> = emptyList(),
        body: String? = null,
    ): ApiRequest {
        val path = PARAM.replace(pathTemplate) { m ->
            val name = m.groupValues[1]
            pathSegment(name, requireNotNull(pathParams[name]) { "$name is required" })
        }
        return ApiRequest(this, path, pathParams, query, body, options)
    }

    override fun toString(): String = "$name ($method $pathTemplate)"

    private companion object {
        val PARAM = Regex("""\{(\w+)}""")
    }
}
