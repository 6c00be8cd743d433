package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.ratelimit.LocalRateBudget
import dev.clerkkit.ratelimit.RateBudget
import java.time.Duration

/**
 * Rate budget (every attempt): takes one permit of the client's [RateBudget] before the attempt goes on, unless its
 * operation is not rate-limited ([Operation.rateLimited]: `GET /jwks`). Without a free permit the attempt waits by
 * suspending, at most its request timeout; past that it fails at once, unsent, with [RateBudgetExhaustedException].
 * A 429 coming back pauses the budget for its `Retry-After`, at most [ClerkConfig.maxRateLimitPause].
 *
 * The budget is [ClerkConfig.rateBudget], else a [LocalRateBudget] of [ClerkConfig.rateLimit]; with neither
 * ([dev.clerkkit.ratelimit.RateLimit.OFF]) the client has no budget and this stage is not in the chain.
 */
internal class RateBudgetStage(private val budget: RateBudget, private val maxPause: Duration, private val config: ClerkConfig) : Stage {

    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        if (request.operation.rateLimited) {
            val maxWait = request.options.timeout ?: config.requestTimeout
            val t0 = if (request.events != null) System.nanoTime() else 0L
            val freeIn = budget.acquire(maxWait)
            request.events?.rateBudgetWaited(request, budget, System.nanoTime() - t0, freeIn == null)
            if (freeIn != null) throw RateBudgetExhaustedException(request.operation.name, freeIn, maxWait)
        }
        try {
            return chain.proceed(request)
        } catch (e: RateLimitException) {
            e.retryAfter?.let { budget.pause(minOf(it, maxPause)) }
            throw e
        }
    }

    override fun toString(): String = "RateBudgetStage($budget)"

    companion object {
        /** The stage for [config], or null when the client has no budget. */
        fun of(config: ClerkConfig): RateBudgetStage? {
            val budget = config.rateBudget ?: config.rateLimit.takeUnless { it.isOff }?.let(::LocalRateBudget) ?: return null
            return RateBudgetStage(budget, config.maxRateLimitPause, config)
        }
    }
}
