package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionPage;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionStatus;
import dev.clerkkit.sessions.SessionTask;
import dev.clerkkit.sessions.SessionToken;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The session models as a Java user sees them: builders for their own tests, Optional for absent values. */
class ModelsJavaTest {
    private static Session.Builder required() {
        return Session.builder().id("sess_1").userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
            .lastActiveAt(1L).expireAt(2L).abandonAt(3L).updatedAt(4L).createdAt(5L);
    }

    @Test
    void aSessionFromItsRequiredFields() {
        Session s = required().build();
        assertEquals("sess_1", s.getId());
        assertEquals(SessionStatus.ACTIVE, s.getStatus());
        assertEquals(5L, s.getCreatedAt());
        assertEquals(Optional.empty(), s.getActor());
        assertEquals(Optional.empty(), s.getTasks());
        assertEquals(Optional.empty(), s.getLatestActivity());
        assertEquals(Optional.empty(), s.getLastActiveOrganizationId());
        assertTrue(s.additionalProperties().isEmpty());
        assertEquals(s, required().build());

        Session.Builder noId = Session.builder().userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
            .lastActiveAt(1L).expireAt(2L).abandonAt(3L).updatedAt(4L).createdAt(5L);
        IllegalStateException e = assertThrows(IllegalStateException.class, noId::build);
        assertTrue(e.getMessage().contains("Session.id"), e.getMessage());
    }

    @Test
    void optionalFieldsAndUnknownOnes() {
        Session s = required()
            .actor(Map.of("sub", "user_admin", "iat", 1))
            .tasks(List.of())
            .putAdditionalProperty("future", List.of(1, "x"))
            .build();
        Map<String, Object> actor = s.getActor().orElseThrow();
        assertEquals("user_admin", actor.get("sub"));
        assertEquals(1L, actor.get("iat")); // plain values: integral numbers are Long
        List<SessionTask> tasks = s.getTasks().orElseThrow();
        assertTrue(tasks.isEmpty()); // present and empty, not absent
        assertEquals(List.of(1L, "x"), s.additionalProperties().get("future"));
        assertThrows(UnsupportedOperationException.class, () -> s.additionalProperties().put("x", 1));
        assertNotEquals(s, s.toBuilder().tasks(null).build());
    }

    @Test
    void tokensRefreshResultsAndPages() {
        SessionToken token = SessionToken.builder().jwt("header.payload.signature").build();
        assertEquals("header.payload.signature", token.getJwt());
        assertFalse(token.toString().contains("payload"));

        SessionRefresh refresh = SessionRefresh.Token.builder().jwt("header.payload.signature").build();
        assertTrue(refresh instanceof SessionRefresh.Token);
        SessionRefresh cookies = SessionRefresh.Cookies.builder().cookies(List.of("__session=x")).build();
        assertEquals(List.of("__session=x"), ((SessionRefresh.Cookies) cookies).getCookies());

        SessionPage page = SessionPage.builder().data(List.of(required().build(), required().id("sess_2").build())).totalCount(5L).build();
        assertEquals(Optional.of(2), page.nextOffset(0, 2));
        assertEquals(Optional.empty(), page.nextOffset(3, 2));
    }
}
