package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.http.engine.EngineResponse
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.withTimeout
import java.time.Duration

/**
 * Attempt timeout (every attempt): the attempt (its wait for a rate permit, [ApiRequest.rateBudgetWait], then send,
 * wait, read) must end within the call's request timeout ([dev.clerkkit.RequestOptions.timeout], else
 * [ClerkConfig.requestTimeout]), or it is cancelled and fails with [ClerkTimeoutException] (`mayHaveReachedServer`
 * true; [ClerkTimeoutException.rateBudgetWait] says how much of it went waiting for the permit). A coroutine timer
 * rather than Ktor's `HttpTimeout`, which launches a coroutine per call for it.
 */
internal class AttemptTimeoutStage(private val config: ClerkConfig) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val total = request.options.timeout ?: config.requestTimeout
        val waited = request.rateBudgetWait
        val limit = (total - waited).takeUnless { it.isNegative } ?: Duration.ZERO
        val started = System.nanoTime()
        try {
            return withTimeout(limit.toMillis()) { chain.proceed(request) }
        } catch (e: TimeoutCancellationException) {
            throw timedOut(request, total, waited, e)
        } catch (e: ClerkException) {
            // the timer fired while the engine was failing the exchange for it: report the timeout, not its side effect
            if (e !is ClerkTimeoutException && System.nanoTime() - started >= limit.toNanos()) throw timedOut(request, total, waited, e)
            throw e
        }
    }

    private fun timedOut(request: ApiRequest, total: Duration, waited: Duration, cause: Throwable): ClerkTimeoutException {
        val name = request.operation.name
        val spent = if (waited.isZero) "" else ", ${waited.toMillis()} ms of it waiting for a rate-budget permit"
        return ClerkTimeoutException(
            name,
            "$name timed out after ${total.toMillis()} ms (request timeout$spent); the request may have reached the server",
            true, cause, waited,
        )
    }

    override fun toString(): String = "AttemptTimeoutStage"
}
