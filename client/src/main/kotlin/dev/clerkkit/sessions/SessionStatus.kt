package dev.clerkkit.sessions

/**
 * A session's status. An open set: a value this version does not know (e.g. one Clerk adds later) is kept as is
 * ([isKnown] false) instead of failing to decode. Compare with the constants: `session.status == SessionStatus.ACTIVE`.
 */
public class SessionStatus protected constructor(
    /** The wire value, e.g. `active`. */
    public val value: String,
) {
    // The constructor is `protected`, not `private`, so the companion needs no public synthetic one (see Models.kt).

    /** Whether [value] is one of the statuses in Clerk's spec. */
    public val isKnown: Boolean get() = value in KNOWN_VALUES

    override fun equals(other: Any?): Boolean = other is SessionStatus && other.value == value
    override fun hashCode(): Int = value.hashCode()
    override fun toString(): String = value

    /** Known statuses and a factory. */
    public companion object {
        /** `active`. */ @JvmField public val ACTIVE: SessionStatus = SessionStatus("active")
        /** `revoked`. */ @JvmField public val REVOKED: SessionStatus = SessionStatus("revoked")
        /** `ended`. */ @JvmField public val ENDED: SessionStatus = SessionStatus("ended")
        /** `expired`. */ @JvmField public val EXPIRED: SessionStatus = SessionStatus("expired")
        /** `removed`. */ @JvmField public val REMOVED: SessionStatus = SessionStatus("removed")
        /** `abandoned`. */ @JvmField public val ABANDONED: SessionStatus = SessionStatus("abandoned")
        /** `replaced`. */ @JvmField public val REPLACED: SessionStatus = SessionStatus("replaced")
        /** `pending` (API versions from 2025-04-10). */ @JvmField public val PENDING: SessionStatus = SessionStatus("pending")

        private val KNOWN = listOf(ACTIVE, REVOKED, ENDED, EXPIRED, REMOVED, ABANDONED, REPLACED, PENDING)
        private val KNOWN_VALUES = KNOWN.map { it.value }.toSet()

        /** Every status in Clerk's spec. */
        @JvmStatic public fun values(): List<SessionStatus> = KNOWN

        /** The status for [value]: a known constant, or a new unknown one. @throws IllegalArgumentException if blank. */
        @JvmStatic public fun of(value: String): SessionStatus {
            require(value.isNotBlank()) { "status must not be blank" }
            return KNOWN.firstOrNull { it.value == value } ?: SessionStatus(value)
        }
    }
}
