package dev.clerkkit.servlet.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.servlet.ClerkAuthFilter;
import dev.clerkkit.servlet.EmbeddedTomcat;
import dev.clerkkit.testkit.BrowserSession;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.testkit.SandboxConfig;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;

/** The README's Servlet snippets run in Tomcat against the sandbox; the Spring Boot bean method is called as Spring would. */
class ServletReadmeExamplesTest {
    static final String PARTY = "https://app.example.com";

    /** Answers what {@link ServletReadmeExamples#whoIs} says. */
    static final class WhoIs extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain;charset=UTF-8");
            resp.getWriter().write(ServletReadmeExamples.whoIs(req));
        }
    }

    @Test
    void theSnippetsWorkInAContainer() throws Exception {
        try (ClerkSandbox sandbox = ClerkSandbox.start(SandboxConfig.builder().authorizedParty(PARTY).build());
             ClerkJavaClient clerk = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl()).build()) {
            FilterRegistrationBean<ClerkAuthFilter> registration = new ClerkConfig().clerkAuthFilter(clerk, sandbox.getPublishableKey());
            assertEquals(Set.of("/*"), Set.copyOf(registration.getUrlPatterns()));
            assertEquals(Ordered.HIGHEST_PRECEDENCE + 1, registration.getOrder());
            ClerkAuthFilter springFilter = registration.getFilter();
            assertEquals(Set.of("/api/*"), springFilter.requiredPaths());

            try (EmbeddedTomcat server = new EmbeddedTomcat()
                    .app("", sc -> {
                        ServletReadmeExamples.register(sc, clerk, sandbox.getPublishableKey());
                        sc.addServlet("app", new WhoIs()).addMapping("/");
                    })
                    .app("/spring", springFilter, new WhoIs())
                    .start()) {
                String sid = sandbox.addSession(sandbox.addUser());
                BrowserSession browser = sandbox.signIn(sid);
                String sfx = browser.getCookieSuffix();
                String cookie = browser.cookieHeader() + "; __clerk_db_jwt=dvb_1; __clerk_db_jwt_" + sfx + "=dvb_1";

                HttpResponse<String> in = server.send("GET", "/account", "Cookie", cookie);
                assertEquals(200, in.statusCode());
                assertTrue(in.body().startsWith("user user_") && in.body().endsWith(" in " + sid), in.body());

                HttpResponse<String> open = server.send("GET", "/", "Cookie", "__clerk_db_jwt=dvb_1");
                assertEquals("signed out: session-token-and-uat-missing", open.body());
                assertEquals(401, server.send("GET", "/api/x", "Cookie", "__clerk_db_jwt=dvb_1").statusCode());

                assertEquals(401, server.send("GET", "/spring/api/x", "Cookie", "__clerk_db_jwt=dvb_1").statusCode());
                assertTrue(server.send("GET", "/spring/api/x", "Cookie", cookie).body().endsWith(" in " + sid));
                assertEquals(200, server.send("GET", "/spring/account", "Cookie", "__clerk_db_jwt=dvb_1").statusCode());
            }
        }
    }
}
