package dev.clerkkit.http

import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.ClerkApiException
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.errors.ServerException
import java.time.Duration

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
    val retryAfter = (failure as? ClerkApiException)?.retryAfter
    val honoured = retryAfter?.takeIf { failure is ClerkApiException && (failure.statusCode == 429 || failure.statusCode == 503) }
    if (honoured != null) return if (honoured > policy.maxRetryAfter) null else honoured
    return policy.backoff(retry)
}
