package dev.clerkkit.java.examples;

import dev.clerkkit.auth.AuthRequest;
import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.auth.AuthenticateRequestOptions;

import dev.clerkkit.tokens.SessionClaims;
import dev.clerkkit.tokens.TokenVerificationException;

import dev.clerkkit.RequestOptions;
import dev.clerkkit.ClerkConfig;
import dev.clerkkit.RetryPolicy;
import dev.clerkkit.errors.ClerkApiException;
import dev.clerkkit.errors.NotFoundException;
import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.sessions.RefreshFormat;
import dev.clerkkit.sessions.RefreshSessionParams;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionListParams;
import dev.clerkkit.sessions.SessionPage;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionStatus;
import dev.clerkkit.sessions.SessionToken;
import java.time.Duration;
import java.util.stream.Stream;
import dev.clerkkit.java.TokenVerifier;
import dev.clerkkit.tokens.TokenVerifierOptions;
import dev.clerkkit.sessions.VerifySessionParams;
import dev.clerkkit.sessions.GetSessionParams;
import dev.clerkkit.sessions.CreateTokenParams;
import dev.clerkkit.ClerkResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import dev.clerkkit.sessions.RevokeAllParams;
import dev.clerkkit.sessions.RevokeAllReport;
import dev.clerkkit.sessions.TokenCacheOptions;
import java.util.Set;

/**
 * Java snippets quoted by the README (between {@code tag::name[]} / {@code end::name[]} markers). Compiled by the
 * build, so they cannot drift from the API; {@code ReadmeExamplesTest} runs them against the testkit sandbox.
 */
public final class ReadmeExamples {
    private ReadmeExamples() {}

    /** Builds a client the way the README shows. */
    public static ClerkJavaClient build(String secretKey, String baseUrl) {
        // tag::build[]
        ClerkJavaClient clerk = ClerkJavaClient.builder()
                .secretKey(secretKey)                       // required
                .baseUrl(baseUrl)                           // default https://api.clerk.com/v1
                .requestTimeout(Duration.ofSeconds(10))     // default 30 s
                .retryPolicy(RetryPolicy.DEFAULT)           // default: 3 attempts, exponential backoff
                .maxAttempts(2)                             // shorthand on top of the policy
                .build();                                   // checks every value (and parses jwtKey) here
        // end::build[]
        return clerk;
    }

    /** The environment variant (CLERK_SECRET_KEY, CLERK_API_URL, ...). Not run by tests. */
    public static void fromEnv() {
        // tag::from-env[]
        try (ClerkJavaClient clerk = ClerkJavaClient.fromEnv()) {
            List<Session> sessions = clerk.sessions()
                    .list(SessionListParams.builder().userId("user_123").build())
                    .join();
            System.out.println(sessions.size() + " sessions");
        }
        // end::from-env[]
    }

    /** Futures complete on an executor of yours. */
    public static ClerkJavaClient withExecutor(String secretKey, String baseUrl, ExecutorService appExecutor) {
        // tag::executor[]
        ClerkJavaClient clerk = ClerkJavaClient.builder()
                .secretKey(secretKey).baseUrl(baseUrl)
                .executor(appExecutor) // callbacks may block here; default: the client's I/O threads
                .build();
        // end::executor[]
        return clerk;
    }

    public static Session create(ClerkJavaClient clerk, String userId) {
        // tag::create[]
        Session session = clerk.sessions().create(userId).join();
        // end::create[]
        return session;
    }

    public static Session get(ClerkJavaClient clerk, String sessionId) {
        // tag::get[]
        Session session = clerk.sessions().get(sessionId).join();
        System.out.println(session.getStatus() + " until " + session.expireAtInstant());
        // end::get[]
        return session;
    }

    public static List<Session> list(ClerkJavaClient clerk, String userId) {
        // tag::list[]
        SessionListParams params = SessionListParams.builder()
                .userId(userId)
                .status(SessionStatus.ACTIVE)
                .build();
        List<Session> active = clerk.sessions().list(params).join();
        // end::list[]
        return active;
    }

    public static SessionPage listPage(ClerkJavaClient clerk, String userId) {
        // tag::list-page[]
        SessionPage page = clerk.sessions()
                .listPage(SessionListParams.builder().userId(userId).limit(20).offset(0).build())
                .join();
        System.out.println(page.getData().size() + " of " + page.getTotalCount());
        // end::list-page[]
        return page;
    }

    public static List<String> listAll(ClerkJavaClient clerk, String userId) {
        // tag::list-all[]
        // Lazy and blocking: pages of `limit` (default 100) are fetched as the stream reaches them.
        List<String> ids = clerk.sessions()
                .listAll(SessionListParams.builder().userId(userId).limit(100).build())
                .map(Session::getId)
                .collect(Collectors.toList());
        // end::list-all[]
        return ids;
    }

    public static int iterateAll(ClerkJavaClient clerk, String userId) {
        int n = 0;
        // tag::iterate-all[]
        try (Stream<Session> all = clerk.blocking().sessions().listAll(SessionListParams.builder().userId(userId).build())) {
            for (Session s : (Iterable<Session>) all::iterator) {
                n++; // fetches the next page only when the loop gets there
            }
        }
        // end::iterate-all[]
        return n;
    }

    public static Session revoke(ClerkJavaClient clerk, String sessionId) {
        // tag::revoke[]
        Session revoked = clerk.sessions().revoke(sessionId).join(); // status: revoked
        // end::revoke[]
        return revoked;
    }

    public static String createToken(ClerkJavaClient clerk, String sessionId) {
        // tag::create-token[]
        SessionToken token = clerk.sessions()
                .createToken(CreateTokenParams.builder().sessionId(sessionId).expiresInSeconds(300L).build()) // 5-minute JWT
                .join();
        String jwt = token.getJwt();
        // end::create-token[]
        return jwt;
    }

    public static String createTokenFromTemplate(ClerkJavaClient clerk, String sessionId, String template) {
        // tag::create-token-from-template[]
        String jwt = clerk.sessions().createTokenFromTemplate(sessionId, template).join().getJwt();
        // end::create-token-from-template[]
        return jwt;
    }

    public static SessionRefresh refresh(ClerkJavaClient clerk, String sessionId, String expiredToken, String refreshToken) {
        // tag::refresh[]
        RefreshSessionParams params = RefreshSessionParams.builder()
                .sessionId(sessionId)
                .expiredToken(expiredToken)
                .refreshToken(refreshToken)
                .requestOrigin("https://app.example.com")
                .format(RefreshFormat.TOKEN)
                .build();
        SessionRefresh result = clerk.sessions().refresh(params).join();
        if (result instanceof SessionRefresh.Token) {
            String newJwt = ((SessionRefresh.Token) result).getJwt();
        }
        // end::refresh[]
        return result;
    }

    @SuppressWarnings("deprecation")
    public static CompletableFuture<Session> verify(ClerkJavaClient clerk, String sessionId, String token) {
        // tag::verify[]
        // Deprecated by Clerk (410 on API versions after 2024-10-01): verify session tokens locally instead.
        CompletableFuture<Session> verified = clerk.sessions()
                .verify(VerifySessionParams.builder().sessionId(sessionId).token(token).build());
        // end::verify[]
        return verified;
    }

    public static Session withOptions(ClerkJavaClient clerk, String sessionId) {
        // tag::request-options[]
        RequestOptions options = RequestOptions.builder()
                .header("X-Request-Id", "req-42")
                .timeout(Duration.ofSeconds(2))
                .maxAttempts(1)
                .build();
        Session session = clerk.sessions().get(GetSessionParams.builder().sessionId(sessionId).build(), options).join();
        // end::request-options[]
        return session;
    }

    public static String errors(ClerkJavaClient clerk) {
        // tag::errors[]
        try {
            clerk.sessions().get("sess_missing").join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof NotFoundException) {
                NotFoundException nf = (NotFoundException) e.getCause();
                return nf.getStatusCode() + " " + nf.getCode().orElse("?") + " trace=" + nf.getTraceId().orElse("-");
            }
            throw e;
        }
        // end::errors[]
        return "found";
    }

    public static CompletableFuture<String> async(ClerkJavaClient clerk, String sessionId) {
        // tag::async[]
        CompletableFuture<String> status = clerk.sessions().get(sessionId)
                .thenApply(s -> s.getStatus().getValue())
                .exceptionally(t -> t.getCause() instanceof ClerkApiException
                        ? "error " + ((ClerkApiException) t.getCause()).getStatusCode()
                        : "error");
        // end::async[]
        return status;
    }

    public static boolean cancel(ClerkJavaClient clerk, String sessionId) {
        // tag::cancel[]
        CompletableFuture<Session> pending = clerk.sessions().get(sessionId);
        boolean cancelled = pending.cancel(true); // cancels the coroutine and aborts the HTTP exchange
        // end::cancel[]
        return cancelled;
    }

    public static String verifyToken(ClerkJavaClient clerk, String sessionToken) {
        // tag::verify-token[]
        // "Is this request's session valid?" -- answered locally, no call to Clerk per request.
        // With CLERK_JWT_KEY (PEM) set this never touches the network; otherwise the JWKS is fetched once and cached.
        try {
            SessionClaims claims = clerk.blocking().verifyToken(sessionToken);
            return claims.getUserId() + " in " + claims.getSessionId().orElse("?"); // Optional: absent only for non-session tokens
        } catch (TokenVerificationException e) {
            return "rejected: " + e.getReason(); // EXPIRED, BAD_SIGNATURE, UNKNOWN_KID, ...
        }
        // end::verify-token[]
    }

    public static CompletableFuture<SessionClaims> verifyTokenAsync(ClerkJavaClient clerk, String sessionToken) {
        // tag::verify-token-async[]
        CompletableFuture<SessionClaims> claims = clerk.verifyToken(sessionToken);
        // end::verify-token-async[]
        return claims;
    }

    public static Session blocking(ClerkJavaClient clerk, String sessionId) {
        // tag::blocking[]
        try {
            Session session = clerk.blocking().sessions().get(sessionId); // the value, or the typed exception itself
            return session;
        } catch (NotFoundException e) {
            return null; // no CompletionException to unwrap
        }
        // end::blocking[]
    }

    public static String rawResponse(ClerkJavaClient clerk, String sessionId) {
        // tag::raw-response[]
        ClerkResponse<Session> response = clerk.blocking().sessions().withRawResponse().get(sessionId);
        int status = response.getStatusCode();                    // 200
        String traceId = response.getTraceId().orElse("-");       // Clerk's trace id of this answer
        Session session = response.getValue();
        // end::raw-response[]
        return status + " " + traceId + " " + session.getId();
    }

    public static SessionClaims verifyWithOptions(ClerkJavaClient clerk, String sessionToken) {
        // tag::verify-token-options[]
        TokenVerifier verifier = clerk.tokenVerifier(TokenVerifierOptions.builder()
                .authorizedParties("https://app.example.com")
                .clockSkew(Duration.ofSeconds(2))
                .build());                                       // create once, share: it holds the JWKS cache
        SessionClaims claims = verifier.verifyBlocking(sessionToken);
        // end::verify-token-options[]
        return claims;
    }

    public static String authenticate(ClerkJavaClient clerk, String method, String url, java.util.Map<String, java.util.List<String>> headers) {
        // tag::authenticate-request[]
        AuthenticateRequestOptions options = AuthenticateRequestOptions.builder()
                .publishableKey(System.getenv("CLERK_PUBLISHABLE_KEY"))   // suffixed cookies, handshake URL
                .authorizedParties("https://app.example.com")
                .build();                                              // create once, share
        AuthResult result = clerk.blocking().authenticateRequest(AuthRequest.of(method, url, headers), options);
        // result.getHeaders(): Set-Cookie of a refreshed session, Location of a handshake, x-clerk-auth-* debug headers
        if (result instanceof AuthResult.SignedIn in && in.isAuthenticated()) {
            return "user " + in.getUserId() + " in " + in.getSessionId();
        } else if (result instanceof AuthResult.Handshake hs) {
            return "307 to " + hs.getLocation().length() + "-char handshake URL, " + hs.getReason();
        }
        return "401: " + ((result instanceof AuthResult.SignedOut out) ? out.getReason().getWireName() : "pending");
        // end::authenticate-request[]
    }

    /** README "Session workflows": the token cache, listActive and revokeAll from Java. */
    public static RevokeAllReport workflows(String secretKey, String baseUrl, String userId, String currentSessionId) {
        // tag::workflows[]
        try (ClerkJavaClient clerk = ClerkJavaClient.builder()
                .secretKey(secretKey).baseUrl(baseUrl)
                .tokenCache(TokenCacheOptions.DEFAULTS)    // opt-in: 10 s margin before exp, 10,000 tokens
                .build()) {
            String jwt = clerk.sessions().createTokenFromTemplate(currentSessionId, "worker").join().getJwt();
            try (Stream<Session> active = clerk.sessions().listActive(userId)) {   // newest first
                active.forEach(s -> System.out.println(s.getId()));
            }
            RevokeAllReport report = clerk.blocking().sessions().revokeAll(
                    RevokeAllParams.builder().userId(userId).except(Set.of(currentSessionId)).build());
            System.out.println(report.getRevoked().size() + " revoked, failed: " + report.getFailed().keySet());
            return report;
        }
        // end::workflows[]
    }
}
