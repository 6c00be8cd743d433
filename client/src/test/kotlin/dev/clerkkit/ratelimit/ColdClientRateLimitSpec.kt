package dev.clerkkit.ratelimit

import dev.clerkkit.ClerkClient
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.SandboxRateLimit
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withContext
import java.time.Duration

/**
 * A user's first burst: a fresh client with the same limit as the sandbox's fixed windows (whose phase the client does
 * not know) sends 100 gets, 16 in flight, with no retries, so a single 429 fails a call.
 */
class ColdClientRateLimitSpec : FunSpec({
    test("100 gets at 16 in flight against a sandbox limited to 20 / 2 s, client limit the same: no 429, three fresh clients") {
        val window = Duration.ofSeconds(2)
        ClerkSandbox.start { rateLimit = SandboxRateLimit.of(20, window) }.use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            repeat(3) { run ->
                // a fresh instance budget too: what an earlier client spent in the server's current window, a new
                // client cannot know (only a 429's Retry-After tells it)
                sandbox.resetRateLimits()
                val limitedBefore = sandbox.stats.rateLimitedRequests
                ClerkClient {
                    secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl
                    rateLimit = RateLimit.of(20, window); maxAttempts(1)
                }.use { clerk ->
                    val inFlight = Semaphore(16)
                    val results = withContext(Dispatchers.Default) {
                        coroutineScope {
                            (1..100).map { async { inFlight.withPermit { runCatching { clerk.sessions.get(sid) } } } }.awaitAll()
                        }
                    }
                    withClue("run $run: ${results.mapNotNull { it.exceptionOrNull()?.message }.take(3)}") {
                        results.count { it.isFailure } shouldBe 0
                        sandbox.stats.rateLimitedRequests - limitedBefore shouldBe 0
                    }
                }
            }
        }
    }
})
