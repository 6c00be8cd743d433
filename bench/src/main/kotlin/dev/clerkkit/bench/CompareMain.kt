package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.java.ClerkJavaClient
import dev.clerkkit.ratelimit.RateLimit
import kotlinx.coroutines.future.await
import java.lang.management.ManagementFactory

/**
 * Before/after comparison of clerkkit builds, one build per JVM: `get` (Kotlin and Java facade) and `createToken`
 * (Kotlin) at 1 and 64 in flight against the sandbox in its own JVM over http, default engine, rate limit off. Only
 * calls that compile against every clerkkit version compared are used, so the same file runs on an older checkout;
 * `scripts` alternate the builds in one run (bench/RESULTS.md, "Pipeline before/after").
 *
 * `java -cp ... dev.clerkkit.bench.CompareMain <label>`; prints `RESULT <label> <op> <in flight> <req/s> <p50 µs>
 * <p99 µs> <client CPU µs per call> <errors>` lines. System properties: `-Dbench.warmMs` (3000), `-Dbench.measureMs` (5000).
 */
object CompareMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val label = args.firstOrNull() ?: "build"
        val warmMs = System.getProperty("bench.warmMs")?.toLong() ?: 3_000
        val measureMs = System.getProperty("bench.measureMs")?.toLong() ?: 5_000
        val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
        SandboxProcess(https = false).use { sandbox ->
            val t = sandbox.target
            val client = ClerkClient {
                baseUrl = t.baseUrl
                secretKey = t.secretKey
                rateLimit = RateLimit.OFF
            }
            val java = ClerkJavaClient.wrap(client)
            val ops: List<Pair<String, suspend () -> Unit>> = listOf(
                "get" to { check(client.sessions.get(t.sessionId).id == t.sessionId) },
                "java-get" to { check(java.sessions().get(t.sessionId).await().id == t.sessionId) },
                "createToken" to { check(client.sessions.createToken(t.sessionId).jwt.isNotEmpty()) },
            )
            for ((name, call) in ops) {
                for (conc in listOf(1, 64)) {
                    closedLoops(conc, Recorder(), warmMs, call)
                    val rec = Recorder()
                    val cpu0 = os.processCpuTime
                    val n0 = rec.allCalls.get()
                    val elapsed = closedLoops(conc, rec, measureMs, call, measuring = true)
                    val calls = rec.allCalls.get() - n0
                    val cpuUs = (os.processCpuTime - cpu0) / 1000.0 / calls.coerceAtLeast(1)
                    println(
                        "RESULT $label $name $conc ${"%.0f".format(calls / (elapsed / 1e9))} ${"%.0f".format(rec.percentileMicros(0.5))} " +
                            "${"%.0f".format(rec.percentileMicros(0.99))} ${"%.1f".format(cpuUs)} ${rec.errors.get()}",
                    )
                }
            }
            client.close()
        }
        System.exit(0)
    }
}
