package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import dev.clerkkit.http.engine.EngineResponse
import java.time.Duration

/**
 * Retry (once per call, around every attempt): runs the rest of the chain as attempt 1, 2, ... until one succeeds,
 * the failure may not be retried ([retryDelay]), the policy's attempts are spent, or the next wait would end past
 * [RetryPolicy.maxElapsed]. Waits with the policy's sleeper. The error thrown carries how many attempts were made.
 * After a failure below HTTP the next attempt is marked [ApiRequest.afterTransportFailure]: the failure may have come
 * from a pooled keep-alive connection the server had closed. A cancellation is never retried (it is not a
 * `ClerkException`).
 */
internal class RetryStage(private val config: ClerkConfig) : Stage {
    override val repeats: Boolean get() = true

    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val policy = request.options.retryPolicy ?: config.retryPolicy
        val started = System.nanoTime()
        var attempt = 1
        var afterTransportFailure = false
        while (true) {
            val failure = try {
                return chain.proceed(request.copy(attempt = attempt, afterTransportFailure = afterTransportFailure))
            } catch (e: ClerkException) {
                e
            }
            failure.attempts = attempt
            if (attempt >= policy.maxAttempts) throw failure
            val wait = retryDelay(failure, request.operation.replay, policy, attempt) ?: throw failure
            if (Duration.ofNanos(System.nanoTime() - started) + wait > policy.maxElapsed) throw failure
            request.events?.retryScheduled(request, attempt, failure, wait)
            policy.sleeper.sleep(wait)
            afterTransportFailure = failure is ClerkTransportException
            attempt++
        }
    }

    override fun toString(): String = "RetryStage"
}

/**
 * How long to wait before retrying after [failure] (the [retry]-th retry), or null when it must not be retried.
 * The rules, per operation, are in docs/retries.md:
 * - 429: Clerk refused the request without processing it, so even a `create` ([Replay.UNSAFE]) may be sent again;
 * - 5xx: only calls that are safe to replay;
 * - a transport failure: safe calls always, unsafe ones only when the request provably never left.
 *
 * `Retry-After` is honoured where HTTP defines it for a retry (429 and 503), up to [RetryPolicy.maxRetryAfter];
 * everywhere else the policy's backoff applies.
 */
internal fun retryDelay(failure: ClerkException, replay: Replay, policy: RetryPolicy, retry: Int): Duration? {
    val retryable = when (failure) {
        is RateLimitException -> true
        is ServerException -> replay == Replay.SAFE
        is ClerkTransportException -> replay == Replay.SAFE || !failure.mayHaveReachedServer
        else -> false
    }
    if (!retryable) return null
    val api = failure as? ClerkApiException
    val honoured = api?.retryAfter?.takeIf { api.statusCode == 429 || api.statusCode == 503 }
    if (honoured != null) return if (honoured > policy.maxRetryAfter) null else honoured
    return policy.backoff(retry)
}
