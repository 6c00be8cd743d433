package dev.clerkkit.errors

import java.time.Duration
import java.time.Instant

/**
 * The call was not sent: the client-side rate budget ([dev.clerkkit.ClerkConfig.rateLimit], or a shared
 * [dev.clerkkit.ClerkConfig.rateBudget]) has no permit left, and the next one frees up later than the call may wait
 * (its request timeout). Thrown at once, without waiting; never retried. No request reached Clerk.
 *
 * To recover: send the call again at [availableAt] or later, or give it a longer request timeout
 * ([dev.clerkkit.RequestOptions.timeout]) so it queues for its permit instead. A `429` with `Retry-After` pauses the
 * budget for at most [dev.clerkkit.ClerkConfig.maxRateLimitPause] (default 10 s).
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
        "later than this call may wait (${maxWait.toMillis()} ms); send it again then, or with a longer request timeout to queue for it",
    null,
) {
    /** When the budget has a permit again (wall clock, computed when this error was created). */
    public val availableAt: Instant = Instant.now().plus(availableIn)
}
