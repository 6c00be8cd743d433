package dev.clerkkit.http.engine

import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit

/**
 * At most [limit] requests handed to [engine] at once ([dev.clerkkit.ClerkConfig.maxConnections]); the others wait
 * here, as suspended coroutines holding no thread and no connection.
 *
 * Why here and not in the engine's own queue (OkHttp's dispatcher, CIO's endpoint queue): a request queued inside an
 * engine is started by the engine itself the moment a slot frees, on the engine's thread, whatever happened to its
 * caller meanwhile. Cancelling many queued calls one after the other then frees a slot with each cancel, and the
 * engine sends the next queued request before its own cancel arrives. A call waiting here resumes through its
 * coroutine, which checks cancellation first: once a caller's cancel has returned, its request is never sent.
 */
internal class ConcurrencyLimit(private val engine: HttpEngine, limit: Int) : HttpEngine {
    private val permits = Semaphore(limit)

    override suspend fun roundTrip(request: EngineRequest): EngineResponse = permits.withPermit { engine.roundTrip(request) }

    override fun close() = engine.close()
}
