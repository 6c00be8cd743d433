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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Canary: drives the filter through every state with real secrets (session tokens, refresh tokens, a refreshed
 * token, the secret key) while every log line is kept (clerkkit's SLF4J logging at trace into the tests' log file,
 * which the pom sets; java.util.logging, Tomcat's, at its default levels into memory: Tomcat's own debug level prints
 * raw request headers, cookies and Authorization among them, whatever the filter does), then looks for each secret,
 * and for each token's signature alone, in the logs, the filter's and principal's toString and what the application
 * saw.
 */
class LogCanaryTest {
    static final String PARTY = "https://app.example.com";
    static final Path SLF4J_LOG = Path.of(System.getProperty("org.slf4j.simpleLogger.logFile", "target/servlet-tests.log"));

    @Test
    void noSecretInLogsOrToString() throws Exception {
        StringBuilder jul = new StringBuilder();
        SimpleFormatter format = new SimpleFormatter();
        Handler capture = new Handler() {
            @Override public void publish(LogRecord r) {
                synchronized (jul) {
                    jul.append(r.getLoggerName()).append(' ').append(format.formatMessage(r)).append('\n');
                    for (Throwable t = r.getThrown(); t != null; t = t.getCause()) jul.append(t).append('\n');
                }
            }
            @Override public void flush() {}
            @Override public void close() {}
        };
        capture.setLevel(Level.ALL);
        Logger root = Logger.getLogger("");
        root.addHandler(capture);

        List<String> secrets = new ArrayList<>();
        StringBuilder seen = new StringBuilder();
        try (ClerkSandbox sandbox = ClerkSandbox.start(SandboxConfig.builder().authorizedParty(PARTY).build());
             ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build()) {
            secrets.add(sandbox.getSecretKey());
            ClerkAuthFilter filter = ClerkAuthFilter.builder(clerk)
                .publishableKey(sandbox.getPublishableKey()).authorizedParties(PARTY).requireSignIn("/account").build();
            seen.append(filter).append('\n');
            String sfx = BrowserSession.cookieSuffixOf(sandbox.getPublishableKey());
            String devBrowser = "__clerk_db_jwt=dvb_1; __clerk_db_jwt_" + sfx + "=dvb_1";
            HttpClient http = HttpClient.newHttpClient();
            try (EmbeddedTomcat tomcat = new EmbeddedTomcat().app("", filter, new EchoServlet()).start()) {
                String sid = sandbox.addSession(sandbox.addUser());
                String header = sandbox.issueToken(sid);
                BrowserSession browser = sandbox.signIn(sid);
                BrowserSession stale = browser.withClientUat(browser.getClientUat() + 60);
                BrowserSession expired = sandbox.signIn(sandbox.addSession(sandbox.addUser()), 60, -120);
                String expiredHeader = sandbox.issueToken(sid, 60, -120);
                secrets.addAll(List.of(header, browser.getSessionToken(), browser.getRefreshToken(), expired.getSessionToken(),
                    expired.getRefreshToken(), expiredHeader));

                List<HttpResponse<String>> answers = new ArrayList<>();
                String[][] requests = {
                    {"Authorization", "Bearer " + header},
                    {"Authorization", "Bearer " + expiredHeader},
                    {"Authorization", "Bearer " + header + "x"},
                    {"Cookie", browser.cookieHeader() + "; " + devBrowser},
                    {"Cookie", stale.cookieHeader() + "; " + devBrowser, "Sec-Fetch-Dest", "document"},
                    {"Cookie", stale.cookieHeader() + "; " + devBrowser},
                    {"Cookie", expired.cookieHeader() + "; " + devBrowser, "Sec-Fetch-Dest", "document"},
                    {"Cookie", "__session=" + header + "; junk=\"; __client_uat=x; " + devBrowser},
                };
                for (String[] h : requests) {
                    for (String method : List.of("GET", "POST")) {
                        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tomcat.origin() + "/account"))
                            .method(method, HttpRequest.BodyPublishers.noBody());
                        for (int i = 0; i < h.length; i += 2) b.header(h[i], h[i + 1]);
                        answers.add(http.send(b.build(), HttpResponse.BodyHandlers.ofString()));
                    }
                }
                assertEquals(List.of(200, 200, 401, 401, 401, 401, 200, 200, 307, 401, 401, 401, 200, 401, 401, 401),
                    answers.stream().map(HttpResponse::statusCode).toList());
                for (HttpResponse<String> a : answers) {
                    seen.append(a.body()).append('\n');
                    a.headers().map().forEach((name, values) -> {
                        if (name.equals("set-cookie")) {
                            values.stream().filter(c -> c.startsWith("__session")).forEach(c ->
                                secrets.add(c.substring(c.indexOf('=') + 1, c.indexOf(';'))));
                        } else if (!name.equals("location")) {
                            seen.append(name).append(": ").append(values).append('\n'); // debug headers among them
                        }
                    });
                }
            }
        } finally {
            root.removeHandler(capture);
        }
        assertEquals(7 + 1, secrets.size(), "the refreshed session cookie must be among the secrets");

        String slf4j = Files.readString(SLF4J_LOG);
        assertTrue(slf4j.contains("ClerkAuthFilter - GET /account: signed-in"), "the filter's debug lines must reach the log");
        assertTrue(slf4j.contains("(session-token-iat-before-client-uat)"));
        assertTrue(jul.toString().contains("org.apache.catalina"), "Tomcat's logging must be captured");
        String everything = slf4j + "\n" + jul + "\n" + seen;
        for (String secret : secrets) {
            assertFalse(everything.contains(secret), () -> "a secret (" + secret.length() + " chars) appears in "
                + (slf4j.contains(secret) ? "the SLF4J log" : jul.toString().contains(secret) ? "java.util.logging" : "toString or responses")
                + ", after: " + before(everything, secret));
            if (secret.chars().filter(c -> c == '.').count() == 2) {
                String signature = secret.substring(secret.lastIndexOf('.') + 1);
                assertFalse(everything.contains(signature), () -> "a token's signature appears in logs or output, after: " + before(everything, signature));
            }
        }
    }

    /** Up to 160 characters before the first occurrence of {@code secret} (the secret itself is not shown). */
    private static String before(String text, String secret) {
        int at = text.indexOf(secret);
        return text.substring(Math.max(0, at - 160), at).replace('\n', '|');
    }
}
