package dev.clerkkit.bench

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import java.io.DataInputStream
import java.net.InetAddress
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import kotlin.random.Random

/** An echo server on loopback: writes back every byte it reads, closes its side at EOF. */
private class EchoServer : AutoCloseable {
    private val server = ServerSocket(0, 50, InetAddress.getLoopbackAddress())
    val port: Int = server.localPort
    private val acceptor = Thread {
        while (true) {
            val s = runCatching { server.accept() }.getOrNull() ?: return@Thread
            Thread {
                s.use {
                    val buf = ByteArray(8192)
                    val input = it.getInputStream()
                    val output = it.getOutputStream()
                    while (true) {
                        val n = runCatching { input.read(buf) }.getOrDefault(-1)
                        if (n < 0) break
                        output.write(buf, 0, n)
                        output.flush()
                    }
                }
            }.apply { isDaemon = true; start() }
        }
    }.apply { isDaemon = true; start() }

    override fun close() {
        server.close()
        acceptor.join(2_000)
    }
}

private fun connect(proxy: DelayProxy) = Socket().apply {
    tcpNoDelay = true
    soTimeout = 10_000
    connect(InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port), 5_000)
}

private fun Socket.roundTrip(bytes: ByteArray): Pair<ByteArray, Long> {
    val t0 = System.nanoTime()
    // written from another thread while this one reads: a large payload must not fill every buffer on the way
    val writer = Thread { getOutputStream().apply { write(bytes); flush() } }.apply { isDaemon = true; start() }
    val back = ByteArray(bytes.size)
    DataInputStream(getInputStream()).readFully(back)
    val millis = (System.nanoTime() - t0) / 1_000_000
    writer.join(10_000)
    return back to millis
}

/** Waits (up to 5 s, not a timing assertion) until [check] holds. */
private fun eventually(check: () -> Boolean): Boolean {
    val end = System.nanoTime() + 5_000_000_000L
    while (System.nanoTime() < end) {
        if (check()) return true
        Thread.sleep(10)
    }
    return check()
}

class DelayProxySpec : FunSpec({
    for (delay in listOf(0L, 30L)) {
        test("D = $delay ms: bytes pass intact and in order both ways, EOF is passed on, connections are counted") {
            EchoServer().use { echo ->
                DelayProxy("127.0.0.1", echo.port, delay).use { proxy ->
                    connect(proxy).use { s ->
                        // many chunks larger and smaller than the proxy's, sent back to back: order must hold
                        val payload = Random(42).nextBytes(300_000)
                        val (back, _) = s.roundTrip(payload)
                        back.contentEquals(payload) shouldBe true
                        proxy.connectionsAccepted shouldBe 1L // (after a round trip: the accept has surely run)
                        proxy.openConnections shouldBe 1
                        for (i in 1..5) {
                            val msg = "message $i".toByteArray()
                            s.roundTrip(msg).first.decodeToString() shouldBe "message $i"
                        }
                        s.shutdownOutput()
                        s.getInputStream().read() shouldBe -1 // the echo server saw EOF and closed
                    }
                    eventually { proxy.openConnections == 0 } shouldBe true
                    connect(proxy).use { s2 -> s2.roundTrip(byteArrayOf(1, 2, 3)).first.toList() shouldBe listOf<Byte>(1, 2, 3) }
                    proxy.connectionsAccepted shouldBe 2L
                }
            }
        }
    }

    test("the delay is applied: a round trip takes at least 2·D, a new connection's first one at least 4·D") {
        val d = 50L
        EchoServer().use { echo ->
            DelayProxy("127.0.0.1", echo.port, d).use { proxy ->
                connect(proxy).use { s ->
                    val (_, first) = s.roundTrip("first".toByteArray()) // handshake 2·D + D there + D back
                    first shouldBeGreaterThanOrEqual 4 * d
                    val (_, second) = s.roundTrip("second".toByteArray())
                    second shouldBeGreaterThanOrEqual 2 * d
                }
            }
        }
    }

    test("close() closes the open connections and the listener") {
        EchoServer().use { echo ->
            val proxy = DelayProxy("127.0.0.1", echo.port, 20)
            connect(proxy).use { s ->
                s.roundTrip(byteArrayOf(7)).first.toList() shouldBe listOf<Byte>(7)
                proxy.openConnections shouldBe 1
                proxy.close()
                runCatching { s.getInputStream().read() }.getOrDefault(-1) shouldBe -1 // EOF (or a reset): closed
                proxy.openConnections shouldBe 0
            }
            runCatching { connect(proxy).close() }.isFailure shouldBe true
        }
    }
})
