package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.Fault;
import dev.clerkkit.testkit.Route;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A Java caller holding 1,000 calls on the default client and cancelling their futures one after the other, in the
 * order they were made: once the cancels have returned, none of those calls sends a request, and the client's threads
 * go back to what they were before (idle OkHttp threads leave after 5 s).
 */
class CancelHeldCallsJavaTest {
    private static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("clerkkit-"))
            .map(Thread::getName).collect(Collectors.toSet());
    }

    private static void awaitUntil(long timeoutMillis, String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("not reached within " + timeoutMillis + " ms: " + what);
            Thread.sleep(10);
        }
    }

    @Test
    void cancellingThousandHeldFuturesInOrderSendsNothingMoreAndGivesTheThreadsBack() throws Exception {
        try (ClerkSandbox sandbox = ClerkSandbox.start();
             ClerkJavaClient clerk = ClerkJavaClient.builder()
                 .secretKey(sandbox.getSecretKey())
                 .baseUrl(sandbox.getBaseUrl())
                 .rateLimit(RateLimit.OFF)
                 .build()) {
            String user = sandbox.addUser();
            String held = sandbox.addSession(user);
            String other = sandbox.addSession(user);
            assertEquals(other, clerk.sessions().get(other).join().getId());
            Set<String> threadsBefore = clientThreads();
            sandbox.getFaults().on("GET", "/v1/sessions/" + held).repeat(1_000, new Fault.Delay(2_000));

            List<CompletableFuture<Session>> calls = new ArrayList<>();
            for (int i = 0; i < 1_000; i++) calls.add(clerk.sessions().get(held));
            int inFlight = clerk.config().getMaxConnections();
            awaitUntil(20_000, "held calls at the server", () -> sandbox.getStats().requests(Route.GET_SESSION) >= 1 + inFlight);

            for (CompletableFuture<Session> call : calls) call.cancel(true);
            long atCancel = sandbox.getStats().requests(Route.GET_SESSION);
            assertTrue(calls.stream().allMatch(CompletableFuture::isCancelled));

            // the next call is not stuck behind the cancelled ones, and the cancelled calls' connections close
            assertEquals(other, clerk.sessions().get(other).get(10, java.util.concurrent.TimeUnit.SECONDS).getId());
            awaitUntil(10_000, "connections of the cancelled calls closed", () -> sandbox.getStats().getOpenConnections() <= 1);
            // nothing is expected to arrive any more: give a request still on its way 1 s to show up, then count
            Thread.sleep(1_000);
            long held1000 = sandbox.getRequests().stream().filter(r -> r.getRawPath().endsWith(held)).count();
            assertEquals(atCancel + 1, sandbox.getStats().requests(Route.GET_SESSION), "requests after the cancels returned");
            assertEquals(inFlight, held1000, "only the calls already at the server when cancelled reached it");
            awaitUntil(10_000, "client threads back to " + threadsBefore.size() + " (now " + clientThreads() + ")",
                () -> clientThreads().size() <= threadsBefore.size());
        }
    }
}
