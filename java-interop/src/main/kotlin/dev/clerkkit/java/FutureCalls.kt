package dev.clerkkit.java

import dev.clerkkit.internal.PreparedCall
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.future.future
import java.util.concurrent.CompletableFuture

/**
 * The whole suspend -> [CompletableFuture] adapter. A call is prepared first, on the caller's thread and without
 * suspending: the core checks the input there and throws [IllegalArgumentException] at the call site (a programmer
 * error should fail where it is made, not in a future nobody may look at). Only then is the I/O started as
 * `scope.future { call.execute() }`.
 *
 * Cancelling the returned future cancels the coroutine (that is what `future {}` does), which aborts the HTTP
 * exchange in the core.
 */
internal class FutureCalls(
    private val scope: CoroutineScope,
    private val isClosed: () -> Boolean,
) {
    /** Checks the client is open, prepares the call (input errors throw here), then starts it. */
    fun <T> run(prepare: () -> PreparedCall<T>): CompletableFuture<T> {
        checkOpen()
        val call = prepare()
        return scope.future { call.execute() }
    }

    /** Starts [block] (for calls with no input to check before I/O, e.g. token verification). */
    fun <T> call(block: suspend () -> T): CompletableFuture<T> {
        checkOpen()
        return scope.future { block() }
    }

    private fun checkOpen() = check(!isClosed()) { "ClerkJavaClient is closed" }
}
