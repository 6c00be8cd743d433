package dev.clerkkit.ktor.server

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.auth.AuthReason
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.ApplicationCall
import io.ktor.server.application.ApplicationStopped
import io.ktor.server.auth.AuthenticationConfig
import io.ktor.server.auth.AuthenticationContext
import io.ktor.server.auth.AuthenticationFailedCause
import io.ktor.server.auth.AuthenticationProvider
import io.ktor.server.request.httpMethod
import io.ktor.server.request.path
import io.ktor.server.response.respond
import io.ktor.server.response.respondText
import io.ktor.util.AttributeKey
import org.slf4j.LoggerFactory
import java.time.Clock
import java.time.Duration

private val LOG = LoggerFactory.getLogger("dev.clerkkit.ktor.server")

/**
 * Signed-out reasons that mean the caller presented nothing: an anonymous visitor, and on a development instance a
 * browser without Clerk's dev browser cookie (what a client without any cookie is there).
 */
private val NO_CREDENTIALS = setOf(AuthReason.SESSION_TOKEN_AND_UAT_MISSING, AuthReason.DEV_BROWSER_MISSING)

/** The result of the last [clerk] provider that authenticated the call. */
private val LastResultKey = AttributeKey<AuthResult>("dev.clerkkit.ktor.server.AuthResult")

/**
 * The [AuthResult] of this call, as the last [clerk] provider that ran for it saw it, or `null` when none ran. On an
 * `authenticate(optional = true)` route it tells an anonymous visitor (`SignedOut`, `session-token-and-uat-missing`)
 * from a pending session or a refused token. Its `toString` shows no token.
 */
public val ApplicationCall.clerkAuthResult: AuthResult? get() = attributes.getOrNull(LastResultKey)

/**
 * Installs the Clerk [io.ktor.server.auth.Authentication] provider: every call of an `authenticate(name) { }` route
 * is decided by [ClerkClient.authenticateRequest] (see [ClerkAuthenticationProvider] for what is answered how).
 *
 * ```
 * install(Authentication) {
 *     clerk {
 *         client = clerkClient
 *         publishableKey = System.getenv("CLERK_PUBLISHABLE_KEY")
 *         authorizedParties = setOf("https://app.example.com")
 *     }
 * }
 * ```
 *
 * @param name the provider's name, `null` (the default) for the default provider.
 * @param configure sets the provider's [ClerkAuthenticationProvider.Config].
 * @throws IllegalArgumentException when both a client and a config are set, when neither is set and
 *   `CLERK_SECRET_KEY` is absent, or for options `authenticateRequest` refuses (an invalid publishable key, a negative
 *   clock skew, a blank authorized party): at install time, before any call.
 */
public fun AuthenticationConfig.clerk(name: String? = null, configure: ClerkAuthenticationProvider.Config.() -> Unit) {
    register(ClerkAuthenticationProvider(ClerkAuthenticationProvider.Config(name).apply(configure)))
}

/**
 * What a [ClerkAuthenticationProvider.Config.challenge] function sees: the [call] being refused and the [result] that
 * refused it.
 */
public class ClerkChallengeContext internal constructor(
    /** The call being refused. */
    public val call: ApplicationCall,
    /**
     * Why: an [AuthResult.SignedOut], or an [AuthResult.SignedIn] that is not authenticated (a pending session) or
     * that `validate` refused.
     */
    public val result: AuthResult,
) {
    /** The [AuthResult.SignedOut] reason, or `null` when [result] is an [AuthResult.SignedIn]. */
    public val reason: AuthReason? get() = (result as? AuthResult.SignedOut)?.reason

    override fun toString(): String = "ClerkChallengeContext(result=$result)"
}

/**
 * A Ktor [AuthenticationProvider] that hands every decision to [ClerkClient.authenticateRequest]: it builds the
 * request view from the call (method, the absolute URL of Ktor's `call.request.origin`, every header; see
 * [Config.trustForwardedHeaders]) and answers the call from the result:
 *
 * - [AuthResult.SignedIn] and authenticated: `validate` makes the principal (by default a [ClerkPrincipal]); the
 *   result's headers (the `Set-Cookie` values of a refreshed session token) are set on the response. `validate`
 *   returning `null` fails the call as invalid credentials.
 * - [AuthResult.SignedIn] of a pending session (with `treatPendingAsSignedOut`, the default): no credentials.
 * - [AuthResult.SignedOut]: its debug headers (`x-clerk-auth-status`, `x-clerk-auth-reason`, `x-clerk-auth-message`)
 *   are set on the response; `session-token-and-uat-missing` (an anonymous visitor) and `dev-browser-missing` (a
 *   development instance's client without Clerk's cookies) are no credentials, every other reason invalid credentials.
 * - [AuthResult.Handshake]: invalid credentials whose challenge is always `307 Temporary Redirect` with the
 *   handshake's headers (`Location`, `Cache-Control: no-store`, the redirect-loop cookie, the debug headers), on
 *   `optional` routes too, because the browser's session must be re-synced with Clerk.
 *
 * Ktor then does what it does for any provider: a route whose authentication is required runs the challenge
 * (by default `401 Unauthorized` with the reason's wire name as text), an `authenticate(optional = true)` route lets a
 * call without credentials through with no principal and challenges invalid ones. The result is also kept as
 * [clerkAuthResult]. A provider authenticates a call once: nested `authenticate` blocks reuse its result.
 */
public class ClerkAuthenticationProvider internal constructor(config: Config) : AuthenticationProvider(config) {
    private val sharedClient: ClerkClient? = config.client
    private val ownedConfig: ClerkConfig? = if (config.client == null) config.clerkConfig ?: ClerkConfig.fromEnv() else null

    @Volatile private var ownedClient: ClerkClient? = null
    private val options: AuthenticateRequestOptions = AuthenticateRequestOptions {
        publishableKey = config.publishableKey
        authorizedParties = config.authorizedParties
        clockSkew = config.clockSkew
        treatPendingAsSignedOut = config.treatPendingAsSignedOut
        clock = config.clock
    }
    private val trustForwardedHeaders: Boolean = config.trustForwardedHeaders
    private val validate: suspend ApplicationCall.(ClerkPrincipal) -> Any? = config.validateFunction
    private val challenge: suspend ClerkChallengeContext.() -> Unit = config.challengeFunction
    private val resultKey = AttributeKey<AuthResult>("dev.clerkkit.ktor.server.AuthResult:${name ?: "default"}")
    private val challengeKey: Any = "ClerkAuth:${name ?: "default"}"

    init {
        require(config.client == null || config.clerkConfig == null) { "set client or clerkConfig, not both" }
    }

    override suspend fun onAuthenticate(context: AuthenticationContext) {
        val call = context.call
        val result = call.attributes.getOrNull(resultKey) ?: authenticate(call)
        call.attributes.put(LastResultKey, result)
        when (result) {
            is AuthResult.Handshake -> context.challenge(challengeKey, AuthenticationFailedCause.InvalidCredentials) { done, c ->
                result.headers.forEach { (name, values) -> values.forEach { c.response.headers.append(name, it) } }
                c.respond(HttpStatusCode.TemporaryRedirect)
                done.complete()
            }
            is AuthResult.SignedOut -> refuse(
                context, result,
                if (result.reason in NO_CREDENTIALS) AuthenticationFailedCause.NoCredentials else AuthenticationFailedCause.InvalidCredentials,
            )
            is AuthResult.SignedIn -> when {
                !result.isAuthenticated -> refuse(context, result, AuthenticationFailedCause.NoCredentials)
                else -> when (val principal = validate(call, ClerkPrincipal(result))) {
                    null -> refuse(context, result, AuthenticationFailedCause.InvalidCredentials)
                    else -> context.principal(name, principal)
                }
            }
        }
    }

    /** Runs `authenticateRequest` for [call], keeps the result, and sets its headers unless it is a handshake. */
    private suspend fun authenticate(call: ApplicationCall): AuthResult {
        val result = client(call).authenticateRequest(authRequestOf(call, trustForwardedHeaders), options)
        call.attributes.put(resultKey, result)
        if (result !is AuthResult.Handshake) {
            result.headers.forEach { (name, values) -> values.forEach { call.response.headers.append(name, it) } }
        }
        if (LOG.isDebugEnabled) {
            val reason = (result as? AuthResult.SignedOut)?.reason ?: (result as? AuthResult.Handshake)?.reason
            LOG.debug("Clerk authentication of {} {}: {}{}", call.request.httpMethod.value, call.request.path(), result.status, reason?.let { " ($it)" }.orEmpty())
        }
        return result
    }

    private fun refuse(context: AuthenticationContext, result: AuthResult, cause: AuthenticationFailedCause) {
        context.challenge(challengeKey, cause) { done, call ->
            challenge(ClerkChallengeContext(call, result))
            done.complete()
        }
    }

    /** The configured client, or the one built from the config on the first call (closed when the application stops). */
    private fun client(call: ApplicationCall): ClerkClient {
        sharedClient?.let { return it }
        ownedClient?.let { return it }
        synchronized(this) {
            ownedClient?.let { return it }
            val created = ClerkClient(checkNotNull(ownedConfig))
            call.application.monitor.subscribe(ApplicationStopped) { created.close() }
            ownedClient = created
            return created
        }
    }

    /**
     * Settings of the [clerk] provider. Defaults:
     * - [client]: `null`; [clerkConfig]: `null`. Set one: the provider uses [client] as it is (the caller closes it)
     *   or builds a client from [clerkConfig] on the first call and closes it when the application stops; with
     *   neither, [clerkConfig] is `ClerkConfig.fromEnv()` (`CLERK_SECRET_KEY`, `CLERK_API_URL`).
     * - [publishableKey]: `null`; [authorizedParties]: empty; [clockSkew]: 5 s; [treatPendingAsSignedOut]: `true`;
     *   [clock]: `Clock.systemUTC()`: the [AuthenticateRequestOptions] of the same names.
     * - [trustForwardedHeaders]: `false`.
     * - `validate`: the [ClerkPrincipal] itself; `challenge`: `401 Unauthorized` with the reason's wire name as text.
     */
    public class Config internal constructor(name: String?) : AuthenticationProvider.Config(name, null) {
        /** The client whose `authenticateRequest` decides (and whose Sessions API refreshes expired tokens). */
        public var client: ClerkClient? = null

        /** The configuration of a client the provider builds and owns, when [client] is not set. */
        public var clerkConfig: ClerkConfig? = null

        /**
         * The instance's publishable key (`pk_test_...`, `pk_live_...`): needed for Clerk's suffixed cookie names and
         * the handshake; without it only unsuffixed cookies are read and no handshake is built. Default `null`.
         */
        public var publishableKey: String? = null

        /** Accepted `azp` values of session tokens (your frontend's origins); empty (the default) = not checked. */
        public var authorizedParties: Set<String> = emptySet()

        /** Tolerance for `exp`, `nbf` and `iat`. Default 5 s. */
        public var clockSkew: Duration = Duration.ofSeconds(5)

        /** Whether a `pending` session counts as no credentials. Default `true`. */
        public var treatPendingAsSignedOut: Boolean = true

        /** Time source for token checks. Default `Clock.systemUTC()`. */
        public var clock: Clock = Clock.systemUTC()

        /**
         * Whether `X-Forwarded-Host`, `X-Forwarded-Proto` (and `-Port`, `Forwarded`) sent by the client are passed to
         * `authenticateRequest`, which then takes the request's origin from them (the `request_origin` of a refresh,
         * the `redirect_url` of a handshake, the same-origin check of a referrer). Set it only behind a proxy that
         * overwrites them. Default `false`: the origin is Ktor's `call.request.origin`, which follows a proxy only
         * when the application installs Ktor's `XForwardedHeaders` or `ForwardedHeaders` plugin.
         */
        public var trustForwardedHeaders: Boolean = false

        internal var validateFunction: suspend ApplicationCall.(ClerkPrincipal) -> Any? = { it }
        internal var challengeFunction: suspend ClerkChallengeContext.() -> Unit = {
            call.respondText(reason?.wireName ?: "unauthorized", status = HttpStatusCode.Unauthorized)
        }

        /**
         * Turns an authenticated session into the call's principal: return it (or any object of yours, then read
         * with `call.principal<YourType>()`), or `null` to refuse the call as invalid credentials. Called only for
         * authenticated sessions. Default: the [ClerkPrincipal] itself.
         */
        public fun validate(body: suspend ApplicationCall.(ClerkPrincipal) -> Any?) {
            validateFunction = body
        }

        /**
         * Answers a refused call on a route that requires authentication (not a handshake: that is always a `307`).
         * The debug headers are already set. A body that does not respond leaves Ktor's `401 Unauthorized`. Default:
         * `401 Unauthorized` with [ClerkChallengeContext.reason]'s wire name (or `unauthorized`) as text.
         */
        public fun challenge(body: suspend ClerkChallengeContext.() -> Unit) {
            challengeFunction = body
        }
    }
}
