package dev.clerkkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.auth.AuthRequest;
import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.auth.AuthenticateRequestOptions;
import dev.clerkkit.java.ClerkBlockingClient;
import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.testkit.BrowserSession;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.SandboxConfig;
import java.lang.reflect.Proxy;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ClerkAuthFilter inside a real Tomcat, over real sockets (java.net.http), against the testkit sandbox: every state
 * and reason of authenticateRequest as a browser or an API client meets it.
 */
class ClerkAuthFilterTest {
    static final String PARTY = "https://app.example.com";
    static ClerkSandbox sandbox;
    static ClerkJavaClient clerk;
    static EmbeddedTomcat tomcat;
    static String devBrowser;

    @BeforeAll
    static void start() {
        sandbox = ClerkSandbox.start(SandboxConfig.builder().authorizedParty(PARTY).build());
        clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build();
        ClerkAuthFilter filter = ClerkAuthFilter.builder(clerk)
            .publishableKey(sandbox.getPublishableKey())
            .authorizedParties(PARTY)
            .requireSignIn("/account", "/api/*")
            .build();
        ClerkAuthFilter quiet = ClerkAuthFilter.builder(clerk)
            .publishableKey(sandbox.getPublishableKey())
            .authorizedParties(PARTY)
            .requireSignIn("/*")
            .debugHeaders(false)
            .build();
        tomcat = new EmbeddedTomcat()
            .app("", filter, new EchoServlet())
            .app("/quiet", quiet, new EchoServlet())
            .start();
        String sfx = BrowserSession.cookieSuffixOf(sandbox.getPublishableKey());
        devBrowser = "__clerk_db_jwt=dvb_1; __clerk_db_jwt_" + sfx + "=dvb_1";
    }

    @AfterAll
    static void stop() throws Exception {
        tomcat.close();
        clerk.close();
        sandbox.close();
    }

    static String session() {
        return sandbox.addSession(sandbox.addUser());
    }

    /** Sends {@code method path} with header name/value pairs. */
    static HttpResponse<String> send(String method, String path, String... headers) throws Exception {
        return tomcat.send(method, path, headers);
    }

    static Map<String, String> echo(HttpResponse<String> r) {
        assertEquals(200, r.statusCode(), () -> "expected the application's answer, got " + r.statusCode() + ": " + r.body());
        Map<String, String> out = new HashMap<>();
        Arrays.stream(r.body().split("\n")).forEach(l -> out.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        return out;
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    @Test
    void signedInByTheAuthorizationHeader() throws Exception {
        String sid = session();
        String token = sandbox.issueToken(sid);
        HttpResponse<String> r = send("GET", "/api/me", "Authorization", "Bearer " + token);
        Map<String, String> e = echo(r);
        assertEquals("ClerkPrincipal", e.get("principalClass"));
        assertEquals(sid, e.get("sessionId"));
        assertEquals(e.get("principal"), e.get("remoteUser"));
        assertTrue(e.get("principal").startsWith("user_"));
        assertEquals("CLERK", e.get("authType"));
        assertEquals("signed-in", e.get("status"));
        assertEquals("true", e.get("authenticated"));
        assertFalse(r.body().contains(token), "the principal's and the result's toString must not show the token");
        assertEquals(null, header(r, "x-clerk-auth-status"));
    }

    @Test
    void signedInByCookiesSuffixedAndNot() throws Exception {
        BrowserSession b = sandbox.signIn(session());
        for (boolean suffixed : new boolean[] {true, false}) {
            HttpResponse<String> r = send("GET", "/account", "Cookie", b.cookieHeader(suffixed) + "; " + devBrowser,
                "Accept", "text/html", "Sec-Fetch-Dest", "document");
            Map<String, String> e = echo(r);
            assertEquals(b.getSessionId(), e.get("sessionId"));
            assertEquals("signed-in", e.get("status"));
            assertFalse(r.body().contains(b.getSessionToken()));
            assertTrue(r.headers().allValues("set-cookie").isEmpty(), "a valid cookie sets no cookie");
        }
    }

    /** A signed-out request: 401 with the reason on a required path, through with a null principal on an open one. */
    static void assertSignedOut(String reason, String method, String... headers) throws Exception {
        HttpResponse<String> required = send(method, "/api/orders", headers);
        assertEquals(401, required.statusCode(), () -> reason + ": " + required.body());
        assertEquals(reason, required.body().strip());
        assertEquals(reason, header(required, "x-clerk-auth-reason"));
        assertEquals("signed-out", header(required, "x-clerk-auth-status"));
        assertEquals("Bearer", header(required, "www-authenticate"));
        assertTrue(header(required, "content-type").startsWith("text/plain"));

        HttpResponse<String> open = send(method, "/open", headers);
        Map<String, String> e = echo(open);
        assertEquals("null", e.get("principal"));
        assertEquals("null", e.get("remoteUser"));
        assertEquals("null", e.get("authType"));
        assertEquals("signed-out", e.get("status"));
        assertEquals(reason, header(open, "x-clerk-auth-reason"));
        assertEquals("signed-out", header(open, "x-clerk-auth-status"));
    }

    @Test
    void signedOutReasonsOfTheHeader() throws Exception {
        String sid = session();
        assertSignedOut("token-type-mismatch", "GET", "Authorization", "Bearer ak_123");
        assertSignedOut("token-type-mismatch", "GET", "Authorization", "Bearer " + sandbox.issueTemplateToken(sid));
        assertSignedOut("token-invalid", "GET", "Authorization", "Bearer a.b");
        assertSignedOut("token-invalid-authorized-parties", "GET",
            "Authorization", "Bearer " + sandbox.issueToken(sid, 60, 0, "https://evil.example.com"));
        assertSignedOut("token-invalid-authorized-parties", "GET", "Authorization", "Bearer " + sandbox.issueToken(sid, 60, 0, null));
        assertSignedOut("session-token-expired-refresh-non-eligible-no-refresh-cookie", "GET",
            "Authorization", "Bearer " + sandbox.issueToken(sid, 60, -120));
        // issued in the future: nbf is in the future as well, and is checked first
        assertSignedOut("session-token-nbf", "GET", "Authorization", "Bearer " + sandbox.issueToken(sid, 60, 600));
        assertSignedOut("token-invalid-algorithm", "GET", "Authorization", "Bearer " + withAlg(sandbox.issueToken(sid), "HS256"));
        try (ClerkSandbox other = ClerkSandbox.start(SandboxConfig.builder().authorizedParty(PARTY).build())) {
            String foreign = other.issueToken(other.addSession(other.addUser()));
            assertSignedOut("jwk-kid-mismatch", "GET", "Authorization", "Bearer " + foreign);
            String sameKid = withKid(foreign, sandbox.getActiveKeyId());
            assertSignedOut("token-invalid-signature", "GET", "Authorization", "Bearer " + sameKid);
        }
    }

    @Test
    void signedOutReasonsOfTheCookies() throws Exception {
        BrowserSession b = sandbox.signIn(session());
        String sfx = b.getCookieSuffix();
        assertSignedOut("session-token-and-uat-missing", "GET", "Cookie", devBrowser);
        assertSignedOut("dev-browser-missing", "GET"); // a development instance (pk_test_) needs the dev browser cookie
        assertSignedOut("dev-browser-missing", "GET", "Cookie", b.cookieHeader());
        assertSignedOut("client-uat-but-no-session-token", "GET", "Cookie", "__client_uat_" + sfx + "=" + b.getClientUat() + "; " + devBrowser);
        assertSignedOut("session-token-but-no-client-uat", "GET", "Cookie", "__session=" + b.getSessionToken() + "; " + devBrowser);
        BrowserSession stale = b.withClientUat(b.getClientUat() + 60);
        assertSignedOut("session-token-iat-before-client-uat", "GET", "Cookie", stale.cookieHeader() + "; " + devBrowser);
        BrowserSession expired = sandbox.signIn(session(), 60, -120);
        assertSignedOut("session-token-expired-refresh-non-eligible-non-get", "POST", "Cookie", expired.cookieHeader() + "; " + devBrowser);
        // another session's refresh token: Clerk refuses the refresh, the reason carries its error code
        BrowserSession crossed = expired.withSessionToken(expired.getSessionToken());
        String wrongRefresh = expired.cookieHeader().replace(expired.getRefreshToken(), b.getRefreshToken());
        assertSignedOut("session-token-expired-refresh-authentication_invalid", "GET", "Cookie", wrongRefresh + "; " + devBrowser);
        assertEquals(expired.getSessionId(), crossed.getSessionId());
    }

    @Test
    void handshakeOnDocumentGetsSignedOutForApiRequests() throws Exception {
        BrowserSession stale = sandbox.signIn(session(), 60, 0, 60);
        String cookie = stale.cookieHeader() + "; " + devBrowser;
        for (String path : List.of("/open", "/api/orders")) {
            HttpResponse<String> r = send("GET", path, "Cookie", cookie, "Sec-Fetch-Dest", "document");
            assertEquals(307, r.statusCode(), path);
            String location = header(r, "location");
            assertTrue(location.startsWith("https://clerk.sandbox.local/v1/client/handshake?"), location);
            assertTrue(location.contains("__clerk_hs_reason=session-token-iat-before-client-uat"), location);
            assertEquals("no-store", header(r, "cache-control"));
            assertTrue(r.headers().allValues("set-cookie").stream().anyMatch(c -> c.startsWith("__clerk_redirect_count=1")));
            assertEquals("handshake", header(r, "x-clerk-auth-status"));
            assertEquals("session-token-iat-before-client-uat", header(r, "x-clerk-auth-reason"));
            assertEquals("", r.body());
        }
        HttpResponse<String> html = send("GET", "/open", "Cookie", cookie, "Accept", "text/html,application/xhtml+xml");
        assertEquals(307, html.statusCode());
        // not a document GET: signed out with the same reason
        assertSignedOut("session-token-iat-before-client-uat", "GET", "Cookie", cookie, "Accept", "application/json");
        assertSignedOut("session-token-iat-before-client-uat", "POST", "Cookie", cookie, "Sec-Fetch-Dest", "document");
        // the redirect-loop guard: the third redirect in a row is answered signed out
        HttpResponse<String> looping = send("GET", "/api/orders", "Cookie", cookie + "; __clerk_redirect_count=3", "Sec-Fetch-Dest", "document");
        assertEquals(401, looping.statusCode());
    }

    @Test
    void anExpiredCookieIsRefreshedOnGetAndTheNewCookiesAreSet() throws Exception {
        BrowserSession expired = sandbox.signIn(session(), 60, -120);
        sandbox.clearRecordedRequests();
        HttpResponse<String> r = send("GET", "/account", "Cookie", expired.cookieHeader() + "; " + devBrowser,
            "Sec-Fetch-Dest", "document", "Origin", PARTY);
        Map<String, String> e = echo(r);
        assertEquals(expired.getSessionId(), e.get("sessionId"));
        assertEquals("signed-in", e.get("status"));
        List<String> cookies = r.headers().allValues("set-cookie");
        String session = cookies.stream().filter(c -> c.startsWith("__session")).findFirst().orElseThrow(() -> new AssertionError(cookies));
        String fresh = session.substring(session.indexOf('=') + 1, session.indexOf(';'));
        assertFalse(fresh.equals(expired.getSessionToken()));
        assertFalse(r.body().contains(fresh), "the new token must not show in toString");
        assertTrue(sandbox.getRequests().stream().anyMatch(q -> q.getRawPath().endsWith("/sessions/" + expired.getSessionId() + "/refresh")));

        // the browser sends the refreshed cookie back: signed in without another refresh
        sandbox.clearRecordedRequests();
        HttpResponse<String> next = send("GET", "/account", "Cookie", expired.withSessionToken(fresh).cookieHeader() + "; " + devBrowser);
        assertEquals(expired.getSessionId(), echo(next).get("sessionId"));
        assertTrue(next.headers().allValues("set-cookie").isEmpty());
        assertTrue(sandbox.getRequests().stream().noneMatch(q -> q.getRawPath().endsWith("/refresh")));
    }

    @Test
    void requiredPathsAnswer401OpenPathsPassThrough() throws Exception {
        for (String path : List.of("/account", "/account/", "/api", "/api/", "/api/orders/7", "/%61pi/orders", "/open/../api/x", "/api;x=1/orders")) {
            HttpResponse<String> r = send("GET", path, "Cookie", devBrowser);
            assertEquals(401, r.statusCode(), path);
            assertEquals("session-token-and-uat-missing", r.body().strip(), path);
        }
        for (String path : List.of("/", "/open", "/accounts", "/account/settings", "/apix", "/api/../open")) {
            assertEquals("signed-out", echo(send("GET", path, "Cookie", devBrowser)).get("status"), path);
        }
        String token = sandbox.issueToken(session());
        assertEquals("signed-in", echo(send("GET", "/api/orders/7", "Authorization", "Bearer " + token)).get("status"));
        // a CORS preflight carries no credentials: it reaches the application; a plain OPTIONS does not
        assertEquals("signed-out", echo(send("OPTIONS", "/api/orders", "Origin", PARTY, "Access-Control-Request-Method", "POST",
            "Cookie", devBrowser)).get("status"));
        assertEquals(401, send("OPTIONS", "/api/orders", "Origin", PARTY, "Cookie", devBrowser).statusCode());
    }

    @Test
    void aPendingSessionIsNotAuthenticated() throws Exception {
        String sid = session();
        sandbox.setSessionStatus(sid, "pending");
        String token = sandbox.issueToken(sid);
        HttpResponse<String> required = send("GET", "/api/orders", "Authorization", "Bearer " + token);
        assertEquals(401, required.statusCode());
        assertEquals("session-pending", required.body().strip());
        Map<String, String> open = echo(send("GET", "/open", "Authorization", "Bearer " + token));
        assertEquals("signed-in", open.get("status"));
        assertEquals("false", open.get("authenticated"));
        assertEquals("null", open.get("principal"));
    }

    @Test
    void debugHeadersCanBeTurnedOff() throws Exception {
        HttpResponse<String> out = send("GET", "/quiet/anything", "Cookie", devBrowser);
        assertEquals(401, out.statusCode());
        assertEquals("session-token-and-uat-missing", out.body().strip());
        assertTrue(out.headers().map().keySet().stream().noneMatch(h -> h.startsWith("x-clerk-auth")), out.headers().map().toString());

        BrowserSession stale = sandbox.signIn(session(), 60, 0, 60);
        HttpResponse<String> hs = send("GET", "/quiet/page", "Cookie", stale.cookieHeader() + "; " + devBrowser, "Sec-Fetch-Dest", "document");
        assertEquals(307, hs.statusCode());
        assertTrue(header(hs, "location").contains("/v1/client/handshake?"));
        assertTrue(hs.headers().map().keySet().stream().noneMatch(h -> h.startsWith("x-clerk-auth")));

        String token = sandbox.issueToken(session());
        assertEquals("signed-in", echo(send("GET", "/quiet/page", "Authorization", "Bearer " + token)).get("status"));
    }

    @Test
    void malformedCookiesAndAuthorizationHeadersAreNeverA500() throws Exception {
        String token = sandbox.issueToken(session());
        BrowserSession b = sandbox.signIn(session());
        String junk = "x".repeat(6000);
        List<String[]> inputs = List.of(
            new String[] {"Cookie", ""},
            new String[] {"Cookie", "="},
            new String[] {"Cookie", ";;;;;"},
            new String[] {"Cookie", "__session"},
            new String[] {"Cookie", "__session=; __client_uat="},
            new String[] {"Cookie", "__session=\"; __client_uat=\"\"; " + devBrowser},
            new String[] {"Cookie", "__client_uat=abc; __session=x.y.z; " + devBrowser},
            new String[] {"Cookie", "__client_uat=99999999999999999999999999; __session=a.b.c; " + devBrowser},
            new String[] {"Cookie", "__session=%zz%; __client_uat=%; %%%=%%%"},
            new String[] {"Cookie", "__session=" + junk + "; __client_uat=1; " + devBrowser},
            new String[] {"Cookie", "__session_" + b.getCookieSuffix() + "=" + token + "." + token + "; __client_uat_" + b.getCookieSuffix() + "=1; " + devBrowser},
            new String[] {"Authorization", "Bearer"},
            new String[] {"Authorization", "Bearer    "},
            new String[] {"Authorization", "Bearer " + junk},
            new String[] {"Authorization", "Bearer ey.ey.ey"},
            new String[] {"Authorization", "Basic dXNlcjpwYXNz"},
            new String[] {"Authorization", "Bearer a.b.c", "Authorization", "Bearer " + token},
            new String[] {"Authorization", "Bearer " + token, "Authorization", "Bearer " + token},
            new String[] {"Cookie", b.cookieHeader() + "; " + devBrowser, "Cookie", "__session=a.b.c; __client_uat=9"});
        for (String[] h : inputs) {
            String shown = String.join(" | ", h).replace(token, "<token>");
            shown = shown.substring(0, Math.min(shown.length(), 120));
            for (String method : List.of("GET", "POST")) {
                HttpResponse<String> required = send(method, "/api/orders", h);
                assertEquals(401, required.statusCode(), method + " " + shown + ": " + required.body());
                assertEquals("signed-out", header(required, "x-clerk-auth-status"), shown);
                assertFalse(required.body().contains(token));
                HttpResponse<String> open = send(method, "/open", h);
                assertEquals("signed-out", echo(open).get("status"), shown);
            }
        }
        // header blocks beyond the container's limit are the container's 400, before the filter
        HttpResponse<String> huge = send("GET", "/api/orders", "Cookie", "__session=" + "x".repeat(20_000));
        assertEquals(400, huge.statusCode());
    }

    @Test
    void theBuilderRefusesBadPatternsAndMixedOptions() {
        ClerkAuthFilter.Builder b = ClerkAuthFilter.builder(clerk);
        for (String bad : List.of("api", "/api*", "/*/x", "*.html", "")) {
            assertThrows(IllegalArgumentException.class, () -> b.requireSignIn(bad), bad);
        }
        assertThrows(IllegalStateException.class, () -> ClerkAuthFilter.builder(clerk)
            .options(AuthenticateRequestOptions.DEFAULTS).authorizedParties(PARTY).build());
        assertThrows(IllegalArgumentException.class, () -> ClerkAuthFilter.builder(clerk).publishableKey("pk_nope").build());
        ClerkAuthFilter f = ClerkAuthFilter.builder(clerk).requireSignIn("/a", "/b/*").authorizedParties(PARTY).build();
        assertEquals(List.of("/a", "/b/*"), List.copyOf(f.requiredPaths()));
        assertEquals(java.util.Set.of(PARTY), f.options().getAuthorizedParties());
        assertTrue(f.sendsDebugHeaders());
        assertTrue(f.options().getPublishableKey().isEmpty());
    }

    @Test
    void aForwardKeepsTheFirstResultAndRefreshesOnce() throws Exception {
        ClerkAuthFilter filter = ClerkAuthFilter.builder(clerk)
            .publishableKey(sandbox.getPublishableKey()).authorizedParties(PARTY).requireSignIn("/api/*").build();
        try (EmbeddedTomcat forwarding = new EmbeddedTomcat().app("", sc -> {
            sc.addFilter("clerk", filter).addMappingForUrlPatterns(
                java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.FORWARD), false, "/*");
            sc.addServlet("forward", new jakarta.servlet.http.HttpServlet() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void service(jakarta.servlet.http.HttpServletRequest req, jakarta.servlet.http.HttpServletResponse resp)
                    throws jakarta.servlet.ServletException, java.io.IOException {
                    req.getRequestDispatcher("/api/orders").forward(req, resp);
                }
            }).addMapping("/go");
            sc.addServlet("app", new EchoServlet()).addMapping("/");
        }).start()) {
            BrowserSession expired = sandbox.signIn(session(), 60, -120);
            sandbox.clearRecordedRequests();
            HttpResponse<String> r = forwarding.send("GET", "/go", "Cookie", expired.cookieHeader() + "; " + devBrowser);
            assertEquals(expired.getSessionId(), echo(r).get("sessionId"));
            assertEquals(1, sandbox.getRequests().stream().filter(q -> q.getRawPath().endsWith("/refresh")).count());
            assertEquals(1, r.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("__session")).count());
            assertEquals(401, forwarding.send("GET", "/go", "Cookie", devBrowser).statusCode());
        }
    }

    @Test
    void thePrincipalCarriesTheSessionButNoToken() throws Exception {
        String uid = sandbox.addUser();
        String sid = sandbox.addSession(uid, null, "active", "org_acme");
        String token = sandbox.issueToken(sid);
        AuthResult.SignedIn in = (AuthResult.SignedIn) clerk.blocking().authenticateRequest(
            AuthRequest.builder().method("GET").url(PARTY).header("Authorization", "Bearer " + token).build());
        ClerkPrincipal p = new ClerkPrincipal(in);
        assertEquals(uid, p.getName());
        assertEquals(uid, p.getUserId());
        assertEquals(sid, p.getSessionId());
        assertEquals("org_acme", p.getOrganization().orElseThrow().getId());
        assertEquals("org:admin", p.getOrganization().orElseThrow().getRole().orElseThrow());
        assertEquals("active", p.getSessionStatus().orElseThrow());
        assertTrue(p.getActorId().isEmpty());
        assertEquals(uid, p.getClaims().getUserId());
        assertEquals(token, p.getResult().getToken());
        assertEquals("ClerkPrincipal(userId=" + uid + ", sessionId=" + sid + ")", p.toString());
        assertEquals(p, new ClerkPrincipal(in));
        assertEquals(p.hashCode(), new ClerkPrincipal(in).hashCode());
        Map<String, String> e = echo(send("GET", "/account", "Authorization", "Bearer " + token));
        assertEquals(p.toString(), e.get("principalString"));
    }

    @Test
    void aFailingClientIsSignedOutWithUnexpectedErrorNotA500() throws Exception {
        ClerkBlockingClient failing = (ClerkBlockingClient) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {ClerkBlockingClient.class}, (proxy, method, args) -> {
                if (method.getName().equals("authenticateRequest")) throw new IllegalStateException("boom");
                throw new UnsupportedOperationException(method.getName());
            });
        ClerkAuthFilter filter = ClerkAuthFilter.builder(failing).requireSignIn("/api/*").build();
        try (EmbeddedTomcat broken = new EmbeddedTomcat().app("", filter, new EchoServlet()).start()) {
            HttpResponse<String> required = broken.send("GET", "/api/x", "Authorization", "Bearer " + sandbox.issueToken(session()));
            assertEquals(401, required.statusCode());
            assertEquals("unexpected-error", required.body().strip());
            assertEquals("unexpected-error", header(required, "x-clerk-auth-reason"));
            assertEquals("signed-out", echo(broken.send("GET", "/open")).get("status"));
        }
    }

    /** {@code token} with its header's {@code alg} replaced (the signature no longer matters). */
    static String withAlg(String token, String alg) {
        return withHeader(token, "\"alg\":\"[^\"]*\"", "\"alg\":\"" + alg + "\"");
    }

    /** {@code token} with its header's {@code kid} replaced. */
    static String withKid(String token, String kid) {
        return withHeader(token, "\"kid\":\"[^\"]*\"", "\"kid\":\"" + kid + "\"");
    }

    private static String withHeader(String token, String regex, String replacement) {
        String[] parts = token.split("\\.");
        String header = new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8).replaceAll(regex, replacement);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + "." + parts[2];
    }
}
