package dev.clerkkit.testkit;

import java.time.Instant;
import java.util.Map;

/** Compiles against the testkit's Java-facing API (called from {@code JavaInteropSpec}). */
public final class JavaUsage {
    private JavaUsage() {}

    public static String run() {
        SandboxConfig config = SandboxConfig.builder()
            .clock(new MutableClock(Instant.parse("2026-01-01T00:00:00Z")))
            .issuer("https://issuer.example.test")
            .verifyGone(false)
            .build();
        try (ClerkSandbox sandbox = ClerkSandbox.start(config)) {
            String user = sandbox.addUser();
            String sessionId = sandbox.addSession(user, null, "active");
            sandbox.addJwtTemplate("java", Map.of("k", "v"));
            sandbox.getFaults().on(Route.GET_SESSION).status(503, 503).rateLimited().unavailable(2L).drop();
            sandbox.getFaults().on("POST", "/v1/sessions/.*/revoke").resetAfterReadingBody();
            sandbox.getFaults().clear();
            long count = sandbox.getStats().requests(Route.GET_SESSION);
            String token = sandbox.issueToken(sessionId);
            return sandbox.getBaseUrl() + "|" + sandbox.sessionJson(sessionId) + "|" + count + "|" + token.split("\\.").length;
        }
    }
}
