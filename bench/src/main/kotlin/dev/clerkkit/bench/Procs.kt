package dev.clerkkit.bench

import java.io.BufferedReader
import java.io.File
import java.io.PrintWriter
import java.lang.management.ManagementFactory
import java.util.concurrent.TimeUnit

/** A child JVM on this JVM's classpath, talking lines over stdin/stdout. */
class Child(mainClass: String, args: List<String>, jvmArgs: List<String> = emptyList()) : AutoCloseable {
    private val process: Process = ProcessBuilder(
        listOf(File(System.getProperty("java.home"), "bin/java").path) + jvmArgs +
            listOf("-cp", System.getProperty("java.class.path"), mainClass) + args,
    ).redirectError(ProcessBuilder.Redirect.INHERIT).start()
    private val out: BufferedReader = process.inputStream.bufferedReader()
    private val input = PrintWriter(process.outputStream, true)

    /** Skips lines until one starts with [prefix]; returns it split on spaces. */
    fun await(prefix: String): List<String> {
        while (true) {
            val line = out.readLine() ?: error("child exited before '$prefix' (exit ${process.waitFor()})")
            if (line.startsWith(prefix)) return line.split(' ')
        }
    }

    fun send(line: String) = input.println(line)

    override fun close() {
        runCatching { input.close() }
        if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroy()
        process.waitFor(5, TimeUnit.SECONDS)
    }
}

/**
 * The sandbox in its own JVM (see [BenchSandboxMain]); [idleTimeoutMs] null = the sandbox's default (60 s);
 * [rateLimit] `N/MS` = the sandbox answers 429 beyond N requests per MS ms per key (fixed windows), null = no limit.
 */
class SandboxProcess(https: Boolean, idleTimeoutMs: Long? = null, rateLimit: String? = null) : AutoCloseable {
    private val child = Child(
        "dev.clerkkit.bench.BenchSandboxMain",
        (if (https) listOf("--https") else emptyList()) + (idleTimeoutMs?.let { listOf("--idle-timeout-ms", "$it") } ?: emptyList()) +
            (rateLimit?.let { listOf("--rate-limit", it) } ?: emptyList()),
        listOf("-Xmx1g", "-Xss512k"),
    )
    val target: Target

    init {
        val ready = child.await("READY")
        val store = if (ready[4] == "-") {
            null
        } else {
            val pem = String(java.util.Base64.getDecoder().decode(ready[4]))
            val cert = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(pem.byteInputStream())
            java.security.KeyStore.getInstance(java.security.KeyStore.getDefaultType()).apply {
                load(null, null)
                setCertificateEntry("sandbox", cert)
            }
        }
        target = Target(ready[1], ready[2], ready[3], store)
    }

    /** Connections accepted so far. */
    fun connectionsAccepted(): Long {
        child.send("stats")
        return child.await("STATS")[1].toLong()
    }

    /** The sandbox's counters now. */
    fun stats(): SandboxCounters {
        child.send("stats")
        val s = child.await("STATS")
        return SandboxCounters(s[1].toLong(), s[2].toLong(), s[4].toLong(), s[5].toLong())
    }

    override fun close() = child.close()
}

/** The sandbox's counters (see [BenchSandboxMain]); [minus] gives what happened between two readings. */
data class SandboxCounters(val connectionsAccepted: Long, val totalRequests: Long, val rateLimited: Long, val responses429: Long) {
    operator fun minus(o: SandboxCounters) = SandboxCounters(
        connectionsAccepted - o.connectionsAccepted, totalRequests - o.totalRequests, rateLimited - o.rateLimited, responses429 - o.responses429,
    )
}

object Machine {
    private val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean

    fun processCpuNanos(): Long = os.processCpuTime

    /** Voluntary + involuntary context switches summed over this process's live threads (/proc/self/task). */
    fun contextSwitches(): Long = runCatching {
        File("/proc/self/task").listFiles()!!.sumOf { task ->
            runCatching {
                File(task, "status").readLines().filter { it.contains("ctxt_switches:") }.sumOf { it.substringAfter(':').trim().toLong() }
            }.getOrDefault(0L)
        }
    }.getOrDefault(-1)

    /** Milliseconds the JIT spent compiling so far (approximates compiler-thread CPU, which process CPU includes). */
    fun jitMillis(): Long = ManagementFactory.getCompilationMXBean().totalCompilationTime

    /** Milliseconds spent in GC so far (all collectors). */
    fun gcMillis(): Long = ManagementFactory.getGarbageCollectorMXBeans().sumOf { it.collectionTime.coerceAtLeast(0) }

    fun loadAverage(): String = runCatching { File("/proc/loadavg").readText().trim() }.getOrDefault("?")

    fun rssMb(): Long = runCatching {
        File("/proc/self/status").readLines().first { it.startsWith("VmRSS:") }.split(Regex("\\s+"))[1].toLong() / 1024
    }.getOrDefault(-1)

    fun describe(): String = buildString {
        val cpu = runCatching { File("/proc/cpuinfo").readLines().first { it.startsWith("model name") }.substringAfter(':').trim() }.getOrDefault("?")
        appendLine("- nproc: ${Runtime.getRuntime().availableProcessors()}; CPU: $cpu")
        val mem = runCatching { ProcessBuilder("free", "-h").start().inputStream.bufferedReader().readText().trim() }.getOrDefault("?")
        appendLine("- free -h:\n```\n$mem\n```")
        appendLine("- JDK: ${System.getProperty("java.vm.name")} ${System.getProperty("java.runtime.version")}; bench JVM args: ${ManagementFactory.getRuntimeMXBean().inputArguments}")
        appendLine("- load average at start: ${loadAverage()}")
    }
}
