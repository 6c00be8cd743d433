package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.auth.AuthRequest
import dev.clerkkit.auth.AuthResult
import dev.clerkkit.auth.AuthenticateRequestOptions
import dev.clerkkit.testkit.BrowserSession
import dev.clerkkit.testkit.ClerkSandbox
import kotlinx.coroutines.runBlocking
import java.lang.management.ManagementFactory
import java.util.concurrent.CountDownLatch
import java.util.concurrent.atomic.AtomicLong

/**
 * `-Dbench.phases=auth`: `authenticateRequest` per request (header path and cookie path, warm JWKS) beside
 * `verifyToken` alone, with 1 and 16 threads: µs per request (wall, per thread) and bytes allocated per request
 * (1 thread). In-process sandbox; the JWKS is fetched once before measuring, so no request leaves the process.
 */
internal class AuthPhase(private val emit: (String) -> Unit, private val quick: Boolean) {
    fun run() {
        emit("\n## authenticateRequest vs verifyToken (warm JWKS, in-process sandbox)\n")
        ClerkSandbox.start { authorizedParty = "https://app.example.com"; defaultTokenLifetimeSeconds = 3600 }.use { sandbox ->
            ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; allowInsecureHttp = true }.use { clerk ->
                val sid = sandbox.addSession(sandbox.addUser())
                val browser = sandbox.signIn(sid)
                val options = AuthenticateRequestOptions {
                    publishableKey = sandbox.publishableKey
                    authorizedParties = setOf("https://app.example.com")
                }
                val sfx = BrowserSession.cookieSuffixOf(sandbox.publishableKey)
                val header = AuthRequest.builder().method("GET").url("https://app.example.com/api/orders")
                    .header("Authorization", "Bearer ${browser.sessionToken}").header("Accept", "application/json").build()
                val cookie = AuthRequest.builder().method("GET").url("https://app.example.com/dashboard")
                    .header("Cookie", "${browser.cookieHeader()}; __clerk_db_jwt_$sfx=dvb_bench; _ga=GA1.1.123")
                    .header("Accept", "text/html").header("Sec-Fetch-Dest", "document").build()
                val verifier = clerk.tokenVerifier(dev.clerkkit.tokens.TokenVerifierOptions { authorizedParties = setOf("https://app.example.com") })
                runBlocking {
                    check(clerk.authenticateRequest(header, options) is AuthResult.SignedIn)
                    check(clerk.authenticateRequest(cookie, options) is AuthResult.SignedIn)
                    verifier.verify(browser.sessionToken)
                }
                val cases = listOf<Pair<String, suspend () -> Unit>>(
                    "`verifyToken` (verifier.verify)" to { verifier.verify(browser.sessionToken) },
                    "`authenticateRequest`, Authorization header" to { clerk.authenticateRequest(header, options) },
                    "`authenticateRequest`, cookies" to { clerk.authenticateRequest(cookie, options) },
                )
                emit("| operation | threads | µs per request | bytes allocated per request (1 thread) | vs verifyToken |\n|---|---:|---:|---:|---:|")
                for (threads in listOf(1, 16)) {
                    var base = 0.0
                    for ((name, op) in cases) {
                        val (us, bytes) = measure(threads, op)
                        if (base == 0.0) base = us
                        emit("| $name | $threads | ${"%.1f".format(us)} | ${bytes?.let { "%.0f".format(it) } ?: "-"} | ${"%.2f".format(us / base)}x |")
                    }
                }
                emit("\nJWKS requests to the sandbox during the phase: ${sandbox.stats.requests(dev.clerkkit.testkit.Route.JWKS)}\n")
            }
        }
    }

    /** µs per op per thread, and (1 thread) bytes allocated per op. */
    private fun measure(threads: Int, op: suspend () -> Unit): Pair<Double, Double?> {
        val warmMs = if (quick) 300L else 3_000L
        val measureMs = if (quick) 700L else 4_000L
        val mx = ManagementFactory.getThreadMXBean() as? com.sun.management.ThreadMXBean
        val ops = AtomicLong()
        val nanos = AtomicLong()
        val allocated = AtomicLong()
        val done = CountDownLatch(threads)
        repeat(threads) {
            Thread {
                runBlocking {
                    val warmEnd = System.nanoTime() + warmMs * 1_000_000
                    while (System.nanoTime() < warmEnd) op()
                    val a0 = mx?.currentThreadAllocatedBytes ?: 0
                    val t0 = System.nanoTime()
                    val end = t0 + measureMs * 1_000_000
                    var n = 0L
                    while (System.nanoTime() < end) {
                        op(); n++
                    }
                    nanos.addAndGet(System.nanoTime() - t0)
                    allocated.addAndGet((mx?.currentThreadAllocatedBytes ?: 0) - a0)
                    ops.addAndGet(n)
                }
                done.countDown()
            }.start()
        }
        done.await()
        val us = nanos.get() / 1000.0 / ops.get()
        return us to (if (threads == 1 && mx != null) allocated.get().toDouble() / ops.get() else null)
    }
}
