package dev.clerkkit.testkit;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Compiles against the testkit's Java-facing rate-limit and version API (called from {@code RateLimitSpec}). */
public final class JavaRateLimitUsage {
    private JavaRateLimitUsage() {}

    public static String run() throws Exception {
        SandboxConfig config = SandboxConfig.builder()
            .clock(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))
            .rateLimit(SandboxRateLimit.of(2, Duration.ofSeconds(10)).withWindowKind(RateLimitWindow.SLIDING))
            .defaultApiVersion(SandboxConfig.LATEST_API_VERSION)
            .verifyGone(null)
            .build();
        try (ClerkSandbox sandbox = ClerkSandbox.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            List<String> statuses = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                HttpRequest request = HttpRequest.newBuilder(URI.create(sandbox.getBaseUrl() + "/sessions"))
                    .header("Authorization", "Bearer " + sandbox.getSecretKey())
                    .build();
                statuses.add(String.valueOf(http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode()));
            }
            long limited = sandbox.getStats().getRateLimitedRequests();
            sandbox.resetRateLimits();
            return String.join(",", statuses) + "|" + limited + "|" + SandboxRateLimit.CLERK.limitFor("sk_test_x") / 100;
        }
    }
}
