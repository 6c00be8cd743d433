package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.clerkkit.RequestOptions;
import dev.clerkkit.sessions.CreateSessionParams;
import dev.clerkkit.sessions.CreateTokenFromTemplateParams;
import dev.clerkkit.sessions.CreateTokenParams;
import dev.clerkkit.sessions.GetSessionParams;
import dev.clerkkit.sessions.RefreshSessionParams;
import dev.clerkkit.sessions.RevokeSessionParams;
import dev.clerkkit.sessions.VerifySessionParams;
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
        @Override public Stream<Session> listAll(SessionListParams params, RequestOptions options) { return Stream.empty(); }
        @Override public CompletableFuture<Session> get(GetSessionParams params, RequestOptions options) { return record("get " + params.getSessionId()); }
        @Override public CompletableFuture<Session> create(CreateSessionParams params, RequestOptions options) {
            return record("create " + params.getUserId() + " " + params.getActiveOrganizationId().orElse(null));
        }
        @Override public CompletableFuture<SessionRefresh> refresh(RefreshSessionParams params, RequestOptions options) { return record("refresh"); }
        @Override public CompletableFuture<Session> revoke(RevokeSessionParams params, RequestOptions options) {
            return record("revoke " + params.getSessionId());
        }
        @Override @SuppressWarnings("deprecation")
        public CompletableFuture<Session> verify(VerifySessionParams params, RequestOptions options) { return record("verify"); }
        @Override public CompletableFuture<SessionToken> createToken(CreateTokenParams params, RequestOptions options) {
            return record("token " + params.getExpiresInSeconds().map(String::valueOf).orElse("default"));
        }
        @Override public CompletableFuture<SessionToken> createTokenFromTemplate(CreateTokenFromTemplateParams params, RequestOptions options) {
            return record("template " + params.getTemplateName());
        }
    }

    @Test
    void aFakeServesTheShorthandsAndDefaultOverloadsThroughItsOwnMethods() {
        RecordingSessions fake = new RecordingSessions();
        SessionsAsync sessions = fake;
        assertEquals(List.of(), sessions.list(SessionListParams.builder().userId("user_1").build()).join());
        sessions.get("sess_1");
        sessions.create("user_1");
        sessions.createToken(CreateTokenParams.builder().sessionId("sess_1").expiresInSeconds(60L).build());
        sessions.createTokenFromTemplate("sess_1", "hasura");
        assertEquals(List.of("list user_1", "get sess_1", "create user_1 null", "token 60", "template hasura"), fake.calls);
        assertSame(fake, sessions);
        assertThrows(UnsupportedOperationException.class, sessions::withRawResponse);
    }
}
