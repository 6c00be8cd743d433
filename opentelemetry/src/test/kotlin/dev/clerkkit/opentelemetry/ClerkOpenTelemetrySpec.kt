package dev.clerkkit.opentelemetry

import dev.clerkkit.ClerkClient
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import io.opentelemetry.api.common.AttributeKey
import io.opentelemetry.api.trace.SpanKind
import io.opentelemetry.api.trace.StatusCode
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator
import io.opentelemetry.context.Context
import io.opentelemetry.context.propagation.ContextPropagators
import io.opentelemetry.sdk.OpenTelemetrySdk
import io.opentelemetry.sdk.metrics.SdkMeterProvider
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter
import io.opentelemetry.sdk.trace.SdkTracerProvider
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ThreadContextElement
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withContext
import java.time.Duration
import kotlin.coroutines.CoroutineContext

/** What the OpenTelemetry listener records, read from the SDK's in-memory exporters, over real sockets. */
class ClerkOpenTelemetrySpec : FunSpec({
    val secret = "sk_test_OTELCANARY_" + java.util.UUID.randomUUID().toString().replace("-", "")
    val sandbox = ClerkSandbox.start { secretKey = secret }
    val sid = sandbox.addSession(sandbox.addUser())
    val spans = InMemorySpanExporter.create()
    val metrics = InMemoryMetricReader.create()
    val otel = OpenTelemetrySdk.builder()
        .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
        .setMeterProvider(SdkMeterProvider.builder().registerMetricReader(metrics).build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build()
    val clerk = ClerkClient {
        secretKey = secret
        baseUrl = sandbox.baseUrl
        rateLimit = RateLimit.OFF
        retry { sleeper = dev.clerkkit.Sleeper { } }
        addEventListener(ClerkOpenTelemetry.builder(otel).propagateTraceContext(true).build())
    }
    val parentTracer = otel.getTracer("test")

    beforeTest { spans.reset(); sandbox.faults.clear(); sandbox.clearRecordedRequests() }
    afterSpec { clerk.close(); sandbox.close(); otel.close() }

    test("a span per call, a CLIENT child per attempt with the HTTP conventions, the caller's span as parent") {
        sandbox.faults.on(Route.GET_SESSION).status(503)
        val parent = parentTracer.spanBuilder("request").startSpan()
        parent.makeCurrent().use { runBlocking { clerk.sessions.get(sid) } }
        parent.end()
        val finished = spans.finishedSpanItems
        val call = finished.single { it.name == "sessions.get" }
        val attempts = finished.filter { it.kind == SpanKind.CLIENT }.sortedBy { it.startEpochNanos }
        call.parentSpanId shouldBe parent.spanContext.spanId
        call.traceId shouldBe parent.spanContext.traceId
        attempts.size shouldBe 2
        attempts.forEach { it.parentSpanId shouldBe call.spanId; it.name shouldBe "GET /sessions/{session_id}" }
        val (first, second) = attempts
        first.attributes.get(AttributeKey.longKey("http.response.status_code")) shouldBe 503L
        first.attributes.get(AttributeKey.stringKey("error.type")) shouldBe "503"
        first.status.statusCode shouldBe StatusCode.ERROR
        first.attributes.get(AttributeKey.longKey("http.request.resend_count")) shouldBe null
        second.attributes.get(AttributeKey.longKey("http.request.resend_count")) shouldBe 1L
        second.attributes.get(AttributeKey.longKey("http.response.status_code")) shouldBe 200L
        second.attributes.get(AttributeKey.stringKey("http.request.method")) shouldBe "GET"
        second.attributes.get(AttributeKey.stringKey("server.address")) shouldBe "127.0.0.1"
        second.attributes.get(AttributeKey.longKey("server.port")) shouldBe java.net.URI(sandbox.baseUrl).port.toLong()
        second.attributes.get(AttributeKey.stringKey("clerk.operation")) shouldBe "sessions.get"
        (second.attributes.get(AttributeKey.stringKey("clerk.trace_id")) != null) shouldBe true
        call.events.map { it.name } shouldBe listOf("clerk.retry")
        call.attributes.get(AttributeKey.longKey("clerk.attempts")) shouldBe 2L
        // each attempt sent its own span as traceparent
        val sent = sandbox.requests.map { it.header("traceparent")?.substringBeforeLast('-') }
        sent shouldBe attempts.map { "00-${it.traceId}-${it.spanId}" }
        // one histogram point per attempt
        val duration = metrics.collectAllMetrics().single { it.name == "http.client.request.duration" }
        duration.unit shouldBe "s"
        duration.histogramData.points.sumOf { it.count } shouldBe 2L
    }

    test("a suspend call takes the parent from the context its coroutine carries, across dispatchers") {
        val parent = parentTracer.spanBuilder("coroutine").startSpan()
        runBlocking(Dispatchers.Default + OtelElement(Context.current().with(parent))) {
            withContext(Dispatchers.IO) { clerk.sessions.get(sid) }
        }
        parent.end()
        spans.finishedSpanItems.single { it.name == "sessions.get" }.parentSpanId shouldBe parent.spanContext.spanId
    }

    test("a failed call: error status, error.type and Clerk's trace id; nothing secret in any attribute") {
        val e = shouldThrow<NotFoundException> { runBlocking { clerk.sessions.get("sess_missing") } }
        val jwt = runBlocking { clerk.sessions.createToken(sid).jwt }
        runBlocking { clerk.verifyToken(jwt) }
        val call = spans.finishedSpanItems.first { it.name == "sessions.get" }
        call.status.statusCode shouldBe StatusCode.ERROR
        call.attributes.get(AttributeKey.stringKey("error.type")) shouldBe "404"
        call.attributes.get(AttributeKey.stringKey("clerk.trace_id")) shouldBe e.traceId
        val shown = spans.finishedSpanItems.joinToString { it.toString() } + metrics.collectAllMetrics().joinToString { it.toString() }
        shown shouldNotContain secret
        shown shouldNotContain jwt
        shown shouldNotContain "sess_missing"
    }

    test("without propagation no trace header is sent") {
        ClerkClient {
            secretKey = secret
            baseUrl = sandbox.baseUrl
            rateLimit = RateLimit.OFF
            addEventListener(ClerkOpenTelemetry.create(otel))
        }.use { c -> runBlocking { c.sessions.get(sid) } }
        sandbox.requests.single().header("traceparent") shouldBe null
        spans.finishedSpanItems.size shouldBe 2
    }

    test("a rate-budget wait is recorded in seconds") {
        ClerkClient {
            secretKey = secret
            baseUrl = sandbox.baseUrl
            rateLimit = RateLimit.of(10, Duration.ofSeconds(10))
            addEventListener(ClerkOpenTelemetry.create(otel))
        }.use { c -> runBlocking { c.sessions.get(sid) } }
        val wait = metrics.collectAllMetrics().single { it.name == "clerk.rate_budget.wait.duration" }
        wait.histogramData.points.single().attributes.get(AttributeKey.stringKey("clerk.rate_budget")) shouldBe "local"
    }
})

/** Makes [context] current on whichever thread runs the coroutine (what opentelemetry-extension-kotlin does). */
class OtelElement(private val context: Context) : ThreadContextElement<io.opentelemetry.context.Scope> {
    companion object Key : CoroutineContext.Key<OtelElement>
    override val key: CoroutineContext.Key<*> get() = Key
    override fun updateThreadContext(context: CoroutineContext): io.opentelemetry.context.Scope = this.context.makeCurrent()
    override fun restoreThreadContext(context: CoroutineContext, oldState: io.opentelemetry.context.Scope) = oldState.close()
}
