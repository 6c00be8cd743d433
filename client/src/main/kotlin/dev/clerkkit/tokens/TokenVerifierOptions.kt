package dev.clerkkit.tokens

import dev.clerkkit.internal.Environment
import java.security.interfaces.RSAPublicKey
import java.time.Clock
import java.time.Duration
import java.util.Collections
import java.util.Optional

/**
 * Immutable configuration of a [SessionTokenVerifier].
 *
 * Create it with [builder] (Java), the [TokenVerifierOptions] DSL function (Kotlin) or [fromEnv]. Defaults:
 * - [jwtKey]: `null` (use the JWKS through a [JwksFetcher]);
 * - [authorizedParties]: empty (the `azp` claim is not checked);
 * - [audience]: empty (the `aud` claim is not checked);
 * - [clockSkew]: 5 seconds ([DEFAULT_CLOCK_SKEW]);
 * - [allowNonSessionTokens]: `false` (a token without `sid` is refused);
 * - [jwksCacheTtl]: 1 hour ([DEFAULT_JWKS_CACHE_TTL]);
 * - [jwksMinRefreshInterval]: 1 minute ([DEFAULT_JWKS_MIN_REFRESH_INTERVAL]);
 * - [clock]: `Clock.systemUTC()`.
 *
 * [Builder.build] validates everything, including parsing [jwtKey], so a bad configuration fails at start-up
 * with an [IllegalArgumentException] rather than on the first request.
 */
public class TokenVerifierOptions protected constructor(builder: Builder) {

    /**
     * The instance's PEM public key (SPKI, `-----BEGIN PUBLIC KEY-----`, as shown under "API keys" in Clerk's
     * dashboard or stored in `CLERK_JWT_KEY`). When set, verification is fully networkless and any
     * [JwksFetcher] is ignored; the token's `kid` is then not consulted. Default: `null` (JWKS mode). Java:
     * `getJwtKey()` returns an `Optional`.
     */
    @get:JvmSynthetic public val jwtKey: String? = builder.jwtKey?.takeIf { it.isNotBlank() }

    /**
     * Accepted values of the `azp` claim (the origins of your frontends, e.g. `https://app.example.com`).
     * Empty (the default) disables the check. When set, as in `@clerk/backend`, the token must carry an `azp` that
     * is listed: a token without `azp` (such as one minted by the Backend API) or with an unlisted one fails with
     * [TokenVerificationException.Reason.UNAUTHORIZED_PARTY].
     */
    public val authorizedParties: Set<String> = builder.authorizedParties.frozen("authorizedParties")

    /**
     * Accepted audiences. Empty (the default) disables the check. When non-empty, the token's `aud` (a string
     * or an array of strings) must be present and contain at least one of them, otherwise
     * [TokenVerificationException.Reason.WRONG_AUDIENCE]. (Stricter than Clerk's JS SDK, which lets a token
     * without `aud` pass: if you ask for an audience, a token that names none is not for you.)
     */
    public val audience: Set<String> = builder.audience.frozen("audience")

    /**
     * Tolerance applied to `exp`, `nbf` and `iat` for clock differences between Clerk and this host.
     * Default: 5 seconds ([DEFAULT_CLOCK_SKEW]); must not be negative.
     */
    public val clockSkew: Duration = builder.clockSkew

    /**
     * When `true`, tokens that are not session tokens are accepted: tokens without a `sid` claim
     * ([SessionClaims.sessionId] is then `null`), JWT-template and machine tokens (a `cat` header other than Clerk's
     * session-token category, `typ` `at+jwt`, `sub` `mch_...`). Default: `false` (such tokens fail with
     * [TokenVerificationException.Reason.NOT_A_SESSION_TOKEN]). A `sub` claim is required either way.
     */
    public val allowNonSessionTokens: Boolean = builder.allowNonSessionTokens

    /**
     * How long a fetched JWKS is trusted before it is fetched again (on the next verification after expiry).
     * Default: 1 hour ([DEFAULT_JWKS_CACHE_TTL]); must be positive. Unused with [jwtKey].
     */
    public val jwksCacheTtl: Duration = builder.jwksCacheTtl

    /**
     * Minimum time between two JWKS fetches triggered by an unknown `kid` while the cache is still fresh
     * (key rotation). Within this window a token with an unknown `kid` fails with
     * [TokenVerificationException.Reason.UNKNOWN_KID] without any request, so a flood of forged `kid`s costs at
     * most one request to Clerk per window. Default: 1 minute ([DEFAULT_JWKS_MIN_REFRESH_INTERVAL]); must not be
     * negative. Fetches for a cold or expired cache are not limited by it (they are single-flight instead).
     * Unused with [jwtKey].
     */
    public val jwksMinRefreshInterval: Duration = builder.jwksMinRefreshInterval

    /** Time source for `exp`/`nbf`/`iat` checks and the JWKS cache. Default: `Clock.systemUTC()`. */
    public val clock: Clock = builder.clock

    /** [jwtKey] for Java; empty in JWKS mode (the default). */
    @JvmName("getJwtKey")
    public fun jwtKeyOptional(): Optional<String> = Optional.ofNullable(jwtKey)

    /** [jwtKey] parsed once, at build time. */
    internal val jwtPublicKey: RSAPublicKey? = jwtKey?.let(Keys::parsePemPublicKey)

    init {
        require(!clockSkew.isNegative) { "clockSkew must not be negative (was $clockSkew)" }
        require(!jwksCacheTtl.isNegative && !jwksCacheTtl.isZero) { "jwksCacheTtl must be positive (was $jwksCacheTtl)" }
        require(!jwksMinRefreshInterval.isNegative) {
            "jwksMinRefreshInterval must not be negative (was $jwksMinRefreshInterval)"
        }
    }

    /** A builder pre-filled with these options. */
    public fun toBuilder(): Builder = Builder()
        .jwtKey(jwtKey)
        .authorizedParties(authorizedParties)
        .audience(audience)
        .clockSkew(clockSkew)
        .allowNonSessionTokens(allowNonSessionTokens)
        .jwksCacheTtl(jwksCacheTtl)
        .jwksMinRefreshInterval(jwksMinRefreshInterval)
        .clock(clock)

    override fun toString(): String =
        "TokenVerifierOptions(keySource=${if (jwtKey != null) "PEM" else "JWKS"}, " +
            "authorizedParties=$authorizedParties, audience=$audience, clockSkew=$clockSkew, " +
            "allowNonSessionTokens=$allowNonSessionTokens, jwksCacheTtl=$jwksCacheTtl, " +
            "jwksMinRefreshInterval=$jwksMinRefreshInterval, clock=$clock)"

    /**
     * Mutable builder of [TokenVerifierOptions]. Kotlin code can assign the properties (see the
     * [TokenVerifierOptions] DSL function); Java code chains the same-named setter methods (the properties are hidden
     * from Java). Every property starts at the default documented on [TokenVerifierOptions].
     */
    public class Builder {
        /** See [TokenVerifierOptions.jwtKey]. Default: `null`; a blank value counts as `null`. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var jwtKey: String? = null

        /** See [TokenVerifierOptions.authorizedParties]. Default: empty (no check). */
        @get:JvmSynthetic @set:JvmSynthetic
        public var authorizedParties: Set<String> = emptySet()

        /** See [TokenVerifierOptions.audience]. Default: empty (no check). */
        @get:JvmSynthetic @set:JvmSynthetic
        public var audience: Set<String> = emptySet()

        /** See [TokenVerifierOptions.clockSkew]. Default: 5 seconds. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var clockSkew: Duration = DEFAULT_CLOCK_SKEW

        /** See [TokenVerifierOptions.allowNonSessionTokens]. Default: `false`. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var allowNonSessionTokens: Boolean = false

        /** See [TokenVerifierOptions.jwksCacheTtl]. Default: 1 hour. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var jwksCacheTtl: Duration = DEFAULT_JWKS_CACHE_TTL

        /** See [TokenVerifierOptions.jwksMinRefreshInterval]. Default: 1 minute. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var jwksMinRefreshInterval: Duration = DEFAULT_JWKS_MIN_REFRESH_INTERVAL

        /** See [TokenVerifierOptions.clock]. Default: `Clock.systemUTC()`. */
        @get:JvmSynthetic @set:JvmSynthetic
        public var clock: Clock = Clock.systemUTC()

        /** Sets [jwtKey] (PEM); `null` or blank selects JWKS mode. Default: `null`. */
        public fun jwtKey(pem: String?): Builder = apply { jwtKey = pem }

        /**
         * Fills this builder from the process environment: [jwtKey] from `CLERK_JWT_KEY`, left unchanged when the
         * variable is absent or blank. The other options have no variable. Returns this builder, not finished
         * options ([TokenVerifierOptions.fromEnv] is the one-step form).
         */
        public fun fromEnv(): Builder = fromEnv(Environment.SYSTEM)

        /** [fromEnv] reading [env] instead of the process environment (tests). */
        @JvmSynthetic
        internal fun fromEnv(env: Environment): Builder = apply { env.jwtKey?.let { jwtKey = it } }

        /** Replaces [authorizedParties]. Default: empty (no check). */
        public fun authorizedParties(parties: Collection<String>): Builder = apply { authorizedParties = parties.toSet() }

        /** Replaces [authorizedParties]. Default: empty (no check). */
        public fun authorizedParties(vararg parties: String): Builder = apply { authorizedParties = parties.toSet() }

        /** Replaces [audience]. Default: empty (no check). */
        public fun audience(audiences: Collection<String>): Builder = apply { audience = audiences.toSet() }

        /** Replaces [audience]. Default: empty (no check). */
        public fun audience(vararg audiences: String): Builder = apply { audience = audiences.toSet() }

        /** Sets [clockSkew]. Default: 5 seconds. */
        public fun clockSkew(skew: Duration): Builder = apply { clockSkew = skew }

        /** Sets [allowNonSessionTokens]. Default: `false`. */
        public fun allowNonSessionTokens(allow: Boolean): Builder = apply { allowNonSessionTokens = allow }

        /** Sets [jwksCacheTtl]. Default: 1 hour. */
        public fun jwksCacheTtl(ttl: Duration): Builder = apply { jwksCacheTtl = ttl }

        /** Sets [jwksMinRefreshInterval]. Default: 1 minute. */
        public fun jwksMinRefreshInterval(interval: Duration): Builder = apply { jwksMinRefreshInterval = interval }

        /** Sets [clock]. Default: `Clock.systemUTC()`. */
        public fun clock(clock: Clock): Builder = apply { this.clock = clock }

        /**
         * Builds and validates the options.
         *
         * @throws IllegalArgumentException if [jwtKey] is not an RSA SPKI PEM public key of at least 2048 bits,
         *   a duration is out of range, or a party/audience is blank.
         */
        public fun build(): TokenVerifierOptions = TokenVerifierOptions(this)
    }

    /** Defaults and factories. */
    public companion object {
        /** Default [clockSkew]: 5 seconds (as in Clerk's SDKs). */
        @JvmField
        public val DEFAULT_CLOCK_SKEW: Duration = Duration.ofSeconds(5)

        /** Default [jwksCacheTtl]: 1 hour (as in Clerk's SDKs). */
        @JvmField
        public val DEFAULT_JWKS_CACHE_TTL: Duration = Duration.ofHours(1)

        /** Default [jwksMinRefreshInterval]: 1 minute. */
        @JvmField
        public val DEFAULT_JWKS_MIN_REFRESH_INTERVAL: Duration = Duration.ofMinutes(1)

        /** A new [Builder] with all defaults. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /**
         * Finished options from the process environment: the defaults, with [jwtKey] taken from `CLERK_JWT_KEY`.
         * When the variable is absent or blank the result is in JWKS mode, so a [JwksFetcher] is needed. To change
         * other options as well, use `builder().fromEnv()` ([Builder.fromEnv]).
         *
         * @throws IllegalArgumentException if the variable holds something that is not a valid PEM public key.
         */
        @JvmStatic
        public fun fromEnv(): TokenVerifierOptions = fromEnv(Environment.SYSTEM)

        /** [fromEnv] reading [env] instead of the process environment (tests). */
        @JvmSynthetic
        internal fun fromEnv(env: Environment): TokenVerifierOptions = Builder().fromEnv(env).build()

        /**
         * Kotlin DSL for [TokenVerifierOptions]; unset properties keep the defaults documented there.
         *
         * ```
         * val options = TokenVerifierOptions {
         *     jwtKey = System.getenv("CLERK_JWT_KEY")
         *     authorizedParties = setOf("https://app.example.com")
         * }
         * ```
         *
         * @throws IllegalArgumentException as [TokenVerifierOptions.Builder.build].
         */
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): TokenVerifierOptions = Builder().apply(block).build()

        private fun Set<String>.frozen(what: String): Set<String> {
            forEach { require(it.isNotBlank()) { "$what must not contain blank entries" } }
            return Collections.unmodifiableSet(LinkedHashSet(this))
        }
    }
}
