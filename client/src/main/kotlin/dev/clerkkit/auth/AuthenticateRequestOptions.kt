package dev.clerkkit.auth

import java.time.Clock
import java.time.Duration
import java.util.Collections
import java.util.Optional

/**
 * Options of `authenticateRequest`. Defaults:
 * - [publishableKey]: `null`. Needed for Clerk's suffixed cookie names (`__session_<suffix>`), the handshake redirect
 *   (the Frontend API is read from it) and the development-instance checks; without it only unsuffixed cookies are
 *   read and a request that would need a handshake is answered [AuthResult.SignedOut] with the same reason.
 * - [authorizedParties]: empty (no `azp` check); when set, a token without a listed `azp` is refused.
 * - [clockSkew]: 5 seconds.
 * - [treatPendingAsSignedOut]: `true` (a `pending` session is not [AuthResult.isAuthenticated]).
 * - [clock]: `Clock.systemUTC()`.
 */
public class AuthenticateRequestOptions protected constructor(builder: Builder) {
    /** The instance's publishable key (`pk_test_...`, `pk_live_...`), or `null`. Java: an `Optional`. */
    @get:JvmSynthetic public val publishableKey: String? = builder.publishableKey?.takeIf { it.isNotBlank() }

    /** Accepted `azp` values; empty = not checked. Unmodifiable. */
    public val authorizedParties: Set<String> = Collections.unmodifiableSet(LinkedHashSet(builder.authorizedParties))

    /** Tolerance for `exp`, `nbf`, `iat`. Default 5 s. */
    public val clockSkew: Duration = builder.clockSkew

    /** Whether a `pending` session counts as signed out in [AuthResult.isAuthenticated]. Default `true`. */
    public val treatPendingAsSignedOut: Boolean = builder.treatPendingAsSignedOut

    /** Time source for token checks. Default `Clock.systemUTC()`. */
    public val clock: Clock = builder.clock

    internal val frontendApi: String? = publishableKey?.let(PublishableKeys::frontendApi)
    internal val isDevelopment: Boolean = publishableKey?.startsWith("pk_test_") == true
    internal val cookieSuffix: String? = publishableKey?.let(PublishableKeys::cookieSuffix)

    init {
        require(publishableKey == null || frontendApi != null) { "publishableKey is not a Clerk publishable key (pk_test_... or pk_live_...)" }
        require(!clockSkew.isNegative) { "clockSkew must not be negative" }
        authorizedParties.forEach { require(it.isNotBlank()) { "authorizedParties must not contain blank entries" } }
    }

    /** [publishableKey] for Java. */
    @JvmName("getPublishableKey") public fun publishableKeyOptional(): Optional<String> = Optional.ofNullable(publishableKey)

    override fun toString(): String =
        "AuthenticateRequestOptions(publishableKey=$publishableKey, authorizedParties=$authorizedParties, " +
            "clockSkew=$clockSkew, treatPendingAsSignedOut=$treatPendingAsSignedOut)"

    /** Mutable builder; every property starts at its default. */
    public class Builder {
        /** See [AuthenticateRequestOptions.publishableKey]. */
        @get:JvmSynthetic @set:JvmSynthetic public var publishableKey: String? = null

        /** See [AuthenticateRequestOptions.authorizedParties]. */
        @get:JvmSynthetic @set:JvmSynthetic public var authorizedParties: Set<String> = emptySet()

        /** See [AuthenticateRequestOptions.clockSkew]. */
        @get:JvmSynthetic @set:JvmSynthetic public var clockSkew: Duration = Duration.ofSeconds(5)

        /** See [AuthenticateRequestOptions.treatPendingAsSignedOut]. */
        @get:JvmSynthetic @set:JvmSynthetic public var treatPendingAsSignedOut: Boolean = true

        /** See [AuthenticateRequestOptions.clock]. */
        @get:JvmSynthetic @set:JvmSynthetic public var clock: Clock = Clock.systemUTC()

        /** Sets [publishableKey]. */
        public fun publishableKey(value: String?): Builder = apply { publishableKey = value }

        /** Replaces [authorizedParties]. */
        public fun authorizedParties(vararg values: String): Builder = apply { authorizedParties = values.toSet() }

        /** Replaces [authorizedParties]. */
        public fun authorizedParties(values: Collection<String>): Builder = apply { authorizedParties = values.toSet() }

        /** Sets [clockSkew]. */
        public fun clockSkew(value: Duration): Builder = apply { clockSkew = value }

        /** Sets [treatPendingAsSignedOut]. */
        public fun treatPendingAsSignedOut(value: Boolean): Builder = apply { treatPendingAsSignedOut = value }

        /** Sets [clock]. */
        public fun clock(value: Clock): Builder = apply { clock = value }

        /** The options. @throws IllegalArgumentException for an invalid publishable key, a negative skew or a blank party. */
        public fun build(): AuthenticateRequestOptions = AuthenticateRequestOptions(this)
    }

    /** Factories. */
    public companion object {
        /** The defaults. */
        @JvmField public val DEFAULTS: AuthenticateRequestOptions = Builder().build()

        /** A new builder. */
        @JvmStatic public fun builder(): Builder = Builder()

        /** Kotlin DSL: `AuthenticateRequestOptions { publishableKey = "pk_..." }`. */
        @JvmSynthetic
        public operator fun invoke(block: Builder.() -> Unit): AuthenticateRequestOptions = Builder().apply(block).build()
    }
}

internal object PublishableKeys {
    /** The Frontend API host encoded in [key] (base64 of `<host>$`), or `null` if [key] is not a publishable key. */
    fun frontendApi(key: String): String? {
        if (!key.startsWith("pk_test_") && !key.startsWith("pk_live_")) return null
        val decoded = try {
            String(java.util.Base64.getDecoder().decode(key.split('_')[2]))
        } catch (_: IllegalArgumentException) {
            return null
        }
        if (!decoded.endsWith("$") || decoded.length < 2) return null
        return decoded.dropLast(1)
    }

    /** First 8 characters of the URL-safe base64 of SHA-1([key]), as Clerk suffixes cookie names. */
    fun cookieSuffix(key: String): String {
        val digest = java.security.MessageDigest.getInstance("SHA-1").digest(key.toByteArray())
        return java.util.Base64.getUrlEncoder().encodeToString(digest).take(8)
    }
}
