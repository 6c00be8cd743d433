package dev.clerkkit.testkit

import dev.clerkkit.testkit.internal.ApiVersions
import dev.clerkkit.testkit.internal.ClerkJson
import dev.clerkkit.testkit.internal.HttpServer
import dev.clerkkit.testkit.internal.JwtTemplate
import dev.clerkkit.testkit.internal.RateLimiter
import dev.clerkkit.testkit.internal.RequestPipeline
import dev.clerkkit.testkit.internal.RequestRecorder
import dev.clerkkit.testkit.internal.SelfSignedTls
import dev.clerkkit.testkit.internal.SessionRoutes
import dev.clerkkit.testkit.internal.SessionStore
import dev.clerkkit.testkit.internal.SigningKeys
import dev.clerkkit.testkit.internal.TokenIssuer
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import java.security.KeyStore
import java.security.cert.X509Certificate
import java.util.Base64
import javax.net.ssl.SSLContext

/**
 * A local, in-memory server that behaves like the Sessions resource of Clerk's Backend API (`/v1/sessions*` and
 * `/v1/jwks`), for real-socket tests, users' tests and offline demos.
 *
 * Behaviour follows Clerk's published OpenAPI description (API versions 2026-05-12 and, for `verify`, 2024-10-01)
 * plus what the live service does beyond it: timestamps are epoch milliseconds from [SandboxConfig.clock],
 * `GET /v1/sessions?paginated=true` answers `{"data":[...],"total_count":N}`, `429`/`503` fault answers may carry
 * `Retry-After`, and every error body is `{"errors":[{message,long_message,code,meta?}],"meta":{},"clerk_trace_id":...}`.
 * Every response has `Content-Type: application/json`.
 *
 * Requests must carry `Authorization: Bearer <secretKey>` (or one of [SandboxConfig.additionalSecretKeys]; else
 * `401 authentication_invalid`), except that scripted [faults] are applied before authentication.
 *
 * Optional emulation of the live service's limits and versions (both off by default):
 * - [SandboxConfig.rateLimit]: a per-key budget answered with `429 too_many_requests` and `Retry-After`
 *   (counted in [SandboxStats.rateLimitedRequests]);
 * - the `Clerk-API-Version` header (or [SandboxConfig.defaultApiVersion]): `tasks` only after 2024-10-01, `verify`
 *   answers `410` from 2025-04-10 on unless [verifyGone] overrides.
 *
 * Design: HTTP is served by a small blocking HTTP/1.1 server on `java.net` sockets (one thread per connection),
 * not Ktor, so that connection-level behaviour (keep-alive idle close, `Connection: close`, TCP resets, truncated
 * bodies) and connection statistics are fully controllable. HTTPS, when enabled, uses a self-signed certificate
 * generated at start; trust it through [trustStore], [certificate] or [clientSslContext]. This class is the public
 * facade; state, routes, token signing, request decoding, rate limiting and versions live in `internal/`.
 *
 * Session statuses follow the clock lazily: an `active` session whose `expire_at` has passed is served as `expired`.
 *
 * Start with [start]; stop with [close] (it is [AutoCloseable]).
 */
public class ClerkSandbox protected constructor(
    /** The configuration this sandbox was started with. */
    public val config: SandboxConfig,
) : AutoCloseable {

    private val store = SessionStore(config.clock)
    private val keys = SigningKeys()
    private val tokens = TokenIssuer(keys, config.clock, config.issuer, config.authorizedParty)
    private val tls: SelfSignedTls? = if (config.https) SelfSignedTls() else null
    private val recorder = RequestRecorder(config.maxRecordedRequests)
    private val limiter: RateLimiter? = config.rateLimit?.let { RateLimiter(it, config.clock) }

    /** Fault injection controls; see [Faults]. */
    public val faults: Faults = Faults()

    /** Connection, request and response counters (including `429`s from the rate limiter); see [SandboxStats]. */
    public val stats: SandboxStats = SandboxStats()

    /**
     * Explicit override for `POST /v1/sessions/{id}/verify`: `true` answers `410` with a Clerk error body (code
     * `deprecated_endpoint`), `false` always serves it, `null` decides by the request's API version (`410` from
     * 2025-04-10 on). Starts as [SandboxConfig.verifyGone] (default `null`).
     */
    @Volatile
    public var verifyGone: Boolean? = config.verifyGone

    private val pipeline = RequestPipeline(
        acceptedKeys = (listOf(config.secretKey) + config.additionalSecretKeys).toSet(),
        defaultApiVersion = config.defaultApiVersion?.let { ApiVersions.parse(it) },
        recorder = recorder,
        stats = stats,
        faults = faults,
        limiter = limiter,
        routes = SessionRoutes(store, tokens, config.defaultTokenLifetimeSeconds) { verifyGone },
    )

    private val server = HttpServer(
        config.host,
        config.port,
        tls?.serverContext,
        { faults.idleTimeoutMillis ?: config.idleTimeoutMillis },
        stats,
        pipeline::handle,
    )

    /** The TCP port the server listens on. */
    public val port: Int = server.port

    /** Base URL including the `/v1` prefix, e.g. `http://127.0.0.1:54321/v1` (`https://` when TLS is on). */
    public val baseUrl: String = "${if (config.https) "https" else "http"}://${hostForUrl(config.host)}:$port/v1"

    /** The secret key clients must send as a bearer token. */
    public val secretKey: String get() = config.secretKey

    /** The issuer (`iss`) of the JWTs this sandbox signs. */
    public val issuer: String get() = config.issuer

    /** The self-signed server certificate when HTTPS is on, else `null`. */
    public val certificate: X509Certificate? get() = tls?.certificate

    /** The server certificate as PEM text when HTTPS is on, else `null`. */
    public val certificatePem: String?
        get() = tls?.certificate?.let {
            "-----BEGIN CERTIFICATE-----\n" +
                Base64.getMimeEncoder(64, "\n".toByteArray()).encodeToString(it.encoded) +
                "\n-----END CERTIFICATE-----\n"
        }

    /** A PKCS12 trust store holding only [certificate] when HTTPS is on, else `null`. */
    public val trustStore: KeyStore? get() = tls?.trustStore

    /** A client `SSLContext` that trusts exactly [certificate] (hostname checks stay on), or `null` without HTTPS. */
    public fun clientSslContext(): SSLContext? = tls?.clientContext()

    /**
     * Requests received so far, in arrival order (a snapshot; at most [SandboxConfig.maxRecordedRequests], the
     * oldest are dropped first).
     */
    public val requests: List<RecordedRequest> get() = recorder.all

    /** Forgets the recorded [requests]. */
    public fun clearRecordedRequests() {
        recorder.clear()
    }

    /**
     * Gives every secret key its full [SandboxConfig.rateLimit] budget again (forgets all counted requests); a no-op
     * without a rate limit. [SandboxStats.rateLimitedRequests] is not affected (see [SandboxStats.reset]).
     */
    public fun resetRateLimits() {
        limiter?.reset()
    }

    /** The key id (`kid`) currently used to sign JWTs. */
    public val activeKeyId: String get() = keys.active.keyID

    /** The JWKS document (`{"keys":[...]}`) as served by `GET /v1/jwks`. */
    public fun jwks(): JsonObject = ClerkJson.json.parseToJsonElement(keys.jwksJson()) as JsonObject

    /** The JWKS document as JSON text. */
    public fun jwksJson(): String = keys.jwksJson()

    init {
        if (config.demoData) seedDemoData()
    }

    // ---------------------------------------------------------------- state seeding

    /** Registers a user and returns its id (generated as `user_...` when not given). */
    @JvmOverloads
    public fun addUser(id: String = ClerkJson.id("user_")): String = store.addUser(id)

    /** Every user id the sandbox knows (added with [addUser], or by [addSession]), in the order they came. */
    public fun users(): List<String> = store.users()

    /** Registers a client and returns its id (generated as `client_...` when not given). */
    @JvmOverloads
    public fun addClient(id: String = ClerkJson.id("client_")): String = store.addClient(id)

    /**
     * Seeds a session directly and returns its id. Unknown [userId]/[clientId] are registered on the fly; a `null`
     * [clientId] creates a new client. [status] must be one of the Session schema's statuses. Timestamps default to
     * the clock's now; `expire_at` is `createdAt + 7 days`, `abandon_at` is `createdAt + 30 days`.
     */
    @JvmOverloads
    public fun addSession(
        userId: String,
        clientId: String? = null,
        status: String = "active",
        lastActiveOrganizationId: String? = null,
        createdAtMillis: Long? = null,
        id: String? = null,
        withLatestActivity: Boolean = false,
    ): String = store.addSession(
        userId,
        clientId,
        status,
        lastActiveOrganizationId,
        createdAtMillis,
        id,
        if (withLatestActivity) demoActivity() else null,
    ).id

    /**
     * Seeds [count] sessions of [userId] with [status] (default `active`) at once, each on a new client, created one
     * millisecond apart ending at the clock's now (so the last one is the newest), and returns their ids oldest
     * first. For workflows over thousands of sessions per user.
     */
    @JvmOverloads
    public fun addSessions(userId: String, count: Int, status: String = "active"): List<String> {
        require(count in 0..1_000_000) { "count must be in 0..1000000, was $count" }
        val now = store.now()
        return (0 until count).map { i -> store.addSession(userId, null, status, null, now - (count - 1 - i), null, null).id }
    }

    /** Sets a session's status directly (bumping `updated_at`); returns `false` if the session does not exist. */
    public fun setSessionStatus(id: String, status: String): Boolean = store.setStatus(id, status)

    /**
     * The session [id] as `GET /v1/sessions/{id}` without a `Clerk-API-Version` header would serve it (so with
     * `tasks` unless [SandboxConfig.defaultApiVersion] is 2024-10-01 or older), or `null`.
     */
    public fun session(id: String): JsonObject? = store.locked { store.find(id)?.toJson(headerlessHasTasks) }

    /** [session] as JSON text (handy from Java), or `null`. */
    public fun sessionJson(id: String): String? = session(id)?.toString()

    /** All sessions as served (see [session]), newest first. */
    public fun sessions(): List<JsonObject> = store.locked { store.sorted().map { it.toJson(headerlessHasTasks) } }

    /**
     * Defines (or replaces) the JWT template [name]. Its [claims] are added to tokens from
     * `POST /v1/sessions/{id}/tokens/{name}`; string values `{{user.id}}` and `{{session.id}}` are substituted.
     * Standard claims (`iss`, `sub`, `sid`, `iat`, `nbf`, `exp`, `azp`) cannot be overridden.
     */
    @JvmOverloads
    public fun addJwtTemplate(name: String, claims: Map<String, Any?>, lifetimeSeconds: Long = 60) {
        addJwtTemplate(name, ClerkJson.toJson(claims) as JsonObject, lifetimeSeconds)
    }

    /** [addJwtTemplate] with claims given as a [JsonObject]. */
    @JvmOverloads
    public fun addJwtTemplate(name: String, claims: JsonObject, lifetimeSeconds: Long = 60) {
        require(lifetimeSeconds > 0) { "lifetimeSeconds must be > 0" }
        store.putTemplate(name, JwtTemplate(claims, lifetimeSeconds))
    }

    /**
     * Generates a new RS256 signing key and makes it active (new tokens carry its `kid`). Older keys stay published
     * in `GET /v1/jwks` and keep verifying until [removeOldSigningKeys]. Returns the new key id.
     */
    public fun rotateSigningKey(): String = keys.rotate()

    /** Unpublishes every signing key except the active one. */
    public fun removeOldSigningKeys() {
        keys.retireOld()
    }

    /**
     * Signs a session token for [sessionId] as `POST /v1/sessions/{id}/tokens` would (without HTTP), with `iat` =
     * now + [issuedAtOffsetSeconds] (negative values make already-expired tokens, e.g. for refresh tests).
     */
    @JvmOverloads
    public fun issueToken(
        sessionId: String,
        lifetimeSeconds: Long = config.defaultTokenLifetimeSeconds,
        issuedAtOffsetSeconds: Long = 0,
        authorizedParty: String? = config.authorizedParty,
    ): String {
        val s = store.peek(sessionId) ?: throw IllegalArgumentException("unknown session $sessionId")
        return tokens.sign(s, null, lifetimeSeconds, issuedAtOffsetSeconds, authorizedParty)
    }

    /**
     * The instance's publishable key: `pk_test_` and the base64 of the Frontend API host (the [issuer]'s host) followed
     * by `$`, as Clerk encodes it. Its SHA-1 gives the cookie suffix ([BrowserSession.cookieSuffixOf]).
     */
    public val publishableKey: String
        get() = "pk_test_" + java.util.Base64.getEncoder().encodeToString((java.net.URI(issuer).host + "$").toByteArray())

    /**
     * Signs [sessionId]'s user in a browser: a fresh session token (`iat` = now + [issuedAtOffsetSeconds], `azp` =
     * [authorizedParty], by default [SandboxConfig.authorizedParty]), `__client_uat` = the token's `iat` + [clientUatOffsetSeconds], and a new
     * refresh token that `POST /v1/sessions/{id}/refresh` accepts for this session only.
     */
    @JvmOverloads
    public fun signIn(
        sessionId: String,
        lifetimeSeconds: Long = config.defaultTokenLifetimeSeconds,
        issuedAtOffsetSeconds: Long = 0,
        clientUatOffsetSeconds: Long = 0,
        authorizedParty: String? = config.authorizedParty,
    ): BrowserSession {
        val s = store.peek(sessionId) ?: throw IllegalArgumentException("unknown session $sessionId")
        val token = tokens.sign(s, null, lifetimeSeconds, issuedAtOffsetSeconds, authorizedParty)
        // the token's own iat: reading the clock again could cross a second boundary and make __client_uat newer
        val iat = com.nimbusds.jwt.SignedJWT.parse(token).jwtClaimsSet.issueTime.time / 1000
        return BrowserSession(
            sessionId,
            token,
            iat + clientUatOffsetSeconds,
            tokens.newRefreshToken(sessionId),
            BrowserSession.cookieSuffixOf(publishableKey),
        )
    }

    /**
     * A JWT-template token for [sessionId] as `POST /v1/sessions/{id}/tokens/{name}` would sign it (without HTTP):
     * Clerk's JWT-template `cat` header, `jti`, and [claims] added.
     */
    @JvmOverloads
    public fun issueTemplateToken(sessionId: String, claims: Map<String, Any?> = emptyMap(), lifetimeSeconds: Long = 60): String {
        val s = store.peek(sessionId) ?: throw IllegalArgumentException("unknown session $sessionId")
        return tokens.sign(s, JwtTemplate(ClerkJson.toJson(claims) as JsonObject, lifetimeSeconds), lifetimeSeconds, 0)
    }

    /** Seeds a few users, clients and sessions in various statuses (active, revoked, ended, expired, abandoned). */
    public fun seedDemoData() {
        val alice = addUser("user_demo_alice")
        val bob = addUser("user_demo_bob")
        val carol = addUser("user_demo_carol")
        val laptop = addClient("client_demo_alice_laptop")
        val phone = addClient("client_demo_alice_phone")
        val t = store.now()
        val hour = 3_600_000L
        addSession(alice, laptop, "active", "org_demo_acme", t - 2 * hour, "sess_demo_alice_laptop", true)
        addSession(alice, phone, "active", null, t - 3 * hour, "sess_demo_alice_phone", true)
        addSession(alice, laptop, "revoked", null, t - 24 * hour, "sess_demo_alice_revoked")
        addSession(bob, null, "active", null, t - hour, "sess_demo_bob", true)
        addSession(bob, null, "ended", null, t - 48 * hour, "sess_demo_bob_ended")
        addSession(carol, null, "expired", null, t - 8 * 24 * hour, "sess_demo_carol_expired")
        addSession(carol, null, "abandoned", null, t - 40 * 24 * hour, "sess_demo_carol_abandoned")
        addJwtTemplate("demo", mapOf("email" to "alice@example.test", "role" to "admin", "uid" to "{{user.id}}"))
    }

    /** Stops the server and closes every open connection. */
    override fun close() {
        server.close()
    }

    override fun toString(): String = "ClerkSandbox(baseUrl=$baseUrl)"

    private val headerlessHasTasks: Boolean
        get() = ApiVersions.resolve(null, config.defaultApiVersion?.let { ApiVersions.parse(it) }).hasTasks

    private fun demoActivity(): JsonObject = buildJsonObject {
        put("object", "session_activity")
        put("id", ClerkJson.id("sess_activity_"))
        put("device_type", "Macintosh")
        put("is_mobile", false)
        put("browser_name", "Chrome")
        put("browser_version", "130.0.0.0")
        put("ip_address", "127.0.0.1")
        put("city", "Sandbox")
        put("country", "ZZ")
    }

    /** Factories. */
    public companion object {
        /** Starts a sandbox with default configuration on an ephemeral loopback port. */
        @JvmStatic
        public fun start(): ClerkSandbox = ClerkSandbox(SandboxConfig.defaults())

        /** Starts a sandbox configured by the Kotlin DSL [configure]. */
        public fun start(configure: SandboxConfig.Builder.() -> Unit): ClerkSandbox =
            ClerkSandbox(SandboxConfig.Builder().apply(configure).build())

        /** Starts a sandbox with [config] (Java-friendly). */
        @JvmStatic
        public fun start(config: SandboxConfig): ClerkSandbox = ClerkSandbox(config)

        private fun hostForUrl(host: String): String = if (':' in host && !host.startsWith("[")) "[$host]" else host
    }
}
