package dev.clerkkit.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.testkit.BrowserSession;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.SandboxConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
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
    static final HttpClient http = HttpClient.newHttpClient();
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
        tomcat = new EmbeddedTomcat().app("", filter, new EchoServlet()).start();
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
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tomcat.origin() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
}
