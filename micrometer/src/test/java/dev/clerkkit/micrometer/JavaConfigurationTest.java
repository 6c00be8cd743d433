package dev.clerkkit.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.testkit.ClerkSandbox;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

/** clerkkit-micrometer configured from Java: the facade's futures and blocking calls are timed like suspend calls. */
class JavaConfigurationTest {
    @Test
    void aJavaClientRecordsItsCallsToTheRegistry() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (ClerkSandbox sandbox = ClerkSandbox.start()) {
            String sid = sandbox.addSession(sandbox.addUser());
            try (ClerkJavaClient clerk = ClerkJavaClient.builder()
                     .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).rateLimit(RateLimit.OFF)
                     .addEventListener(ClerkMicrometer.create(registry))
                     .build()) {
                clerk.sessions().get(sid).get();
                clerk.blocking().sessions().get(sid);
            }
        }
        Timer calls = registry.get(ClerkMicrometer.CALLS).tag("clerk.operation", "sessions.get").tag("outcome", "success").timer();
        assertEquals(2, calls.count());
        assertEquals(2, registry.get(ClerkMicrometer.ATTEMPTS).tag("status", "2xx").timer().count());
        assertEquals(0.0, registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value());
    }
}
