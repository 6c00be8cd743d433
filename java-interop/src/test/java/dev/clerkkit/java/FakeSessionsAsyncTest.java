package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.clerkkit.RequestOptions;
import dev.clerkkit.sessions.RefreshSessionParams;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionListParams;
import dev.clerkkit.sessions.SessionPage;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionToken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** {@link SessionsAsync} is an interface: a Java user's own test double, with no mocking library. */
class FakeSessionsAsyncTest {
    /** Records every call; the overloads without RequestOptions are the interface's default methods. */
    static final class RecordingSessions implements SessionsAsync {
        final List<String> calls = new ArrayList<>();

        private <T> CompletableFuture<T> record(String call) {
            calls.add(call);
            return CompletableFuture.failedFuture(new UnsupportedOperationException(call));
        }

        @Override public CompletableFuture<List<Session>> list(SessionListParams params, RequestOptions options) {
            calls.add("list " + params.getUserId().orElse("-"));
            return CompletableFuture.completedFuture(List.of());
        }
        @Override public CompletableFuture<SessionPage> listPage(SessionListParams params, RequestOptions options) { return record("listPage"); }
        @Override public Stream<Session> listAll(SessionListParams params, int pageSize, RequestOptions options) { return Stream.empty(); }
        @Override public Iterable<Session> iterateAll(SessionListParams params, int pageSize, RequestOptions options) { return List.of(); }
        @Override public CompletableFuture<Session> get(String sessionId, RequestOptions options) { return record("get " + sessionId); }
        @Override public CompletableFuture<Session> create(String userId, String activeOrganizationId, RequestOptions options) {
            return record("create " + userId + " " + activeOrganizationId);
        }
        @Override public CompletableFuture<SessionRefresh> refresh(String sessionId, RefreshSessionParams params, RequestOptions options) {
            return record("refresh");
        }
        @Override public CompletableFuture<Session> revoke(String sessionId, RequestOptions options) { return record("revoke " + sessionId); }
        @Override @SuppressWarnings("deprecation")
        public CompletableFuture<Session> verify(String sessionId, String token, RequestOptions options) { return record("verify"); }
        @Override public CompletableFuture<SessionToken> createToken(String sessionId, RequestOptions options) { return record("token"); }
        @Override public CompletableFuture<SessionToken> createToken(String sessionId, long expiresInSeconds, RequestOptions options) {
            return record("token " + expiresInSeconds);
        }
        @Override public CompletableFuture<SessionToken> createTokenFromTemplate(String sessionId, String templateName, RequestOptions options) {
            return record("template " + templateName);
        }
        @Override public CompletableFuture<SessionToken> createTokenFromTemplate(String sessionId, String templateName, long expiresInSeconds,
                RequestOptions options) {
            return record("template " + templateName + " " + expiresInSeconds);
        }
    }

    @Test
    void aFakeServesTheDefaultOverloadsThroughItsOwnMethods() {
        RecordingSessions fake = new RecordingSessions();
        SessionsAsync sessions = fake;
        assertEquals(List.of(), sessions.list(SessionListParams.builder().userId("user_1").build()).join());
        sessions.get("sess_1");
        sessions.create("user_1");
        sessions.createToken("sess_1", 60L);
        sessions.createTokenFromTemplate("sess_1", "hasura");
        assertEquals(List.of("list user_1", "get sess_1", "create user_1 null", "token 60", "template hasura"), fake.calls);
        assertSame(fake, sessions);
    }
}
