package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.events.AttemptEnded
import dev.clerkkit.events.AttemptStarted
import dev.clerkkit.events.CallEnded
import dev.clerkkit.events.CallOutcome
import dev.clerkkit.events.CallStarted
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
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import io.opentelemetry.sdk.trace.export.SpanExporter
import java.lang.management.ManagementFactory
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong

/**
 * Overhead of the observability modules on `get`: four clients in one JVM against the sandbox in its own JVM (http,
 * default engine, rate limit off) — no listener, a listener that does nothing, `ClerkOpenTelemetry` on the OpenTelemetry SDK (batch span processor
 * into an exporter that counts and drops, a metric reader), and `ClerkMicrometer` on a `SimpleMeterRegistry` — at 1 and
 * 64 in flight, the variants alternated [rounds] times per cell (the order rotating each round) so drift on a shared machine hits
 * all four alike (`empty`: a listener that does nothing, the cost of the client's events alone).
 *
 * `java -cp ... dev.clerkkit.bench.ObservabilityMain`; prints `RESULT <variant> get <in flight> <round> <req/s> <p50 µs>
 * <p99 µs> <client CPU µs per call> <errors>` lines. System properties: `-Dbench.warmMs` (3000), `-Dbench.measureMs`
 * (5000), `-Dbench.rounds` (3), `-Dbench.inFlight` (`1,64`).
 */
object ObservabilityMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val warmMs = System.getProperty("bench.warmMs")?.toLong() ?: 3_000
        val measureMs = System.getProperty("bench.measureMs")?.toLong() ?: 5_000
        val rounds = System.getProperty("bench.rounds")?.toInt() ?: 3
        val inFlight = System.getProperty("bench.inFlight")?.split(',')?.map { it.trim().toInt() } ?: listOf(1, 64)
        val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
        val exported = AtomicLong()
        val otel = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(BatchSpanProcessor.builder(CountingExporter(exported)).build()).build())
            .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
            .build()
        val registry = SimpleMeterRegistry()
        if (System.getProperty("bench.listenerCost") != "false") {
            // spans exported synchronously on the calling thread: the batch queue would drop most at this rate
            val exportedHere = AtomicLong()
            val synchronous = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(CountingExporter(exportedHere))).build())
                .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(InMemoryMetricReader.create()).build())
                .build()
            listenerCost("otel", ClerkOpenTelemetry.create(synchronous))
            println("listener cost: ${exportedHere.get()} spans exported")
            synchronous.close()
            listenerCost("micrometer", ClerkMicrometer.create(registry))
        }
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
                "empty" to client(object : ClerkEventListener {}),
                "otel" to client(ClerkOpenTelemetry.create(otel)),
                "micrometer" to client(ClerkMicrometer.create(registry)),
            )
            for (conc in inFlight) {
                for (round in 1..rounds) {
                    // the order rotates each round, so no variant always runs first (or right after another)
                    for ((name, client) in variants.indices.map { variants[(it + round) % variants.size] }) {
                        val call: suspend () -> Unit = { check(client.sessions.get(t.sessionId).id == t.sessionId) }
                        closedLoops(conc, Recorder(1_000_000), warmMs, call)
                        val rec = Recorder(2_000_000)
                        val cpu0 = os.processCpuTime
                        val n0 = rec.allCalls.get()
                        val elapsed = closedLoops(conc, rec, measureMs, call, measuring = true)
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

    /**
     * The listener's own cost per call, without the network: one thread feeds [listener] the events of a successful
     * one-attempt `get` (call started, attempt started and ended, call ended) for 3 s warm + 3 s measured. Prints
     * `LISTENER <name> <calls> <thread CPU ns per call> <process CPU ns per call>`; the process figure includes GC.
     * OpenTelemetry's spans go through a synchronous span processor to a counting exporter, so their processing is
     * on the measured thread. CPU time, not wall time, so other load on the machine
     * stretches it little.
     */
    private fun listenerCost(name: String, listener: ClerkEventListener) {
        val threads = ManagementFactory.getThreadMXBean()
        val os = ManagementFactory.getOperatingSystemMXBean() as com.sun.management.OperatingSystemMXBean
        val op = "sessions.get"
        val method = "GET"
        val template = "/sessions/{session_id}"
        val headers = listOf("Authorization", "User-Agent", "Clerk-API-Version")
        val took = Duration.ofNanos(300_000)
        fun oneCall() {
            val call = listener.forCall()
            call.callStarted(CallStarted(op, method, template))
            call.attemptStarted(AttemptStarted(op, method, template, "127.0.0.1", 8080, 1, headers))
            call.attemptEnded(AttemptEnded(op, method, template, "127.0.0.1", 8080, 1, took, 200, null, "trace_1", true))
            call.callEnded(CallEnded(op, method, template, CallOutcome.SUCCESS, 1, took, 200, null, "trace_1"))
        }
        fun loop(millis: Long): Long {
            val end = System.nanoTime() + millis * 1_000_000
            var calls = 0L
            while (System.nanoTime() < end) {
                repeat(100) { oneCall() }
                calls += 100
            }
            return calls
        }
        loop(3_000)
        val thread0 = threads.currentThreadCpuTime
        val process0 = os.processCpuTime
        val calls = loop(3_000)
        val threadNs = (threads.currentThreadCpuTime - thread0).toDouble() / calls
        val processNs = (os.processCpuTime - process0).toDouble() / calls
        println("LISTENER $name $calls ${"%.0f".format(threadNs)} ${"%.0f".format(processNs)}")
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
}
