package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.micrometer.ClerkMicrometer
import dev.clerkkit.opentelemetry.ClerkOpenTelemetry
import dev.clerkkit.ratelimit.RateLimit
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.common.CompletableResultCode
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.data.SpanData
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor
import io.opentelemetry.sdk.trace.export.SpanExporter
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.cancel
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

/**
 * Overhead of the observability modules on `get`: three clients in one JVM against the sandbox in its own JVM (http,
 * default engine, rate limit off) — no listener, `ClerkOpenTelemetry` on the OpenTelemetry SDK (batch span processor
 * into an exporter that counts and drops, a metric reader), and `ClerkMicrometer` on a `SimpleMeterRegistry` — at 1 and
 * 64 in flight, the variants alternated [rounds] times per cell so drift on a shared machine hits all three alike.
 *
 * `java -cp ... dev.clerkkit.bench.ObservabilityMain`; prints `RESULT <variant> get <in flight> <round> <req/s> <p50 µs>
 * <p99 µs> <client CPU µs per call> <errors>` lines. System properties: `-Dbench.warmMs` (3000), `-Dbench.measureMs`
 * (5000), `-Dbench.rounds` (3).
 */
object ObservabilityMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val warmMs = System.getProperty("bench.warmMs")?.toLong() ?: 3_000
        val measureMs = System.getProperty("bench.measureMs")?.toLong() ?: 5_000
        val rounds = System.getProperty("bench.rounds")?.toInt() ?: 3
        val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
        val exported = AtomicLong()
        val otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(CountingExporter(exported)).build()).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
            .build()
        val registry = SimpleMeterRegistry()
        SandboxProcess(https = false).use { sandbox ->
            val t = sandbox.target
            fun client(listener: ClerkEventListener?) = ClerkClient {
                baseUrl = t.baseUrl
                secretKey = t.secretKey
                rateLimit = RateLimit.OFF
                listener?.let { addEventListener(it) }
            }
            val variants = listOf(
                "none" to client(null),
                "otel" to client(ClerkOpenTelemetry.create(otel)),
                "micrometer" to client(ClerkMicrometer.create(registry)),
            )
            for (conc in listOf(1, 64)) {
                for (round in 1..rounds) {
                    for ((name, client) in variants) {
                        val call: suspend () -> Unit = { check(client.sessions.get(t.sessionId).id == t.sessionId) }
                        run(conc, Recorder(1_000_000), warmMs, call)
                        val rec = Recorder(2_000_000)
                        val cpu0 = os.processCpuTime
                        val n0 = rec.allCalls.get()
                        val elapsed = run(conc, rec, measureMs, call, measuring = true)
                        val calls = rec.allCalls.get() - n0
                        val cpuUs = (os.processCpuTime - cpu0) / 1000.0 / calls.coerceAtLeast(1)
                        println(
                            "RESULT $name get $conc $round ${"%.0f".format(calls / (elapsed / 1e9))} ${"%.0f".format(rec.percentileMicros(0.5))} " +
                                "${"%.0f".format(rec.percentileMicros(0.99))} ${"%.1f".format(cpuUs)} ${rec.errors.get()}",
                        )
                    }
                }
            }
            variants.forEach { it.second.close() }
        }
        otel.close()
        println("exported spans: ${exported.get()}; micrometer calls timed: ${registry.find(ClerkMicrometer.CALLS).timer()?.count()}")
        System.exit(0)
    }

    /** Counts the spans handed to it and drops them (the export cost is the SDK's batch thread's, off the call path). */
    private class CountingExporter(private val count: AtomicLong) : SpanExporter {
        override fun export(spans: Collection<SpanData>): CompletableResultCode {
            count.addAndGet(spans.size.toLong())
            return CompletableResultCode.ofSuccess()
        }
        override fun flush(): CompletableResultCode = CompletableResultCode.ofSuccess()
        override fun shutdown(): CompletableResultCode = CompletableResultCode.ofSuccess()
    }

    /** [conc] closed loops of [call] for [ms] from `Dispatchers.Default`; returns the nanoseconds they ran. */
    private fun run(conc: Int, rec: Recorder, ms: Long, call: suspend () -> Unit, measuring: Boolean = false): Long {
        val stop = AtomicBoolean(false)
        val scope = CoroutineScope(SupervisorJob() + Dispatchers.Default)
        rec.measuring = measuring
        val t0 = System.nanoTime()
        val jobs = (1..conc).map {
            scope.launch {
                while (!stop.get()) {
                    val s = System.nanoTime()
                    try {
                        call()
                        rec.record(System.nanoTime() - s)
                    } catch (e: Exception) {
                        if (e is kotlinx.coroutines.CancellationException) throw e
                        rec.error(e)
                    }
                }
            }
        }
        Thread.sleep(ms)
        stop.set(true)
        runBlocking { jobs.joinAll() }
        val elapsed = System.nanoTime() - t0
        scope.cancel()
        rec.measuring = false
        return elapsed
    }
}
