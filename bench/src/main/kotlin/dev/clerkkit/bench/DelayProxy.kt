package dev.clerkkit.bench

import java.io.IOException
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.ArrayBlockingQueue
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicInteger
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.locks.LockSupport

/**
 * A TCP proxy on loopback that makes a local server look [delayMs] away (one way; a round trip is `2 · delayMs`).
 *
 * - Every chunk read from one side is written to the other [delayMs] after it was read, in the order read (one FIFO
 *   queue and one writer thread per direction, so later bytes never overtake earlier ones).
 * - Emulated TCP handshake: on a fresh connection nothing from the client reaches the server before one extra round
 *   trip after the accept, i.e. the first client→server bytes are written at `max(read, accept + 2·delayMs) + delayMs`.
 *   For a client that writes at once after connecting (every HTTP client) that is its first bytes held for `2·delayMs`
 *   more than the later ones: a new connection's first request costs 1.5 round trips to reach the server instead
 *   of 0.5, as over a real link.
 * - A half close (EOF) is passed on after the same delay (`shutdownOutput` on the other side); an error on either
 *   side (reset, closed socket) closes the whole connection at once.
 * - [delayMs] = 0: no delay and no handshake emulation at all (bytes are copied by the reading thread itself).
 *
 * Counts accepted connections ([connectionsAccepted], [openConnections]), so a benchmark can report new connections
 * per call. Bounded: at most [maxConnections] open at once (more are closed at once and not counted), at most
 * [QUEUE_CHUNKS] chunks of [CHUNK_BYTES] queued per direction (the reader then waits: back-pressure). Two threads per
 * connection without delay, four with. Listens on the loopback address only, on a free port ([port]); the upstream
 * is reached through [targetHost]/[targetPort]. [close] stops accepting and closes every connection.
 */
class DelayProxy(
    private val targetHost: String,
    private val targetPort: Int,
    /** One-way delay in milliseconds; 0 = none. */
    val delayMs: Long,
    private val maxConnections: Int = 512,
) : AutoCloseable {
    init {
        require(delayMs >= 0) { "delayMs must be >= 0, was $delayMs" }
        require(maxConnections > 0) { "maxConnections must be > 0, was $maxConnections" }
    }

    private val delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs)
    private val server = ServerSocket().apply {
        reuseAddress = true
        bind(InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256)
    }

    /** The local port clients connect to (on `127.0.0.1`). */
    val port: Int = server.localPort

    private val accepted = AtomicLong()
    private val open = AtomicInteger()
    private val live: MutableSet<Conn> = ConcurrentHashMap.newKeySet()

    @Volatile
    private var closed = false
    private val acceptor = Thread(null, ::acceptLoop, "delay-proxy-$port-accept", STACK).apply {
        isDaemon = true
        start()
    }

    /** Connections accepted (and passed on) since start. */
    val connectionsAccepted: Long get() = accepted.get()

    /** Connections currently open (accepted and not yet closed on both sides). */
    val openConnections: Int get() = open.get()

    private fun acceptLoop() {
        while (!closed) {
            val socket = try {
                server.accept()
            } catch (_: IOException) {
                if (closed || server.isClosed) return else continue
            }
            if (live.size >= maxConnections) {
                runCatching { socket.close() }
                continue
            }
            val conn = Conn(socket)
            try {
                conn.start()
            } catch (_: IOException) {
                conn.close()
            }
        }
    }

    override fun close() {
        closed = true
        runCatching { server.close() }
        live.toList().forEach { it.close() }
        acceptor.join(2_000)
    }

    override fun toString(): String = "DelayProxy(port=$port, delayMs=$delayMs, target=$targetHost:$targetPort)"

    /** One proxied connection: the client's socket, the upstream socket, and a pump per direction. */
    private inner class Conn(private val client: Socket) {
        private val acceptedAt = System.nanoTime()
        private val upstream = Socket()
        private val ended = AtomicBoolean(false)
        private val directionsLeft = AtomicInteger(2)
        private val threads = mutableListOf<Thread>()

        fun start() {
            accepted.incrementAndGet()
            open.incrementAndGet()
            live += this
            client.tcpNoDelay = true
            upstream.tcpNoDelay = true
            upstream.connect(InetSocketAddress(targetHost, targetPort), 5_000)
            val id = accepted.get()
            synchronized(threads) {
                pump("c2s-$id", client, upstream, handshakeUntil = acceptedAt + 2 * delayNanos)
                pump("s2c-$id", upstream, client, handshakeUntil = null)
            }
        }

        /** Reads [from] until EOF and writes every chunk to [to] after the delay; see the class KDoc. */
        private fun pump(name: String, from: Socket, to: Socket, handshakeUntil: Long?) {
            if (delayNanos == 0L) {
                thread(name) {
                    val buf = ByteArray(CHUNK_BYTES)
                    try {
                        val input = from.getInputStream()
                        val output = to.getOutputStream()
                        while (true) {
                            val n = input.read(buf)
                            if (n < 0) break
                            output.write(buf, 0, n)
                            output.flush()
                        }
                        runCatching { to.shutdownOutput() }
                        directionDone()
                    } catch (_: IOException) {
                        close()
                    }
                }
                return
            }
            val queue = ArrayBlockingQueue<Chunk>(QUEUE_CHUNKS)
            thread("$name-read") {
                var first = true
                try {
                    val input = from.getInputStream()
                    while (true) {
                        val buf = ByteArray(CHUNK_BYTES)
                        val n = input.read(buf)
                        val now = System.nanoTime()
                        val sendFrom = if (first && handshakeUntil != null && handshakeUntil - now > 0) handshakeUntil else now
                        first = false
                        if (n < 0) {
                            queue.put(Chunk(sendFrom + delayNanos, null, 0))
                            return@thread
                        }
                        queue.put(Chunk(sendFrom + delayNanos, buf, n))
                    }
                } catch (_: IOException) {
                    close()
                } catch (_: InterruptedException) {
                    close()
                }
            }
            thread("$name-write") {
                try {
                    val output = to.getOutputStream()
                    while (true) {
                        val chunk = queue.take()
                        while (true) {
                            val wait = chunk.releaseAt - System.nanoTime()
                            if (wait <= 0) break
                            LockSupport.parkNanos(wait)
                            if (Thread.interrupted()) throw InterruptedException()
                        }
                        if (chunk.data == null) {
                            runCatching { to.shutdownOutput() }
                            directionDone()
                            return@thread
                        }
                        output.write(chunk.data, 0, chunk.length)
                        output.flush()
                    }
                } catch (_: IOException) {
                    close()
                } catch (_: InterruptedException) {
                    close()
                }
            }
        }

        private fun thread(name: String, body: () -> Unit) {
            threads += Thread(null, body, "delay-proxy-$port-$name", STACK).apply {
                isDaemon = true
                start()
            }
        }

        private fun directionDone() {
            if (directionsLeft.decrementAndGet() == 0) close()
        }

        fun close() {
            if (!ended.compareAndSet(false, true)) return
            runCatching { client.close() }
            runCatching { upstream.close() }
            live -= this
            open.decrementAndGet()
            val current = Thread.currentThread()
            synchronized(threads) { threads.filter { it !== current }.forEach { it.interrupt() } }
        }
    }

    private class Chunk(val releaseAt: Long, val data: ByteArray?, val length: Int)

    companion object {
        /** Largest chunk read at once. */
        const val CHUNK_BYTES: Int = 16 * 1024

        /** Chunks queued per direction before the reader waits. */
        const val QUEUE_CHUNKS: Int = 256

        private const val STACK = 256L * 1024
    }
}
