package dev.clerkkit.testkit

import java.time.Clock

/**
 * Immutable configuration of a [ClerkSandbox].
 *
 * Build one with [SandboxConfig.builder] (Java) or the DSL passed to `ClerkSandbox.start { ... }` (Kotlin).
 */
public class SandboxConfig private constructor(builder: Builder) {
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

    /** When `true`, `POST /v1/sessions/{id}/verify` answers `410 Gone` (can be changed later with [ClerkSandbox.verifyGone]). */
    public val verifyGone: Boolean = builder.verifyGone

    /** When `true`, [ClerkSandbox.seedDemoData] runs at start. */
    public val demoData: Boolean = builder.demoData

    /** Idle keep-alive connections are closed by the server after this many milliseconds (overridable via [Faults.idleTimeoutMillis]). */
    public val idleTimeoutMillis: Long = builder.idleTimeoutMillis

    /** Lifetime of session tokens when no `expires_in_seconds` is given. */
    public val defaultTokenLifetimeSeconds: Long = builder.defaultTokenLifetimeSeconds

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
        it.demoData = demoData
        it.idleTimeoutMillis = idleTimeoutMillis
        it.defaultTokenLifetimeSeconds = defaultTokenLifetimeSeconds
    }

    override fun toString(): String =
        "SandboxConfig(host=$host, port=$port, https=$https, issuer=$issuer, verifyGone=$verifyGone, demoData=$demoData)"

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

        /** See [SandboxConfig.verifyGone]. */
        public var verifyGone: Boolean = false

        /** See [SandboxConfig.demoData]. */
        public var demoData: Boolean = false

        /** See [SandboxConfig.idleTimeoutMillis]. */
        public var idleTimeoutMillis: Long = 60_000

        /** See [SandboxConfig.defaultTokenLifetimeSeconds]. */
        public var defaultTokenLifetimeSeconds: Long = 60

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

        /** Java-friendly setter for [verifyGone]. */
        public fun verifyGone(value: Boolean): Builder = apply { verifyGone = value }

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
            return SandboxConfig(this)
        }
    }

    /** Factories and defaults. */
    public companion object {
        /** The default, obviously fake secret key (it does not look like a real `sk_test_...` key). */
        public const val DEFAULT_SECRET_KEY: String = "sk_test_clerkkit_sandbox_not_a_real_key"

        /** The default `iss` claim. */
        public const val DEFAULT_ISSUER: String = "https://clerk.sandbox.local"

        /** A new builder with defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /** The default configuration. */
        @JvmStatic
        public fun defaults(): SandboxConfig = Builder().build()
    }
}
