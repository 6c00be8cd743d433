package dev.clerkkit.http

/**
 * The one place clerkkit redacts credentials, for everything it logs or puts into an exception:
 * - [secrets]: the secret key wherever it appears (a server or proxy that echoes the request);
 * - [logLine] additionally: the values of JSON fields whose name says they hold a credential (`jwt`, `token`,
 *   `refresh_token`, `expired_token`, `cookies`, ...), and every compact JWS (`eyJ...`.`...`.`...`) wherever it stands;
 * - [maskKey]: a key shown in a `toString` (`sk_test_***`);
 * - [isSecretHeader]: headers whose values are never logged.
 *
 * Every scan is one linear pass without regular expressions, so input of any size (a 1 MB body at `LogLevel.BODY`)
 * costs time proportional to its length and no stack.
 */
internal class Redaction(private val secretKey: String) {

    /** [text] with the secret key replaced. */
    fun secrets(text: String): String =
        if (secretKey.isNotEmpty() && text.contains(secretKey)) text.replace(secretKey, REDACTED) else text

    /** [line] with the secret key, credential-bearing JSON values and JWTs replaced. */
    fun logLine(line: String): String = jwts(credentialFields(secrets(line)))

    companion object {
        const val REDACTED: String = "[REDACTED]"

        private val SECRET_HEADERS = setOf("authorization", "cookie", "set-cookie", "proxy-authorization")

        fun isSecretHeader(name: String): Boolean = name.lowercase() in SECRET_HEADERS

        /** A secret key as shown by `toString`s: its prefix (`sk_test_`) and `***`, or just `***` for a short one. */
        fun maskKey(secret: String): String =
            if (secret.length <= 8) "***" else secret.take(secret.indexOf('_', 3).coerceIn(0, 8) + 1) + "***"

        /** A JSON member name that says its value is a credential. */
        private fun isCredentialName(name: String): Boolean {
            if (name.isEmpty() || name.any { !(it.isLetter() || it == '_') }) return false
            val n = name.lowercase()
            return n.contains("token") || n == "jwt" || n == "cookie" || n == "cookies"
        }

        /** Replaces the values (strings or arrays) of credential-named JSON members. */
        internal fun credentialFields(s: String): String {
            if (!(s.contains("token", ignoreCase = true) || s.contains("jwt", ignoreCase = true) || s.contains("cookie", ignoreCase = true))) return s
            val out = StringBuilder(s.length)
            var i = 0
            while (i < s.length) {
                val c = s[i]
                if (c != '"') {
                    out.append(c)
                    i++
                    continue
                }
                val open = i
                val end = stringEnd(s, open)
                if (end < 0) { // an unterminated string: the rest is text
                    out.append(s, open, s.length)
                    break
                }
                out.append(s, open, end + 1)
                i = end + 1
                if (!isCredentialName(s.substring(open + 1, end))) continue
                // a member name followed by ':' and a value
                var j = skipSpace(s, i)
                if (j >= s.length || s[j] != ':') continue
                j = skipSpace(s, j + 1)
                if (j >= s.length) continue
                when (s[j]) {
                    '"' -> {
                        out.append(s, i, j).append('"').append(REDACTED).append('"')
                        val valueEnd = stringEnd(s, j)
                        i = if (valueEnd < 0) s.length else valueEnd + 1
                    }
                    '[' -> {
                        out.append(s, i, j).append("[\"").append(REDACTED).append("\"]")
                        i = arrayEnd(s, j)
                    }
                }
            }
            return out.toString()
        }

        private fun skipSpace(s: String, from: Int): Int {
            var j = from
            while (j < s.length && s[j].isWhitespace()) j++
            return j
        }

        /** Index of the quote closing the JSON string that opens at [start], or -1 when it never closes. */
        private fun stringEnd(s: String, start: Int): Int {
            var j = start + 1
            while (j < s.length) {
                when (s[j]) {
                    '\\' -> j += 2
                    '"' -> return j
                    else -> j++
                }
            }
            return -1
        }

        /** Index after the `]` closing the array that opens at [start] (strings in it skipped), or the end of [s]. */
        private fun arrayEnd(s: String, start: Int): Int {
            var depth = 0
            var j = start
            while (j < s.length) {
                when (s[j]) {
                    '"' -> {
                        val e = stringEnd(s, j)
                        if (e < 0) return s.length
                        j = e
                    }
                    '[' -> depth++
                    ']' -> if (--depth == 0) return j + 1
                }
                j++
            }
            return s.length
        }

        /** Replaces every compact JWS: `eyJ`, base64url, `.`, base64url (at least one), `.`, base64url. */
        internal fun jwts(s: String): String {
            if (!s.contains("eyJ")) return s
            val out = StringBuilder(s.length)
            var copied = 0
            var from = 0
            while (true) {
                val start = s.indexOf("eyJ", from)
                if (start < 0) break
                var j = run(s, start + 3)
                var matched = false
                if (j < s.length && s[j] == '.') {
                    val second = run(s, j + 1)
                    if (second > j + 1 && second < s.length && s[second] == '.') {
                        j = run(s, second + 1)
                        matched = true
                    } else {
                        j = second
                    }
                }
                if (matched) {
                    out.append(s, copied, start).append(REDACTED)
                    copied = j
                    from = j
                } else {
                    // every start inside the run just scanned fails at the same place: go on after it
                    from = maxOf(j, start + 1)
                }
            }
            out.append(s, copied, s.length)
            return out.toString()
        }

        /** Index after the base64url characters starting at [from]. */
        private fun run(s: String, from: Int): Int {
            var j = from
            while (j < s.length) {
                val c = s[j]
                if (c in 'A'..'Z' || c in 'a'..'z' || c in '0'..'9' || c == '-' || c == '_') j++ else break
            }
            return j
        }
    }
}
