package dev.clerkkit.sessions

import dev.clerkkit.internal.checkedId
import dev.clerkkit.internal.checkedLifetime
import java.util.Objects
import java.util.Optional

/*
 * One params object per Sessions operation (besides SessionListParams and RefreshSessionParams in Params.kt). Each
 * checks itself when built: a missing or unacceptable value throws IllegalArgumentException from `build()`, on the
 * caller's thread and before any I/O, whichever API (Kotlin, Java futures, Java blocking) the object is then given to.
 * Ids must not be blank, `.` or `..` (dot-segments servers collapse), nor longer than 1024 characters; any other
 * character is fine (each id is sent percent-encoded as exactly one path segment).
 *
 * Why objects and not parameter lists: a params object can gain an optional field without breaking code compiled
 * against it, where a new (default) parameter of a function changes its binary signature.
 */

/** Params of `GET /sessions/{session_id}` ([Sessions.get]). [sessionId] is required. */
public class GetSessionParams protected constructor(builder: Builder) {
    /** The session, `sess_...`. Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().sessionId(sessionId)

    override fun equals(other: Any?): Boolean = other is GetSessionParams && other.sessionId == sessionId
    override fun hashCode(): Int = sessionId.hashCode()
    override fun toString(): String = "GetSessionParams(sessionId=$sessionId)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [GetSessionParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Checks and freezes. @throws IllegalArgumentException when [sessionId] is missing or unacceptable. */
        public fun build(): GetSessionParams = GetSessionParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `GetSessionParams { sessionId = "sess_1" }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): GetSessionParams = Builder().apply(block).build()
    }
}

/** Params of `POST /sessions/{session_id}/revoke` ([Sessions.revoke]). [sessionId] is required. */
public class RevokeSessionParams protected constructor(builder: Builder) {
    /** The session, `sess_...`. Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().sessionId(sessionId)

    override fun equals(other: Any?): Boolean = other is RevokeSessionParams && other.sessionId == sessionId
    override fun hashCode(): Int = sessionId.hashCode()
    override fun toString(): String = "RevokeSessionParams(sessionId=$sessionId)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [RevokeSessionParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Checks and freezes. @throws IllegalArgumentException when [sessionId] is missing or unacceptable. */
        public fun build(): RevokeSessionParams = RevokeSessionParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `RevokeSessionParams { sessionId = "sess_1" }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): RevokeSessionParams = Builder().apply(block).build()
    }
}

/**
 * Params of `POST /sessions` ([Sessions.create]; testing instances only). [userId] is required;
 * [activeOrganizationId] is sent only when set (default: not sent).
 */
public class CreateSessionParams protected constructor(builder: Builder) {
    /** The user, `user_...`. Required. */
    public val userId: String = checkedId("userId", builder.userId)
    /** The session's active organization, `org_...`; null (the default) = none. Java: an `Optional` getter. */
    @get:JvmSynthetic public val activeOrganizationId: String? = builder.activeOrganizationId?.let { checkedId("activeOrganizationId", it) }

    /** [activeOrganizationId] for Java. */
    @JvmName("getActiveOrganizationId") public fun activeOrganizationIdOptional(): Optional<String> = Optional.ofNullable(activeOrganizationId)

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().userId(userId).activeOrganizationId(activeOrganizationId)

    override fun equals(other: Any?): Boolean =
        other is CreateSessionParams && other.userId == userId && other.activeOrganizationId == activeOrganizationId
    override fun hashCode(): Int = Objects.hash(userId, activeOrganizationId)
    override fun toString(): String = "CreateSessionParams(userId=$userId, activeOrganizationId=$activeOrganizationId)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [CreateSessionParams.userId]. */ @get:JvmSynthetic @set:JvmSynthetic public var userId: String? = null
        /** See [CreateSessionParams.activeOrganizationId]. */
        @get:JvmSynthetic @set:JvmSynthetic public var activeOrganizationId: String? = null
        /** Sets [userId]. */ public fun userId(value: String): Builder = apply { userId = value }
        /** Sets [activeOrganizationId] (null = none). */ public fun activeOrganizationId(value: String?): Builder = apply { activeOrganizationId = value }
        /** Checks and freezes. @throws IllegalArgumentException when [userId] is missing or an id is unacceptable. */
        public fun build(): CreateSessionParams = CreateSessionParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `CreateSessionParams { userId = "user_1"; activeOrganizationId = "org_1" }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): CreateSessionParams = Builder().apply(block).build()
    }
}

/**
 * Params of `POST /sessions/{session_id}/tokens` ([Sessions.createToken]). [sessionId] is required;
 * [expiresInSeconds] (30..315360000) is sent only when set (default: the instance's lifetime).
 */
public class CreateTokenParams protected constructor(builder: Builder) {
    /** The session, `sess_...`. Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)
    /** The token's lifetime in seconds, 30..315360000; null (the default) = the instance's. Java: an `Optional` getter. */
    @get:JvmSynthetic public val expiresInSeconds: Long? = checkedLifetime(builder.expiresInSeconds)

    /** [expiresInSeconds] for Java. */
    @JvmName("getExpiresInSeconds") public fun expiresInSecondsOptional(): Optional<Long> = Optional.ofNullable(expiresInSeconds)

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().sessionId(sessionId).expiresInSeconds(expiresInSeconds)

    override fun equals(other: Any?): Boolean =
        other is CreateTokenParams && other.sessionId == sessionId && other.expiresInSeconds == expiresInSeconds
    override fun hashCode(): Int = Objects.hash(sessionId, expiresInSeconds)
    override fun toString(): String = "CreateTokenParams(sessionId=$sessionId, expiresInSeconds=$expiresInSeconds)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [CreateTokenParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** See [CreateTokenParams.expiresInSeconds]. */ @get:JvmSynthetic @set:JvmSynthetic public var expiresInSeconds: Long? = null
        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Sets [expiresInSeconds] (null = the instance's lifetime). */ public fun expiresInSeconds(value: Long?): Builder = apply { expiresInSeconds = value }
        /** Checks and freezes. @throws IllegalArgumentException when [sessionId] is missing or a value is out of range. */
        public fun build(): CreateTokenParams = CreateTokenParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 300 }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): CreateTokenParams = Builder().apply(block).build()
    }
}

/**
 * Params of `POST /sessions/{session_id}/tokens/{template_name}` ([Sessions.createTokenFromTemplate]). [sessionId] and
 * [templateName] are required; [expiresInSeconds] as in [CreateTokenParams].
 */
public class CreateTokenFromTemplateParams protected constructor(builder: Builder) {
    /** The session, `sess_...`. Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)
    /** The JWT template's name. Required. */
    public val templateName: String = checkedId("templateName", builder.templateName)
    /** The token's lifetime in seconds, 30..315360000; null (the default) = the template's. Java: an `Optional` getter. */
    @get:JvmSynthetic public val expiresInSeconds: Long? = checkedLifetime(builder.expiresInSeconds)

    /** [expiresInSeconds] for Java. */
    @JvmName("getExpiresInSeconds") public fun expiresInSecondsOptional(): Optional<Long> = Optional.ofNullable(expiresInSeconds)

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().sessionId(sessionId).templateName(templateName).expiresInSeconds(expiresInSeconds)

    override fun equals(other: Any?): Boolean = other is CreateTokenFromTemplateParams && other.sessionId == sessionId &&
        other.templateName == templateName && other.expiresInSeconds == expiresInSeconds
    override fun hashCode(): Int = Objects.hash(sessionId, templateName, expiresInSeconds)
    override fun toString(): String =
        "CreateTokenFromTemplateParams(sessionId=$sessionId, templateName=$templateName, expiresInSeconds=$expiresInSeconds)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [CreateTokenFromTemplateParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** See [CreateTokenFromTemplateParams.templateName]. */ @get:JvmSynthetic @set:JvmSynthetic public var templateName: String? = null
        /** See [CreateTokenFromTemplateParams.expiresInSeconds]. */
        @get:JvmSynthetic @set:JvmSynthetic public var expiresInSeconds: Long? = null
        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Sets [templateName]. */ public fun templateName(value: String): Builder = apply { templateName = value }
        /** Sets [expiresInSeconds] (null = the template's lifetime). */ public fun expiresInSeconds(value: Long?): Builder = apply { expiresInSeconds = value }
        /** Checks and freezes. @throws IllegalArgumentException when a required value is missing or a value is unacceptable. */
        public fun build(): CreateTokenFromTemplateParams = CreateTokenFromTemplateParams(this)
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `CreateTokenFromTemplateParams { sessionId = "sess_1"; templateName = "hasura" }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): CreateTokenFromTemplateParams = Builder().apply(block).build()
    }
}

/**
 * Params of the deprecated `POST /sessions/{session_id}/verify` ([Sessions.verify]). Both values are required.
 * [toString] never shows the token.
 */
public class VerifySessionParams protected constructor(builder: Builder) {
    /** The session, `sess_...`. Required. */
    public val sessionId: String = checkedId("sessionId", builder.sessionId)
    /** The session token to check. Required, not blank. */
    public val token: String = requireNotNull(builder.token) { "token is required" }.also { require(it.isNotBlank()) { "token must not be blank" } }

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().sessionId(sessionId).token(token)

    override fun equals(other: Any?): Boolean = other is VerifySessionParams && other.sessionId == sessionId && other.token == token
    override fun hashCode(): Int = Objects.hash(sessionId, token)
    override fun toString(): String = "VerifySessionParams(sessionId=$sessionId, token=<${token.length} chars>)"

    /** Mutable builder; [build] checks. */
    public class Builder {
        /** See [VerifySessionParams.sessionId]. */ @get:JvmSynthetic @set:JvmSynthetic public var sessionId: String? = null
        /** See [VerifySessionParams.token]. */ @get:JvmSynthetic @set:JvmSynthetic public var token: String? = null
        /** Sets [sessionId]. */ public fun sessionId(value: String): Builder = apply { sessionId = value }
        /** Sets [token]. */ public fun token(value: String): Builder = apply { token = value }
        /** Checks and freezes. @throws IllegalArgumentException when a value is missing or unacceptable. */
        public fun build(): VerifySessionParams = VerifySessionParams(this)

        override fun toString(): String = "VerifySessionParams.Builder(sessionId=$sessionId)"
    }

    /** Factories. */
    public companion object {
        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()
        /** Kotlin DSL: `VerifySessionParams { sessionId = "sess_1"; token = jwt }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): VerifySessionParams = Builder().apply(block).build()
    }
}
