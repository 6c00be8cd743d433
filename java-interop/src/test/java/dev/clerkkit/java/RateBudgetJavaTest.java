package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.ClerkConfig;
import dev.clerkkit.RequestOptions;
import dev.clerkkit.errors.RateBudgetExhaustedException;
import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client-side rate limit as a Java caller sees it: plain builder values, futures that wait without a thread. */
class RateBudgetJavaTest {
    private ClerkSandbox sandbox;
    private String sessionId;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        sessionId = sandbox.addSession(sandbox.addUser());
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    private long sessionGets() {
        return sandbox.getRequests().stream().filter(r -> r.getRoute() == Route.GET_SESSION).count();
    }

    @Test
    void limitsAreJavaValues() {
        assertEquals(RateLimit.of(100, Duration.ofSeconds(10)), RateLimit.forKey("sk_test_x"));
        assertEquals(1000, RateLimit.forKey("sk_live_x").getRequests());
        assertEquals(Duration.ofSeconds(10), RateLimit.PRODUCTION_INSTANCE.getWindow());
        assertTrue(RateLimit.OFF.isOff());
        assertEquals(RateLimit.of(5, Duration.ofMillis(500)), RateLimit.parse("5/500ms"));
        ClerkConfig config = ClerkConfig.builder().secretKey(sandbox.getSecretKey()).rateLimit(RateLimit.OFF).build();
        assertTrue(config.getRateLimit().isOff());
        assertEquals(RateLimit.DEVELOPMENT_INSTANCE, ClerkConfig.builder().secretKey(sandbox.getSecretKey()).build().getRateLimit());
    }

    @Test
    void waitingFuturesHoldNoThreadAndCancelTakingNothing() throws Exception {
        try (ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl())
                .rateLimit(RateLimit.of(1, Duration.ofSeconds(20))).build()) {
            clerk.sessions().get(sessionId).get(10, TimeUnit.SECONDS);
            // more waiting calls than the client has threads (at most 8)
            List<CompletableFuture<Session>> waiting = new ArrayList<>();
            for (int i = 0; i < 24; i++) waiting.add(clerk.sessions().get(sessionId));
            // the client's threads are free: an unlimited call (JWKS fetch behind verifyToken) completes meanwhile
            String token = sandbox.issueToken(sessionId);
            assertEquals(Optional.of(sessionId), clerk.verifyToken(token).get(10, TimeUnit.SECONDS).getSessionId());
            for (CompletableFuture<Session> f : waiting) assertFalse(f.isDone(), "a call was answered without a permit");
            waiting.forEach(f -> f.cancel(true));
            assertEquals(1, sessionGets());
        }
    }

    @Test
    void aWaitLongerThanTheRequestTimeoutFailsAtOnceWithATypedError() throws Exception {
        try (ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl())
                .rateLimit(RateLimit.of(1, Duration.ofMinutes(10))).build()) {
            clerk.sessions().get(sessionId).get(10, TimeUnit.SECONDS);
            RequestOptions options = RequestOptions.builder().timeout(Duration.ofSeconds(5)).build();
            ExecutionException e = assertThrows(ExecutionException.class,
                () -> clerk.sessions().get(dev.clerkkit.sessions.GetSessionParams.builder().sessionId(sessionId).build(), options).get(10, TimeUnit.SECONDS));
            RateBudgetExhaustedException cause = assertInstanceOf(RateBudgetExhaustedException.class, e.getCause());
            assertTrue(cause.getAvailableIn().compareTo(Duration.ofSeconds(5)) > 0, cause.getMessage());
            assertTrue(cause.getMessage().contains("local rate budget is exhausted"), cause.getMessage());
            assertEquals(1, sessionGets());
        }
    }
}
