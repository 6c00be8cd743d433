package dev.clerkkit.java.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionStatus;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.Route;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import dev.clerkkit.testkit.SandboxConfig;
import dev.clerkkit.tokens.TokenVerificationException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Runs every README snippet against the sandbox, so the documentation is known to work. */
class ReadmeExamplesTest {
    private ClerkSandbox sandbox;
    private ClerkJavaClient clerk;
    private String userId;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        clerk = ReadmeExamples.build(sandbox.getSecretKey(), sandbox.getBaseUrl());
        userId = sandbox.addUser();
    }

    @AfterEach
    void stop() {
        clerk.close();
        sandbox.close();
    }

    @Test
    void everyOperation() throws Exception {
        Session created = ReadmeExamples.create(clerk, userId);
        String id = created.getId();
        assertEquals(id, ReadmeExamples.get(clerk, id).getId());
        assertEquals(id, ReadmeExamples.blocking(clerk, id).getId());
        assertNull(ReadmeExamples.blocking(clerk, "sess_missing"));
        assertTrue(ReadmeExamples.rawResponse(clerk, id).matches("200 [0-9a-f]{32} " + id), ReadmeExamples.rawResponse(clerk, id));
        assertEquals(1, ReadmeExamples.list(clerk, userId).size());
        assertEquals(1L, ReadmeExamples.listPage(clerk, userId).getTotalCount());
        assertEquals(1, ReadmeExamples.listAll(clerk, userId).size());
        assertEquals(1, ReadmeExamples.iterateAll(clerk, userId));
        assertEquals(id, ReadmeExamples.withOptions(clerk, id).getId());
        assertEquals("active", ReadmeExamples.async(clerk, id).get(10, TimeUnit.SECONDS));

        assertTrue(ReadmeExamples.createToken(clerk, id).startsWith("ey"));
        sandbox.addJwtTemplate("supabase", Map.of("role", "authenticated"));
        assertTrue(ReadmeExamples.createTokenFromTemplate(clerk, id, "supabase").startsWith("ey"));
        SessionRefresh refreshed = ReadmeExamples.refresh(clerk, id, sandbox.issueToken(id), "refresh_1");
        assertInstanceOf(SessionRefresh.Token.class, refreshed);
        sandbox.setVerifyGone(false); // verify is gone on the default API version; serve it as an old-version instance would
        assertEquals(id, ReadmeExamples.verify(clerk, id, sandbox.issueToken(id)).get(10, TimeUnit.SECONDS).getId());

        assertEquals(SessionStatus.REVOKED, ReadmeExamples.revoke(clerk, id).getStatus());
    }

    @Test
    void errorsAndCancellation() throws Exception {
        String result = ReadmeExamples.errors(clerk);
        assertTrue(result.startsWith("404 resource_not_found trace="), result);
        assertEquals("error 404", ReadmeExamples.async(clerk, "sess_missing").get(10, TimeUnit.SECONDS));

        String id = sandbox.addSession(userId);
        sandbox.getFaults().on(Route.GET_SESSION).delay(1_000);
        assertTrue(ReadmeExamples.cancel(clerk, id));
    }

    @Test
    void executorExample() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (ClerkJavaClient c = ReadmeExamples.withExecutor(sandbox.getSecretKey(), sandbox.getBaseUrl(), pool)) {
            String id = sandbox.addSession(userId);
            CompletableFuture<Session> f = c.sessions().get(id);
            assertEquals(id, f.get(10, TimeUnit.SECONDS).getId());
        } finally {
            pool.shutdown();
        }
        assertThrows(CompletionException.class, () -> clerk.sessions().get("sess_missing").join());
    }

    @Test
    void verifyTokenLocally() throws Exception {
        String id = sandbox.addSession(userId);
        String jwt = clerk.sessions().createToken(id).join().getJwt();
        assertEquals(userId + " in " + id, ReadmeExamples.verifyToken(clerk, jwt));
        assertEquals(Optional.of(id), ReadmeExamples.verifyTokenAsync(clerk, jwt).get(10, TimeUnit.SECONDS).getSessionId());
        String tampered = jwt.substring(0, jwt.length() - 4) + (jwt.endsWith("AAAA") ? "BBBB" : "AAAA");
        assertEquals("rejected: BAD_SIGNATURE", ReadmeExamples.verifyToken(clerk, tampered));
        assertEquals(1L, sandbox.getStats().requests(Route.JWKS)); // fetched once, then cached
    }

    @Test
    void verifyTokenWithPemKeyMakesNoRequest() throws Exception {
        String id = sandbox.addSession(userId);
        String jwt = clerk.sessions().createToken(id).join().getJwt();
        com.nimbusds.jose.jwk.RSAKey key = com.nimbusds.jose.jwk.JWKSet.parse(sandbox.jwksJson()).getKeys().get(0).toRSAKey();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + java.util.Base64.getMimeEncoder().encodeToString(key.toRSAPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try (ClerkJavaClient pemClient = ClerkJavaClient.builder()
                
                .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).jwtKey(pem)
                .build()) {
            long before = sandbox.getStats().getTotalRequests();
            assertEquals(userId + " in " + id, ReadmeExamples.verifyToken(pemClient, jwt));
            assertEquals(before, sandbox.getStats().getTotalRequests());
        }
    }

    @Test
    void verifyTokenWithOptions() throws Exception {
        try (ClerkSandbox app = ClerkSandbox.start(SandboxConfig.builder().authorizedParty("https://app.example.com").build());
             ClerkJavaClient c = ClerkJavaClient.builder().secretKey(app.getSecretKey()).baseUrl(app.getBaseUrl()).build()) {
            String id = app.addSession(app.addUser());
            String jwt = c.sessions().createToken(id).join().getJwt();
            assertEquals(Optional.of("https://app.example.com"), ReadmeExamples.verifyWithOptions(c, jwt).getAuthorizedParty());
        }
        String otherParty;
        try (ClerkSandbox other = ClerkSandbox.start(SandboxConfig.builder().authorizedParty("https://evil.example").build());
             ClerkJavaClient c = ClerkJavaClient.builder().secretKey(other.getSecretKey()).baseUrl(other.getBaseUrl()).build()) {
            String jwt = c.sessions().createToken(other.addSession(other.addUser())).join().getJwt();
            TokenVerificationException e = assertThrows(TokenVerificationException.class, () -> ReadmeExamples.verifyWithOptions(c, jwt));
            otherParty = e.getReason().name();
        }
        assertEquals("UNAUTHORIZED_PARTY", otherParty);
    }
}
