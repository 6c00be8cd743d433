package dev.clerkkit.shell;

import dev.clerkkit.errors.AuthenticationException;
import dev.clerkkit.errors.ClerkApiException;
import dev.clerkkit.errors.ClerkException;
import dev.clerkkit.errors.ClerkTransportException;
import dev.clerkkit.errors.PermissionDeniedException;
import dev.clerkkit.auth.AuthRequest;
import dev.clerkkit.auth.AuthResult;
import dev.clerkkit.auth.AuthenticateRequestOptions;
import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.sessions.RefreshFormat;
import dev.clerkkit.sessions.RefreshSessionParams;
import dev.clerkkit.sessions.RevokeAllParams;
import dev.clerkkit.sessions.RevokeAllReport;
import dev.clerkkit.sessions.Session;
import dev.clerkkit.sessions.SessionListParams;
import dev.clerkkit.sessions.SessionRefresh;
import dev.clerkkit.sessions.SessionStatus;
import dev.clerkkit.sessions.SessionToken;
import dev.clerkkit.testkit.ClerkSandbox;
import dev.clerkkit.tokens.SessionClaims;
import dev.clerkkit.tokens.TokenVerificationException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JShell kit: a ready client and short helpers that print readable tables. Loaded by {@code scripts/clerk.jsh},
 * which static-imports everything here, so at the prompt you type {@code sessions("user_123")} or {@code help()}.
 *
 * <p>With {@code CLERK_SECRET_KEY} set it talks to Clerk ({@code CLERK_API_URL} overrides the base URL); without it,
 * it starts the embedded testkit sandbox with demo users and sessions. Uses only the Java facade for Clerk calls.
 *
 * <p>Helpers never throw and never widen a query: a null, blank or malformed id is refused before any call, and every
 * failure prints one line ({@code error: HTTP status code: message (trace id ...)}) and is counted in
 * {@link #failures()}, which a script run turns into its exit status. {@link #call(Callable)} does the same for a
 * direct {@code client()} call.
 */
public final class ClerkShell {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
    /** Clerk ids: a prefix such as {@code user_}, then letters, digits, {@code _} or {@code -}. */
    private static final Pattern ID_BODY = Pattern.compile("[A-Za-z0-9_-]+");
    private static final AtomicInteger FAILURES = new AtomicInteger();
    private static final String INTERACTIVE = "interactive";
    static final long PROGRESS_TICK_MILLIS = 200;
    /** A progress line when none was printed for this long, so one comes at least every 2 s. */
    static final long PROGRESS_QUIET_NANOS = 1_800_000_000L;
    private static ClerkJavaClient client;
    private static ClerkSandbox sandbox;
    /** Fed by the kit's client (an event listener); printed by {@link #stats()}. */
    private static final ShellStats STATS = new ShellStats();

    private ClerkShell() {}

    /** Connects (or starts the sandbox) and prints the banner. Called once by the startup file. */
    public static synchronized void boot() {
        if (client != null) return;
        String key = System.getenv("CLERK_SECRET_KEY");
        if (key == null || key.isBlank()) {
            sandbox = ClerkSandbox.start();
            sandbox.seedDemoData();
            client = ClerkJavaClient.builder().secretKey(sandbox.getSecretKey()).baseUrl(sandbox.getBaseUrl())
                .addEventListener(STATS).build();
            System.out.println("clerkkit shell: OFFLINE DEMO on the embedded sandbox at " + sandbox.getBaseUrl()
                + " (CLERK_SECRET_KEY is not set)");
            System.out.println("demo users: " + String.join(", ", demoUsers()));
        } else {
            client = ClerkJavaClient.builder().fromEnv().addEventListener(STATS).build();
            System.out.println("clerkkit shell: connected to " + client.config().getBaseUrl()
                + " (API version " + client.config().getApiVersion() + ")");
        }
        if ("interactive".equals(System.getProperty("clerkkit.shell.mode"))) {
            System.out.println("type help() for the helpers, /exit to leave");
        }
    }

    /** Closes the client and stops the sandbox (a script run calls this at its end). */
    public static synchronized void shutdown() {
        if (client != null) client.close();
        if (sandbox != null) sandbox.close();
        client = null;
        sandbox = null;
        FAILURES.set(0);
        STATS.clear();
    }

    /**
     * The client the helpers use, for anything they don't cover: {@code client().sessions().get(id).join()}.
     * Wrap such a call in {@link #call(Callable)} for a one-line error instead of a stack trace.
     */
    public static ClerkJavaClient client() {
        boot();
        return client;
    }

    /** The embedded sandbox in offline mode, or null when talking to Clerk. */
    public static ClerkSandbox sandbox() {
        return sandbox;
    }

    /** How many helper calls failed so far in this session (a script run exits with 1 when any did). */
    public static int failures() {
        return FAILURES.get();
    }

    /**
     * Prints what the kit's client did in this session, per operation: calls, failed calls, p50 and p99 duration (ms,
     * retries and waits included), retries scheduled, and rate-budget permits that had to wait (1 ms or more) with the
     * time they waited.
     */
    public static void stats() {
        List<String[]> rows = STATS.rows();
        if (rows.size() == 1) System.out.println("no calls yet");
        else System.out.print(render(rows));
    }

    /** Prints the helpers. */
    public static void help() {
        System.out.println(String.join("\n",
            "helpers (ids are strings, e.g. \"user_demo_alice\"; null, blank or malformed ids are refused before any call):",
            "  sessions(userId)                 all of a user's sessions (newest first)",
            "  active(userId)                   only the active ones (listActive: newest first)",
            "  revokeAll(userId)                sign the user out everywhere; asks first at the prompt, progress and a summary",
            "  revokeAll(userId, true)          the same without asking (for scripts and piped commands)",
            "  sessionsOfClient(clientId)       a client's sessions",
            "  get(sessionId)                   one session",
            "  revoke(sessionId)                revoke it",
            "  create(userId)                   a new active session (sandbox/test instances only)",
            "  token(sessionId)                 mint a session token (JWT)",
            "  token(sessionId, template)       mint a token from a JWT template",
            "  refresh(sessionId, expiredToken, refreshToken, origin)   refresh a session token",
            "  verify(token)                    verify a session token locally and show its claims",
            "  whoIs(tokenOrCookieHeader)       who a token or a pasted Cookie header belongs to: state, reason, user",
            "  call(() -> client().sessions().get(id).join())   any client call: its result, or one error line",
            "  client()                         the ClerkJavaClient, for everything else",
            "  sandbox()                        the embedded sandbox (offline mode only; null when live)",
            "  tour()                           the demo: offline tour, or liveTour() when CLERK_SECRET_KEY is set",
            "  liveTour()                       the demo's read-only tour on CLERK_DEMO_USER_ID (live mode)",
            "  failures()                       how many helper calls failed so far",
            "  stats()                          this session's calls per operation: count, failures, p50/p99, retries, rate waits",
            "  /exit                            leave"));
    }

    /** Prints all sessions of [userId]. */
    public static void sessions(String userId) {
        if (valid("sessions", "userId", userId, "user_")) {
            table(() -> client().sessions().listAll(SessionListParams.builder().userId(userId).build()).toList());
        }
    }

    /** Prints the active sessions of [userId], newest first ({@code listActive}). */
    public static void active(String userId) {
        if (valid("active", "userId", userId, "user_")) {
            table(() -> {
                try (Stream<Session> active = client().sessions().listActive(userId)) {
                    return active.collect(Collectors.toList());
                }
            });
        }
    }

    /**
     * Signs [userId] out everywhere ({@code revokeAll}). At the interactive prompt it first says how many sessions are
     * active and asks for {@code y}; in a script or piped commands it refuses (nothing is sent) and points to
     * {@link #revokeAll(String, boolean)}. Prints a line after every page listed and at least every 2 s while it runs,
     * then a summary table (and each failure as one line). Returns the report, or null when refused or failed.
     */
    public static RevokeAllReport revokeAll(String userId) {
        if (!valid("revokeAll", "userId", userId, "user_")) return null;
        if (!INTERACTIVE.equals(System.getProperty("clerkkit.shell.mode"))) {
            reject("revokeAll(userId) asks for confirmation at the interactive prompt; in a script use revokeAll(\""
                + userId + "\", true)");
            return null;
        }
        Long active = attempt(() -> {
            try (Stream<Session> sessions = client().sessions().listActive(userId)) {
                return sessions.count();
            }
        });
        if (active == null) return null;
        if (active == 0) {
            System.out.println(userId + " has no active session; nothing to revoke");
            return null;
        }
        System.out.print("Revoke all " + active + " active session" + (active == 1 ? "" : "s") + " of " + userId
            + " (signs them out everywhere)? [y/N] ");
        System.out.flush();
        String answer = readLine();
        if (answer == null || !Set.of("y", "yes").contains(answer.strip().toLowerCase(java.util.Locale.ROOT))) {
            System.out.println("not revoked (answer y to go on)");
            return null;
        }
        return revokeAll(userId, true);
    }

    /**
     * {@link #revokeAll(String)} without asking when [confirmed] is true (scripts, piped commands); false refuses.
     * Progress: a line after every page listed and at least every 2 s; then the summary table.
     */
    public static RevokeAllReport revokeAll(String userId, boolean confirmed) {
        if (!valid("revokeAll", "userId", userId, "user_")) return null;
        if (!confirmed) {
            reject("revokeAll(userId, false): not confirmed");
            return null;
        }
        return attempt(() -> {
            long started = System.nanoTime();
            Progress progress = new Progress(System::nanoTime, System.out::println);
            ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "clerk-shell-progress");
                t.setDaemon(true);
                return t;
            });
            ticker.scheduleAtFixedRate(progress::tick, PROGRESS_TICK_MILLIS, PROGRESS_TICK_MILLIS, TimeUnit.MILLISECONDS);
            RevokeAllReport report;
            try {
                report = client().blocking().sessions().revokeAll(RevokeAllParams.of(userId), progress::report);
            } finally {
                ticker.shutdownNow();
            }
            System.out.print(summary(report, System.nanoTime() - started));
            if (!report.getFailed().isEmpty()) FAILURES.incrementAndGet();
            return report;
        });
    }

    /**
     * Progress lines of one {@code revokeAll}: one per report, and one from {@link #tick()} (called every
     * {@code PROGRESS_TICK_MILLIS}) when nothing was printed for {@code PROGRESS_QUIET_NANOS}, so a line comes at least
     * every 2 s. Each line starts with the seconds since the progress began, read from {@code clock} (nanoseconds).
     */
    static final class Progress {
        private final LongSupplier clock;
        private final Consumer<String> out;
        private final long started;
        private long lastLine;
        private RevokeAllReport last;

        Progress(LongSupplier clock, Consumer<String> out) {
            this.clock = clock;
            this.out = out;
            this.started = clock.getAsLong();
            this.lastLine = started;
        }

        synchronized void report(RevokeAllReport r) {
            last = r;
            if (r.getListingComplete() && r.getNotAttempted().isEmpty() && !r.getCancelled()) return; // the summary follows
            print(r.getListingComplete() ? "revoking: " + counts(r) : "listing: " + r.getFound().size() + " active found so far");
        }

        synchronized void tick() {
            if (clock.getAsLong() - lastLine < PROGRESS_QUIET_NANOS) return;
            print("working: " + (last == null ? "listing" : last.getListingComplete() ? counts(last) : last.getFound().size() + " found so far"));
        }

        private void print(String line) {
            lastLine = clock.getAsLong();
            out.accept(String.format("  [%5.1f s] %s", (lastLine - started) / 1e9, line));
        }

        private static String counts(RevokeAllReport r) {
            int done = r.getRevoked().size() + r.getAlreadyGone().size() + r.getFailed().size();
            int todo = r.getFound().size() - r.getKept().size();
            return done + "/" + todo + " done (revoked " + r.getRevoked().size() + ", already gone " + r.getAlreadyGone().size()
                + ", failed " + r.getFailed().size() + ")";
        }
    }

    /** The summary table of a {@code revokeAll} report, then one line per failed session. */
    private static String summary(RevokeAllReport r, long elapsedNanos) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"outcome", "sessions"});
        rows.add(new String[] {"found active", String.valueOf(r.getFound().size())});
        rows.add(new String[] {"revoked", String.valueOf(r.getRevoked().size())});
        rows.add(new String[] {"already gone", String.valueOf(r.getAlreadyGone().size())});
        rows.add(new String[] {"kept", String.valueOf(r.getKept().size())});
        rows.add(new String[] {"failed", String.valueOf(r.getFailed().size())});
        if (r.getCancelled()) {
            rows.add(new String[] {"interrupted", String.valueOf(r.getInterrupted().size())});
            rows.add(new String[] {"not attempted", String.valueOf(r.getNotAttempted().size())});
        }
        StringBuilder sb = new StringBuilder(render(rows));
        for (Map.Entry<String, Exception> e : r.getFailed().entrySet()) {
            sb.append("failed ").append(e.getKey()).append(": ").append(describe(e.getValue())).append('\n');
        }
        sb.append(String.format("revokeAll(%s): %s in %.1f s%n", r.getUserId(),
            r.isComplete() ? "complete" : r.getCancelled() ? "cancelled" : "incomplete", elapsedNanos / 1e9));
        return sb.toString();
    }

    /** One line from standard input without buffering past it; null at its end. */
    private static String readLine() {
        try {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = System.in.read()) != -1 && c != '\n') sb.append((char) c);
            return c == -1 && sb.length() == 0 ? null : sb.toString();
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** Prints all sessions of [clientId]. */
    public static void sessionsOfClient(String clientId) {
        if (valid("sessionsOfClient", "clientId", clientId, "client_")) {
            table(() -> client().sessions().listAll(SessionListParams.builder().clientId(clientId).build()).toList());
        }
    }

    /** Prints one session. */
    public static void get(String sessionId) {
        if (valid("get", "sessionId", sessionId, "sess_")) {
            table(() -> List.of(client().sessions().get(sessionId).join()));
        }
    }

    /** Revokes a session and prints it. */
    public static void revoke(String sessionId) {
        if (valid("revoke", "sessionId", sessionId, "sess_")) {
            table(() -> List.of(client().sessions().revoke(sessionId).join()));
        }
    }

    /** Creates an active session for [userId] and prints it. */
    public static void create(String userId) {
        if (valid("create", "userId", userId, "user_")) {
            table(() -> List.of(client().sessions().create(userId).join()));
        }
    }

    /** Mints a session token and prints it (and returns it, for use in the next line); null on failure. */
    public static String token(String sessionId) {
        if (!valid("token", "sessionId", sessionId, "sess_")) return null;
        return jwt(() -> client().sessions().createToken(sessionId).join());
    }

    /** Mints a token from JWT template [template]; null on failure. */
    public static String token(String sessionId, String template) {
        if (!valid("token", "sessionId", sessionId, "sess_") || !valid("token", "template", template, "")) return null;
        return jwt(() -> client().sessions().createTokenFromTemplate(sessionId, template).join());
    }

    /** Refreshes a session token; prints and returns the new JWT (or the cookies); null on failure. */
    public static String refresh(String sessionId, String expiredToken, String refreshToken, String origin) {
        if (!valid("refresh", "sessionId", sessionId, "sess_") || !present("refresh", "expiredToken", expiredToken)
            || !present("refresh", "refreshToken", refreshToken) || !present("refresh", "origin", origin)) {
            return null;
        }
        return attempt(() -> {
            RefreshSessionParams params = RefreshSessionParams.builder().sessionId(sessionId).expiredToken(expiredToken)
                .refreshToken(refreshToken).requestOrigin(origin).format(RefreshFormat.TOKEN).build();
            SessionRefresh r = client().blocking().sessions().refresh(params);
            String out = r instanceof SessionRefresh.Token ? ((SessionRefresh.Token) r).getJwt()
                : String.join("\n", ((SessionRefresh.Cookies) r).getCookies());
            System.out.println(out);
            return out;
        });
    }

    /** Verifies a session token locally (networkless once keys are known) and prints its claims. */
    public static void verify(String token) {
        if (!present("verify", "token", token)) return;
        attempt(() -> {
            SessionClaims c = client().blocking().verifyToken(token);
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"claim", "value"});
            rows.add(new String[] {"sid", String.valueOf(c.getSessionId().orElse(null))});
            rows.add(new String[] {"sub", c.getUserId()});
            rows.add(new String[] {"iss", String.valueOf(c.getIssuer().orElse(null))});
            rows.add(new String[] {"iat", c.getIssuedAt().map(t -> WHEN.format(Instant.ofEpochSecond(t))).orElse("")});
            rows.add(new String[] {"exp", WHEN.format(Instant.ofEpochSecond(c.getExpiresAt()))});
            for (Map.Entry<String, Object> e : c.getClaims().entrySet()) {
                if (!Set.of("sid", "sub", "iss", "iat", "exp").contains(e.getKey())) {
                    String value = claimText(e.getValue());
                    // other time claims (epoch seconds) read like iat and exp
                    if (Set.of("nbf", "auth_time").contains(e.getKey()) && value.matches("\\d{1,12}")) {
                        value = WHEN.format(Instant.ofEpochSecond(Long.parseLong(value)));
                    }
                    rows.add(new String[] {e.getKey(), value});
                }
            }
            System.out.print(render(rows));
            return null;
        });
    }

    /**
     * Shows who [tokenOrCookieHeader] belongs to, as a server would decide it with {@code authenticateRequest}: a
     * bare session token is sent as {@code Authorization: Bearer}, anything with {@code =} as a pasted {@code Cookie}
     * header. Prints the state, the reason and, when signed in, the user, session and organization; never the token.
     * The publishable key is the sandbox's offline, {@code CLERK_PUBLISHABLE_KEY} live (unsuffixed cookies only
     * without it).
     */
    public static void whoIs(String tokenOrCookieHeader) {
        if (!present("whoIs", "tokenOrCookieHeader", tokenOrCookieHeader)) return;
        attempt(() -> {
            String input = tokenOrCookieHeader.strip();
            AuthRequest.Builder request = AuthRequest.builder().method("GET").url("https://localhost/");
            if (input.contains("=")) request.header("Cookie", input);
            else request.header("Authorization", input.startsWith("Bearer ") ? input : "Bearer " + input);
            String pk = sandbox != null ? sandbox.getPublishableKey() : System.getenv("CLERK_PUBLISHABLE_KEY");
            AuthResult result = client().blocking().authenticateRequest(request.build(),
                AuthenticateRequestOptions.builder().publishableKey(pk == null || pk.isBlank() ? null : pk).build());
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"field", "value"});
            rows.add(new String[] {"state", result.getStatus()});
            if (result instanceof AuthResult.SignedIn) {
                AuthResult.SignedIn in = (AuthResult.SignedIn) result;
                rows.add(new String[] {"user", in.getUserId()});
                rows.add(new String[] {"session", in.getSessionId()});
                rows.add(new String[] {"status", in.getSessionStatus().orElse("")});
                rows.add(new String[] {"organization", in.getOrganization().map(o -> o.getId()).orElse("")});
                rows.add(new String[] {"actor", in.getActorId().orElse("")});
                rows.add(new String[] {"authenticated", String.valueOf(in.isAuthenticated())});
            } else if (result instanceof AuthResult.SignedOut) {
                rows.add(new String[] {"reason", ((AuthResult.SignedOut) result).getReason().getWireName()});
                rows.add(new String[] {"message", ((AuthResult.SignedOut) result).getMessage()});
            } else {
                rows.add(new String[] {"reason", ((AuthResult.Handshake) result).getReason().getWireName()});
            }
            System.out.print(render(rows));
            return null;
        });
    }

    /**
     * Runs any call, typically on {@link #client()}, and returns its result (JShell shows it):
     * {@code call(() -> client().sessions().get("sess_1").join())}. On failure it prints one line instead of a stack
     * trace (status, code, message, trace id), counts it in {@link #failures()} and returns null.
     */
    public static <T> T call(Callable<T> action) {
        if (action == null) {
            reject("call(action): action is null");
            return null;
        }
        return attempt(() -> {
            try {
                return action.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
    }

    /**
     * The demo ({@code scripts/demo.jsh}): {@link #liveTour()} when talking to Clerk, else a tour of the offline
     * sandbox that lists, mints and verifies a token, revokes a session and ends on one deliberate error.
     */
    public static void tour() {
        if (sandbox() == null) {
            liveTour();
            return;
        }
        System.out.println();
        System.out.println("The offline tour, on the embedded sandbox's demo user user_demo_alice: her active sessions, all of");
        System.out.println("her sessions, a session token minted and verified locally, a revoke, and at the end one error on");
        System.out.println("purpose (a session id that does not exist) to show how a failure reads.");
        step("active(\"user_demo_alice\")");
        active("user_demo_alice");
        step("sessions(\"user_demo_alice\")");
        sessions("user_demo_alice");
        step("var jwt = token(\"sess_demo_alice_laptop\")");
        String jwt = token("sess_demo_alice_laptop");
        step("verify(jwt)");
        verify(jwt);
        step("revoke(\"sess_demo_alice_laptop\")");
        revoke("sess_demo_alice_laptop");
        System.out.println("\n(next, on purpose: a session that does not exist, so the sandbox answers 404)");
        step("get(\"sess_missing\")");
        int before = FAILURES.get();
        get("sess_missing");
        FAILURES.set(before); // the demo's deliberate error is not a failure of the demo
        System.out.println("\n(that 404 was the deliberate error: one line with status, code, message and Clerk's trace id)");
        System.out.println("Your turn: scripts/clerk-shell opens the prompt (help() lists the helpers); nothing here touched Clerk.");
    }

    /**
     * The demo's tour against Clerk itself (a secret key is set): read-only, on the user named by the
     * {@code CLERK_DEMO_USER_ID} environment variable. It lists that user's sessions, mints one short-lived token for
     * the newest active session and verifies it; it never revokes or creates anything, and stops at the first failure
     * (a rejected {@code CLERK_SECRET_KEY} is named as such).
     */
    public static void liveTour() {
        String user = System.getenv("CLERK_DEMO_USER_ID");
        if (user == null || user.isBlank()) {
            System.out.println();
            System.out.println("Live mode (CLERK_SECRET_KEY is set): the demo only reads, and needs a user to read.");
            System.out.println("Run it again with CLERK_DEMO_USER_ID=user_... to list that user's sessions and mint and verify");
            System.out.println("a token for the newest active one, or start the shell without a script and type help().");
            return;
        }
        if (!valid("liveTour", "CLERK_DEMO_USER_ID", user, "user_")) return;
        System.out.println();
        System.out.println("The live tour, read-only, on " + user + " (CLERK_DEMO_USER_ID): the user's active sessions, all");
        System.out.println("sessions, then one short-lived token for the newest active session, verified locally. It stops at");
        System.out.println("the first failure.");
        int before = FAILURES.get();
        step("active(\"" + user + "\")");
        active(user);
        if (stopped(before)) return;
        step("sessions(\"" + user + "\")");
        sessions(user);
        if (stopped(before)) return;
        String newest = attempt(() -> client().sessions()
            .listAll(SessionListParams.builder().userId(user).status(SessionStatus.ACTIVE).limit(1).build())
            .findFirst().map(Session::getId).orElse(null));
        if (stopped(before)) return;
        if (newest == null) {
            System.out.println("\n(no active session of " + user + " to mint a token for)");
        } else {
            step("var jwt = token(\"" + newest + "\")");
            String jwt = token(newest);
            if (stopped(before)) return;
            step("verify(jwt)");
            verify(jwt);
            if (stopped(before)) return;
        }
        System.out.println("\n(live mode: nothing was revoked or created; revoke(id) and create(userId) are yours to type)");
    }

    private static boolean stopped(int failuresBefore) {
        if (FAILURES.get() == failuresBefore) return false;
        System.out.println("\n(the live tour stops at the first failure; nothing was revoked or created)");
        return true;
    }

    private static void step(String command) {
        System.out.println("\n> " + command);
    }

    /** Checks a helper's id argument: not null, not blank, [prefix] then letters, digits, '_' or '-'. */
    private static boolean valid(String helper, String name, String value, String prefix) {
        if (!present(helper, name, value)) return false;
        if (!value.startsWith(prefix) || !ID_BODY.matcher(value.substring(prefix.length())).matches()) {
            String expected = prefix.isEmpty() ? "letters, digits, _ or -" : prefix + "... (letters, digits, _ or - after the prefix)";
            reject(helper + "(" + name + "): \"" + value + "\" is not a valid " + name + "; expected " + expected);
            return false;
        }
        return true;
    }

    private static boolean present(String helper, String name, String value) {
        if (value == null || value.isBlank()) {
            reject(helper + "(" + name + "): " + name + " is " + (value == null ? "null" : "blank"));
            return false;
        }
        return true;
    }

    private static void reject(String problem) {
        FAILURES.incrementAndGet();
        System.out.println("error: " + problem + "; nothing was sent");
    }

    /** Formats sessions as the kit's table: id, user, status, last active, expires. */
    public static String format(List<Session> sessions) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", "user", "status", "last active", "expires"});
        for (Session s : sessions) {
            rows.add(new String[] {s.getId(), s.getUserId(), s.getStatus().getValue(),
                WHEN.format(Instant.ofEpochMilli(s.getLastActiveAt())), WHEN.format(Instant.ofEpochMilli(s.getExpireAt()))});
        }
        return render(rows) + "(" + sessions.size() + (sessions.size() == 1 ? " session)" : " sessions)") + "\n";
    }

    /**
     * One line for a failure: status, code, message, trace id ({@code error: HTTP 404 resource_not_found: ... (trace id
     * ...)}); wrappers such as {@code CompletionException} are looked through. A 401 on a call authenticated by the
     * secret key alone adds that Clerk rejected {@code CLERK_SECRET_KEY}.
     */
    public static String describe(Throwable t) {
        Throwable e = t;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) e = e.getCause();
        if (e instanceof ClerkApiException) {
            ClerkApiException a = (ClerkApiException) e;
            String message = a.getErrors().isEmpty() ? "" : a.getErrors().get(0).getLongMessage()
                .orElse(a.getErrors().get(0).getMessage());
            String line = "error: HTTP " + a.getStatusCode() + " " + a.getCode().orElse("-") + ": " + message
                + a.getTraceId().map(id -> " (trace id " + id + ")").orElse("");
            boolean keyOnly = !Set.of("sessions.refresh", "sessions.verify").contains(a.getOperation());
            if (e instanceof AuthenticationException && keyOnly) {
                line += " -- Clerk rejected CLERK_SECRET_KEY: set it to your instance's secret key (sk_test_... or sk_live_...)";
            } else if (e instanceof PermissionDeniedException) {
                line += " -- CLERK_SECRET_KEY may not do this";
            }
            return line;
        }
        if (e instanceof TokenVerificationException) {
            return "error: token rejected (" + ((TokenVerificationException) e).getReason() + "): " + e.getMessage();
        }
        if (e instanceof ClerkTransportException) {
            return "error: " + e.getMessage() + (client == null ? "" : " (calling " + client.config().getBaseUrl() + ")");
        }
        if (e instanceof ClerkException || e instanceof IllegalArgumentException) return "error: " + e.getMessage();
        return "error: " + e;
    }

    private static void table(Supplier<List<Session>> call) {
        attempt(() -> {
            System.out.print(format(call.get()));
            return null;
        });
    }

    private static String jwt(Supplier<SessionToken> call) {
        return attempt(() -> {
            String jwt = call.get().getJwt();
            System.out.println(jwt);
            return jwt;
        });
    }

    private static <T> T attempt(Supplier<T> action) {
        try {
            return action.get();
        } catch (RuntimeException e) {
            FAILURES.incrementAndGet();
            System.out.println(describe(e));
            return null;
        }
    }

    private static String render(List<String[]> rows) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) width[i] = Math.max(width[i], r[i].length());
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            for (int i = 0; i < r.length; i++) {
                sb.append(i == 0 ? "" : "  ").append(i == r.length - 1 ? r[i] : pad(r[i], width[i]));
            }
            sb.append('\n');
            if (n == 0) {
                for (int i = 0; i < r.length; i++) sb.append(i == 0 ? "" : "  ").append("-".repeat(width[i]));
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    /** A claim's plain value (String, Boolean, number, List, Map, null) as JSON; a top-level string as itself. */
    private static String claimText(Object value) {
        return value instanceof String ? (String) value : json(value);
    }

    private static String json(Object value) {
        if (value == null) return "null";
        if (value instanceof String) {
            StringBuilder sb = new StringBuilder("\"");
            for (char ch : ((String) value).toCharArray()) {
                if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
                else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
                else sb.append(ch);
            }
            return sb.append('"').toString();
        }
        if (value instanceof Map) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) parts.add(json(String.valueOf(e.getKey())) + ":" + json(e.getValue()));
            return "{" + String.join(",", parts) + "}";
        }
        if (value instanceof List) {
            List<String> parts = new ArrayList<>();
            for (Object o : (List<?>) value) parts.add(json(o));
            return "[" + String.join(",", parts) + "]";
        }
        return String.valueOf(value); // Boolean, Long, BigDecimal
    }

    private static List<String> demoUsers() {
        return sandbox.users();
    }
}
