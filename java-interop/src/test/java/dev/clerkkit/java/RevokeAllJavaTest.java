package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.RetryPolicy;
import dev.clerkkit.sessions.RevokeAllParams;
import dev.clerkkit.sessions.RevokeAllReport;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.testkit.ClerkSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** revokeAll and listActive from Java, future and blocking, against the sandbox over real sockets. */
class RevokeAllJavaTest {
    private ClerkSandbox sandbox;
    private ClerkJavaClient clerk;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        clerk = ClerkJavaClient.builder()
                .secretKey(sandbox.getSecretKey())
                .baseUrl(sandbox.getBaseUrl())
                .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build())
                .build();
    }

    @AfterEach
    void stop() {
        clerk.close();
        sandbox.close();
    }

    private String status(String sessionId) {
        return sandbox.session(sessionId).get("status").toString().replace("\"", "");
    }

    @Test
    void revokeAllKeepsTheCurrentSessionAndReports() throws Exception {
        String user = sandbox.addUser();
        List<String> ids = sandbox.addSessions(user, 250);
        String current = ids.get(3);
        List<RevokeAllReport> progress = new CopyOnWriteArrayList<>();
        RevokeAllReport report = clerk.sessions().revokeAll(user, Set.of(current), 4, progress::add).get(30, TimeUnit.SECONDS);
        assertEquals(250, report.getFound().size());
        assertEquals(249, report.getRevoked().size());
        assertEquals(List.of(current), report.getKept());
        assertTrue(report.getFailed().isEmpty());
        assertTrue(report.isComplete());
        assertEquals(report.getRevoked().size(), progress.get(progress.size() - 1).getRevoked().size());
        assertEquals("active", status(current));
        ids.stream().filter(id -> !id.equals(current)).forEach(id -> assertEquals("revoked", status(id)));

        try (Stream<Session> active = clerk.sessions().listActive(user)) {
            assertEquals(List.of(current), active.map(Session::getId).collect(Collectors.toList()));
        }
    }

    @Test
    void blockingTwinAndListActiveNewestFirst() {
        String user = sandbox.addUser();
        List<String> ids = sandbox.addSessions(user, 120);
        try (Stream<Session> active = clerk.blocking().sessions().listActive(user)) {
            List<String> listed = active.map(Session::getId).collect(Collectors.toList());
            assertEquals(120, listed.size());
            assertEquals(ids.get(119), listed.get(0));
        }
        RevokeAllReport report = clerk.blocking().sessions().revokeAll(user);
        assertEquals(120, report.getRevoked().size());
        assertEquals(0, clerk.blocking().sessions().listActive(user).count());
        RevokeAllReport again = clerk.blocking().sessions().revokeAll(user);
        assertEquals(0, again.getFound().size());
        assertTrue(again.isComplete());
    }

    @Test
    void badInputThrowsOnTheCallersThread() {
        assertThrows(IllegalArgumentException.class, () -> clerk.sessions().revokeAll(" "));
        assertThrows(IllegalArgumentException.class, () -> clerk.sessions().revokeAll("user_1", Set.of(), 0, null));
        assertThrows(IllegalArgumentException.class, () -> clerk.blocking().sessions().revokeAll("user_1", Set.of(), 65, null));
        // the limits live in RevokeAllParams, which checks itself when built
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RevokeAllParams.builder().userId("user_1").concurrency(RevokeAllParams.MAX_CONCURRENCY + 1).build());
        assertEquals("concurrency must be in 1..64, was 65", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RevokeAllParams.builder().build());
        assertEquals(0, sandbox.getRequests().size());
    }

    @Test
    void revokeAllWithParamsFromTheBuilder() throws Exception {
        String user = sandbox.addUser();
        List<String> ids = sandbox.addSessions(user, 30);
        RevokeAllParams params = RevokeAllParams.builder().userId(user).except(Set.of(ids.get(0))).concurrency(RevokeAllParams.MAX_CONCURRENCY).build();
        assertEquals(Set.of(ids.get(0)), params.getExcept());
        RevokeAllReport report = clerk.sessions().revokeAll(params).get(30, TimeUnit.SECONDS);
        assertEquals(29, report.getRevoked().size());
        assertEquals(List.of(ids.get(0)), report.getKept());
        assertEquals("active", status(ids.get(0)));
        assertEquals(List.of(ids.get(0)), clerk.blocking().sessions().revokeAll(RevokeAllParams.of(user)).getRevoked());
    }
}
