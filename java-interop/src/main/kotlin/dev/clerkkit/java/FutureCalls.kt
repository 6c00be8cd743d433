package dev.clerkkit.java

import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.future.future
import java.util.concurrent.CompletableFuture
import java.util.concurrent.atomic.AtomicBoolean

/**
 * The whole suspend -> [CompletableFuture] adapter: `scope.future { block() }`, started undispatched.
 *
 * Why undispatched: the core checks its input (and throws [IllegalArgumentException]) before its first suspension
 * point. Starting the coroutine in the caller's thread runs those checks right here, so an input error is rethrown
 * synchronously from the facade method (a programmer error should fail at the call site, not in a future nobody
 * may look at) and no future is returned. Anything after the first suspension completes the future instead.
 *
 * Cancelling the returned future cancels the coroutine (that is what `future {}` does), which aborts the HTTP
 * exchange in the core.
 */
internal class FutureCalls(
    private val scope: CoroutineScope,
    private val isClosed: () -> Boolean,
) {
    fun <T> call(block: suspend () -> T): CompletableFuture<T> {
        check(!isClosed()) { "ClerkJavaClient is closed" }
        val caller = Thread.currentThread()
        val returned = AtomicBoolean(false)
        var inputError: IllegalArgumentException? = null
        val future = scope.future(start = CoroutineStart.UNDISPATCHED) {
            try {
                block()
            } catch (e: IllegalArgumentException) {
                // Still inside future(...) on the caller's thread: the core threw it before its I/O (its input checks run
                // before the first suspension; after I/O it only throws ClerkException subtypes).
                if (!returned.get() && Thread.currentThread() === caller) inputError = e
                throw e
            }
        }
        returned.set(true)
        inputError?.let { throw it }
        return future
    }
}
