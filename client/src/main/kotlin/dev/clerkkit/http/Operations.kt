package dev.clerkkit.http

import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionJson

/**
 * Every operation clerkkit calls: the Sessions resource's, named as in Clerk's SDKs, and `GET /jwks` for token
 * verification (not rate-limited by Clerk). The public `Sessions`, the Java facade and the JShell kit are built on
 * these; a test checks the testkit sandbox serves exactly these routes, and that every Sessions operation has a
 * method of the same name on each public surface.
 */
internal object Operations {
    val LIST_SESSIONS = Operation("sessions.list", "GET", "/sessions", Replay.SAFE) { text, _ -> SessionJson.decodeList(text).data }
    val LIST_SESSIONS_PAGE = Operation("sessions.list", "GET", "/sessions", Replay.SAFE) { text, _ -> SessionJson.decodeList(text) }
    val CREATE_SESSION = Operation("sessions.create", "POST", "/sessions", Replay.UNSAFE) { text, _ -> SessionJson.decodeSession(text) }
    val GET_SESSION = Operation("sessions.get", "GET", "/sessions/{session_id}", Replay.SAFE, decode = ::sessionAsked)
    val REFRESH_SESSION = Operation("sessions.refresh", "POST", "/sessions/{session_id}/refresh", Replay.SAFE) { text, _ ->
        SessionJson.decodeRefresh(text)
    }
    val REVOKE_SESSION = Operation("sessions.revoke", "POST", "/sessions/{session_id}/revoke", Replay.SAFE, decode = ::sessionAsked)
    val VERIFY_SESSION = Operation("sessions.verify", "POST", "/sessions/{session_id}/verify", Replay.SAFE, decode = ::sessionAsked)
    val CREATE_TOKEN = Operation("sessions.createToken", "POST", "/sessions/{session_id}/tokens", Replay.SAFE) { text, _ ->
        SessionJson.decodeToken(text)
    }
    val CREATE_TOKEN_FROM_TEMPLATE =
        Operation("sessions.createTokenFromTemplate", "POST", "/sessions/{session_id}/tokens/{template_name}", Replay.SAFE) { text, _ ->
            SessionJson.decodeToken(text)
        }
    val GET_JWKS = Operation("jwks.get", "GET", "/jwks", Replay.SAFE, rateLimited = false) { text, _ -> text }

    /** Every operation; [LIST_SESSIONS] and [LIST_SESSIONS_PAGE] are one route answered in two shapes. */
    val ALL: List<Operation<*>> = listOf(
        LIST_SESSIONS, LIST_SESSIONS_PAGE, CREATE_SESSION, GET_SESSION, REFRESH_SESSION, REVOKE_SESSION, VERIFY_SESSION,
        CREATE_TOKEN, CREATE_TOKEN_FROM_TEMPLATE, GET_JWKS,
    )

    /**
     * An answer about one session must be about the session asked for: one meant for another call (a keep-alive
     * connection out of step) fails as a bad response instead of being returned.
     */
    private fun sessionAsked(text: String, request: ApiRequest): Session {
        val asked = request.pathParams.getValue("session_id")
        return SessionJson.decodeSession(text).also { s ->
            check(s.id == asked) { "the answer is about session '${s.id.take(100)}', not the requested '$asked'" }
        }
    }
}
