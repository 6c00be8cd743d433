package dev.clerkkit.testkit.internal

import kotlinx.serialization.json.JsonObject

/**
 * A Clerk-shaped error answer (`{"errors":[{message,long_message,code,meta?}],"meta":{},"clerk_trace_id":...}`),
 * thrown by request decoding and the routes and turned into a response by [RequestPipeline].
 */
internal class ApiError(
    val status: Int,
    val code: String,
    message: String,
    val longMessage: String,
    val meta: JsonObject? = null,
    val headers: List<Pair<String, String>> = emptyList(),
) : RuntimeException(message) {
    companion object {
        fun sessionNotFound(id: String): ApiError =
            ApiError(404, "resource_not_found", "not found", "No session was found with id $id", ClerkJson.metaParam("session_id"))

        fun unknownParameter(name: String): ApiError =
            ApiError(400, "form_param_unknown", "is unknown", "$name is not a valid parameter for this request.", ClerkJson.metaParam(name))

        fun missingParameter(status: Int, name: String): ApiError =
            ApiError(status, "form_param_missing", "missing required parameter", "$name must be included.", ClerkJson.metaParam(name))
    }
}
