@file:Suppress("UNUSED_VARIABLE", "unused", "RedundantSuspendModifier")

package dev.clerkkit.readme

// tag::imports[]
import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.sessions.*
import dev.clerkkit.tokens.TokenVerifierOptions
// end::imports[]
import dev.clerkkit.auth.AuthRequest
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.MutableClock
import dev.clerkkit.testkit.SandboxRateLimit
import dev.clerkkit.testkit.Route
import java.time.Duration

/*
 * The README's Kotlin blocks (README.md and testkit/README.md), each between tag::name[] and end::name[] exactly as
 * the README shows it (indentation aside). Compiled by the build, so the README cannot show code that does not
 * compile; ReadmeKotlinSnippetsSpec checks the README and this file carry the same blocks. Not run: the Java
 * twins in java-interop (ReadmeExamplesTest) run the same operations against the sandbox.
 */

/** README "Is this request's session valid?": [clerk] and [sessionToken] are the snippet's free names. */
suspend fun verifyTokenSnippet(clerk: ClerkClient, sessionToken: String) {
    // tag::verify-token[]
    val claims = clerk.verifyToken(sessionToken)   // suspend; claims.sessionId, userId, organization, claims (all, as plain values)

    // stricter options: authorized parties, audience, clock skew (default 5 s), JWKS cache TTL (default 1 h)
    val verifier = clerk.tokenVerifier(TokenVerifierOptions {
        authorizedParties = setOf("https://app.example.com")
        jwtKey = System.getenv("CLERK_JWT_KEY")
    })
    val checked = verifier.verifyBlocking(sessionToken)   // pure computation with a PEM key
    // end::verify-token[]
}

/** README "Authenticate a request": [clerk] and the request's parts are the snippet's free names. */
suspend fun authenticateRequestSnippet(clerk: ClerkClient, method: String, url: String, headers: Map<String, List<String>>): String {
    // tag::authenticate-request[]
    val options = AuthenticateRequestOptions {
        publishableKey = System.getenv("CLERK_PUBLISHABLE_KEY")   // suffixed cookies, handshake URL
        authorizedParties = setOf("https://app.example.com")
    }
    val result = clerk.authenticateRequest(AuthRequest.of(method, url, headers), options)
    // result.headers: Set-Cookie of a refreshed session, Location of a handshake, x-clerk-auth-* debug headers
    return when (result) {
        is AuthResult.SignedIn -> if (result.isAuthenticated) "user ${result.userId}" else "pending session"
        is AuthResult.SignedOut -> "401: ${result.reason.wireName}"           // e.g. session-token-and-uat-missing
        is AuthResult.Handshake -> "307 to ${result.reason.wireName}"         // answer 307 with result.headers
    }
    // end::authenticate-request[]
}

/** README "Kotlin": [oldJwt] and [refreshCookie] come from the request being refreshed. */
suspend fun usageSnippet(oldJwt: String, refreshCookie: String) {
    // tag::usage[]
    val clerk = ClerkClient {                       // or ClerkClient.fromEnv() (CLERK_SECRET_KEY, CLERK_API_URL)
        secretKey = System.getenv("CLERK_SECRET_KEY")
        requestTimeout = java.time.Duration.ofSeconds(10)   // default 30 s
        retry { maxAttempts = 5 }                   // default 3
    }

    // list: a bare page, a page with the total, or every session as a Flow (pages fetched on demand)
    val active: List<Session> = clerk.sessions.list(SessionListParams { userId = "user_123"; status = SessionStatus.ACTIVE; limit = 20 })
    val page: SessionPage = clerk.sessions.listPage(SessionListParams { userId = "user_123"; offset = 20 })
    clerk.sessions.listAll(SessionListParams { userId = "user_123" }).collect { println(it.id) }

    // create (test instances only), get, revoke: each takes its params object, or just the id
    val session = clerk.sessions.create("user_123")
    val same = clerk.sessions.get(session.id)
    val revoked = clerk.sessions.revoke(session.id)          // revoked.status == SessionStatus.REVOKED

    // tokens
    val jwt = clerk.sessions.createToken(CreateTokenParams { sessionId = session.id; expiresInSeconds = 300 }).jwt
    val hasura = clerk.sessions.createTokenFromTemplate(session.id, "hasura").jwt

    // refresh: Token or Cookies, by format
    val refresh = RefreshSessionParams {
        sessionId = session.id; expiredToken = oldJwt; refreshToken = refreshCookie; requestOrigin = "https://app.example.com"
    }
    when (val r = clerk.sessions.refresh(refresh)) {
        is SessionRefresh.Token -> println(r.jwt)
        is SessionRefresh.Cookies -> r.cookies.forEach(::println)
    }

    // the raw response: HTTP status, headers and Clerk's trace id besides the value
    val raw = clerk.sessions.withRawResponse().get(session.id)
    println("${raw.statusCode} ${raw.traceId} ${raw.value.status}")

    // errors are typed and carry status, Clerk's errors[], trace id and the raw body
    try {
        clerk.sessions.get("sess_missing", RequestOptions { header("X-Request-Id", "abc") })
    } catch (e: NotFoundException) {
        println("${e.statusCode} ${e.code} ${e.traceId}")
    }

    clerk.close()   // AutoCloseable: share one client per application
    // end::usage[]
}

/** README "testkit". */
suspend fun sandboxSnippet() {
    // tag::sandbox[]
    ClerkSandbox.start().use { sandbox ->
        val user = sandbox.addUser()
        ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }.use { clerk ->
            sandbox.faults.on(Route.GET_SESSION).status(503, 503)      // two 503s, then normal
            clerk.sessions.create(user)
        }
    }
    // end::sandbox[]
}

/** testkit/README.md. */
fun testkitReadmeSnippet() {
    // tag::testkit-readme[]
    ClerkSandbox.start { clock = MutableClock(); https = false }.use { sandbox ->
        val user = sandbox.addUser()
        val sid = sandbox.addSession(user)                 // seed state directly
        sandbox.faults.on(Route.GET_SESSION).unavailable(retryAfterSeconds = 1).status(503)
        // point the client at sandbox.baseUrl ("http://127.0.0.1:<port>/v1") with sandbox.secretKey
        sandbox.stats.requests(Route.GET_SESSION)           // 3 after two 503s and a success
    }
    // end::testkit-readme[]
}

/** testkit/README.md, "Rate limits". */
fun testkitRateLimitSnippet() {
    // tag::testkit-rate-limits[]
    val clock = MutableClock()
    ClerkSandbox.start { this.clock = clock; rateLimit = SandboxRateLimit.CLERK }.use { sandbox ->
        // ... 101st request within a 10 s window -> 429, Retry-After: <seconds left in the window>
        clock.advance(Duration.ofSeconds(10))              // the window frees up: no sleeping in tests
        sandbox.stats.rateLimitedRequests                  // how many 429s the limiter sent
    }
    // end::testkit-rate-limits[]
}

/** README "Session workflows": [currentSessionId] is the snippet's free name. */
suspend fun workflowsSnippet(currentSessionId: String) {
    // tag::workflows[]
    val clerk = ClerkClient {
        secretKey = System.getenv("CLERK_SECRET_KEY")
        tokenCache = TokenCacheOptions.DEFAULTS   // opt-in: a token until 10 s before its exp, 10,000 at most
    }
    // sign a user out everywhere but here: a report, never a stop at the first failure
    val report = clerk.sessions.revokeAll(RevokeAllParams { userId = "user_123"; except = setOf(currentSessionId) })
    println("revoked ${report.revoked.size}, already gone ${report.alreadyGone.size}, failed ${report.failed.keys}")
    // what is active now, newest first, page by page
    clerk.sessions.listActive("user_123").collect { println(it.id) }
    // one call to Clerk per session, template and lifetime, however many requests ask at once
    val jwt = clerk.sessions.createTokenFromTemplate(currentSessionId, "worker").jwt
    // end::workflows[]
}
