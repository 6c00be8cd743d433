package dev.clerkkit.testkit

/**
 * The routes the sandbox serves (all under `/v1`). [UNKNOWN] stands for any request that matches none of them
 * (it is answered with a Clerk-shaped 404).
 *
 * @property method the HTTP method of the route.
 * @property template the path template, relative to the `/v1` base URL.
 */
public enum class Route(public val method: String, public val template: String) {
    /** `GET /sessions`. */
    LIST_SESSIONS("GET", "/sessions"),

    /** `POST /sessions`. */
    CREATE_SESSION("POST", "/sessions"),

    /** `GET /sessions/{session_id}`. */
    GET_SESSION("GET", "/sessions/{session_id}"),

    /** `POST /sessions/{session_id}/revoke`. */
    REVOKE_SESSION("POST", "/sessions/{session_id}/revoke"),

    /** `POST /sessions/{session_id}/tokens`. */
    CREATE_TOKEN("POST", "/sessions/{session_id}/tokens"),

    /** `POST /sessions/{session_id}/tokens/{template_name}`. */
    CREATE_TOKEN_FROM_TEMPLATE("POST", "/sessions/{session_id}/tokens/{template_name}"),

    /** `POST /sessions/{session_id}/refresh`. */
    REFRESH_SESSION("POST", "/sessions/{session_id}/refresh"),

    /**
     * `POST /sessions/{session_id}/verify` (deprecated; documented up to API version 2025-03-12, `410` from 2025-04-10
     * on: see [SandboxConfig.verifyGone]).
     */
    VERIFY_SESSION("POST", "/sessions/{session_id}/verify"),

    /** `GET /jwks`. */
    JWKS("GET", "/jwks"),

    /** Anything else. */
    UNKNOWN("*", "*"),
    ;

    internal companion object {
        /** Matches a decoded path (with the `/v1` prefix) to a route and its path parameters. */
        fun match(method: String, decodedSegments: List<String>?): Pair<Route, Map<String, String>> {
            val s = decodedSegments ?: return UNKNOWN to emptyMap()
            val r: Pair<Route, Map<String, String>>? = when {
                s == listOf("sessions") && method == "GET" -> LIST_SESSIONS to emptyMap()
                s == listOf("sessions") && method == "POST" -> CREATE_SESSION to emptyMap()
                s == listOf("jwks") && method == "GET" -> JWKS to emptyMap()
                s.size == 2 && s[0] == "sessions" && method == "GET" -> GET_SESSION to mapOf("session_id" to s[1])
                s.size == 3 && s[0] == "sessions" && method == "POST" -> when (s[2]) {
                    "revoke" -> REVOKE_SESSION
                    "tokens" -> CREATE_TOKEN
                    "refresh" -> REFRESH_SESSION
                    "verify" -> VERIFY_SESSION
                    else -> null
                }?.let { it to mapOf("session_id" to s[1]) }
                s.size == 4 && s[0] == "sessions" && s[2] == "tokens" && method == "POST" ->
                    CREATE_TOKEN_FROM_TEMPLATE to mapOf("session_id" to s[1], "template_name" to s[3])
                else -> null
            }
            return r ?: (UNKNOWN to emptyMap())
        }
    }
}
