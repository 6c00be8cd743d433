package dev.clerkkit.http

import dev.clerkkit.internal.checkedId

/**
 * Checks a path parameter (as the params objects do: not blank, not `.` or `..`, at most 1024 characters) and
 * percent-encodes it as exactly one path segment: every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`)
 * is encoded, so `/`, `?`, `#`, `%` and spaces can never change the path.
 */
internal fun pathSegment(name: String, value: String): String {
    val bytes = checkedId(name, value).toByteArray(Charsets.UTF_8)
    val out = StringBuilder(bytes.size + 8)
    for (b in bytes) {
        val c = b.toInt() and 0xff
        if (c in 'a'.code..'z'.code || c in 'A'.code..'Z'.code || c in '0'.code..'9'.code ||
            c == '-'.code || c == '.'.code || c == '_'.code || c == '~'.code
        ) {
            out.append(c.toChar())
        } else {
            out.append('%').append(HEX[c shr 4]).append(HEX[c and 0xf])
        }
    }
    return out.toString()
}

private const val HEX = "0123456789ABCDEF"
