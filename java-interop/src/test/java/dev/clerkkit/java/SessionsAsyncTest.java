package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.ClerkClient;
import dev.clerkkit.ClerkConfig;
import dev.clerkkit.RequestOptions;
import dev.clerkkit.LogLevel;
import dev.clerkkit.RetryPolicy;
import dev.clerkkit.errors.AuthenticationException;
import dev.clerkkit.errors.ClerkApiException;
import dev.clerkkit.errors.GoneException;
import dev.clerkkit.errors.NotFoundException;
import dev.clerkkit.errors.ServerException;
import dev.clerkkit.errors.UnprocessableEntityException;
import dev.clerkkit.sessions.GetSessionParams;
import dev.clerkkit.sessions.RefreshFormat;
import dev.clerkkit.sessions.VerifySessionParams;
import dev.clerkkit.sessions.CreateTokenFromTemplateParams;
import dev.clerkkit.sessions.CreateTokenParams;
import dev.clerkkit.sessions.CreateSessionParams;
import dev.clerkkit.sessions.RefreshSessionParams;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionListParams;
import dev.clerkkit.sessions.SessionPage;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionStatus;
import dev.clerkkit.sessions.SessionToken;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.RecordedRequest;
import dev.clerkkit.testkit.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The Java facade used from Java, against the testkit sandbox over real sockets. */
class SessionsAsyncTest {
    private static final long WAIT = 10;

    private ClerkSandbox sandbox;
    private ClerkJavaClient clerk;
    private SessionsAsync sessions;
    private String userId;

    @BeforeEach
    void start() {
        sandbox = ClerkSandbox.start();
        clerk = ClerkJavaClient.builder()
                
                .secretKey(sandbox.getSecretKey())
                .baseUrl(sandbox.getBaseUrl())
                .retryPolicy(RetryPolicy.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build())
                .build();
        sessions = clerk.sessions();
        userId = sandbox.addUser();
    }

    @AfterEach
    void stop() {
        clerk.close();
        sandbox.close();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    private String status(String sessionId) {
        return sandbox.session(sessionId).get("status").toString().replace("\"", "");
    }

    @Nested
    class Operations {
        @Test
        void createAndGet() throws Exception {
            Session created = await(sessions.create(userId));
            assertEquals(userId, created.getUserId());
            assertEquals(SessionStatus.ACTIVE, created.getStatus());
            assertFalse(created.getLastActiveOrganizationId().isPresent());

            Session fetched = await(sessions.get(created.getId()));
            assertEquals(created.getId(), fetched.getId());
        }

        @Test
        void createWithOrganization() throws Exception {
            Session created = await(sessions.create(CreateSessionParams.builder().userId(userId).activeOrganizationId("org_1").build()));
            assertEquals("org_1", created.getLastActiveOrganizationId().orElseThrow());
            Session withOptions = await(sessions.create(CreateSessionParams.builder().userId(userId).activeOrganizationId(null).build(), RequestOptions.NONE));
            assertFalse(withOptions.getLastActiveOrganizationId().isPresent());
        }

        @Test
        void listAndListPage() throws Exception {
            String a = sandbox.addSession(userId);
            String b = sandbox.addSession(userId);
            sandbox.addSession(sandbox.addUser()); // someone else's

            SessionListParams mine = SessionListParams.builder().userId(userId).build();
            List<String> ids = await(sessions.list(mine)).stream().map(Session::getId).collect(Collectors.toList());
            assertEquals(List.of(b, a), ids); // newest first

            SessionPage page = await(sessions.listPage(SessionListParams.builder().userId(userId).limit(1).build()));
            assertEquals(1, page.getData().size());
            assertEquals(2L, page.getTotalCount());
        }

        @Test
        void listWithoutFilterStillWorksOrFailsTyped() throws Exception {
            sandbox.addSession(userId);
            // The sandbox, like Clerk's spec, accepts an unfiltered list.
            assertEquals(1, await(sessions.list(SessionListParams.NONE)).size());
        }

        @Test
        void revoke() throws Exception {
            String id = sandbox.addSession(userId);
            Session revoked = await(sessions.revoke(id));
            assertEquals(SessionStatus.REVOKED, revoked.getStatus());
            assertEquals("revoked", status(id));
        }

        @Test
        void createTokenWithAndWithoutLifetime() throws Exception {
            String id = sandbox.addSession(userId);
            SessionToken token = await(sessions.createToken(id));
            assertEquals(3, token.getJwt().split("\\.").length);
            SessionToken longer = await(sessions.createToken(CreateTokenParams.builder().sessionId(id).expiresInSeconds(120L).build()));
            assertEquals(3, longer.getJwt().split("\\.").length);
            RecordedRequest last = sandbox.getRequests().get(sandbox.getRequests().size() - 1);
            assertEquals("{\"expires_in_seconds\":120}", last.getBody());
        }

        @Test
        void createTokenFromTemplate() throws Exception {
            String id = sandbox.addSession(userId);
            sandbox.addJwtTemplate("supabase", Map.of("role", "authenticated"));
            assertEquals(3, await(sessions.createTokenFromTemplate(id, "supabase")).getJwt().split("\\.").length);
            assertEquals(3, await(sessions.createTokenFromTemplate(CreateTokenFromTemplateParams.builder().sessionId(id).templateName("supabase").expiresInSeconds(60L).build())).getJwt().split("\\.").length);
        }

        @Test
        void refreshAsTokenAndCookies() throws Exception {
            String id = sandbox.addSession(userId);
            RefreshSessionParams.Builder params = RefreshSessionParams.builder()
                    .sessionId(id)
                    .expiredToken(sandbox.issueToken(id))
                    .refreshToken("refresh_1")
                    .requestOrigin("https://app.example.com");

            SessionRefresh token = await(sessions.refresh(params.format(RefreshFormat.TOKEN).build()));
            assertInstanceOf(SessionRefresh.Token.class, token);

            SessionRefresh cookies = await(sessions.refresh(params.format(RefreshFormat.COOKIE).build()));
            assertInstanceOf(SessionRefresh.Cookies.class, cookies);
            assertFalse(((SessionRefresh.Cookies) cookies).getCookies().isEmpty());
        }

        @Test
        void refreshWithABadTokenIsAnAuthenticationException() {
            String id = sandbox.addSession(userId);
            RefreshSessionParams params = RefreshSessionParams.builder().sessionId(id)
                    .expiredToken("not.a.jwt").refreshToken("r").requestOrigin("https://app.example.com").build();
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(sessions.refresh(params)));
            AuthenticationException auth = assertInstanceOf(AuthenticationException.class, e.getCause());
            assertEquals(401, auth.getStatusCode());
        }

        @Test
        @SuppressWarnings("deprecation")
        void verifyAndItsGoneAnswer() throws Exception {
            String id = sandbox.addSession(userId);
            // The client's default API version (2026-05-12) no longer has verify: the sandbox answers 410 unless told
            // to serve it, as an instance pinned to an old API version would.
            sandbox.setVerifyGone(false);
            assertEquals(id, await(sessions.verify(VerifySessionParams.builder().sessionId(id).token(sandbox.issueToken(id)).build())).getId());

            sandbox.setVerifyGone(true);
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(sessions.verify(VerifySessionParams.builder().sessionId(id).token(sandbox.issueToken(id)).build())));
            GoneException gone = assertInstanceOf(GoneException.class, e.getCause());
            assertEquals(410, gone.getStatusCode());
        }

        @Test
        void requestOptionsReachTheWire() throws Exception {
            String id = sandbox.addSession(userId);
            RequestOptions options = RequestOptions.builder().header("X-Request-Id", "req-42").build();
            await(sessions.get(GetSessionParams.builder().sessionId(id).build(), options));
            RecordedRequest last = sandbox.getRequests().get(sandbox.getRequests().size() - 1);
            assertEquals("req-42", last.header("X-Request-Id"));
        }
    }

    @Nested
    class Errors {
        @Test
        void notFoundIsTypedWithEvidence() {
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(sessions.get("sess_missing")));
            NotFoundException nf = assertInstanceOf(NotFoundException.class, e.getCause());
            assertEquals(404, nf.getStatusCode());
            assertEquals("resource_not_found", nf.getCode().orElseThrow());
            assertTrue(nf.getTraceId().isPresent());
            assertEquals("sessions.get", nf.getOperation());
            assertFalse(nf.getErrors().isEmpty());
        }

        @Test
        void joinWrapsTheSameTypedException() {
            CompletionException e = assertThrows(CompletionException.class, () -> sessions.get("sess_missing").join());
            assertInstanceOf(NotFoundException.class, e.getCause());
        }

        @Test
        void serverRejectionOfAParameterIsUnprocessable() {
            // The core allows any status; Clerk (and the sandbox) refuse `pending` as a list filter.
            SessionListParams pending = SessionListParams.builder().userId(userId).status(SessionStatus.PENDING).build();
            ExecutionException e = assertThrows(ExecutionException.class, () -> await(sessions.list(pending)));
            UnprocessableEntityException u = assertInstanceOf(UnprocessableEntityException.class, e.getCause());
            assertEquals(422, u.getStatusCode());
            assertEquals("form_param_value_invalid", u.getCode().orElseThrow());
            ClerkApiException api = u; // one catch clause for every HTTP status
            assertEquals("sessions.list", api.getOperation());
        }

        @Test
        void retriedCallsStillSucceedThroughTheFuture() throws Exception {
            String id = sandbox.addSession(userId);
            sandbox.getFaults().on(Route.GET_SESSION).status(503);
            assertEquals(id, await(sessions.get(id)).getId());
            assertEquals(2L, sandbox.getStats().requests(Route.GET_SESSION));
        }
    }

    @Nested
    class Configuration {
        @Test
        void maxAttemptsIsAShorthandOnTheCurrentRetryPolicy() throws Exception {
            String id = sandbox.addSession(userId);
            RetryPolicy slow = RetryPolicy.builder().initialBackoff(Duration.ofSeconds(7)).build();
            try (ClerkJavaClient once = ClerkJavaClient.builder()
                    .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl())
                    .retryPolicy(slow).maxAttempts(1) // calls add up
                    .build()) {
                assertEquals(Duration.ofSeconds(7), once.config().getRetryPolicy().getInitialBackoff());
                assertEquals(1, once.config().getRetryPolicy().getMaxAttempts());
                sandbox.getFaults().on(Route.GET_SESSION).status(503);
                ExecutionException e = assertThrows(ExecutionException.class, () -> await(once.sessions().get(id)));
                ServerException server = assertInstanceOf(ServerException.class, e.getCause());
                assertEquals(503, server.getStatusCode());
                assertEquals(1, server.getAttempts());
                assertEquals(1L, sandbox.getStats().requests(Route.GET_SESSION));
            }
        }

        @Test
        void everyBuilderSettingReachesTheCoreConfig() {
            try (ClerkJavaClient c = ClerkJavaClient.builder()
                    
                    .secretKey("sk_test_abc").baseUrl("https://clerk.example.com/v1").apiVersion("2024-10-01")
                    .userAgent("my-app/1.0").connectTimeout(Duration.ofSeconds(1)).socketTimeout(Duration.ofSeconds(2))
                    .requestTimeout(Duration.ofSeconds(3)).logLevel(LogLevel.INFO).allowInsecureHttp(true).trustStore(null)
                    .build()) {
                ClerkConfig config = c.config();
                assertEquals("https://clerk.example.com/v1", config.getBaseUrl());
                assertEquals("2024-10-01", config.getApiVersion());
                assertEquals("my-app/1.0", config.getUserAgent());
                assertEquals(Duration.ofSeconds(1), config.getConnectTimeout());
                assertEquals(Duration.ofSeconds(2), config.getSocketTimeout());
                assertEquals(Duration.ofSeconds(3), config.getRequestTimeout());
                assertEquals(LogLevel.INFO, config.getLogLevel());
                assertTrue(config.getAllowInsecureHttp());
                assertEquals(Optional.empty(), config.getTrustStore());
                assertEquals(Optional.empty(), config.getJwtKey());
            }
        }

        @Test
        void aFinishedConfigCanBeTheStartingPoint() {
            ClerkConfig base = ClerkConfig.builder().secretKey("sk_test_abc").userAgent("base/1").build();
            try (ClerkJavaClient c = ClerkJavaClient.builder().config(base).userAgent("changed/2").build()) {
                assertEquals("sk_test_abc", c.config().getSecretKey());
                assertEquals("changed/2", c.config().getUserAgent());
            }
            assertEquals("base/1", base.getUserAgent()); // the finished config is not changed
        }

        @Test
        void aBadJwtKeyFailsWhenTheConfigIsBuilt() {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ClerkJavaClient.builder().secretKey("sk_test_x").jwtKey("not a pem").build());
            assertTrue(e.getMessage().contains("jwtKey"), e.getMessage());
        }
    }

    @Nested
    class InvalidInput {
        @Test
        void throwsSynchronouslyBeforeAnyIo() {
            assertThrows(IllegalArgumentException.class, () -> sessions.get(""));
            assertThrows(IllegalArgumentException.class, () -> sessions.get(".."));
            assertThrows(IllegalArgumentException.class, () -> sessions.create(" "));
            assertThrows(IllegalArgumentException.class, () -> CreateSessionParams.builder().userId(userId).activeOrganizationId("").build());
            assertThrows(IllegalArgumentException.class, () -> CreateTokenParams.builder().sessionId("sess_1").expiresInSeconds(5L).build());
            assertThrows(IllegalArgumentException.class, () -> sessions.createTokenFromTemplate("sess_1", " "));
            assertThrows(IllegalArgumentException.class, () -> sessions.revoke("."));
            assertThrows(IllegalArgumentException.class, () -> SessionListParams.builder().limit(501).build());
            assertThrows(IllegalArgumentException.class, () -> SessionListParams.builder().limit(0).build());
            assertEquals(0L, sandbox.getStats().getTotalRequests());
        }

        @Test
        void nullArgumentsThrowNullPointerException() {
            assertThrows(NullPointerException.class, () -> sessions.get((String) null));
            assertThrows(NullPointerException.class, () -> sessions.get((GetSessionParams) null));
            assertThrows(NullPointerException.class, () -> clerk.blocking().sessions().get((String) null));
            assertThrows(NullPointerException.class, () -> sessions.list(null));
            assertEquals(0L, sandbox.getStats().getTotalRequests());
        }

        @Test
        void builderRejectsBadConfiguration() {
            assertThrows(IllegalArgumentException.class, () -> ClerkJavaClient.builder().build()); // no secret key
            assertThrows(IllegalArgumentException.class,
                    () -> ClerkJavaClient.builder().secretKey("sk_test_x").baseUrl("http://example.com").build());
            assertThrows(IllegalArgumentException.class, () -> ClerkJavaClient.builder().secretKey("sk_test_x").maxAttempts(0).build());
        }
    }

    @Nested
    class Pagination {
        private final List<String> ids = new ArrayList<>();
        private SessionListParams mine;

        @BeforeEach
        void seed() {
            for (int i = 0; i < 7; i++) {
                ids.add(sandbox.addSession(userId));
            }
            Collections.reverse(ids); // served newest first
            sandbox.addSession(sandbox.addUser());
            mine = SessionListParams.builder().userId(userId).build();
            sandbox.getStats().reset();
        }

        @Test
        void onePage() throws Exception {
            SessionPage page = await(sessions.listPage(SessionListParams.builder().userId(userId).limit(3).offset(3).build()));
            assertEquals(ids.subList(3, 6), page.getData().stream().map(Session::getId).collect(Collectors.toList()));
            assertEquals(7L, page.getTotalCount());
        }

        @Test
        void streamCrossesPagesLazily() {
            assertEquals(ids, sessions.listAll(mine.toBuilder().limit(3).build()).map(Session::getId).collect(Collectors.toList()));
            assertEquals(3L, sandbox.getStats().requests(Route.LIST_SESSIONS)); // 3 + 3 + 1

            sandbox.getStats().reset();
            var stream = sessions.listAll(mine.toBuilder().limit(3).build());
            assertEquals(0L, sandbox.getStats().requests(Route.LIST_SESSIONS)); // nothing before the terminal operation
            assertEquals(ids.subList(0, 4), stream.limit(4).map(Session::getId).collect(Collectors.toList()));
            assertEquals(2L, sandbox.getStats().requests(Route.LIST_SESSIONS)); // the third page was never needed
        }

        @Test
        void streamStartsAtOffsetAndEachStreamStartsOver() {
            SessionListParams fromTwo = mine.toBuilder().offset(2).limit(2).build();
            List<String> seen = new ArrayList<>();
            for (Session s : (Iterable<Session>) sessions.listAll(fromTwo)::iterator) {
                seen.add(s.getId());
            }
            assertEquals(ids.subList(2, 7), seen);
            assertEquals(ids.get(2), sessions.listAll(fromTwo).findFirst().orElseThrow().getId()); // a new stream starts over
        }

        @Test
        void blockingTwinPagesTheSameWay() {
            assertEquals(ids, clerk.blocking().sessions().listAll(mine.toBuilder().limit(3).build()).map(Session::getId)
                    .collect(Collectors.toList()));
            assertEquals(3L, sandbox.getStats().requests(Route.LIST_SESSIONS));
        }

        @Test
        void defaultPageSizeIsOneRequestHere() {
            assertEquals(7, sessions.listAll(mine).count());
            assertEquals(1L, sandbox.getStats().requests(Route.LIST_SESSIONS));
        }

        @Test
        void aFailedPageThrowsTheTypedExceptionFromTheStream() {
            sandbox.getFaults().on(Route.LIST_SESSIONS).status(404);
            NotFoundException nf = assertThrows(NotFoundException.class, () -> sessions.listAll(mine.toBuilder().limit(3).build()).count());
            assertEquals(404, nf.getStatusCode());
        }
    }

    @Nested
    class Lifecycle {
        @Test
        void cancelAbortsTheCallAndItIsNotRetried() throws Exception {
            String id = sandbox.addSession(userId);
            sandbox.getFaults().on(Route.GET_SESSION).delay(1_500);
            CompletableFuture<Session> slow = sessions.get(id);
            waitForRequests(1);
            assertTrue(slow.cancel(true));
            assertThrows(CancellationException.class, slow::join);

            // The client still works, and the cancelled call was neither completed nor retried.
            assertEquals(id, await(sessions.get(id)).getId());
            Thread.sleep(2_000);
            assertEquals(2L, sandbox.getStats().requests(Route.GET_SESSION));
        }

        @Test
        void closeCancelsInFlightCallsAndRefusesNewOnes() throws Exception {
            String id = sandbox.addSession(userId);
            sandbox.getFaults().on(Route.GET_SESSION).delay(1_000);
            CompletableFuture<Session> inFlight = sessions.get(id);
            waitForRequests(1);
            clerk.close();
            // The future completes once the cancelled coroutine has unwound (promptly, on the client's threads).
            assertThrows(CancellationException.class, () -> inFlight.get(WAIT, TimeUnit.SECONDS));
            assertTrue(inFlight.isCancelled());
            assertThrows(IllegalStateException.class, () -> sessions.get(id));
            clerk.close(); // idempotent
        }

        @Test
        void wrappedCoreStaysOpenAfterTheFacadeCloses() throws Exception {
            String id = sandbox.addSession(userId);
            ClerkConfig config = ClerkConfig.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build();
            try (ClerkClient core = new ClerkClient(config)) {
                ClerkJavaClient first = ClerkJavaClient.wrap(core);
                assertSame(core, first.core());
                assertEquals(id, await(first.sessions().get(id)).getId());
                first.close();
                try (ClerkJavaClient second = ClerkJavaClient.wrap(core)) {
                    assertEquals(id, await(second.sessions().get(id)).getId());
                }
            }
        }

        @Test
        void createFromConfig() throws Exception {
            String id = sandbox.addSession(userId);
            ClerkConfig config = ClerkConfig.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build();
            try (ClerkJavaClient c = ClerkJavaClient.create(config)) {
                assertSame(config, c.config());
                assertEquals(id, await(c.sessions().get(id)).getId());
            }
        }

        @Test
        void futuresCompleteOnTheGivenExecutor() throws Exception {
            String id = sandbox.addSession(userId);
            ExecutorService pool = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-pool"));
            try (ClerkJavaClient c = ClerkJavaClient.builder()
                    .secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl())
                    .executor(pool)
                    .build()) {
                sandbox.getFaults().on(Route.GET_SESSION).delay(200); // callback registered before completion
                String thread = await(c.sessions().get(id).thenApply(s -> Thread.currentThread().getName()));
                assertTrue(thread.startsWith("app-pool"), thread); // tests run with coroutine debug names appended
            } finally {
                pool.shutdown();
            }
        }

        @Test
        void byDefaultFuturesCompleteOnTheClientsThreads() throws Exception {
            String id = sandbox.addSession(userId);
            sandbox.getFaults().on(Route.GET_SESSION).delay(200);
            String thread = await(sessions.get(id).thenApply(s -> Thread.currentThread().getName()));
            assertTrue(thread.startsWith("clerkkit-"), thread);
        }

        private void waitForRequests(long n) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT);
            while (sandbox.getStats().getTotalRequests() < n) {
                if (System.nanoTime() > deadline) throw new AssertionError("sandbox saw no request");
                Thread.sleep(10);
            }
        }
    }

}
