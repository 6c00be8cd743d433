package dev.clerkkit.ratelimit

import java.time.Duration

/**
 * Where the client takes a permit before each attempt of a call to Clerk (retries included; `GET /v1/jwks` excepted).
 * The built-in one is [LocalRateBudget] (this process only, sized by [dev.clerkkit.ClerkConfig.rateLimit]); the
 * `clerkkit-redis` module has one shared by every process that uses the same Redis and secret key.
 *
 * A Kotlin SPI (suspend functions): Java callers pick a ready-made budget (e.g. `RedisRateBudget.create(...)`) and pass
 * it to [dev.clerkkit.ClerkConfig.Builder.rateBudget].
 *
 * Implementations must be thread-safe, must never block a thread while waiting (suspend instead), and must be
 * cancellable: a caller cancelled while waiting takes no permit and gives back none it did not take.
 *
 * The client calls [release] once for every permit it took, when that attempt has ended. A budget that holds each
 * permit until a window after its release (as the built-in ones do) keeps Clerk's view to the limit whatever the
 * requests' latency; one that counts from [acquire] only can let Clerk see more than the limit in one of its windows.
 */
public interface RateBudget {
    /**
     * Takes one permit, suspending while one frees up if that happens within [maxWait].
     * @return null when the permit was taken; otherwise (nothing taken, at once, without waiting) how long until a
     *   permit frees up, which is more than [maxWait].
     */
    public suspend fun acquire(maxWait: Duration): Duration?

    /**
     * The attempt of one permit taken by [acquire] has ended (answered, failed, timed out or cancelled): from now the
     * permit ages out of the window. Called exactly once per permit taken, also on cancellation. Default: nothing.
     */
    public suspend fun release() {}

    /**
     * Clerk answered 429 (e.g. another client spent the same instance's budget): give out no permit for [duration]
     * (the response's `Retry-After`). A longer pause already in force is kept.
     */
    public suspend fun pause(duration: Duration)
}
