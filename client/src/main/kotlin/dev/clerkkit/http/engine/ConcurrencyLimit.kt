package dev.clerkkit.http.engine

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.TimeoutCancellationException
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.sync.Semaphore
import java.util.concurrent.atomic.AtomicInteger

/**
 * At most [limit] requests handed to [engine] at once ([dev.clerkkit.ClerkConfig.maxConnections]); the others wait
 * here, as suspended coroutines holding no thread and no connection.
 *
 * Why here and not in the engine's own queue (OkHttp's dispatcher, CIO's endpoint queue): a request queued inside an
 * engine is started by the engine itself the moment a slot frees, on the engine's thread, whatever happened to its
 * caller meanwhile. A call waiting here resumes through its coroutine, which checks cancellation first: once a
 * caller's cancel has returned, its request is never sent.
 *
 * While calls wait for a slot, the slots of calls their callers cancelled come back together, once no call has been
 * cancelled for [QUIET_MS] (at the latest [MAX_HOLD_MS] after the first of them). A caller cancelling many calls one
 * after the other (a loop of `future.cancel(true)`) would otherwise start a waiting call with each cancel, before
 * reaching that call's own cancel. With no call waiting, and for a call ended by its own timeout, the slot comes back
 * at once.
 */
internal class ConcurrencyLimit(
    private val engine: HttpEngine,
    limit: Int,
    private val quietMs: Long = QUIET_MS,
    private val maxHoldMs: Long = MAX_HOLD_MS,
) : HttpEngine {
    private val permits = Semaphore(limit)
    private val waiting = AtomicInteger()
    private val releases = CoroutineScope(SupervisorJob() + Dispatchers.Default)
    private val lock = Any()
    private var heldBack = 0
    private var heldSince = 0L
    private var lastCancelAt = 0L
    private var releaser: Job? = null

    override suspend fun roundTrip(request: EngineRequest): EngineResponse {
        if (!permits.tryAcquire()) {
            waiting.incrementAndGet()
            try {
                permits.acquire()
            } finally {
                waiting.decrementAndGet()
            }
        }
        var cancelledByCaller = false
        try {
            return engine.roundTrip(request)
        } catch (e: CancellationException) {
            cancelledByCaller = e !is TimeoutCancellationException
            throw e
        } finally {
            if (!cancelledByCaller || !holdBack()) permits.release()
        }
    }

    /** Holds a cancelled call's slot back while calls wait (or slots are held already); false: release it now. */
    private fun holdBack(): Boolean {
        synchronized(lock) {
            if (heldBack == 0 && waiting.get() == 0) return false
            val now = System.nanoTime()
            if (heldBack == 0) heldSince = now
            heldBack++
            lastCancelAt = now
            if (releaser == null) releaser = releases.launch { releaseWhenQuiet() }
            return true
        }
    }

    private suspend fun releaseWhenQuiet() {
        while (true) {
            delay(quietMs)
            val n = synchronized(lock) {
                val now = System.nanoTime()
                if (now - lastCancelAt < quietMs * 1_000_000 && now - heldSince < maxHoldMs * 1_000_000) {
                    -1
                } else {
                    val n = heldBack
                    heldBack = 0
                    releaser = null
                    n
                }
            }
            if (n >= 0) {
                repeat(n) { permits.release() }
                return
            }
        }
    }

    override fun close() {
        releases.cancel()
        engine.close()
    }

    internal companion object {
        /** How long no call may have been cancelled before the cancelled calls' slots come back. */
        const val QUIET_MS: Long = 200

        /** The longest a cancelled call's slot is held back while cancellations go on. */
        const val MAX_HOLD_MS: Long = 2_000
    }
}
