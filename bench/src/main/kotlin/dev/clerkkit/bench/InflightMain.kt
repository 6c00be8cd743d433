package dev.clerkkit.bench

import com.clerk.backend_api.Clerk
import dev.clerkkit.ClerkClient
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong

/**
 * One side of the 10,000-in-flight scenario, in a fresh JVM. Args: `mode baseUrl calls sdkThreads`, mode
 * `ours:<BuiltInEngine>:<maxConnections>:<get|createToken>` or `sdk:<get|createToken>`.
 * Prints `RESULT <label> <calls> <concurrency> <wall s> <peak threads> <heap after GC MB> <peak heap MB> <peak RSS MB> <cpu s> <errors>`.
 */
object InflightMain {
    private const val SESSION = "sess_inflight"
    private const val KEY = "sk_test_delay_server"

    @JvmStatic
    fun main(args: Array<String>) {
        val (mode, base) = args
        val calls = args[2].toInt()
        val sdkThreads = args[3].toInt()
        val threads = ManagementFactory.getThreadMXBean()
        val mem = ManagementFactory.getMemoryMXBean()
        val errors = AtomicLong()
        val peakHeap = AtomicLong()
        val peakRss = AtomicLong()
        val sampling = java.util.concurrent.atomic.AtomicBoolean(true)
        var heapAfterGc = 0L
        val run: () -> Pair<String, Int>
        // mode: `ours:<BuiltInEngine>:<maxConnections>:<get|createToken>` or `sdk:<get|createToken>`
        val parts = mode.split(':')
        val op = parts.last()
        require(op == "get" || op == "createToken") { "op: $op" }
        if (parts[0] == "ours") {
            val engine = dev.clerkkit.BuiltInEngine.valueOf(parts[1])
            // maxConnections raised from the default 256: 10000 = every call on the wire at once; 2000 = as many
            // connections as the SDK has threads. All 10,000 coroutines are in flight either way.
            val conns = parts[2].toInt()
            val client = ClerkClient {
                baseUrl = base
                secretKey = KEY
                builtInEngine = engine
                rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF
                maxConnections = conns
                requestTimeout = Duration.ofSeconds(120)
                connectTimeout = Duration.ofSeconds(60)
            }
            val call: suspend () -> Unit = if (op == "get") {
                { client.sessions.get(SESSION) }
            } else {
                { client.sessions.createToken(SESSION) }
            }
            runBlocking { repeat(50) { call() } }
            run = {
                runBlocking(Dispatchers.Default) {
                    (1..calls).map {
                        async {
                            try {
                                call()
                            } catch (e: Exception) {
                                if (errors.incrementAndGet() == 1L) System.err.println("ours: $e")
                            }
                        }
                    }.awaitAll()
                }
                "clerkkit Kotlin $op on $engine ($calls coroutines, maxConnections=$conns)" to calls
            }
        } else {
            val sdk = Clerk.builder().bearerAuth(KEY).serverURL(base).build()
            val call: () -> Unit = if (op == "get") {
                { sdk.sessions().get(SESSION).session().get() }
            } else {
                { sdk.sessions().createToken(SESSION).`object`().get() }
            }
            repeat(50) { call() }
            run = {
                val perThread = calls / sdkThreads
                val ts = (1..sdkThreads).map {
                    Thread {
                        repeat(perThread) {
                            try {
                                call()
                            } catch (e: Exception) {
                                if (errors.incrementAndGet() == 1L) System.err.println("sdk: $e")
                            }
                        }
                    }.apply { start() }
                }
                ts.forEach { it.join() }
                "official SDK $op ($sdkThreads threads × ${calls / sdkThreads} calls)" to sdkThreads
            }
        }
        System.gc()
        threads.resetPeakThreadCount()
        val sampler = Thread {
            while (sampling.get()) {
                peakHeap.accumulateAndGet(mem.heapMemoryUsage.used, ::maxOf)
                peakRss.accumulateAndGet(Machine.rssMb(), ::maxOf)
                Thread.sleep(50)
            }
        }.apply { isDaemon = true; start() }
        val gcProbe = Thread {
            Thread.sleep(700) // mid-flight: every call has been sent and waits on the 1 s server delay
            System.gc()
            heapAfterGc = mem.heapMemoryUsage.used
        }.apply { isDaemon = true; start() }
        val cpu0 = Machine.processCpuNanos()
        val t0 = System.nanoTime()
        val (label, conc) = run()
        val wall = (System.nanoTime() - t0) / 1e9
        val cpu = (Machine.processCpuNanos() - cpu0) / 1e9
        sampling.set(false)
        sampler.join()
        gcProbe.join()
        println(
            "RESULT $label|$calls|$conc|${"%.1f".format(wall)}|${threads.peakThreadCount}|${heapAfterGc / 1_048_576}|" +
                "${peakHeap.get() / 1_048_576}|${peakRss.get()}|${"%.1f".format(cpu)}|${errors.get()}",
        )
        System.out.flush()
        Runtime.getRuntime().halt(0)
    }
}
