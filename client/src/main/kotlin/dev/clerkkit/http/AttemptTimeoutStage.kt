package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.http.engine.EngineResponse
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.withTimeout
import java.time.Duration

/**
 * Attempt timeout (every attempt): the rest of the attempt (send, wait, read) must end within the call's request
 * timeout ([dev.clerkkit.RequestOptions.timeout], else [ClerkConfig.requestTimeout]), or it is cancelled and fails
 * with [ClerkTimeoutException] (`mayHaveReachedServer` true). A coroutine timer rather than Ktor's `HttpTimeout`, which
 * launches a coroutine per call for it.
 */
internal class AttemptTimeoutStage(private val config: ClerkConfig) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val limit = request.options.timeout ?: config.requestTimeout
        val started = System.nanoTime()
        try {
            return withTimeout(limit.toMillis()) { chain.proceed(request) }
        } catch (e: TimeoutCancellationException) {
            throw timedOut(request, limit, e)
        } catch (e: ClerkException) {
            // the timer fired while the engine was failing the exchange for it: report the timeout, not its side effect
            if (e !is ClerkTimeoutException && System.nanoTime() - started >= limit.toNanos()) throw timedOut(request, limit, e)
            throw e
        }
    }

    private fun timedOut(request: ApiRequest, limit: Duration, cause: Throwable) = ClerkTimeoutException(
        request.operation.name,
        "${request.operation.name} timed out after ${limit.toMillis()} ms (request timeout); the request may have reached the server",
        true, cause,
    )

    override fun toString(): String = "AttemptTimeoutStage"
}
