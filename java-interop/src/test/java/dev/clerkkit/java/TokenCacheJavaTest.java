package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.errors.NotFoundException;
import dev.clerkkit.ratelimit.RateLimit;
import dev.clerkkit.sessions.SessionToken;
import dev.clerkkit.sessions.TokenCacheOptions;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.MutableClock;
import dev.clerkkit.testkit.Route;
import dev.clerkkit.testkit.SandboxConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token cache configured on the Java builder and used through futures and the blocking twin, over real sockets. */
class TokenCacheJavaTest {
    private final MutableClock clock = new MutableClock();
    private ClerkSandbox sandbox;
    private ClerkJavaClient clerk;
    private String session;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start(SandboxConfig.builder().clock(clock).build());
        sandbox.addJwtTemplate("worker", Map.of("role", "worker"), 60);
        session = sandbox.addSession(sandbox.addUser());
        clerk = ClerkJavaClient.builder()
                .secretKey(sandbox.getSecretKey())
                .baseUrl(sandbox.getBaseUrl())
                .rateLimit(RateLimit.OFF)
                .tokenCache(TokenCacheOptions.builder().margin(Duration.ofSeconds(5)).maxEntries(100).clock(clock).build())
                .build();
    }

    @AfterEach
    void stop() {
        clerk.close();
        sandbox.close();
    }

    private long templateCalls() {
        return sandbox.getStats().requests(Route.CREATE_TOKEN_FROM_TEMPLATE);
    }

    @Test
    void concurrentFuturesShareOneCallAndTheTokenIsReusedUntilTheMargin() throws Exception {
        assertEquals(Duration.ofSeconds(5), clerk.config().getTokenCache().orElseThrow().getMargin());
        List<CompletableFuture<SessionToken>> futures = IntStream.range(0, 200)
                .mapToObj(i -> clerk.sessions().createTokenFromTemplate(session, "worker"))
                .collect(Collectors.toList());
        Set<String> jwts = futures.stream().map(CompletableFuture::join).map(SessionToken::getJwt).collect(Collectors.toSet());
        assertEquals(1, jwts.size());
        assertEquals(1, templateCalls());

        clock.advance(Duration.ofSeconds(54)); // 6 s before exp: still cached (margin 5 s)
        assertEquals(jwts.iterator().next(), clerk.blocking().sessions().createTokenFromTemplate(session, "worker").getJwt());
        assertEquals(1, templateCalls());
        clock.advance(Duration.ofSeconds(1)); // 5 s before exp: a new token
        assertFalse(jwts.contains(clerk.blocking().sessions().createTokenFromTemplate(session, "worker").getJwt()));
        assertEquals(2, templateCalls());
    }

    @Test
    void revokingThroughTheFacadeDropsTheSessionsTokens() throws Exception {
        clerk.sessions().createToken(session).get(10, TimeUnit.SECONDS);
        clerk.sessions().createToken(session).get(10, TimeUnit.SECONDS);
        assertEquals(1, sandbox.getStats().requests(Route.CREATE_TOKEN));
        clerk.blocking().sessions().revoke(session);
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(
                CompletionException.class, () -> clerk.sessions().createToken(session).join());
        assertTrue(e.getCause() instanceof NotFoundException);
        assertEquals(2, sandbox.getStats().requests(Route.CREATE_TOKEN));
    }
}
