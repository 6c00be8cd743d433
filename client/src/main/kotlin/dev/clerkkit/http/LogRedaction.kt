package dev.clerkkit.http

/**
 * Redacts credentials from every line the client logs, at every [dev.clerkkit.LogLevel]: the secret key wherever it
 * appears (a server or proxy that echoes the request), session tokens (JWTs) and refresh tokens in bodies, and the
 * values of token-bearing JSON fields. Headers that carry credentials are sanitized by Ktor ([isSecretHeader]).
 */
internal class LogRedaction(private val secretKey: String) {
    fun redact(line: String): String {
        var s = if (secretKey.isNotEmpty() && line.contains(secretKey)) line.replace(secretKey, REDACTED) else line
        if (s.contains("token", ignoreCase = true) || s.contains("jwt", ignoreCase = true)) {
            s = TOKEN_FIELD.replace(s) { m -> m.groupValues[1] + "\"" + REDACTED + "\"" }
        }
        if (s.contains("cookies", ignoreCase = true)) s = COOKIES.replace(s) { m -> m.groupValues[1] + "[\"" + REDACTED + "\"]" }
        if (s.contains("eyJ")) s = JWT.replace(s, REDACTED)
        return s
    }

    companion object {
        const val REDACTED: String = "[REDACTED]"

        /** A JSON string field whose name says it holds a credential: `jwt`, `token`, `refresh_token`, `expired_token`, ... */
        private val TOKEN_FIELD = Regex("""("(?:[A-Za-z_]*token[A-Za-z_]*|jwt|cookies?)"\s*:\s*)"(?:[^"\\]|\\.)*"""", RegexOption.IGNORE_CASE)

        /** `"cookies": [...]` of a refresh answer: `Set-Cookie` values that carry the session. */
        private val COOKIES = Regex("""("cookies"\s*:\s*)\[(?:[^\]"]|"(?:[^"\\]|\\.)*")*]""", RegexOption.IGNORE_CASE)

        /** A compact JWS (three base64url parts, header starting `{"`), wherever it stands (query, text, array). */
        private val JWT = Regex("""eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*""")

        private val SECRET_HEADERS = setOf("authorization", "cookie", "set-cookie", "proxy-authorization")

        fun isSecretHeader(name: String): Boolean = name.lowercase() in SECRET_HEADERS
    }
}
