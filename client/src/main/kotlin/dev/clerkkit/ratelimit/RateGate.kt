package dev.clerkkit.ratelimit

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.errors.RateLimitException
import java.time.Duration

/**
 * The pipeline's hook into the rate budget (issue 18): [beforeAttempt] before every attempt, [afterFailure] after
 * every failed one. The budget is [ClerkConfig.rateBudget], else a [LocalRateBudget] of [ClerkConfig.rateLimit], else
 * none ([RateLimit.OFF]).
 */
internal class RateGate(private val budget: RateBudget?) {
    constructor(config: ClerkConfig) : this(
        config.rateBudget ?: config.rateLimit.takeUnless { it.isOff }?.let(::LocalRateBudget),
    )

    /** Takes one permit for [operation], waiting at most [maxWait]; `jwks.get` is not limited. */
    suspend fun beforeAttempt(operation: String, maxWait: Duration) {
        if (budget == null || operation in UNLIMITED) return
        val freeIn = budget.acquire(maxWait) ?: return
        throw RateBudgetExhaustedException(operation, freeIn, maxWait)
    }

    /** A 429 with `Retry-After` pauses the budget until then. */
    suspend fun afterFailure(failure: ClerkException) {
        if (budget == null || failure !is RateLimitException) return
        failure.retryAfter?.let { budget.pause(it) }
    }

    private companion object {
        /** Clerk does not rate-limit `GET /v1/jwks`. */
        val UNLIMITED = setOf("jwks.get")
    }
}
