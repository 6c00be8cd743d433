package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.ratelimit.LocalRateBudget
import dev.clerkkit.ratelimit.RateBudget
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.withContext
import java.time.Duration

/**
 * Rate budget (every attempt): takes one permit of the client's [RateBudget] before the attempt goes on, unless its
 * operation is not rate-limited ([Operation.rateLimited]: `GET /jwks`), and releases it ([RateBudget.release]) when
 * the attempt has ended, however it ended. Without a free permit the attempt waits by suspending, at most its request
 * timeout; past that it fails at once, unsent, with [RateBudgetExhaustedException]. The time waited is passed on as
 * [ApiRequest.rateBudgetWait]: it is part of the attempt's request timeout ([AttemptTimeoutStage]).
 * A 429 coming back pauses the budget for its `Retry-After`, at most [ClerkConfig.maxRateLimitPause].
 *
 * The budget is [ClerkConfig.rateBudget], else a [LocalRateBudget] of [ClerkConfig.rateLimit]; with neither
 * ([dev.clerkkit.ratelimit.RateLimit.OFF]) the client has no budget and this stage is not in the chain.
 */
internal class RateBudgetStage(private val budget: RateBudget, private val maxPause: Duration, private val config: ClerkConfig) : Stage {

    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        if (!request.operation.rateLimited) return proceed(chain, request)
        val maxWait = request.options.timeout ?: config.requestTimeout
        val started = config.nanoClock()
        val freeIn = budget.acquire(maxWait)
        val waitedNanos = (config.nanoClock() - started).coerceAtLeast(0)
        request.events?.rateBudgetWaited(request, budget, waitedNanos, freeIn == null)
        if (freeIn != null) throw RateBudgetExhaustedException(request.operation.name, freeIn, maxWait)
        val waited = Duration.ofNanos(waitedNanos)
        try {
            return proceed(chain, request.copy(rateBudgetWait = waited))
        } finally {
            withContext(NonCancellable) { budget.release() }
        }
    }

    private suspend fun proceed(chain: Chain, request: ApiRequest): EngineResponse = try {
        chain.proceed(request)
    } catch (e: RateLimitException) {
        e.retryAfter?.let { budget.pause(minOf(it, maxPause)) }
        throw e
    }

    override fun toString(): String = "RateBudgetStage($budget)"

    companion object {
        /** The stage for [config], or null when the client has no budget. */
        fun of(config: ClerkConfig): RateBudgetStage? {
            val budget = config.rateBudget ?: config.rateLimit.takeUnless { it.isOff }?.let { limit ->
                val sleeper = config.rateSleeper
                if (sleeper == null) LocalRateBudget(limit) else LocalRateBudget(limit).on(config.nanoClock, sleeper)
            } ?: return null
            return RateBudgetStage(budget, config.maxRateLimitPause, config)
        }
    }
}
