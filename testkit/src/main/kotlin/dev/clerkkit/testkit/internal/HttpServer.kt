package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.SandboxStats
import java.io.BufferedInputStream
import java.io.BufferedOutputStream
import java.io.ByteArrayOutputStream
import java.io.IOException
import java.io.InputStream
import java.io.OutputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.net.SocketTimeoutException
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.ExecutorService
import java.util.concurrent.Executors
import java.util.concurrent.RejectedExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong
import javax.net.ssl.SSLContext
import javax.net.ssl.SSLSocket

/** A fully read HTTP/1.1 request. */
internal class RawRequest(
    val connectionId: Long,
    val method: String,
    val rawPath: String,
    val query: String?,
    val version: String,
    val headers: List<Pair<String, String>>,
    val body: ByteArray,
) {
    fun header(name: String): String? = headers.firstOrNull { it.first.equals(name, ignoreCase = true) }?.second
}

/** What to do after the response was written. */
internal enum class After { KEEP, CLOSE, RESET }

/** The handler's decision for one request. */
internal sealed class Reply {
    class Respond(
        val status: Int,
        val body: ByteArray,
        val headers: List<Pair<String, String>> = emptyList(),
        val after: After = After.KEEP,
        val truncate: Boolean = false,
    ) : Reply()

    object Drop : Reply()

    object Reset : Reply()
}

/**
 * A small blocking HTTP/1.1 server on plain `java.net` sockets, one thread per connection.
 *
 * It exists instead of Ktor's CIO server because the sandbox needs control below HTTP routing: counting accepted
 * connections and requests per connection, closing idle keep-alive connections after a configurable time,
 * answering with truncated bodies, and aborting connections with a TCP RST (`SO_LINGER` 0) before or after a
 * response. TLS is layered per connection over the accepted plain socket (`SSLSocketFactory.createSocket(socket, ...)`)
 * so a reset can still be sent on the underlying TCP socket.
 */
internal class HttpServer(
    host: String,
    port: Int,
    private val ssl: SSLContext?,
    private val idleTimeoutMillis: () -> Long,
    private val stats: SandboxStats,
    private val handler: (RawRequest) -> Reply,
) : AutoCloseable {
    private val serverSocket = ServerSocket().apply {
        reuseAddress = true
        bind(InetSocketAddress(InetAddress.getByName(host), port), 256)
    }
    private val executor: ExecutorService = Executors.newCachedThreadPool { r ->
        Thread(r, "clerk-sandbox-conn").apply { isDaemon = true }
    }
    private val sockets = ConcurrentHashMap.newKeySet<Socket>()
    private val connectionIds = AtomicLong()

    @Volatile
    private var closed = false

    val port: Int = serverSocket.localPort

    private val acceptThread = Thread({ acceptLoop() }, "clerk-sandbox-accept-$port").apply {
        isDaemon = true
        start()
    }

    private fun acceptLoop() {
        while (!closed) {
            val socket = try {
                serverSocket.accept()
            } catch (e: IOException) {
                break
            }
            val id = connectionIds.incrementAndGet()
            stats.connectionOpened(id)
            sockets.add(socket)
            val conn = Conn(socket)
            try {
                executor.execute {
                    try {
                        serve(conn, id)
                    } catch (_: IOException) {
                        // client went away or handshake failed
                    } finally {
                        conn.close()
                    }
                }
            } catch (_: RejectedExecutionException) {
                conn.close()
            }
        }
    }

    /**
     * One accepted TCP connection. [close] updates the open-connection count *before* the socket is closed, so a
     * client that sees EOF or a reset also sees the decremented [SandboxStats.openConnections].
     */
    private inner class Conn(val raw: Socket) {
        private val closed = java.util.concurrent.atomic.AtomicBoolean()

        fun close(reset: Boolean = false, graceful: Socket? = null) {
            if (!closed.compareAndSet(false, true)) return
            sockets.remove(raw)
            stats.connectionClosed()
            if (reset) {
                try {
                    raw.setSoLinger(true, 0)
                } catch (_: IOException) {
                    // already closed
                }
            }
            if (graceful != null) closeQuietly(graceful)
            closeQuietly(raw)
        }
    }

    private fun serve(conn: Conn, connectionId: Long) {
        val raw = conn.raw
        raw.tcpNoDelay = true
        val socket: Socket = if (ssl != null) {
            raw.soTimeout = HANDSHAKE_TIMEOUT_MS
            (ssl.socketFactory.createSocket(raw, raw.inetAddress.hostAddress, raw.port, true) as SSLSocket).apply {
                useClientMode = false
                startHandshake()
            }
        } else {
            raw
        }
        val input = BufferedInputStream(socket.getInputStream(), BUFFER)
        val output = BufferedOutputStream(socket.getOutputStream(), BUFFER)
        while (!closed) {
            socket.soTimeout = idleTimeoutMillis().coerceIn(1, Int.MAX_VALUE.toLong()).toInt()
            val first = try {
                input.read()
            } catch (_: SocketTimeoutException) {
                conn.close(graceful = socket) // idle keep-alive connection: close it
                return
            }
            if (first == -1) {
                conn.close(graceful = socket)
                return
            }
            socket.soTimeout = READ_TIMEOUT_MS
            val request = readRequest(first, input, output, connectionId)
            if (request == null) {
                writeResponse(output, 400, ClerkJson.errorBytes(400, "request_invalid", "Malformed HTTP request"), emptyList(), true, false)
                conn.close(graceful = socket)
                return
            }
            val clientWantsClose = request.header("Connection")?.contains("close", ignoreCase = true) == true ||
                request.version == "HTTP/1.0"
            val reply = try {
                handler(request)
            } catch (e: InterruptedException) {
                return // server closing during a delay fault
            } catch (e: Exception) {
                Reply.Respond(500, ClerkJson.errorBytes(500, "internal_clerk_error", "Sandbox failure: $e"), after = After.CLOSE)
            }
            when (reply) {
                is Reply.Drop -> {
                    conn.close()
                    return
                }
                is Reply.Reset -> {
                    conn.close(reset = true)
                    return
                }
                is Reply.Respond -> {
                    val close = clientWantsClose || reply.after != After.KEEP
                    writeResponse(output, reply.status, reply.body, reply.headers, close && reply.after != After.RESET, reply.truncate)
                    if (reply.truncate) {
                        conn.close(graceful = socket)
                        return
                    }
                    if (reply.after == After.RESET) {
                        conn.close(reset = true)
                        return
                    }
                    if (close) {
                        conn.close(graceful = socket)
                        return
                    }
                }
            }
        }
    }

    private fun readRequest(first: Int, input: InputStream, output: OutputStream, connectionId: Long): RawRequest? {
        val requestLine = (first.toChar() + (readLine(input) ?: return null)).trimEnd()
        val parts = requestLine.split(' ')
        if (parts.size != 3 || !parts[2].startsWith("HTTP/")) return null
        val headers = ArrayList<Pair<String, String>>()
        while (true) {
            val line = readLine(input) ?: return null
            if (line.isEmpty()) break
            val colon = line.indexOf(':')
            if (colon <= 0) return null
            headers.add(line.substring(0, colon).trim() to line.substring(colon + 1).trim())
            if (headers.size > MAX_HEADERS) return null
        }
        fun header(n: String) = headers.firstOrNull { it.first.equals(n, ignoreCase = true) }?.second
        if (header("Expect")?.equals("100-continue", ignoreCase = true) == true) {
            output.write("HTTP/1.1 100 Continue\r\n\r\n".toByteArray(Charsets.ISO_8859_1))
            output.flush()
        }
        val body: ByteArray = when {
            header("Transfer-Encoding")?.contains("chunked", ignoreCase = true) == true -> readChunked(input) ?: return null
            header("Content-Length") != null -> {
                val len = header("Content-Length")!!.toIntOrNull() ?: return null
                if (len < 0 || len > MAX_BODY) return null
                input.readNBytes(len).also { if (it.size != len) return null }
            }
            else -> ByteArray(0)
        }
        val target = parts[1]
        val q = target.indexOf('?')
        val path = if (q >= 0) target.substring(0, q) else target
        val query = if (q >= 0) target.substring(q + 1) else null
        return RawRequest(connectionId, parts[0], path, query, parts[2], headers, body)
    }

    private fun readChunked(input: InputStream): ByteArray? {
        val out = ByteArrayOutputStream()
        while (true) {
            val sizeLine = readLine(input) ?: return null
            val size = sizeLine.substringBefore(';').trim().toIntOrNull(16) ?: return null
            if (size == 0) {
                while (true) {
                    val trailer = readLine(input) ?: return null
                    if (trailer.isEmpty()) return out.toByteArray()
                }
            }
            if (out.size() + size > MAX_BODY) return null
            val chunk = input.readNBytes(size)
            if (chunk.size != size) return null
            out.write(chunk)
            readLine(input) ?: return null
        }
    }

    /** Reads one CRLF (or LF) terminated ISO-8859-1 line; `null` at EOF or when too long. */
    private fun readLine(input: InputStream): String? {
        val sb = StringBuilder()
        while (true) {
            val b = input.read()
            if (b == -1) return null
            if (b == '\n'.code) {
                if (sb.isNotEmpty() && sb[sb.length - 1] == '\r') sb.setLength(sb.length - 1)
                return sb.toString()
            }
            sb.append(b.toChar())
            if (sb.length > MAX_LINE) return null
        }
    }

    private fun writeResponse(
        output: OutputStream,
        status: Int,
        body: ByteArray,
        headers: List<Pair<String, String>>,
        close: Boolean,
        truncate: Boolean,
    ) {
        val head = StringBuilder()
        head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
        if (headers.none { it.first.equals("Content-Type", ignoreCase = true) }) head.append("Content-Type: application/json\r\n")
        head.append("Content-Length: ").append(body.size).append("\r\n")
        for ((k, v) in headers) head.append(k).append(": ").append(v).append("\r\n")
        if (close) head.append("Connection: close\r\n")
        head.append("\r\n")
        output.write(head.toString().toByteArray(Charsets.ISO_8859_1))
        if (truncate) output.write(body, 0, body.size / 2) else output.write(body)
        output.flush()
    }

    override fun close() {
        closed = true
        closeQuietly(serverSocket)
        sockets.forEach { closeQuietly(it) }
        executor.shutdownNow()
        acceptThread.join(TimeUnit.SECONDS.toMillis(5))
        executor.awaitTermination(5, TimeUnit.SECONDS)
    }

    private companion object {
        const val BUFFER = 16 * 1024
        const val MAX_LINE = 16 * 1024
        const val MAX_HEADERS = 200
        const val MAX_BODY = 8 * 1024 * 1024
        const val READ_TIMEOUT_MS = 30_000
        const val HANDSHAKE_TIMEOUT_MS = 10_000

        fun closeQuietly(c: AutoCloseable) {
            try {
                c.close()
            } catch (_: Exception) {
                // ignore
            }
        }

        fun reason(status: Int): String = when (status) {
            200 -> "OK"
            400 -> "Bad Request"
            401 -> "Unauthorized"
            403 -> "Forbidden"
            404 -> "Not Found"
            405 -> "Method Not Allowed"
            410 -> "Gone"
            422 -> "Unprocessable Entity"
            429 -> "Too Many Requests"
            500 -> "Internal Server Error"
            502 -> "Bad Gateway"
            503 -> "Service Unavailable"
            504 -> "Gateway Timeout"
            else -> "Status"
        }
    }
}
