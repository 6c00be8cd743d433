package dev.clerkkit.redis

import io.lettuce.core.RedisClient
import io.lettuce.core.api.sync.RedisCommands
import java.io.File
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.util.concurrent.TimeUnit

/**
 * A real `redis-server` on a free loopback port, no persistence, started and stopped by the tests themselves.
 * When `redis-server` is not installed this fails (never skips) with a message that says how to install it.
 */
class RedisServer private constructor(val port: Int) : AutoCloseable {
    private var process: Process? = null
    private val log = File.createTempFile("redis-$port-", ".log").apply { deleteOnExit() }
    val uri: String get() = "redis://127.0.0.1:$port"

    /** Starts (or restarts, on the same port) the server and waits until it answers. */
    fun start(): RedisServer = apply {
        check(process?.isAlive != true) { "already running" }
        val p = ProcessBuilder(executable(), "--port", "$port", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
            .start()
        process = p
        val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15)
        while (true) {
            if (!p.isAlive) throw AssertionError("redis-server exited at start (code ${p.exitValue()}): ${log.readText().takeLast(2000)}")
            val up = runCatching { Socket().use { it.connect(InetSocketAddress("127.0.0.1", port), 200) } }.isSuccess
            if (up) return@apply
            if (System.nanoTime() > deadline) throw AssertionError("redis-server did not listen on $port within 15 s")
            Thread.sleep(20)
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL) and waits for it to exit. */
    fun stop() {
        val p = process ?: return
        p.destroy()
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            p.waitFor(10, TimeUnit.SECONDS)
        }
        process = null
    }

    /** Runs [block] with a synchronous Lettuce connection of its own (to inspect what is stored). */
    fun <T> inspect(block: (RedisCommands<String, String>) -> T): T {
        val client = RedisClient.create(uri)
        try {
            client.connect().use { return block(it.sync()) }
        } finally {
            client.shutdown(0, 2, TimeUnit.SECONDS)
        }
    }

    override fun close() = stop()

    companion object {
        fun start(): RedisServer = RedisServer(freePort()).start()

        fun freePort(): Int = ServerSocket(0).use { it.localPort }

        private fun executable(): String {
            val found = (System.getenv("PATH") ?: "").split(File.pathSeparator)
                .map { File(it, "redis-server") }
                .firstOrNull { it.canExecute() }
            return found?.path ?: throw AssertionError(
                "redis-server is not installed, and the clerkkit-redis tests need a real one (they start and stop it " +
                    "themselves). Install it, e.g. `apt-get install -y redis-server` on Debian/Ubuntu or " +
                    "`brew install redis` on macOS; .ci/run installs it when missing.",
            )
        }
    }
}
