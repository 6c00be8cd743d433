package dev.clerkkit.bench

import dev.clerkkit.sessions.CreateTokenParams
import kotlinx.coroutines.runBlocking
import org.openjdk.jmh.runner.Runner
import org.openjdk.jmh.runner.options.OptionsBuilder
import org.openjdk.jmh.runner.options.TimeValue
import java.io.File
import java.time.Instant
import java.util.concurrent.atomic.AtomicBoolean

/**
 * Runs every benchmark in one go and writes Markdown tables to `bench/target/bench-results.md` (and stdout).
 *
 * ```
 * mvn -B -ntp -pl bench -am package -DskipTests -Dkotlin.compiler.daemon=false
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" dev.clerkkit.bench.Main
 * ```
 * Options (system properties): `-Dbench.phases=decode,load,post,tokens,inflight` (default all; also load-http, load-https, post-http, post-https, profile), `-Dbench.quick=true`
 * (seconds instead of tens of seconds: a smoke test, numbers meaningless), `-Dbench.out=FILE`.
 *
 * Phase `link` (not in the default list: it is slow, about 4 × idle time per delay plus a minute or two; see
 * [LinkPhase]): `get`, `createToken`, `revoke`, `refresh` over https through a [DelayProxy] that delays every chunk
 * D ms each way (a new connection's first bytes 2·D more), for clerkkit's variants ([LinkVariants]) and the official
 * SDK: warm at 1 in flight, after idle, and a burst of concurrent gets from a new client.
 * ```
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" -Dbench.phases=link dev.clerkkit.bench.Main
 * ```
 * Its options: `-Dbench.linkDelays=10,0` (D values in ms, one way), `-Dbench.idleMs=60000` (idle before each
 * after-idle call), `-Dbench.linkCalls=50` / `-Dbench.linkWarmCalls=30` (timed / warm-up calls per operation; 10 / 5
 * with `bench.quick`), `-Dbench.linkBurst=64` (concurrent gets from a new client), `-Dbench.linkJvmWarmCalls=100` (JIT warm-up:
 * a throwaway client of each kind first, calls per operation at D = 0), `-Dbench.linkServerIdleMs`
 * (the sandbox's idle-connection timeout; default max(300 s, 2 × idle), so the clients' own pools decide).
 *
 * Phase `ratelimit` (not in the default list; about a minute; needs `redis-server` on the PATH; see [RateLimitPhase]):
 * 1,000 calls against the sandbox limited to 100 per 1 s, with the client's local limiter, with four client JVMs
 * sharing one `RedisRateBudget`, and with the limiter off.
 * ```
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" -Dbench.phases=ratelimit dev.clerkkit.bench.Main
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" -Dbench.phases=auth dev.clerkkit.bench.Main
 * java -Xmx2g -cp "bench/target/classes:$(cat bench/target/classpath.txt)" -Dbench.phases=tokencache dev.clerkkit.bench.Main
 * ```
 */
object Main {
    private val quick = System.getProperty("bench.quick") == "true"
    private val phases = (System.getProperty("bench.phases") ?: "decode,load,post,tokens,inflight").split(',').map { it.trim() }.toSet()
    private val out = File(System.getProperty("bench.out") ?: "bench/target/bench-results.md").absoluteFile
    private val md = StringBuilder()

    // Durations (ms).
    private val firstWarmMs = System.getProperty("bench.firstWarmMs")?.toLong() ?: if (quick) 1500L else 12_000L
    private val cellWarmMs = System.getProperty("bench.cellWarmMs")?.toLong() ?: if (quick) 300L else 1_500L
    private val cellMeasureMs = System.getProperty("bench.cellMeasureMs")?.toLong() ?: if (quick) 700L else 4_000L
    private val concurrencies = System.getProperty("bench.inFlight")?.split(",")?.map { it.trim().toInt() } ?: listOf(1, 16, 64, 256)

    @JvmStatic
    fun main(args: Array<String>) {
        val started = System.nanoTime()
        emit("# Raw results (${Instant.now()})\n")
        emit(Machine.describe())
        emit("- warm-up: ${firstWarmMs / 1000.0} s per client per protocol at 16 in flight, then per cell ${cellWarmMs / 1000.0} s warm + ${cellMeasureMs / 1000.0} s measured\n")
        if ("decode" in phases) decode()
        if ("load" in phases || "load-http" in phases) load(https = false)
        if ("load" in phases || "load-https" in phases) load(https = true)
        if ("post" in phases || "post-http" in phases) post(https = false)
        if ("post" in phases || "post-https" in phases) post(https = true)
        if ("profile" in phases) profile()
        if ("tokens" in phases) tokens()
        if ("inflight" in phases) inflight()
        if ("link" in phases) LinkPhase(::emit, quick).run()
        if ("ratelimit" in phases) RateLimitPhase(::emit).run()
        if ("auth" in phases) AuthPhase(::emit, quick).run()
        if ("tokencache" in phases) TokenCachePhase(::emit, quick).run()
        emit("\n- load average at end: ${Machine.loadAverage()}; total bench time ${"%.0f".format((System.nanoTime() - started) / 1e9)} s\n")
        System.exit(0)
    }

    private fun emit(s: String) {
        print(s)
        if (!s.endsWith("\n")) println()
        md.append(s).append(if (s.endsWith("\n")) "" else "\n")
        out.parentFile.mkdirs()
        out.writeText(md.toString())
    }

    // ---------------------------------------------------------------- decode (JMH)

    private fun decode() {
        emit("\n## Decode of a 500-session list (JMH 1.37, 1 fork, avg time, µs/op)\n")
        val opts = OptionsBuilder()
            .include(DecodeBench::class.java.name)
            .forks(1)
            .jvmArgs("-Xmx1g")
            .warmupIterations(if (quick) 1 else 4)
            .warmupTime(TimeValue.seconds(if (quick) 1 else 2))
            .measurementIterations(if (quick) 1 else 5)
            .measurementTime(TimeValue.seconds(if (quick) 1 else 2))
            .build()
        val results = Runner(opts).run()
        val scores = results.associate { it.params.benchmark.substringAfterLast('.') to it.primaryResult }
        val sdk = scores["sdkJacksonArray"]?.score
        emit("| decoder | µs/op (± 99.9% CI) | vs official SDK (Jackson) |\n|---|---:|---:|")
        for ((name, r) in scores.entries.sortedBy { it.key }) {
            emit("| $name | ${"%.1f".format(r.score)} ± ${"%.1f".format(r.scoreError)} | ${ratio(r.score, sdk)} |")
        }
        emit("\nreached clerkkit's internal SessionJson.decodeList by reflection: ${Fixtures.internalDecodeList != null}\n")
    }

    // ---------------------------------------------------------------- load

    class Cell(val client: String, val conc: Int, val rps: Double, val p50: Double, val p99: Double, val errors: Long, val connsPer1000: Double, val cpuPerCallUs: Double, val csPerCall: Double, val jitMs: Long, val gcMs: Long)

    private fun load(https: Boolean) {
        val proto = if (https) "https" else "http"
        emit("\n## GET /sessions/{id} over $proto (sandbox in a separate JVM)\n")
        SandboxProcess(https).use { sandbox ->
            val t = sandbox.target
            // Order matters to table(): [2] is the SDK and [3] the bare CIO ceiling (the ratio columns), [0] vs [4] is CIO vs OkHttp.
            val all: List<(Target) -> Driver> = listOf(
                { OursKotlin(it) }, { OursJava(it) }, { OfficialSdk(it) }, { BareCio(it) }, { OursOkHttp(it) }, { BareCioDefaultCallers(it) },
                { OursJdk(it) },
                { OursKotlin(it, engine = dev.clerkkit.BuiltInEngine.CIO_READS_OKHTTP_WRITES, label = "clerkkit Kotlin, CIO reads (suspend)") },
                { OursKotlin(it, engine = dev.clerkkit.BuiltInEngine.JAVA, label = "clerkkit Kotlin on the JDK client (suspend)") },
            )
            // -Dbench.drivers=0,5 runs a subset (indices into this list; the tables then skip their ratio columns)
            val only = System.getProperty("bench.drivers")?.split(',')?.map { it.trim().toInt() }?.toSet()
            val drivers = all.filterIndexed { i, _ -> only == null || i in only }.map { make -> make(t) }
            try {
                for (d in drivers) {
                    val rec = Recorder()
                    runCell(d, 16, rec, firstWarmMs, 0, sandbox)
                    emit("- warm-up ${d.label}: ${rec.allCalls.get()} calls, ${rec.errors.get()} errors${rec.lastError?.let { " (last: $it)" } ?: ""}, load ${Machine.loadAverage()}")
                }
                val cells = mutableListOf<Cell>()
                for (c in concurrencies) {
                    for (d in drivers) {
                        cells += runCell(d, c, Recorder(), cellWarmMs, cellMeasureMs, sandbox)!!
                    }
                    emit("- after $c in flight: load ${Machine.loadAverage()}")
                }
                if (drivers.size >= 6) table(proto, cells, drivers.map { it.label })
            } finally {
                drivers.forEach { runCatching { it.close() } }
            }
        }
    }

    /**
     * POST /sessions/{id}/revoke (cheap and repeatable: a POST that only sets a status) at 1, 16 and 64 in flight:
     * where the engines differ. CIO 3.6.1 opens a connection per POST (over https a TLS handshake), OkHttp reuses.
     */
    private fun post(https: Boolean) {
        val proto = if (https) "https" else "http"
        emit("\n## POST /sessions/{id}/revoke over $proto (sandbox in a separate JVM)\n")
        SandboxProcess(https).use { sandbox ->
            val t = sandbox.target
            val drivers = listOf(
                OursKotlin(t, post = true), OursOkHttp(t, post = true), OfficialSdk(t, post = true), OursJdk(t, post = true),
                OursKotlin(t, post = true, engine = dev.clerkkit.BuiltInEngine.CIO, label = "clerkkit Kotlin on CIO only (suspend)"),
                OursKotlin(t, post = true, engine = dev.clerkkit.BuiltInEngine.JAVA, label = "clerkkit Kotlin on the JDK client (suspend)"),
            )
            try {
                for (d in drivers) {
                    val rec = Recorder()
                    runCell(d, 16, rec, firstWarmMs / 2, 0, sandbox)
                    emit("- warm-up ${d.label}: ${rec.allCalls.get()} calls, ${rec.errors.get()} errors${rec.lastError?.let { " (last: $it)" } ?: ""}, load ${Machine.loadAverage()}")
                }
                val cells = mutableListOf<Cell>()
                for (c in listOf(1, 16, 64)) for (d in drivers) cells += runCell(d, c, Recorder(), cellWarmMs, cellMeasureMs, sandbox)!!
                val sdk = drivers[2].label
                emit("\n| $proto POST revoke | in flight | req/s | p50 ms | p99 ms | client CPU µs/call | conns / 1000 calls | errors | req/s vs SDK | p50 vs SDK |")
                emit("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
                for (cell in cells) {
                    val s = cells.first { it.client == sdk && it.conc == cell.conc }
                    emit(
                        "| ${cell.client} | ${cell.conc} | ${"%.0f".format(cell.rps)} | ${"%.2f".format(cell.p50)} | ${"%.2f".format(cell.p99)} | " +
                            "${"%.0f".format(cell.cpuPerCallUs)} | ${"%.1f".format(cell.connsPer1000)} | ${cell.errors} | ${ratio(cell.rps, s.rps)} | ${ratio(cell.p50, s.p50)} |",
                    )
                }
            } finally {
                drivers.forEach { runCatching { it.close() } }
            }
        }
    }

    private fun runCell(d: Driver, conc: Int, rec: Recorder, warmMs: Long, measureMs: Long, sandbox: SandboxProcess): Cell? {
        val stop = AtomicBoolean(false)
        val conns0 = sandbox.connectionsAccepted()
        val calls0 = rec.allCalls.get()
        val join = d.start(conc, rec, stop)
        Thread.sleep(warmMs)
        if (measureMs == 0L) {
            stop.set(true)
            join()
            return null
        }
        val cs0 = Machine.contextSwitches()
        val jit0 = Machine.jitMillis()
        val gc0 = Machine.gcMillis()
        val cpu0 = Machine.processCpuNanos()
        val n0 = rec.allCalls.get()
        val t0 = System.nanoTime()
        rec.measuring = true
        Thread.sleep(measureMs)
        rec.measuring = false
        val t1 = System.nanoTime()
        val n1 = rec.allCalls.get()
        val cpu1 = Machine.processCpuNanos()
        val cs1 = Machine.contextSwitches()
        val jit1 = Machine.jitMillis()
        val gc1 = Machine.gcMillis()
        stop.set(true)
        join()
        val conns = sandbox.connectionsAccepted() - conns0
        val callsInCell = rec.allCalls.get() - calls0
        val calls = n1 - n0
        return Cell(
            d.label, conc,
            rps = calls / ((t1 - t0) / 1e9),
            p50 = rec.percentileMicros(0.50) / 1000, p99 = rec.percentileMicros(0.99) / 1000,
            errors = rec.errors.get(),
            connsPer1000 = if (callsInCell == 0L) Double.NaN else conns * 1000.0 / callsInCell,
            cpuPerCallUs = if (calls == 0L) Double.NaN else (cpu1 - cpu0) / 1000.0 / calls,
            csPerCall = if (calls == 0L) Double.NaN else (cs1 - cs0).toDouble() / calls,
            jitMs = jit1 - jit0, gcMs = gc1 - gc0,
        ).also {
            println("  cell ${d.label} x$conc: ${"%.0f".format(it.rps)} req/s p50 ${"%.2f".format(it.p50)} ms p99 ${"%.2f".format(it.p99)} ms, cpu ${"%.0f".format(it.cpuPerCallUs)} µs/call, conns/1000 ${"%.1f".format(it.connsPer1000)}, cs/call ${"%.1f".format(it.csPerCall)}, jit ${it.jitMs} ms, gc ${it.gcMs} ms, errors ${it.errors}${rec.lastError?.let { e -> " ($e)" } ?: ""}")
        }
    }

    private fun table(proto: String, cells: List<Cell>, labels: List<String>) {
        val sdk = labels[2]
        val bare = labels[3]
        val cio = labels[0]
        val okhttp = labels[4]
        emit("\n| $proto | in flight | req/s | p50 ms | p99 ms | client CPU µs/call | JIT ms / GC ms in window | conns / 1000 calls | errors | req/s vs SDK | req/s vs bare | CPU/call vs SDK | CPU/call vs bare |")
        emit("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for (c in concurrencies) {
            val s = cells.first { it.client == sdk && it.conc == c }
            val b = cells.first { it.client == bare && it.conc == c }
            for (cell in cells.filter { it.conc == c }) {
                emit(
                    "| ${cell.client} | $c | ${"%.0f".format(cell.rps)} | ${"%.2f".format(cell.p50)} | ${"%.2f".format(cell.p99)} | " +
                        "${"%.0f".format(cell.cpuPerCallUs)} | ${cell.jitMs} / ${cell.gcMs} | ${"%.1f".format(cell.connsPer1000)} | ${cell.errors} | " +
                        "${ratio(cell.rps, s.rps)} | ${ratio(cell.rps, b.rps)} | ${ratio(cell.cpuPerCallUs, s.cpuPerCallUs)} | ${ratio(cell.cpuPerCallUs, b.cpuPerCallUs)} |",
                )
            }
        }
        // The same client and loop on two engines: (e) OkHttp over (a) CIO (> 1.00x: OkHttp higher).
        emit("\n| $proto: clerkkit on OkHttp (e) vs on CIO (a) | in flight | req/s (e)/(a) | p50 (e)/(a) | p99 (e)/(a) | CPU/call (e)/(a) | conns / 1000 calls (a) → (e) | errors (a) / (e) |")
        emit("|---|---:|---:|---:|---:|---:|---:|---:|")
        for (c in concurrencies) {
            val a = cells.first { it.client == cio && it.conc == c }
            val e = cells.first { it.client == okhttp && it.conc == c }
            emit(
                "| GET /sessions/{id} | $c | ${ratio(e.rps, a.rps)} | ${ratio(e.p50, a.p50)} | ${ratio(e.p99, a.p99)} | ${ratio(e.cpuPerCallUs, a.cpuPerCallUs)} | " +
                    "${"%.1f".format(a.connsPer1000)} → ${"%.1f".format(e.connsPer1000)} | ${a.errors} / ${e.errors} |",
            )
        }
    }

    private fun ratio(a: Double, b: Double?): String = if (b == null || b.isNaN() || b == 0.0) "–" else "%.2f×".format(a / b)

    /**
     * One client alone for a while, for a profiler: `-Dbench.phases=profile -Dbench.profile=kotlin|java|sdk|bare|okhttp`
     * `-Dbench.profile.conc=1 -Dbench.profile.seconds=30`, with e.g. `-XX:StartFlightRecording=delay=15s,filename=x.jfr`.
     */
    private fun profile() {
        val which = System.getProperty("bench.profile") ?: "kotlin"
        val conc = System.getProperty("bench.profile.conc")?.toInt() ?: 1
        val seconds = System.getProperty("bench.profile.seconds")?.toLong() ?: 30
        SandboxProcess(System.getProperty("bench.profile.https") == "true").use { sandbox ->
            val t = sandbox.target
            val d = when (which) {
                "java" -> OursJava(t)
                "sdk" -> OfficialSdk(t)
                "bare" -> BareCio(t)
                "okhttp" -> OursOkHttp(t)
                else -> OursKotlin(t)
            }
            d.use {
                val cell = runCell(d, conc, Recorder(), seconds * 500, seconds * 500, sandbox)!!
                emit("profile $which x$conc: ${"%.0f".format(cell.rps)} req/s, ${"%.0f".format(cell.cpuPerCallUs)} µs CPU/call")
            }
        }
    }

    // ---------------------------------------------------------------- tokens

    private fun tokens() {
        emit("\n## Session-token verification (warm JWKS cache) next to one get, same run, 1 caller\n")
        SandboxProcess(false).use { sandbox ->
            val t = sandbox.target
            OursKotlin(t).use { d ->
                val client = d.client
                runBlocking {
                    val jwt = client.sessions.createToken(CreateTokenParams { sessionId = t.sessionId; expiresInSeconds = 3600 }).jwt
                    val verifier = client.tokens
                    check(verifier.verify(jwt).sessionId == t.sessionId)
                    val warmMs = if (quick) 500L else 5_000L
                    val measureMs = if (quick) 500L else 4_000L
                    fun timed(ms: Long, block: suspend () -> Unit): Pair<Long, Long> = runBlocking {
                        val end = System.nanoTime() + ms * 1_000_000
                        var n = 0L
                        val t0 = System.nanoTime()
                        while (System.nanoTime() < end) {
                            block(); n++
                        }
                        n to (System.nanoTime() - t0)
                    }
                    timed(warmMs) { verifier.verify(jwt) }
                    val cpu0 = Machine.processCpuNanos()
                    val (nv, tv) = timed(measureMs) { verifier.verify(jwt) }
                    val cpuV = Machine.processCpuNanos() - cpu0
                    timed(warmMs) { client.sessions.get(t.sessionId) }
                    val cpu1 = Machine.processCpuNanos()
                    val (ng, tg) = timed(measureMs) { client.sessions.get(t.sessionId) }
                    val cpuG = Machine.processCpuNanos() - cpu1
                    emit("| operation | per second (1 caller) | µs per op (wall) | client CPU µs per op |\n|---|---:|---:|---:|")
                    emit("| `client.tokens.verify(jwt)` (RS256, cached JWKS) | ${"%.0f".format(nv / (tv / 1e9))} | ${"%.1f".format(tv / 1000.0 / nv)} | ${"%.1f".format(cpuV / 1000.0 / nv)} |")
                    emit("| `client.sessions.get(id)` (http, keep-alive, sandbox JVM) | ${"%.0f".format(ng / (tg / 1e9))} | ${"%.1f".format(tg / 1000.0 / ng)} | ${"%.1f".format(cpuG / 1000.0 / ng)} |")
                    emit("\nverify is ${"%.0f".format((tg.toDouble() / ng) / (tv.toDouble() / nv))}× faster than one get (wall); warm-up ${warmMs / 1000.0} s each.\n")
                }
            }
        }
    }

    // ---------------------------------------------------------------- 10,000 in flight

    private fun inflight() {
        emit("\n## 10,000 calls in flight against a delaying async server (each side in a fresh JVM, -Xmx2g)\n")
        val port = java.net.ServerSocket(0).use { it.localPort }
        val delayMs = 1000
        Child("dev.clerkkit.bench.DelayServerMain", listOf("--port", "$port", "--delay-ms", "$delayMs"), listOf("-Xmx1g")).use { server ->
            server.await("READY")
            val base = "http://127.0.0.1:$port/v1"
            emit("server: Ktor server CIO 3.6.1 in its own JVM, answers after $delayMs ms\n")
            emit("| client | calls | concurrency | wall s | peak live threads | heap used after GC mid-flight MB | peak heap used (sampled) MB | peak RSS MB | process CPU s | errors |")
            emit("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            // -Dbench.inflightModes=... (comma-separated InflightMain modes) runs a subset
            val modes = System.getProperty("bench.inflightModes")?.split(',')?.map { it.trim() } ?: listOf("get", "createToken").flatMap { op ->
                listOf("OKHTTP", "CIO_READS_OKHTTP_WRITES", "CIO", "JAVA").map { "ours:$it:10000:$op" } + "ours:OKHTTP:2000:$op" + "sdk:$op"
            }
            for (mode in modes) {
                Child("dev.clerkkit.bench.InflightMain", listOf(mode, base, "10000", if (quick) "500" else "2000"), listOf("-Xmx2g")).use { c ->
                    val r = c.await("RESULT").joinToString(" ").removePrefix("RESULT ").split('|')
                    emit("| ${r.joinToString(" | ")} |")
                }
            }
        }
    }
}
