package dev.clerkkit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.auth.AuthReason;
import dev.clerkkit.auth.AuthRequest;
import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.auth.AuthenticateRequestOptions;
import dev.clerkkit.testkit.BrowserSession;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.SandboxConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** authenticateRequest from Java: futures and the blocking twin, every state, against the sandbox over sockets. */
class AuthenticateRequestJavaTest {
    static final String PARTY = "https://app.example.com";
    static ClerkSandbox sandbox;
    static ClerkJavaClient clerk;
    static AuthenticateRequestOptions options;
    static String devBrowser;

    @BeforeAll
    static void start() {
        sandbox = ClerkSandbox.start(SandboxConfig.builder().authorizedParty(PARTY).build());
        clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build();
        options = AuthenticateRequestOptions.builder()
            .publishableKey(sandbox.getPublishableKey())
            .authorizedParties(PARTY)
            .build();
        String sfx = BrowserSession.cookieSuffixOf(sandbox.getPublishableKey());
        devBrowser = "__clerk_db_jwt=dvb_1; __clerk_db_jwt_" + sfx + "=dvb_1";
    }

    @AfterAll
    static void stop() {
        clerk.close();
        sandbox.close();
    }

    static AuthRequest get(String cookie, boolean document) {
        AuthRequest.Builder b = AuthRequest.builder().method("GET").url(PARTY + "/home");
        if (cookie != null) b.header("Cookie", cookie);
        if (document) b.header("Accept", "text/html,application/xhtml+xml");
        return b.build();
    }

    static String session() {
        return sandbox.addSession(sandbox.addUser());
    }

    @Test
    void signedInFromTheHeaderAsAFutureAndBlocking() {
        String sid = session();
        String token = sandbox.issueToken(sid);
        AuthRequest r = AuthRequest.of("GET", PARTY + "/api", Map.of("Authorization", List.of("Bearer " + token)));
        AuthResult.SignedIn in = assertInstanceOf(AuthResult.SignedIn.class, clerk.authenticateRequest(r, options).join());
        assertEquals(sid, in.getSessionId());
        assertEquals("active", in.getSessionStatus().orElseThrow());
        assertTrue(in.getOrganization().isEmpty());
        assertTrue(in.isAuthenticated());
        assertEquals("signed-in", in.getStatus());
        assertInstanceOf(AuthResult.SignedIn.class, clerk.blocking().authenticateRequest(r, options));
        assertFalse(in.toString().contains(token));
    }

    @Test
    void signedOutReasonsAndDebugHeaders() {
        AuthResult.SignedOut out = assertInstanceOf(AuthResult.SignedOut.class, clerk.blocking().authenticateRequest(get(devBrowser, false), options));
        assertEquals(AuthReason.SESSION_TOKEN_AND_UAT_MISSING, out.getReason());
        assertEquals(List.of("session-token-and-uat-missing"), out.getHeaders().get("x-clerk-auth-reason"));
        assertEquals(List.of("signed-out"), out.getHeaders().get("x-clerk-auth-status"));

        AuthRequest machine = AuthRequest.builder().method("GET").url(PARTY).header("Authorization", "Bearer ak_123").build();
        assertEquals("token-type-mismatch",
            ((AuthResult.SignedOut) clerk.blocking().authenticateRequest(machine, options)).getReason().getWireName());
        AuthRequest junk = AuthRequest.builder().method("GET").url(PARTY).header("Authorization", "Bearer a.b").build();
        assertEquals(AuthReason.TOKEN_INVALID, ((AuthResult.SignedOut) clerk.blocking().authenticateRequest(junk)).getReason());
    }

    @Test
    void cookiesSignInHandshakeForDocumentsAndRefresh() {
        BrowserSession b = sandbox.signIn(session());
        assertInstanceOf(AuthResult.SignedIn.class, clerk.blocking().authenticateRequest(get(b.cookieHeader() + "; " + devBrowser, true), options));

        BrowserSession stale = b.withClientUat(b.getClientUat() + 60);
        AuthResult.Handshake hs = assertInstanceOf(AuthResult.Handshake.class,
            clerk.authenticateRequest(get(stale.cookieHeader() + "; " + devBrowser, true), options).join());
        assertEquals(AuthReason.SESSION_TOKEN_IAT_BEFORE_CLIENT_UAT, hs.getReason());
        assertTrue(hs.getLocation().startsWith("https://clerk.sandbox.local/v1/client/handshake?"));
        assertEquals(List.of(hs.getLocation()), hs.getHeaders().get("location"));

        AuthResult.SignedOut api = assertInstanceOf(AuthResult.SignedOut.class,
            clerk.blocking().authenticateRequest(get(stale.cookieHeader() + "; " + devBrowser, false), options));
        assertEquals("session-token-iat-before-client-uat", api.getReason().getWireName());

        BrowserSession expired = sandbox.signIn(session(), 60, -120);
        AuthResult.SignedIn refreshed = assertInstanceOf(AuthResult.SignedIn.class,
            clerk.blocking().authenticateRequest(get(expired.cookieHeader() + "; " + devBrowser, true), options));
        assertEquals(expired.getSessionId(), refreshed.getSessionId());
        assertTrue(refreshed.getHeaders().get("set-cookie").get(0).startsWith("__session=" + refreshed.getToken()));
    }

    @Test
    void pendingSessionsAreNotAuthenticatedByDefault() {
        String sid = session();
        sandbox.setSessionStatus(sid, "pending");
        AuthRequest r = AuthRequest.of("GET", PARTY, Map.of("authorization", List.of(sandbox.issueToken(sid))));
        AuthResult res = clerk.blocking().authenticateRequest(r, options);
        assertInstanceOf(AuthResult.SignedIn.class, res);
        assertFalse(res.isAuthenticated());
        AuthenticateRequestOptions lenient = AuthenticateRequestOptions.builder().treatPendingAsSignedOut(false).build();
        assertTrue(clerk.blocking().authenticateRequest(r, lenient).isAuthenticated());
    }
}
