package dev.clerkkit.servlet.readme;

import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.servlet.ClerkAuthFilter;
import dev.clerkkit.servlet.ClerkPrincipal;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The README's plain-Servlet snippets (between {@code tag::name[]} / {@code end::name[]} markers), compiled by the
 * build; ServletReadmeExamplesTest runs them in Tomcat against the testkit sandbox. The Spring Boot one is
 * {@link ClerkConfig}.
 */
public final class ServletReadmeExamples {
    private ServletReadmeExamples() {}

    /** Registers the filter at application startup, as the README shows. */
    public static void register(ServletContext servletContext, ClerkJavaClient clerk, String publishableKey) {
        // tag::servlet-filter[]
        // in a ServletContainerInitializer's onStartup or a ServletContextListener's contextInitialized
        ClerkAuthFilter clerkFilter = ClerkAuthFilter.builder(clerk)   // one ClerkJavaClient for the application
                .publishableKey(publishableKey)                        // suffixed cookies, handshake redirect
                .authorizedParties("https://app.example.com")          // accepted azp
                .requireSignIn("/account", "/api/*")                   // 401 + reason when not signed in
                .build();
        servletContext.addFilter("clerk", clerkFilter)
                .addMappingForUrlPatterns(null, false, "/*");          // every path: handshakes and refreshes too
        // end::servlet-filter[]
    }

    /** What a servlet behind the filter reads. */
    public static String whoIs(HttpServletRequest request) {
        // tag::servlet-principal[]
        if (request.getUserPrincipal() instanceof ClerkPrincipal user) {     // null when not signed in
            return "user " + user.getUserId() + " in " + user.getSessionId();
        }
        AuthResult result = ClerkAuthFilter.result(request).orElseThrow();   // the filter's result, always set
        return result instanceof AuthResult.SignedOut out ? "signed out: " + out.getReason() : "pending session";
        // end::servlet-principal[]
    }
}
