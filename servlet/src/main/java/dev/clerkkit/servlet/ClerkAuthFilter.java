package dev.clerkkit.servlet;

import dev.clerkkit.auth.AuthReason;
import dev.clerkkit.auth.AuthRequest;
import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.auth.AuthenticateRequestOptions;
import dev.clerkkit.java.ClerkBlockingClient;
import dev.clerkkit.java.ClerkJavaClient;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta Servlet filter that authenticates every request with Clerk's session tokens: the blocking
 * {@code authenticateRequest} of the Java facade (the {@code Authorization} header before the {@code __session}
 * cookie, {@code __client_uat}, local verification, refresh of an expired token from {@code __refresh} on {@code GET}).
 *
 * <p>What it does with the {@link AuthResult}:
 * <ul>
 *   <li>stores it as the request attribute {@link #RESULT_ATTRIBUTE} (read it with {@link #result(ServletRequest)});</li>
 *   <li>passes the request on wrapped, so that {@code getUserPrincipal()} is a {@link ClerkPrincipal},
 *       {@code getRemoteUser()} the user id and {@code getAuthType()} {@link #AUTH_TYPE} when the result
 *       {@linkplain AuthResult#isAuthenticated() is authenticated} (otherwise the container's own values, normally
 *       {@code null});</li>
 *   <li>sets the result's response headers: the refreshed session's {@code Set-Cookie} values, and the debug headers
 *       {@code x-clerk-auth-status}, {@code x-clerk-auth-reason}, {@code x-clerk-auth-message} unless
 *       {@link Builder#debugHeaders(boolean) debugHeaders(false)};</li>
 *   <li>answers a {@link AuthResult.Handshake} itself, on every path: {@code 307 Temporary Redirect} with Clerk's headers
 *       ({@code Location}, {@code Cache-Control: no-store}, the redirect-loop cookie);</li>
 *   <li>on the paths of {@link Builder#requireSignIn(String...) requireSignIn}, answers a request that is not
 *       authenticated itself: {@code 401}, {@code text/plain}, the body the reason's wire name
 *       ({@code session-token-and-uat-missing}, ...; {@code session-pending} for a pending session, which is not one
 *       of Clerk's reasons). Other paths, and CORS preflights ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}, which browsers send without credentials), pass through signed out,
 *       with a {@code null} principal.</li>
 * </ul>
 *
 * <p>Bad input (a malformed {@code Cookie}, several {@code Authorization} headers, a token that is not a JWT) is a
 * signed-out result like any other, never an exception: the filter never turns a request into a {@code 500}. It does
 * not read the container's parsed cookies ({@code getCookies()}), only the raw headers. Nothing it logs or shows
 * holds a token. A request dispatched through the filter again (forward, include, error) keeps its first result, and
 * its new path is checked against the required paths.
 * The filter does not own the client: close the client when the application stops.
 */
public final class ClerkAuthFilter implements Filter {
    /** The request attribute holding the request's {@link AuthResult}: {@code "dev.clerkkit.auth.AuthResult"}. */
    public static final String RESULT_ATTRIBUTE = "dev.clerkkit.auth.AuthResult";

    /** {@code getAuthType()} of an authenticated request: {@code "CLERK"}. */
    public static final String AUTH_TYPE = "CLERK";

    /** The 401 body for a signed-in but pending session on a required path. */
    static final String PENDING_BODY = "session-pending";

    private static final Logger LOG = LoggerFactory.getLogger(ClerkAuthFilter.class);
    private static final String DEBUG_HEADER_PREFIX = "x-clerk-auth-";

    private final ClerkBlockingClient client;
    private final AuthenticateRequestOptions options;
    private final List<String> exactPaths;
    private final List<String> pathPrefixes;
    private final Set<String> requiredPatterns;
    private final boolean debugHeaders;

    private ClerkAuthFilter(Builder b) {
        this.client = b.client;
        this.options = b.options();
        this.requiredPatterns = Collections.unmodifiableSet(new LinkedHashSet<>(b.required));
        List<String> exact = new ArrayList<>();
        List<String> prefixes = new ArrayList<>();
        for (String p : requiredPatterns) {
            if (p.endsWith("/*")) prefixes.add(p.substring(0, p.length() - 2));
            else exact.add(p);
        }
        this.exactPaths = List.copyOf(exact);
        this.pathPrefixes = List.copyOf(prefixes);
        this.debugHeaders = b.debugHeaders;
    }

    /** A builder over the Java client (the filter uses its {@link ClerkJavaClient#blocking() blocking} view). */
    public static Builder builder(ClerkJavaClient client) {
        return new Builder(Objects.requireNonNull(client, "client").blocking());
    }

    /** A builder over a blocking client (a fake one in tests of your own code, for example). */
    public static Builder builder(ClerkBlockingClient client) {
        return new Builder(Objects.requireNonNull(client, "client"));
    }

    /** The {@link AuthResult} this filter stored on {@code request}, or empty when the filter did not run for it. */
    public static Optional<AuthResult> result(ServletRequest request) {
        Object value = request.getAttribute(RESULT_ATTRIBUTE);
        return value instanceof AuthResult ? Optional.of((AuthResult) value) : Optional.empty();
    }

    /** The options every request is authenticated with. */
    public AuthenticateRequestOptions options() {
        return options;
    }

    /** The path patterns that require sign-in (as given to {@link Builder#requireSignIn(String...)}). */
    public Set<String> requiredPaths() {
        return requiredPatterns;
    }

    /** Whether the {@code x-clerk-auth-*} debug headers are sent. */
    public boolean sendsDebugHeaders() {
        return debugHeaders;
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (!(req instanceof HttpServletRequest) || !(res instanceof HttpServletResponse)) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        String path = pathOf(request);
        Optional<AuthResult> earlier = result(request);
        if (earlier.isPresent()) {
            // a forward, include or error dispatch of a request already authenticated: its headers are set
            if (!earlier.get().isAuthenticated() && isRequired(path) && !isPreflight(request)) {
                unauthorized(response, reasonOf(earlier.get()).orElse(PENDING_BODY));
                return;
            }
            chain.doFilter(wrap(request, earlier.get()), response);
            return;
        }
        AuthResult result = authenticate(request);
        request.setAttribute(RESULT_ATTRIBUTE, result);
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} {}: {}{}", request.getMethod(), path, result.getStatus(), reasonOf(result).map(r -> " (" + r + ")").orElse(""));
        }
        writeHeaders(response, result);
        if (result instanceof AuthResult.Handshake) {
            response.setStatus(307);
            return;
        }
        if (!result.isAuthenticated() && isRequired(path) && !isPreflight(request)) {
            unauthorized(response, reasonOf(result).orElse(PENDING_BODY));
            return;
        }
        chain.doFilter(wrap(request, result), response);
    }

    private AuthResult authenticate(HttpServletRequest request) {
        try {
            AuthRequest.Builder b = AuthRequest.builder().method(request.getMethod()).url(urlOf(request));
            Enumeration<String> names = request.getHeaderNames();
            while (names != null && names.hasMoreElements()) {
                String name = names.nextElement();
                Enumeration<String> values = request.getHeaders(name);
                while (values != null && values.hasMoreElements()) b.header(name, values.nextElement());
            }
            return client.authenticateRequest(b.build(), options);
        } catch (RuntimeException e) {
            // the core answers bad input with a result; this is an interrupt or a fault of the client itself
            LOG.warn("authenticateRequest failed ({}); the request is signed out", e.getClass().getName());
            Map<String, List<String>> headers = new LinkedHashMap<>();
            headers.put("x-clerk-auth-reason", List.of(AuthReason.UNEXPECTED_ERROR.getWireName()));
            headers.put("x-clerk-auth-status", List.of(AuthResult.STATUS_SIGNED_OUT));
            return new AuthResult.SignedOut(AuthReason.UNEXPECTED_ERROR, "", headers);
        }
    }

    private void writeHeaders(HttpServletResponse response, AuthResult result) {
        for (Map.Entry<String, List<String>> h : result.getHeaders().entrySet()) {
            String name = h.getKey();
            if (!debugHeaders && name.toLowerCase(Locale.ROOT).startsWith(DEBUG_HEADER_PREFIX)) continue;
            for (String value : h.getValue()) response.addHeader(name, value);
        }
    }

    private static void unauthorized(HttpServletResponse response, String body) throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Bearer");
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("text/plain;charset=UTF-8");
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    private static Optional<String> reasonOf(AuthResult result) {
        if (result instanceof AuthResult.SignedOut) return Optional.of(((AuthResult.SignedOut) result).getReason().getWireName());
        if (result instanceof AuthResult.Handshake) return Optional.of(((AuthResult.Handshake) result).getReason().getWireName());
        return Optional.empty();
    }

    /** A CORS preflight: browsers send it without credentials, so it is never answered 401. */
    private static boolean isPreflight(HttpServletRequest request) {
        return "OPTIONS".equals(request.getMethod()) && request.getHeader("Origin") != null
            && request.getHeader("Access-Control-Request-Method") != null;
    }

    private boolean isRequired(String path) {
        for (String prefix : pathPrefixes) {
            if (prefix.isEmpty() || path.equals(prefix) || path.startsWith(prefix + "/")) return true;
        }
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return exactPaths.contains(trimmed);
    }

    /** The request's path inside the application, as the container decoded and normalized it. */
    private static String pathOf(HttpServletRequest request) {
        String servletPath = request.getServletPath();
        String pathInfo = request.getPathInfo();
        String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
        return path.isEmpty() ? "/" : path;
    }

    private static String urlOf(HttpServletRequest request) {
        StringBuffer url = request.getRequestURL();
        String query = request.getQueryString();
        if (query != null) url.append('?').append(query);
        return url.toString();
    }

    private static HttpServletRequest wrap(HttpServletRequest request, AuthResult result) {
        if (result instanceof AuthResult.SignedIn && result.isAuthenticated()) {
            return new SignedInRequest(request, new ClerkPrincipal((AuthResult.SignedIn) result));
        }
        return request;
    }

    @Override
    public String toString() {
        return "ClerkAuthFilter(options=" + options + ", requiredPaths=" + requiredPatterns + ", debugHeaders=" + debugHeaders + ")";
    }

    /** The request of an authenticated user, as the rest of the chain sees it. */
    private static final class SignedInRequest extends HttpServletRequestWrapper {
        private final ClerkPrincipal principal;

        SignedInRequest(HttpServletRequest request, ClerkPrincipal principal) {
            super(request);
            this.principal = principal;
        }

        @Override
        public Principal getUserPrincipal() {
            return principal;
        }

        @Override
        public String getRemoteUser() {
            return principal.getName();
        }

        @Override
        public String getAuthType() {
            return AUTH_TYPE;
        }
    }

    /**
     * Configures a {@link ClerkAuthFilter}. Defaults: the default {@link AuthenticateRequestOptions} (no publishable key,
     * so unsuffixed cookies only and no handshake; no {@code azp} check), no path requires sign-in, debug headers sent
     * (as {@code @clerk/backend}'s middleware sends them).
     */
    public static final class Builder {
        private final ClerkBlockingClient client;
        private AuthenticateRequestOptions options;
        private String publishableKey;
        private boolean publishableKeySet;
        private Collection<String> authorizedParties;
        private final Set<String> required = new LinkedHashSet<>();
        private boolean debugHeaders = true;

        private Builder(ClerkBlockingClient client) {
            this.client = client;
        }

        /**
         * Every option of {@code authenticateRequest} at once. Not together with {@link #publishableKey} or
         * {@link #authorizedParties(String...)}, which build the options for you.
         */
        public Builder options(AuthenticateRequestOptions value) {
            this.options = Objects.requireNonNull(value, "options");
            return this;
        }

        /**
         * The instance's publishable key ({@code pk_test_...}, {@code pk_live_...}): Clerk's suffixed cookie names and
         * the handshake redirect need it. {@code null} or blank: none (the default).
         */
        public Builder publishableKey(String value) {
            this.publishableKey = value;
            this.publishableKeySet = true;
            return this;
        }

        /** Accepted {@code azp} values (your application's origins); a token without one of them is refused. */
        public Builder authorizedParties(String... values) {
            return authorizedParties(Arrays.asList(values));
        }

        /** Accepted {@code azp} values (your application's origins); a token without one of them is refused. */
        public Builder authorizedParties(Collection<String> values) {
            this.authorizedParties = List.copyOf(values);
            return this;
        }

        /**
         * Adds paths that require sign-in, matched against the request's path inside the application
         * ({@code getServletPath() + getPathInfo()}, decoded and normalized by the container, without the query):
         * {@code /account} matches {@code /account} and {@code /account/}; {@code /api/*} matches {@code /api} and
         * everything below it; {@code /*} matches every path.
         *
         * @throws IllegalArgumentException for a pattern that does not start with {@code /} or has a {@code *} anywhere
         *     but a trailing {@code /*}.
         */
        public Builder requireSignIn(String... patterns) {
            return requireSignIn(Arrays.asList(patterns));
        }

        /** {@link #requireSignIn(String...)} for a collection. */
        public Builder requireSignIn(Collection<String> patterns) {
            for (String p : patterns) {
                Objects.requireNonNull(p, "pattern");
                String head = p.endsWith("/*") ? p.substring(0, p.length() - 2) : p;
                if (!p.startsWith("/") || head.contains("*")) {
                    throw new IllegalArgumentException("a sign-in path is /exact or /prefix/* (or /*), was " + p);
                }
                required.add(p);
            }
            return this;
        }

        /** Whether to send the {@code x-clerk-auth-*} debug headers (never a token in them). Default {@code true}. */
        public Builder debugHeaders(boolean value) {
            this.debugHeaders = value;
            return this;
        }

        /**
         * The filter.
         *
         * @throws IllegalStateException when {@link #options} is combined with {@link #publishableKey} or
         *     {@link #authorizedParties(String...)}.
         * @throws IllegalArgumentException for an invalid publishable key or a blank authorized party.
         */
        public ClerkAuthFilter build() {
            return new ClerkAuthFilter(this);
        }

        private AuthenticateRequestOptions options() {
            if (options != null) {
                if (publishableKeySet || authorizedParties != null) {
                    throw new IllegalStateException("set either options(...) or publishableKey/authorizedParties, not both");
                }
                return options;
            }
            AuthenticateRequestOptions.Builder b = AuthenticateRequestOptions.builder().publishableKey(publishableKey);
            if (authorizedParties != null) b.authorizedParties(authorizedParties);
            return b.build();
        }
    }
}
