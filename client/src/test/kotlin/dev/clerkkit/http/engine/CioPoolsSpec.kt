package dev.clerkkit.http.engine

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.kotest.matchers.types.shouldNotBeSameInstanceAs
import io.ktor.client.HttpClient
import io.mockk.every
import io.mockk.mockk
import io.mockk.verify
import kotlinx.coroutines.Dispatchers
import java.time.Duration
import java.util.Collections
import java.util.concurrent.ConcurrentHashMap
import java.util.concurrent.CountDownLatch
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean

/** Replacing a bad connection pool (a new Ktor client) without disturbing the calls still running on the old one. */
class CioPoolsSpec : FunSpec({
    class Fixture {
        var now = 0L
        val created: MutableList<HttpClient> = Collections.synchronizedList(mutableListOf())
        val clients = CioPools(
            create = { n -> CioPools.Generation(mockk<HttpClient>(relaxed = true).also { created += it }, Dispatchers.Unconfined, n) },
            minInterval = Duration.ofSeconds(1),
            nanoTime = { now },
        )
    }

    test("a bad pool is replaced at once; the old client closes when its last call leaves") {
        val f = Fixture()
        val first = f.clients.acquire()
        val other = f.clients.acquire() // a second call in flight on the same client
        f.clients.markBad(first, "test")
        val second = f.clients.acquire()
        second shouldNotBeSameInstanceAs first
        second.bad shouldBe false
        f.created shouldHaveSize 2
        first.release()
        verify(exactly = 0) { first.client.close() }
        other.release()
        verify(exactly = 1) { first.client.close() }
        second.release()
        verify(exactly = 0) { second.client.close() }
    }

    test("at most one replacement per interval; in between the pool stays marked bad") {
        val f = Fixture()
        val first = f.clients.acquire().also { it.release() }
        f.clients.markBad(first, "one")
        val second = f.clients.acquire().also { it.release() }
        f.now += Duration.ofMillis(500).toNanos()
        f.clients.markBad(second, "two")
        val still = f.clients.acquire()
        still shouldBeSameInstanceAs second
        still.bad shouldBe true // the pipeline gives such calls connections of their own
        still.release()
        f.now += Duration.ofMillis(500).toNanos()
        val third = f.clients.acquire() // due now: the next call replaces the bad pool
        third shouldNotBeSameInstanceAs second
        third.bad shouldBe false
        third.release()
        f.created shouldHaveSize 3
        verify(exactly = 1) { second.client.close() }
    }

    test("trouble reported for a client that was already replaced changes nothing") {
        val f = Fixture()
        val first = f.clients.acquire()
        f.clients.markBad(first, "first")
        f.now += Duration.ofSeconds(5).toNanos()
        val second = f.clients.acquire().also { it.release() }
        f.clients.markBad(first, "a late failure of a call that ran on the old client")
        f.clients.acquire().also { it.release() } shouldBeSameInstanceAs second
        second.bad shouldBe false
        first.release()
        f.created shouldHaveSize 2
    }

    test("close closes the current client once and stops replacements") {
        val f = Fixture()
        val g = f.clients.acquire()
        f.clients.close()
        verify(exactly = 1) { g.client.close() }
        f.clients.markBad(g, "after close")
        g.release()
        f.created shouldHaveSize 1
        f.clients.close()
        verify(exactly = 1) { g.client.close() }
    }

    test("concurrent calls and replacements: no client closes while a call holds it, every replaced one closes") {
        val closed = ConcurrentHashMap<HttpClient, AtomicBoolean>()
        val seen: MutableSet<CioPools.Generation> = ConcurrentHashMap.newKeySet()
        val clients = CioPools(
            create = { n ->
                val flag = AtomicBoolean()
                val c = mockk<HttpClient>(relaxed = true)
                every { c.close() } answers { flag.set(true) }
                closed[c] = flag
                CioPools.Generation(c, Dispatchers.Unconfined, n)
            },
            minInterval = Duration.ZERO,
        )
        val closedWhileInUse = AtomicBoolean()
        val threads = Executors.newFixedThreadPool(4)
        val done = CountDownLatch(4)
        repeat(4) { worker ->
            threads.execute {
                repeat(20_000) { i ->
                    val g = clients.acquire()
                    seen += g
                    if (closed.getValue(g.client).get()) closedWhileInUse.set(true)
                    if ((i + worker) % 97 == 0) clients.markBad(g, "test")
                    if (closed.getValue(g.client).get()) closedWhileInUse.set(true)
                    g.release()
                }
                done.countDown()
            }
        }
        done.await(60, TimeUnit.SECONDS) shouldBe true
        threads.shutdown()
        closedWhileInUse.get() shouldBe false
        val current = clients.generation
        seen.size shouldBeGreaterThan 10
        seen.filter { it !== current }.forEach { closed.getValue(it.client).get() shouldBe true }
        closed.getValue(current.client).get() shouldBe false
    }

    test("while new pools keep going bad, replacements back off (1, 2, 4 s ... up to the maximum); after quiet, 1 s again") {
        var now = 0L
        val clients = CioPools(
            create = { n -> CioPools.Generation(mockk<HttpClient>(relaxed = true), Dispatchers.Unconfined, n) },
            minInterval = Duration.ofSeconds(1),
            maxInterval = Duration.ofSeconds(5),
            nanoTime = { now },
        )
        val replacedAt = mutableListOf<Long>()
        var last = clients.generation
        repeat(100) { // trouble every 100 ms for 10 s
            now += Duration.ofMillis(100).toNanos()
            val g = clients.acquire()
            if (g !== last) { replacedAt += now / 1_000_000; last = g }
            clients.markBad(g, "again")
            if (clients.generation !== last) { replacedAt += now / 1_000_000; last = clients.generation }
            g.release()
        }
        replacedAt shouldBe listOf(100L, 1100L, 3100L, 7100L)
        now += Duration.ofSeconds(60).toNanos()
        val bad = clients.generation
        bad.bad shouldBe true // the last one went bad too and was not due
        val quiet = clients.acquire().also { it.release() } // due now: replaced, and the interval is back to 1 s
        quiet.number shouldBe bad.number + 1
        now += Duration.ofMillis(1_000).toNanos()
        clients.markBad(quiet, "1 s later")
        val second = clients.generation
        second.number shouldBe quiet.number + 1 // due after 1 s; soon, so the interval doubles to 2 s
        now += Duration.ofMillis(1_500).toNanos()
        clients.markBad(second, "1.5 s later")
        clients.generation shouldBeSameInstanceAs second
    }

    test("announced closes (Connection: close) replace the pool every 100 ms at most, without backoff") {
        val f = Fixture()
        val first = f.clients.generation
        repeat(20) { // a close every 150 ms for 3 s: each one replaces the pool
            f.now += Duration.ofMillis(150).toNanos()
            val g = f.clients.acquire().also { it.release() }
            f.clients.markBad(g, "Connection: close", announcedClose = true)
        }
        f.clients.generation.number shouldBe first.number + 20
        repeat(10) { // a close every 50 ms: every other one
            f.now += Duration.ofMillis(50).toNanos()
            val g = f.clients.acquire().also { it.release() }
            f.clients.markBad(g, "Connection: close", announcedClose = true)
        }
        f.clients.generation.number shouldBe first.number + 25
    }
})
