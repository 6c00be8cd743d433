package dev.clerkkit.http.engine

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.async
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.launch
import kotlinx.coroutines.withTimeout
import java.util.Collections

/**
 * Which call [ConcurrencyLimit] lets into the engine, and when: the engine here records the URL of each request it
 * receives and holds it until the test says. Slots come back on real time (the hold-back runs on
 * `Dispatchers.Default`); the tests wait for observable starts, never for a duration.
 */
class ConcurrencyLimitSpec : FunSpec({
    class HoldingEngine : HttpEngine {
        val started: MutableList<String> = Collections.synchronizedList(mutableListOf())
        val answers = mutableMapOf<String, CompletableDeferred<Unit>>()
        private val startedSignals = mutableMapOf<String, CompletableDeferred<Unit>>()

        @Synchronized fun answer(url: String) = answers.getOrPut(url) { CompletableDeferred() }

        @Synchronized fun startedSignal(url: String) = startedSignals.getOrPut(url) { CompletableDeferred() }

        override suspend fun roundTrip(request: EngineRequest): EngineResponse {
            started += request.url
            startedSignal(request.url).complete(Unit)
            answer(request.url).await()
            return EngineResponse(200, emptyMap(), ByteArray(0))
        }

        override fun close() {}
    }

    fun get(url: String) = EngineRequest("GET", url, emptyList(), null, null, null, 1_000, false)

    test("a cancelled call's slot goes back at once when no call waits for one") {
        val engine = HoldingEngine()
        ConcurrencyLimit(engine, 1, quietMs = 60_000, maxHoldMs = 60_000).use { limit ->
            withTimeout(20_000) {
                val first = launch(Dispatchers.Default) { limit.roundTrip(get("a")) }
                engine.startedSignal("a").await()
                first.cancelAndJoin()
                engine.answer("b").complete(Unit)
                limit.roundTrip(get("b")).status shouldBe 200
            }
        }
    }

    test("while calls wait, the slots of cancelled calls come back only once cancelling has stopped") {
        val engine = HoldingEngine()
        ConcurrencyLimit(engine, 2, quietMs = 1_000, maxHoldMs = 60_000).use { limit ->
            withTimeout(20_000) {
                val held = listOf("h1", "h2").map { url -> launch(Dispatchers.Default) { limit.roundTrip(get(url)) } }
                listOf("h1", "h2").forEach { engine.startedSignal(it).await() }
                // UNDISPATCHED: each runs until it waits on the semaphore before launch returns
                val waiting = List(4) { i -> launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { limit.roundTrip(get("w$i")) } }
                // cancelled in the order they were made: holders first, then the waiting calls
                (held + waiting.take(2)).forEach { it.cancelAndJoin() }
                engine.started shouldContainExactly listOf("h1", "h2") // no waiting call started inside the cancels
                engine.startedSignal("w2").await() // the two slots came back once no call had been cancelled for a while
                engine.startedSignal("w3").await()
                engine.started.toList() shouldContainExactlyInAnyOrder listOf("h1", "h2", "w2", "w3")
                listOf("w2", "w3").forEach { engine.answer(it).complete(Unit) }
                waiting.drop(2).forEach { it.join() }
            }
        }
    }

    test("a call ended by its own timeout gives its slot to a waiting call at once") {
        val engine = HoldingEngine()
        ConcurrencyLimit(engine, 1, quietMs = 60_000, maxHoldMs = 60_000).use { limit ->
            withTimeout(20_000) {
                val timedOut = async(Dispatchers.Default) {
                    runCatching { withTimeout(200) { limit.roundTrip(get("slow")) } }.exceptionOrNull()
                }
                engine.startedSignal("slow").await()
                val next = async(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { limit.roundTrip(get("next")) }
                (timedOut.await() is TimeoutCancellationException) shouldBe true
                engine.startedSignal("next").await()
                engine.answer("next").complete(Unit)
                next.await().status shouldBe 200
            }
        }
    }

    test("a call waiting for a slot and cancelled is never handed to the engine") {
        val engine = HoldingEngine()
        ConcurrencyLimit(engine, 1, quietMs = 50, maxHoldMs = 60_000).use { limit ->
            withTimeout(20_000) {
                val holder = launch(Dispatchers.Default) { limit.roundTrip(get("h")) }
                engine.startedSignal("h").await()
                val queued = launch(Dispatchers.Default, start = CoroutineStart.UNDISPATCHED) { limit.roundTrip(get("q")) }
                queued.cancelAndJoin()
                engine.answer("h").complete(Unit)
                holder.join()
                engine.answer("after").complete(Unit)
                limit.roundTrip(get("after")).status shouldBe 200
                engine.started shouldContainExactly listOf("h", "after")
            }
        }
    }
})
