package dev.clerkkit.testkit

import dev.clerkkit.testkit.internal.ApiVersions
import java.time.Clock

/**
 * Immutable configuration of a [ClerkSandbox].
 *
 * Build one with [SandboxConfig.builder] (Java) or the DSL passed to `ClerkSandbox.start { ... }` (Kotlin).
 */
public class SandboxConfig protected constructor(builder: Builder) {
    /** The secret key clients must send as `Authorization: Bearer <secretKey>`. Obviously fake by default. */
    public val secretKey: String = builder.secretKey

    /** Interface to bind to; defaults to the loopback address `127.0.0.1`. */
    public val host: String = builder.host

    /** TCP port to bind to; `0` (the default) picks a free ephemeral port. */
    public val port: Int = builder.port

    /** Source of time for every timestamp (epoch milliseconds) and JWT claim the sandbox produces. */
    public val clock: Clock = builder.clock

    /** Serve HTTPS with a self-signed certificate generated at start (see [ClerkSandbox.trustStore]). */
    public val https: Boolean = builder.https

    /** The `iss` claim of issued JWTs. */
    public val issuer: String = builder.issuer

    /** The `azp` claim of issued JWTs, or `null` to leave it out. */
    public val authorizedParty: String? = builder.authorizedParty

    /**
     * Explicit override for `POST /v1/sessions/{id}/verify`: `true` always answers `410 Gone`, `false` always serves it,
     * `null` (the default) decides by the request's API version as Clerk does: served up to 2025-03-12 (and for
     * unversioned requests, see [defaultApiVersion]), `410` from 2025-04-10 on. Changeable later with
     * [ClerkSandbox.verifyGone].
     */
    public val verifyGone: Boolean? = builder.verifyGone

    /**
     * The `Clerk-API-Version` assumed for requests that send no such header, e.g. `"2026-05-12"`; a request's own
     * header always wins. `null` (the default) serves header-less requests *unversioned*, as earlier testkit releases
     * did: sessions carry `tasks` (as in every version after 2024-10-01) and `verify` is served in its 2024-10-01 shape
     * (no `tasks`) unless [verifyGone].
     *
     * A version is a date (`YYYY-MM-DD`, 2021-02-05 or later); a request with a malformed or earlier header gets `400`
     * (code `api_version_invalid`). What depends on it: `tasks` appears on sessions only for versions after
     * 2024-10-01, and `verify` answers `410` from 2025-04-10 on (unless [verifyGone] overrides).
     */
    public val defaultApiVersion: String? = builder.defaultApiVersion

    /**
     * Per-secret-key request budget, e.g. [SandboxRateLimit.CLERK] (Clerk's 100 per 10 s for development keys and 1,000 per
     * 10 s for `sk_live_` keys) or [SandboxRateLimit.BENCH] (100 per 1 s). `null` (the default): no limit. Beyond it the
     * sandbox answers `429` with `Retry-After` (whole seconds, rounded up, at least 1); `GET /v1/jwks` is never limited.
     * Windows follow [clock], so a [MutableClock] steps them in tests. See [SandboxRateLimit].
     */
    public val rateLimit: SandboxRateLimit? = builder.rateLimit

    /**
     * More secret keys the sandbox accepts besides [secretKey] (default: none), as if each were its own Clerk instance:
     * each has its own [rateLimit] budget, and `sk_live_` ones get the production limit of [SandboxRateLimit.CLERK].
     */
    public val additionalSecretKeys: List<String> = builder.additionalSecretKeys.toList()

    /** When `true`, [ClerkSandbox.seedDemoData] runs at start. */
    public val demoData: Boolean = builder.demoData

    /** Idle keep-alive connections are closed by the server after this many milliseconds (overridable via [Faults.idleTimeoutMillis]). */
    public val idleTimeoutMillis: Long = builder.idleTimeoutMillis

    /** Lifetime of session tokens when no `expires_in_seconds` is given. */
    public val defaultTokenLifetimeSeconds: Long = builder.defaultTokenLifetimeSeconds

    /** How many requests [ClerkSandbox.requests] keeps (oldest dropped first); `0` disables recording. */
    public val maxRecordedRequests: Int = builder.maxRecordedRequests

    /** Returns a builder pre-filled with this configuration. */
    public fun toBuilder(): Builder = Builder().also {
        it.secretKey = secretKey
        it.host = host
        it.port = port
        it.clock = clock
        it.https = https
        it.issuer = issuer
        it.authorizedParty = authorizedParty
        it.verifyGone = verifyGone
        it.defaultApiVersion = defaultApiVersion
        it.rateLimit = rateLimit
        it.additionalSecretKeys = additionalSecretKeys
        it.demoData = demoData
        it.idleTimeoutMillis = idleTimeoutMillis
        it.defaultTokenLifetimeSeconds = defaultTokenLifetimeSeconds
        it.maxRecordedRequests = maxRecordedRequests
    }

    override fun toString(): String =
        "SandboxConfig(host=$host, port=$port, https=$https, issuer=$issuer, verifyGone=$verifyGone, " +
            "defaultApiVersion=$defaultApiVersion, rateLimit=$rateLimit, additionalSecretKeys=${additionalSecretKeys.size}, demoData=$demoData)"

    /**
     * Mutable builder for [SandboxConfig]: Kotlin code sets the properties inside the `start { }` DSL,
     * Java code chains the same-named setter methods and calls [build].
     */
    public class Builder {
        /** See [SandboxConfig.secretKey]. */
        public var secretKey: String = DEFAULT_SECRET_KEY

        /** See [SandboxConfig.host]. */
        public var host: String = "127.0.0.1"

        /** See [SandboxConfig.port]. */
        public var port: Int = 0

        /** See [SandboxConfig.clock]. */
        public var clock: Clock = Clock.systemUTC()

        /** See [SandboxConfig.https]. */
        public var https: Boolean = false

        /** See [SandboxConfig.issuer]. */
        public var issuer: String = DEFAULT_ISSUER

        /** See [SandboxConfig.authorizedParty]. */
        public var authorizedParty: String? = null

        /** See [SandboxConfig.verifyGone]. Default `null` (decided by the API version). */
        public var verifyGone: Boolean? = null

        /** See [SandboxConfig.defaultApiVersion]. Default `null` (header-less requests are unversioned). */
        public var defaultApiVersion: String? = null

        /** See [SandboxConfig.rateLimit]. Default `null` (no rate limit). */
        public var rateLimit: SandboxRateLimit? = null

        /** See [SandboxConfig.additionalSecretKeys]. Default empty. */
        public var additionalSecretKeys: List<String> = emptyList()

        /** See [SandboxConfig.demoData]. */
        public var demoData: Boolean = false

        /** See [SandboxConfig.idleTimeoutMillis]. */
        public var idleTimeoutMillis: Long = 60_000

        /** See [SandboxConfig.defaultTokenLifetimeSeconds]. */
        public var defaultTokenLifetimeSeconds: Long = 60

        /** See [SandboxConfig.maxRecordedRequests]. */
        public var maxRecordedRequests: Int = 10_000

        /** Java-friendly setter for [maxRecordedRequests]. */
        public fun maxRecordedRequests(value: Int): Builder = apply { maxRecordedRequests = value }

        /** Java-friendly setter for [secretKey]. */
        public fun secretKey(value: String): Builder = apply { secretKey = value }

        /** Java-friendly setter for [host]. */
        public fun host(value: String): Builder = apply { host = value }

        /** Java-friendly setter for [port]. */
        public fun port(value: Int): Builder = apply { port = value }

        /** Java-friendly setter for [clock]. */
        public fun clock(value: Clock): Builder = apply { clock = value }

        /** Java-friendly setter for [https]. */
        public fun https(value: Boolean): Builder = apply { https = value }

        /** Java-friendly setter for [issuer]. */
        public fun issuer(value: String): Builder = apply { issuer = value }

        /** Java-friendly setter for [authorizedParty]. */
        public fun authorizedParty(value: String?): Builder = apply { authorizedParty = value }

        /** Java-friendly setter for [verifyGone] (`null`: decided by the API version). */
        public fun verifyGone(value: Boolean?): Builder = apply { verifyGone = value }

        /** Java-friendly setter for [defaultApiVersion]. */
        public fun defaultApiVersion(value: String?): Builder = apply { defaultApiVersion = value }

        /** Java-friendly setter for [rateLimit] (`null`: no limit). */
        public fun rateLimit(value: SandboxRateLimit?): Builder = apply { rateLimit = value }

        /** Java-friendly setter for [additionalSecretKeys]. */
        public fun additionalSecretKeys(value: List<String>): Builder = apply { additionalSecretKeys = value }

        /** Java-friendly setter for [demoData]. */
        public fun demoData(value: Boolean): Builder = apply { demoData = value }

        /** Java-friendly setter for [idleTimeoutMillis]. */
        public fun idleTimeoutMillis(value: Long): Builder = apply { idleTimeoutMillis = value }

        /** Java-friendly setter for [defaultTokenLifetimeSeconds]. */
        public fun defaultTokenLifetimeSeconds(value: Long): Builder = apply { defaultTokenLifetimeSeconds = value }

        /** Validates and freezes the configuration. */
        public fun build(): SandboxConfig {
            require(port in 0..65535) { "port must be in 0..65535, was $port" }
            require(secretKey.isNotBlank()) { "secretKey must not be blank" }
            require(idleTimeoutMillis > 0) { "idleTimeoutMillis must be > 0" }
            require(defaultTokenLifetimeSeconds > 0) { "defaultTokenLifetimeSeconds must be > 0" }
            require(maxRecordedRequests >= 0) { "maxRecordedRequests must be >= 0" }
            defaultApiVersion?.let {
                require(ApiVersions.parse(it) != null) {
                    "defaultApiVersion must be an API version date (YYYY-MM-DD, 2021-02-05 or later), was '$it'"
                }
            }
            require(additionalSecretKeys.all { it.isNotBlank() }) { "additionalSecretKeys must not contain blank keys" }
            return SandboxConfig(this)
        }
    }

    /** Factories and defaults. */
    public companion object {
        /** The default, obviously fake secret key (it does not look like a real `sk_test_...` key). */
        public const val DEFAULT_SECRET_KEY: String = "sk_test_clerkkit_sandbox_not_a_real_key"

        /** The default `iss` claim. */
        public const val DEFAULT_ISSUER: String = "https://clerk.sandbox.local"

        /** The newest `Clerk-API-Version` the sandbox knows (the one its Sessions behaviour is modelled on). */
        public const val LATEST_API_VERSION: String = "2026-05-12"

        /** A new builder with defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The default configuration. */
        @JvmStatic
        public fun defaults(): SandboxConfig = Builder().build()
    }
}
