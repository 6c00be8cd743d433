package dev.clerkkit.opentelemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.testkit.ClerkSandbox;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** A Java future that completes on an executor still has the caller's span as its call span's parent. */
class JavaFutureContextTest {
    @Test
    void theCallersSpanIsTheParentAcrossTheExecutorHop() throws Exception {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try (ClerkSandbox sandbox = ClerkSandbox.start();
             OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                 .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build())
                 .build()) {
            String sid = sandbox.addSession(sandbox.addUser());
            try (ClerkJavaClient clerk = ClerkJavaClient.builder()
                     .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).rateLimit(RateLimit.OFF)
                     .executor(executor)
                     .addEventListener(ClerkOpenTelemetry.create(otel))
                     .build()) {
                Span parent = otel.getTracer("test").spanBuilder("handler").startSpan();
                CompletableFuture<?> future;
                try (Scope ignored = parent.makeCurrent()) {
                    future = clerk.sessions().get(sid);
                }
                future.get();
                parent.end();
                SpanData call = spans.getFinishedSpanItems().stream()
                    .filter(s -> s.getName().equals("sessions.get")).findFirst().orElseThrow();
                assertEquals(parent.getSpanContext().getSpanId(), call.getParentSpanId());
                assertEquals(parent.getSpanContext().getTraceId(), call.getTraceId());
            }
        } finally {
            executor.shutdownNow();
        }
    }
}
