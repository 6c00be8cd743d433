package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.events.AttemptEnded;
import dev.clerkkit.events.CallEnded;
import dev.clerkkit.events.CallOutcome;
import dev.clerkkit.events.CallStarted;
import dev.clerkkit.events.ClerkEventListener;
import dev.clerkkit.events.TokenVerified;
import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.testkit.ClerkSandbox;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The listener SPI from Java: an interface with default methods, events with Optional getters, and {@code forCall}
 * on the caller's thread even when the facade's futures run on an executor (where a thread-local trace context
 * would otherwise be lost).
 */
class EventListenerJavaTest {
    private static final ThreadLocal<String> CALLER = new ThreadLocal<>();

    private ClerkSandbox sandbox;
    private String sessionId;
    private ExecutorService executor;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        sessionId = sandbox.addSession(sandbox.addUser());
        executor = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() {
        executor.shutdownNow();
        sandbox.close();
    }

    /** One call's listener: what the caller's thread had when the call was made, and where its events ran. */
    static final class PerCall implements ClerkEventListener {
        final String caller = CALLER.get();
        final Thread callerThread = Thread.currentThread();
        final List<Object> events = new CopyOnWriteArrayList<>();
        volatile Thread startedOn;

        @Override public void callStarted(CallStarted event) { startedOn = Thread.currentThread(); events.add(event); }
        @Override public void attemptEnded(AttemptEnded event) { events.add(event); }
        @Override public void callEnded(CallEnded event) { events.add(event); }
    }

    @Test
    void forCallRunsOnTheCallersThreadBeforeTheExecutorHop() throws Exception {
        List<PerCall> calls = new CopyOnWriteArrayList<>();
        List<TokenVerified> verified = new CopyOnWriteArrayList<>();
        ClerkEventListener listener = new ClerkEventListener() {
            @Override public ClerkEventListener forCall() {
                PerCall c = new PerCall();
                calls.add(c);
                return c;
            }

            @Override public void tokenVerified(TokenVerified event) { verified.add(event); }
        };
        try (ClerkJavaClient clerk = ClerkJavaClient.builder()
                .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).rateLimit(RateLimit.OFF)
                .executor(executor).addEventListener(listener).build()) {
            CALLER.set("request-42");
            try {
                assertEquals(sessionId, clerk.sessions().get(sessionId).get().getId());
                assertEquals(sessionId, clerk.blocking().sessions().get(sessionId).getId());
                clerk.verifyToken(sandbox.issueToken(sessionId, 60, 0)).get();
            } finally {
                CALLER.remove();
            }
        }
        // get (future), get (blocking), jwks.get (the verification's key fetch)
        assertEquals(3, calls.size());
        PerCall future = calls.get(0);
        assertEquals("request-42", future.caller);
        assertEquals(Thread.currentThread(), future.callerThread);
        assertNotEquals(Thread.currentThread(), future.startedOn, "the call itself ran on the executor");
        assertEquals("request-42", calls.get(1).caller);
        assertEquals("request-42", calls.get(2).caller, "the JWKS fetch of a Java verification is the caller's too");

        CallEnded ended = (CallEnded) future.events.get(future.events.size() - 1);
        assertEquals(CallOutcome.SUCCESS, ended.getOutcome());
        assertEquals(200, ended.getStatusCode().getAsInt());
        assertFalse(ended.getErrorType().isPresent());
        assertTrue(ended.getClerkTraceId().isPresent());
        AttemptEnded attempt = (AttemptEnded) future.events.get(1);
        assertEquals("sessions.get", attempt.getOperation());
        assertEquals(1, attempt.getAttempt());

        assertEquals(1, verified.size());
        assertTrue(verified.get(0).getValid());
        assertTrue(verified.get(0).getJwksFetched());
        assertFalse(verified.get(0).getReason().isPresent());
    }
}
