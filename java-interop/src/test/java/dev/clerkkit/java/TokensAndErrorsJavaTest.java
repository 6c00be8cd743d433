package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.errors.ClerkApiException;
import dev.clerkkit.errors.ClerkTimeoutException;
import dev.clerkkit.errors.ClerkTransportException;
import dev.clerkkit.errors.NotFoundException;
import dev.clerkkit.errors.RateLimitException;
import dev.clerkkit.tokens.OrganizationClaims;
import dev.clerkkit.tokens.SessionClaims;
import dev.clerkkit.tokens.TokenVerificationException;
import dev.clerkkit.tokens.TokenVerifierOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Token claims, verifier options and errors as a Java caller writes them: plain maps, Optional getters, and the
 * public error constructors a test double of the client throws.
 */
class TokensAndErrorsJavaTest {

    @Test
    void claimsFromAPlainMap() {
        SessionClaims claims = SessionClaims.fromVerifiedClaims(Map.of(
            "sid", "sess_1", "sub", "user_1", "exp", 1_900_000_000, "iat", 1_899_999_000,
            "act", Map.of("sub", "user_admin"), "org_id", "org_1", "custom", List.of(1, "two")));
        assertEquals(Optional.of("sess_1"), claims.getSessionId());
        assertEquals("user_1", claims.getUserId());
        assertEquals(1_900_000_000L, claims.getExpiresAt());
        Optional<Long> issuedAt = claims.getIssuedAt();
        assertEquals(Optional.of(1_899_999_000L), issuedAt);
        assertEquals(Optional.empty(), claims.getNotBefore());
        assertEquals(Optional.empty(), claims.getIssuer());
        Optional<Integer> version = claims.getVersion();
        assertFalse(version.isPresent());
        Map<String, Object> actor = claims.getActor().orElseThrow();
        assertEquals("user_admin", actor.get("sub"));
        Map<String, Object> all = claims.getClaims();
        assertEquals(List.of(1L, "two"), all.get("custom"));
        OrganizationClaims org = claims.getOrganization().orElseThrow();
        assertEquals("org_1", org.getId());
        assertEquals(Optional.empty(), org.getRole());
        assertEquals(org, OrganizationClaims.builder().id("org_1").build());
    }

    @Test
    void claimsFromJsonAndTheirErrors() {
        SessionClaims claims = SessionClaims.fromVerifiedClaimsJson("{\"sub\":\"user_1\",\"exp\":1}");
        assertEquals(Optional.empty(), claims.getSessionId());
        TokenVerificationException e = assertThrows(TokenVerificationException.class,
            () -> SessionClaims.fromVerifiedClaimsJson("{\"exp\":1}"));
        assertEquals(TokenVerificationException.Reason.NOT_A_SESSION_TOKEN, e.getReason());
    }

    @Test
    void verifierOptionsJwtKeyIsOptional() {
        TokenVerifierOptions options = TokenVerifierOptions.builder().clockSkew(Duration.ZERO).build();
        assertEquals(Optional.empty(), options.getJwtKey());
        assertEquals(Duration.ZERO, options.getClockSkew());
        // Builder.fromEnv() fills the builder; TokenVerifierOptions.fromEnv() returns finished options
        TokenVerifierOptions.Builder builder = TokenVerifierOptions.builder().fromEnv();
        assertTrue(builder.build().getClockSkew().equals(TokenVerifierOptions.DEFAULT_CLOCK_SKEW));
    }

    @Test
    void errorsAUserCanThrowFromATestDouble() {
        String body = "{\"errors\":[{\"code\":\"resource_not_found\",\"message\":\"not found\",\"meta\":{\"param_name\":\"id\"}}],"
            + "\"meta\":{\"n\":1},\"clerk_trace_id\":\"t1\"}";
        NotFoundException nf = new NotFoundException("sessions.get", 404, body, Map.of());
        assertEquals(404, nf.getStatusCode());
        assertEquals(Optional.of("resource_not_found"), nf.getCode());
        assertEquals(Optional.of("t1"), nf.getTraceId());
        Map<String, Object> meta = nf.getMeta().orElseThrow();
        assertEquals(1L, meta.get("n"));
        assertEquals(Optional.of("id"), nf.getErrors().get(0).getMeta().map(m -> m.get("param_name")));
        assertEquals("sessions.get failed: HTTP 404 resource_not_found: not found (trace id t1)", nf.getMessage());
        ClerkApiException asApi = nf;
        assertEquals(Optional.empty(), asApi.getRetryAfter());

        RateLimitException limited = new RateLimitException("sessions.list", 429, "", Map.of("Retry-After", List.of("2")));
        assertEquals(Optional.of(Duration.ofSeconds(2)), limited.getRetryAfter());
        assertThrows(IllegalArgumentException.class, () -> new NotFoundException("sessions.get", 500, body, Map.of()));

        ClerkTransportException transport = new ClerkTransportException("sessions.get", "connection reset", true);
        assertTrue(transport.getMayHaveReachedServer());
        ClerkTimeoutException timeout = new ClerkTimeoutException("sessions.get", "timed out", false, new RuntimeException("x"));
        assertFalse(timeout.getMayHaveReachedServer());
    }
}
