package dev.clerkkit.errors

import java.time.Duration
import java.time.Instant

/**
 * The call was not sent: the client-side rate budget ([dev.clerkkit.ClerkConfig.rateLimit], or a shared
 * [dev.clerkkit.ClerkConfig.rateBudget]) has no permit left, and the next one frees up later than the call may wait
 * (its request timeout). Thrown at once, without waiting; never retried. No request reached Clerk.
 *
 * @constructor For code that fakes the client: [operation] (e.g. `sessions.get`), [availableIn] and [maxWait]; the
 *   message is the client's own.
 */
public class RateBudgetExhaustedException(
    override val operation: String,
    /** How long until the budget has a permit again. */
    public val availableIn: Duration,
    /** The longest this call could wait for a permit (its request timeout). */
    public val maxWait: Duration,
) : ClerkException(
    "$operation not sent: the local rate budget is exhausted; a permit frees up in ${availableIn.toMillis()} ms, " +
        "later than this call may wait (${maxWait.toMillis()} ms)",
    null,
) {
    /** When the budget has a permit again (wall clock, computed when this error was created). */
    public val availableAt: Instant = Instant.now().plus(availableIn)
}
