package dev.clerkkit.java

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.future.future
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import kotlin.coroutines.CoroutineContext
import kotlin.coroutines.EmptyCoroutineContext

/**
 * The whole suspend -> Java adapter: a call is `scope.future { block() }` (cancelling the future cancels the
 * coroutine, which aborts the HTTP exchange), and a blocking call waits for that future and throws what it failed
 * with, unwrapped. Input errors never get here: the params objects throw them when built, on the caller's thread.
 */
internal class Futures(
    private val scope: CoroutineScope,
    private val isClosed: () -> Boolean = { false },
    /** What a call takes along from the calling thread (the event listeners' per-call state, e.g. the trace context). */
    private val callerContext: () -> CoroutineContext = { EmptyCoroutineContext },
) {

    /** Starts [block], with [callerContext] taken on the calling thread. @throws IllegalStateException when the client is closed. */
    fun <T> future(block: suspend () -> T): CompletableFuture<T> {
        check(!isClosed()) { "ClerkJavaClient is closed" }
        return scope.future(callerContext()) { block() }
    }

    /** Runs [block] and waits for it on the calling thread. */
    fun <T> blocking(block: suspend () -> T): T = Blocking.await(future(block))
}

/** How the blocking views wait for a future. */
internal object Blocking {
    /**
     * Waits for [future] and returns its value, or throws the exception it failed with (the typed `ClerkException`
     * itself, unwrapped). An interrupt while waiting cancels the future, keeps the interrupt flag set and throws
     * [CancellationException].
     */
    fun <T> await(future: CompletableFuture<T>): T = try {
        future.get()
    } catch (e: ExecutionException) {
        throw e.cause ?: e
    } catch (e: InterruptedException) {
        future.cancel(true)
        Thread.currentThread().interrupt()
        throw CancellationException("interrupted while waiting for Clerk").apply { initCause(e) }
    }
}
