package dev.clerkkit.http.engine

import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.ClerkTimeoutException
import dev.clerkkit.http.RecordingSleeper
import dev.clerkkit.http.awaitUntil
import dev.clerkkit.http.cioClient
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.longs.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.time.Duration

/**
 * A pooled keep-alive connection that saw trouble (a server `Connection: close`, a read timeout, a broken answer) must
 * never carry another call's request: CIO 3.6.1 keeps such connections in its pipeline, where the next request would
 * hang (the connection's reader is gone) or read the answer meant for the failed call (the reader moved on after a
 * read timeout while the server was still working). The pipeline then replaces the whole pool (http/HttpClients.kt):
 * later calls pool again at once on new connections, and the old pool's connections are closed. Over real sockets
 * against the sandbox; each call here uses a single attempt so that nothing is papered over by a retry.
 */
class PoolHygieneSpec : FunSpec({
    val sandbox = ClerkSandbox.start()
    val user = sandbox.addUser()
    val ids = List(8) { sandbox.addSession(user) }
    val once = RequestOptions { maxAttempts(1) }
    afterSpec { sandbox.close() }
    beforeTest { sandbox.faults.clear() }

    test("a read timeout never hands the late answer to the next call") {
        cioClient(sandbox) { socketTimeout = Duration.ofMillis(300) }.use { c ->
            c.sessions.get(ids[0]).id shouldBe ids[0] // one pooled connection
            sandbox.faults.on(Route.GET_SESSION).delay(900)
            val e = shouldThrow<ClerkException> { c.sessions.get(ids[1], once) }
            e.shouldBeInstanceOf<ClerkTimeoutException>()
            // the sandbox answers the timed-out request late; the next calls must each get their own session
            withTimeout(10_000) {
                for (id in ids.drop(2)) c.sessions.get(id, once).id shouldBe id
            }
            // the late answer has gone out (the sandbox counts an answer when it sends it)
            awaitUntil(message = { "every request answered" }) {
                sandbox.stats.responses(200) + sandbox.stats.responses(404) >= sandbox.stats.requests(Route.GET_SESSION)
            }
            withTimeout(10_000) {
                for (id in ids) c.sessions.get(id, once).id shouldBe id
            }
        }
    }

    test("a request timeout (call cancelled by the client) leaves answers in order") {
        cioClient(sandbox).use { c ->
            c.sessions.get(ids[0]).id shouldBe ids[0]
            sandbox.faults.on(Route.GET_SESSION).delay(700)
            shouldThrow<ClerkTimeoutException> {
                c.sessions.get(ids[1], RequestOptions { maxAttempts(1); timeout(Duration.ofMillis(200)) })
            }
            withTimeout(10_000) { for (id in ids) c.sessions.get(id, once).id shouldBe id }
        }
    }

    test("calls cancelled by their callers leave answers in order, 64 in flight") {
        cioClient(sandbox).use { c ->
            repeat(20) { round ->
                sandbox.faults.on(Route.GET_SESSION).repeat(16, dev.clerkkit.testkit.Fault.Delay(50))
                coroutineScope {
                    val doomed = List(32) { i -> launch { c.sessions.get(ids[i % ids.size], once) } }
                    delay(10)
                    doomed.forEach { it.cancel() }
                    val answers = List(64) { i -> async { ids[(i + round) % ids.size].let { id -> id to c.sessions.get(id, once).id } } }
                    withTimeout(20_000) { answers.awaitAll() }.forEach { (asked, got) -> got shouldBe asked }
                }
            }
        }
    }

    test("a per-call socket timeout applies to that call only") {
        cioClient(sandbox).use { c -> // client default: 30 s
            sandbox.faults.on(Route.GET_SESSION).delay(800)
            val e = shouldThrow<ClerkTimeoutException> {
                c.sessions.get(ids[0], RequestOptions { maxAttempts(1); socketTimeout(Duration.ofMillis(200)) })
            }
            e.message shouldContain "(200 ms)"
            sandbox.faults.on(Route.GET_SESSION).delay(500)
            c.sessions.get(ids[1], once).id shouldBe ids[1]
        }
    }

    test("one Connection: close answer: the next calls succeed at once") {
        sandbox.faults.on(Route.GET_SESSION).connectionClose()
        cioClient(sandbox).use { c ->
            withTimeout(10_000) { repeat(5) { i -> c.sessions.get(ids[i], once).id shouldBe ids[i] } }
        }
    }

    test("Connection: close on every answer: every call succeeds, one connection each") {
        sandbox.faults.alwaysCloseConnections = true
        cioClient(sandbox).use { c ->
            val before = sandbox.stats.connectionsAccepted
            withTimeout(20_000) { repeat(20) { i -> c.sessions.get(ids[i % ids.size], once).id shouldBe ids[i % ids.size] } }
            sandbox.stats.connectionsAccepted - before shouldBe 20
        }
    }

    for ((what, fault) in listOf<Pair<String, (dev.clerkkit.testkit.FaultScript) -> Unit>>(
        "a truncated answer" to { it.truncatedBody() },
        "a dropped connection" to { it.drop() },
    )) {
        test("$what: the broken connection is not handed to the next call") {
            cioClient(sandbox).use { c ->
                c.sessions.get(ids[0]).id shouldBe ids[0]
                fault(sandbox.faults.on(Route.GET_SESSION))
                shouldThrow<ClerkException> { c.sessions.get(ids[1], once) }
                withTimeout(10_000) { for (id in ids) c.sessions.get(id, once).id shouldBe id }
            }
        }
    }

    test("a connection idle for longer than socketTimeout is never handed a request (CIO times out idle sockets too)") {
        cioClient(sandbox) { socketTimeout = Duration.ofMillis(300) }.use { c -> // keepAliveTime: default 20 s
            c.sessions.get(ids[0], once).id shouldBe ids[0]
            delay(700)
            c.sessions.get(ids[1], once).id shouldBe ids[1]
        }
    }

    for ((what, fault) in listOf<Pair<String, (dev.clerkkit.testkit.FaultScript) -> Unit>>(
        "a Connection: close answer" to { it.connectionClose() },
        "a read timeout" to { it.delay(900) },
        "a dropped connection" to { it.drop() },
    )) {
        test("after $what, calls share connections again at once (a new pool), not one connection per call") {
            cioClient(sandbox).use { c ->
                c.sessions.get(ids[0], once).id shouldBe ids[0]
                fault(sandbox.faults.on(Route.GET_SESSION))
                // the faulted call alone has a short (request) timeout, so that a slow machine cannot time out the others
                runCatching { c.sessions.get(ids[1], RequestOptions { maxAttempts(1); timeout(Duration.ofMillis(400)) }) }
                val before = sandbox.stats.connectionsAccepted
                withTimeout(10_000) { repeat(50) { i -> c.sessions.get(ids[i % ids.size], once).id shouldBe ids[i % ids.size] } }
                (sandbox.stats.connectionsAccepted - before) shouldBeLessThanOrEqual 2L
            }
        }
    }

    test("a replaced pool closes its connections at once, the stalled one included (keep-alive would keep them 22.5 s)") {
        cioClient(sandbox).use { c -> // keep-alive on CIO: 3/4 of socketTimeout 30 s
            val stalled = RequestOptions { maxAttempts(1); timeout(Duration.ofMillis(200)) }
            repeat(2) { round ->
                coroutineScope { List(8) { i -> async { c.sessions.get(ids[i], once).id shouldBe ids[i] } }.awaitAll() }
                sandbox.faults.on(Route.GET_SESSION).delay(3_000) // the server holds one pooled connection for 3 s
                shouldThrow<ClerkTimeoutException> { c.sessions.get(ids[round], stalled) }
                // the stalled pool is replaced (at once, or once the back-off between replacements allows): calls go on
                // until the next generation carries them
                awaitUntil(timeoutMillis = 15_000, message = { "pool ${round + 2} in use" }) {
                    c.sessions.get(ids[0], once).id shouldBe ids[0]
                    Thread.getAllStackTraces().keys.any { it.name.startsWith("clerkkit-cio") && it.name.contains("-g${round + 2}-") }
                }
            }
            c.sessions.get(ids[0], once).id shouldBe ids[0]
            // the current pool holds one connection; every connection of the two replaced pools is closed by the
            // client (the server sees each close once it has answered)
            awaitUntil(timeoutMillis = 8_000, message = { "open connections: ${sandbox.stats.openConnections}" }) {
                sandbox.stats.openConnections <= 1
            }
            // and the replaced pools' threads are gone (a CIO lane's generation N runs on "clerkkit-cio<lane>-gN-M")
            awaitUntil(message = { "threads of replaced pools still alive" }) {
                Thread.getAllStackTraces().keys.none { it.name.startsWith("clerkkit-cio") && it.name.contains("-g2-") }
            }
        }
    }

    test("3,000 GETs at 64 in flight while the server closes a connection every 50 ms: every answer right, none fails") {
        val sleeper = RecordingSleeper()
        cioClient(sandbox, sleeper) { requestTimeout = Duration.ofSeconds(2) }.use { c ->
            coroutineScope {
                val closer = launch {
                    while (true) {
                        delay(50)
                        sandbox.faults.on(Route.GET_SESSION).connectionClose()
                    }
                }
                val gate = kotlinx.coroutines.sync.Semaphore(64)
                val answers = List(3_000) { i ->
                    async { gate.acquire(); try { ids[i % ids.size] to c.sessions.get(ids[i % ids.size]).id } finally { gate.release() } }
                }
                withTimeout(120_000) { answers.awaitAll() }.forEach { (asked, got) -> got shouldBe asked }
                closer.cancel()
            }
        }
    }

    test("a server that closes each connection after 20 requests, 16 in flight: every one of 4,000 single-attempt GETs is answered") {
        // CIO hands the next request to a connection whose last answer said Connection: close, where it is never
        // answered; it is sent again on a connection of its own once the pool announced the close
        sandbox.faults.maxRequestsPerConnection = 20
        cioClient(sandbox) { requestTimeout = Duration.ofSeconds(2) }.use { c ->
            coroutineScope {
                val gate = kotlinx.coroutines.sync.Semaphore(16)
                val answers = List(4_000) { i ->
                    async { gate.acquire(); try { ids[i % ids.size] to c.sessions.get(ids[i % ids.size], once).id } finally { gate.release() } }
                }
                withTimeout(120_000) { answers.awaitAll() }.forEach { (asked, got) -> got shouldBe asked }
            }
        }
    }

    for (inFlight in listOf(1, 8)) {
        test("a server that closes each connection after 300 requests (nginx keepalive_requests), $inFlight in flight: about a connection per 300 calls") {
            sandbox.faults.maxRequestsPerConnection = 300
            val sleeper = RecordingSleeper()
            cioClient(sandbox, sleeper) { requestTimeout = Duration.ofSeconds(2) }.use { c ->
                val before = sandbox.stats.connectionsAccepted
                coroutineScope {
                    val gate = kotlinx.coroutines.sync.Semaphore(inFlight)
                    val answers = List(3_000) { i ->
                        async { gate.acquire(); try { ids[i % ids.size] to c.sessions.get(ids[i % ids.size], once).id } finally { gate.release() } }
                    }
                    withTimeout(60_000) { answers.awaitAll() }.forEach { (asked, got) -> got shouldBe asked }
                }
                // 10 connections would be ideal at 1 in flight (8 to 16 at 8); a connection per call would be 3,000
                (sandbox.stats.connectionsAccepted - before) shouldBeLessThanOrEqual 40L
                sleeper.waits shouldBe emptyList()
            }
        }
    }
})
