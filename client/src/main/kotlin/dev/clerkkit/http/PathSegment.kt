package dev.clerkkit.http

/**
 * Checks a path parameter and percent-encodes it as exactly one path segment: every byte outside RFC 3986's
 * unreserved set (`A-Z a-z 0-9 - . _ ~`) is encoded, so `/`, `?`, `#`, `%` and spaces can never change the path.
 * `.` and `..` are refused: even encoded they are dot-segments that servers collapse.
 */
internal fun pathSegment(name: String, value: String): String {
    require(value.isNotBlank()) { "$name must not be blank" }
    require(value != "." && value != "..") { "$name must not be '.' or '..' (it would escape its path segment)" }
    require(value.length <= 1024) { "$name is too long (${value.length} characters, at most 1024)" }
    val bytes = value.toByteArray(Charsets.UTF_8)
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
