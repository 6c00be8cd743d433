package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.clerkkit.BuiltInEngine;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.testkit.ClerkSandbox;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java builder picks the built-in engines; every arrangement works over real sockets and pools as documented. */
class BuiltInEnginesTest {
    private ClerkSandbox sandbox;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @ParameterizedTest
    @EnumSource(BuiltInEngine.class)
    void everyArrangementServesReadsAndWrites(BuiltInEngine engine) throws Exception {
        try (ClerkJavaClient clerk = ClerkJavaClient.builder()
                
                .secretKey(sandbox.getSecretKey())
                .baseUrl(sandbox.getBaseUrl())
                .builtInEngine(engine)
                .maxAttempts(1)
                .build()) {
            assertEquals(engine, clerk.config().getBuiltInEngine());
            String user = sandbox.addUser();
            long before = sandbox.getStats().getConnectionsAccepted();
            for (int i = 0; i < 20; i++) {
                Session created = clerk.sessions().create(user).get(10, TimeUnit.SECONDS);
                assertEquals(created.getId(), clerk.sessions().get(created.getId()).get(10, TimeUnit.SECONDS).getId());
                assertEquals("revoked", clerk.sessions().revoke(created.getId()).get(10, TimeUnit.SECONDS).getStatus().getValue());
            }
            long opened = sandbox.getStats().getConnectionsAccepted() - before;
            // 60 calls one after another: OkHttp and the JDK's client pool every method (1 connection); CIO reads +
            // OkHttp writes: one per engine; CIO alone: one per write (40) plus the pooled reads
            long expected = switch (engine) {
                case OKHTTP, JAVA -> 1;
                case CIO_READS_OKHTTP_WRITES -> 2;
                case CIO -> 41;
            };
            assertEquals(expected, opened);
        }
    }

    @org.junit.jupiter.api.Test
    void theDefaultIsOkHttp() {
        try (ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey("sk_test_x").build()) {
            assertEquals(BuiltInEngine.OKHTTP, clerk.config().getBuiltInEngine());
        }
    }
}
