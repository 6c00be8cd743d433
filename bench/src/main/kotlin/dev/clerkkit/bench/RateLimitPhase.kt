package dev.clerkkit.bench

import dev.clerkkit.ratelimit.RateLimit
import java.io.File
import java.net.InetSocketAddress
import java.net.ServerSocket
import java.net.Socket
import java.time.Duration
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicLong

/**
 * Phase `ratelimit`: the client-side rate budget against the sandbox enforcing a scaled Clerk limit,
 * [requests] per [windowMs] ms per key (default 100 per 1 s, fixed windows as Clerk counts), [calls] calls in total
 * (3 `get` : 1 `createToken`; default 1,000):
 *
 * 1. one process, local limiter of the same size, 64 in flight;
 * 2. four client JVMs ([RateLimitWorkerMain]) sharing one `RedisRateBudget` on a real `redis-server` this phase
 *    starts on a free port, 250 calls each at 16 in flight;
 * 3. for comparison: four client JVMs each with only its local limiter (no sharing);
 * 4. limiter off in one process, 64 in flight, with the default retry policy and with one allowing 50 attempts.
 *
 * Counted: failed calls, 429s the sandbox sent (its own counter), retries the client made (calls of the retry policy's
 * sleeper), the sandbox's requests, wall time from the first call's start to the last call's end, and its ratio to the
 * ideal: a sliding window that starts full lets the first [requests] go at once, so the last permit is free after
 * (calls / requests - 1) windows (9 s for 1,000 at 100 per s); the ratio to calls / requests windows (10 s) is shown too.
 *
 * Options: `-Dbench.rateRuns=1,2,3,4` (which runs),  `-Dbench.rateCalls=1000`, `-Dbench.rateRequests=100`, `-Dbench.rateWindowMs=1000`,
 * `-Dbench.rateRedis=redis-server` (the executable).
 */
class RateLimitPhase(private val emit: (String) -> Unit) {
    private val calls = System.getProperty("bench.rateCalls")?.toInt() ?: 1000
    private val requests = System.getProperty("bench.rateRequests")?.toInt() ?: 100
    private val windowMs = System.getProperty("bench.rateWindowMs")?.toLong() ?: 1000L
    private val limit = RateLimit.of(requests, Duration.ofMillis(windowMs))
    private val runs = (System.getProperty("bench.rateRuns") ?: "1,2,3,4").split(',').map { it.trim() }.toSet()
    private val idealNanos = ((calls.toDouble() / requests - 1) * windowMs * 1e6).toLong().coerceAtLeast(1)
    private val naiveNanos = (calls.toDouble() / requests * windowMs * 1e6).toLong()

    private class Row(
        val name: String,
        val shape: String,
        val retryPolicy: String,
        val r: BatchResult,
        val sandbox: SandboxCounters,
        val target: Goal?,
        val budgets: String? = null,
        /** Retry waits: epoch ms when each began, its length in ms. */
        val waits: List<LongArray> = emptyList(),
    )

    private class Goal(val maxFailed: Long, val max429: Long, val maxRatio: Double)

    fun run() {
        emit("\n## Rate budget phase: $calls calls (3 get : 1 createToken) against the sandbox limited to $limit per key\n")
        emit(
            "Sandbox in its own JVM, fixed windows of $windowMs ms (as Clerk counts); clients on CIO defaults otherwise. " +
                "Ideal wall time: the client's sliding window starts full, so the first $requests calls go at once and the last " +
                "permit frees after ${"%.1f".format(idealNanos / 1e9)} s (`ideal`); `naive` = $calls / $requests per window = " +
                "${"%.1f".format(naiveNanos / 1e9)} s. Wall time: first call's start to last call's end (worker JVM start-up and warm-up excluded). " +
                "Retries: waits the retry policy's sleeper made (one per retry). Before each run: 80 warm-up calls (fewer than the " +
                "limit) made by the client(s) under test, 20 per process with four (JIT, open connections, Redis connected), then a 2 s pause so " +
                "the client's and the sandbox's windows are empty; those calls are not counted.\n",
        )
        val rows = mutableListOf<Row>()
        SandboxProcess(https = false, rateLimit = "$requests/$windowMs").use { sandbox ->
            val t = sandbox.target
            if ("1" in runs) rows += inProcess(sandbox, t, "1. one process, local limiter $limit", limit, null, 64, Goal(0, 1, 1.10))
            if ("2" in runs) {
                RedisProcess.start(System.getProperty("bench.rateRedis") ?: "redis-server").use { redis ->
                    emit("- redis-server ${redis.version} on 127.0.0.1:${redis.port} (no persistence), load ${Machine.loadAverage()}")
                    rows += workers(sandbox, t, "2. four processes, one shared RedisRateBudget $limit", redis.uri, 4, 16, Goal(0, 4, 1.15))
                }
            }
            if ("3" in runs) rows += workers(sandbox, t, "3. four processes, each only its local limiter $limit (comparison)", "local", 4, 16, null)
            if ("4" in runs) {
                rows += inProcess(sandbox, t, "4a. one process, limiter off (RateLimit.OFF)", RateLimit.OFF, null, 64, null)
                rows += inProcess(sandbox, t, "4b. one process, limiter off, 50 attempts", RateLimit.OFF, 50, 64, null)
            }
        }
        table(rows)
    }

    private fun policyText(maxAttempts: Int?) =
        if (maxAttempts == null) "default (3 attempts, Retry-After honoured ≤ 60 s, 2 min overall)" else "default but $maxAttempts attempts"

    private fun pauseForEmptyWindow() = Thread.sleep(2 * windowMs.coerceAtLeast(1000))

    private fun inProcess(sandbox: SandboxProcess, t: Target, name: String, clientLimit: RateLimit, maxAttempts: Int?, inFlight: Int, target: Goal?): Row {
        val retries = AtomicLong()
        val waits = java.util.concurrent.ConcurrentLinkedQueue<LongArray>()
        val client = RateCalls.client(t, clientLimit, null, RateCalls.countingPolicy(retries, maxAttempts, waits))
        RateCalls.warmUp(client, t, 80, inFlight)
        pauseForEmptyWindow()
        waits.clear()
        val before = sandbox.stats()
        val r = try {
            RateCalls.run(client, t, calls, inFlight, retries)
        } finally {
            client.close()
        }
        val row = Row(name, "1 × $calls @ $inFlight", policyText(maxAttempts), r, sandbox.stats() - before, target, waits = waits.toList())
        progress(row)
        return row
    }

    private fun workers(sandbox: SandboxProcess, t: Target, name: String, budget: String, processes: Int, inFlight: Int, target: Goal?): Row {
        val each = calls / processes
        val children = (1..processes).map {
            Child(
                "dev.clerkkit.bench.RateLimitWorkerMain",
                listOf(t.baseUrl, t.secretKey, t.sessionId, "$each", "$inFlight", budget, "$requests", "$windowMs", "default", "${80 / processes}"),
                listOf("-Xmx256m", "-Xss512k"),
            )
        }
        try {
            children.forEach { it.await("READY") }
            pauseForEmptyWindow()
            val before = sandbox.stats()
            children.forEach { it.send("go") }
            val results = children.map { BatchResult.parse(it.await("RESULT")) }
            val waits = children.flatMap { RateCalls.parseWaits(it.await("WAITS")[1]) }
            val ends = children.map { c -> c.await("ENDS")[1].split(',').map { it.toLong() }.toLongArray() }
            val budgets = children.map { it.await("BUDGET").drop(1).joinToString(" ") }.distinct().joinToString("; ")
            val after = sandbox.stats()
            val start = results.minOf { it.startEpochMs }
            val end = results.maxOf { it.endEpochMs }
            val r = BatchResult(
                results.sumOf { it.calls }, results.sumOf { it.failed }, results.sumOf { it.failed429 }, results.sumOf { it.failedBudget },
                results.sumOf { it.retries }, (end - start) * 1_000_000, results.maxOf { it.p50Ms }, results.maxOf { it.maxMs },
                start, end, results.firstNotNullOfOrNull { it.lastError }, ends.fold(LongArray(0)) { a, b -> a + b },
            )
            val row = Row(name, "$processes × $each @ $inFlight", policyText(null), r, after - before, target, budgets, waits)
            progress(row)
            emit(
                "  - per process: " + results.joinToString("; ") {
                    "${"%.2f".format((it.startEpochMs - start) / 1000.0)}–${"%.2f".format((it.endEpochMs - start) / 1000.0)} s, p50 ${"%.0f".format(it.p50Ms)} ms, ${it.retries} retries"
                },
            )
            return row
        } finally {
            children.forEach { it.close() }
        }
    }

    private fun progress(row: Row) {
        val r = row.r
        emit(
            "- ${row.name}: ${r.calls} calls, ${r.failed} failed, ${row.sandbox.rateLimited} 429s at the sandbox, ${r.retries} retries, " +
                "wall ${"%.2f".format(r.wallNanos / 1e9)} s, load ${Machine.loadAverage()}" +
                (r.lastError?.let { " (last error: $it)" } ?: "") + (row.budgets?.let { " (budget at end: $it)" } ?: ""),
        )
        if (r.ends.isNotEmpty()) {
            val perSecond = IntArray(((r.endEpochMs - r.startEpochMs) / 1000 + 1).toInt())
            for (e in r.ends) perSecond[((e - r.startEpochMs) / 1000).toInt().coerceIn(0, perSecond.size - 1)]++
            emit("  - calls ended per second after the first call's start: ${perSecond.joinToString(" ")}")
        }
        if (row.waits.isNotEmpty()) {
            // When the retries waited (s after the first call's start, wait in ms), and how much of the wall time some retry was waiting.
            val sorted = row.waits.sortedBy { it[0] }
            var covered = 0L
            var end = Long.MIN_VALUE
            for (w in sorted) {
                val s = maxOf(w[0], end)
                val e = w[0] + w[1]
                if (e > s) covered += e - s
                end = maxOf(end, e)
            }
            val shown = sorted.take(40).joinToString(", ") { "${"%.2f".format((it[0] - r.startEpochMs) / 1000.0)} s+${it[1]}" }
            emit("  - retry waits (start after first call + length ms): $shown${if (sorted.size > 40) ", … (${sorted.size} in all)" else ""}; wall time with some retry waiting: ${"%.2f".format(covered / 1000.0)} s")
        }
    }

    private fun table(rows: List<Row>) {
        emit("\n| run | processes × calls @ in flight | failed (429 / no permit) | 429s sent by sandbox | client retries | sandbox requests | wall s | wall / ideal (${"%.0f".format(idealNanos / 1e9)} s) | wall / naive (${"%.0f".format(naiveNanos / 1e9)} s) | call p50 ms | call max ms |")
        emit("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (row in rows) {
            val r = row.r
            emit(
                "| ${row.name} | ${row.shape} | ${r.failed} (${r.failed429} / ${r.failedBudget}) | ${row.sandbox.rateLimited} | ${r.retries} | " +
                    "${row.sandbox.totalRequests} | ${"%.2f".format(r.wallNanos / 1e9)} | ${"%.2f".format(r.wallNanos.toDouble() / idealNanos)}× | " +
                    "${"%.2f".format(r.wallNanos.toDouble() / naiveNanos)}× | ${"%.0f".format(r.p50Ms)} | ${"%.0f".format(r.maxMs)} |",
            )
        }
        emit("\n| run | target | result | met |\n|---|---|---|---|")
        for (row in rows) {
            val tg = row.target ?: continue
            val r = row.r
            val ratio = r.wallNanos.toDouble() / idealNanos
            val met = r.failed <= tg.maxFailed && row.sandbox.rateLimited <= tg.max429 && ratio <= tg.maxRatio
            emit(
                "| ${row.name} | ${tg.maxFailed} failed, ≤ ${tg.max429} 429s, wall ≤ ${"%.2f".format(tg.maxRatio)}× ideal | " +
                    "${r.failed} failed, ${row.sandbox.rateLimited} 429s, ${"%.2f".format(ratio)}× | ${if (met) "yes" else "**no**"} |",
            )
        }
        emit("\nRetry policies: " + rows.map { "${it.name.substringBefore('.')}: ${it.retryPolicy}" }.distinct().joinToString("; ") + ".")
        rows.filter { it.r.sandboxMismatch(it.sandbox) }.forEach {
            emit("- note (${it.name}): sandbox requests ${it.sandbox.totalRequests} ≠ calls + retries ${it.r.calls + it.r.retries}")
        }
    }

    private fun BatchResult.sandboxMismatch(s: SandboxCounters) = s.totalRequests != calls + retries

    /** A real `redis-server` on a free loopback port, no persistence (as the redis module's tests start it). */
    class RedisProcess private constructor(val port: Int, private val process: Process, val version: String) : AutoCloseable {
        val uri: String get() = "redis://127.0.0.1:$port"

        override fun close() {
            process.destroy()
            if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS)
        }

        companion object {
            fun start(executable: String): RedisProcess {
                val version = runCatching {
                    ProcessBuilder(executable, "--version").start().inputStream.bufferedReader().readText().trim()
                        .substringAfter("v=").substringBefore(' ')
                }.getOrElse { throw IllegalStateException("redis-server not found ('$executable'): install it (apt-get install -y redis-server) or pass -Dbench.rateRedis=/path/to/redis-server", it) }
                val port = ServerSocket(0).use { it.localPort }
                val log = File.createTempFile("bench-redis-$port-", ".log").apply { deleteOnExit() }
                val p = ProcessBuilder(executable, "--port", "$port", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log)).start()
                val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15)
                while (true) {
                    check(p.isAlive) { "redis-server exited at start: ${log.readText().takeLast(2000)}" }
                    if (runCatching { Socket().use { it.connect(InetSocketAddress("127.0.0.1", port), 200) } }.isSuccess) break
                    if (System.nanoTime() > deadline) {
                        p.destroyForcibly()
                        error("redis-server did not listen on $port within 15 s")
                    }
                    Thread.sleep(20)
                }
                return RedisProcess(port, p, version)
            }
        }
    }
}
