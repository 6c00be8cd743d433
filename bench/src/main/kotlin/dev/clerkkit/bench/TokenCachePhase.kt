package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.TokenCacheOptions
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.util.concurrent.atomic.AtomicLong

/**
 * `-Dbench.phases=tokencache`: `createTokenFromTemplate` per request for one session and template (a service minting a
 * worker token per request), without and with the client's token cache, at 1 and 64 calls in flight: calls per
 * second and how many of them reached the sandbox. In-process sandbox over loopback http, template lifetime 1 h
 * (so the cached token stays fresh), no rate limit on either side.
 */
internal class TokenCachePhase(private val emit: (String) -> Unit, private val quick: Boolean) {
    fun run() {
        emit("\n## createTokenFromTemplate per request, without and with the token cache (in-process sandbox, http)\n")
        ClerkSandbox.start().use { sandbox ->
            sandbox.addJwtTemplate("worker", mapOf("role" to "worker"), lifetimeSeconds = 3600)
            val sid = sandbox.addSession(sandbox.addUser())
            emit(
                "| token cache | in flight | calls measured | calls per second | of them reaching the sandbox | " +
                    "reaching the sandbox since the client started (warm-up included) |\n|---|---:|---:|---:|---:|---:|",
            )
            for (cached in listOf(false, true)) {
                ClerkClient {
                    secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateLimit = RateLimit.OFF
                    if (cached) tokenCache = TokenCacheOptions.DEFAULTS
                }.use { clerk ->
                    val atStart = sandbox.stats.requests(Route.CREATE_TOKEN_FROM_TEMPLATE)
                    for (inFlight in listOf(1, 64)) {
                        val op: suspend () -> Unit = { clerk.sessions.createTokenFromTemplate(sid, "worker") }
                        measure(inFlight, if (quick) 500 else 2_000, op) // warm-up
                        val before = sandbox.stats.requests(Route.CREATE_TOKEN_FROM_TEMPLATE)
                        val (calls, seconds) = measure(inFlight, if (quick) 2_000 else 5_000, op)
                        val reached = sandbox.stats.requests(Route.CREATE_TOKEN_FROM_TEMPLATE) - before
                        val sinceStart = sandbox.stats.requests(Route.CREATE_TOKEN_FROM_TEMPLATE) - atStart
                        emit(
                            "| ${if (cached) "on" else "off"} | $inFlight | ${"%,d".format(calls)} | ${"%,.0f".format(calls / seconds)} | " +
                                "${"%,d".format(reached)} | ${"%,d".format(sinceStart)} |",
                        )
                    }
                }
            }
        }
    }

    /** [inFlight] loops calling [op] for [millis]: calls made and seconds taken. */
    private fun measure(inFlight: Int, millis: Long, op: suspend () -> Unit): Pair<Long, Double> {
        val calls = AtomicLong()
        val t0 = System.nanoTime()
        val end = t0 + millis * 1_000_000
        runBlocking(Dispatchers.Default) {
            repeat(inFlight) {
                launch {
                    while (System.nanoTime() < end) {
                        op(); calls.incrementAndGet()
                    }
                }
            }
        }
        return calls.get() to (System.nanoTime() - t0) / 1e9
    }
}
