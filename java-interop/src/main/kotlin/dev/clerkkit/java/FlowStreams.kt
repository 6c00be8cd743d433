package dev.clerkkit.java

import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.launch
import java.util.Spliterator
import java.util.Spliterators
import java.util.concurrent.CompletableFuture
import java.util.stream.Stream
import java.util.stream.StreamSupport

/** Java `Stream`s over the suspend API's `Flow`s. */
internal object FlowStreams {
    /**
     * [flow] as a lazy, sequential, blocking [Stream]: the flow advances only when the stream asks for its next element
     * (so a paging flow fetches a page only when the consumer reaches it), its typed exceptions are thrown unwrapped from
     * the terminal operation, and closing the stream (or an interrupt while waiting) cancels the flow.
     */
    fun <T : Any> blockingStream(flow: Flow<T>): Stream<T> {
        val iterator = FlowIterator(flow)
        val characteristics = Spliterator.ORDERED or Spliterator.NONNULL
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator, characteristics), false).onClose(iterator::close)
    }
}

/**
 * The bridge: the flow is collected by a coroutine that hands over one element per request of the consumer, and
 * waits for the next request before it lets the flow go on. The coroutine has no parent, so an abandoned iterator is
 * garbage collected with it (it waits holding no thread and no connection).
 */
private class FlowIterator<T : Any>(private val flow: Flow<T>) : Iterator<T>, AutoCloseable {
    private sealed class Signal
    private class Item(val value: Any) : Signal()
    private object End : Signal()
    private class Failed(val error: Throwable) : Signal()

    private val requests = Channel<CompletableFuture<Signal>>(Channel.UNLIMITED)
    private var job: Job? = null
    private var next: Any? = null
    private var done = false

    override fun hasNext(): Boolean {
        if (next != null) return true
        if (done) return false
        if (job == null) job = start()
        val request = CompletableFuture<Signal>()
        requests.trySend(request)
        val signal = try {
            Blocking.await(request)
        } catch (e: CancellationException) {
            close()
            throw e
        }
        when (signal) {
            is Item -> next = signal.value
            End -> done = true
            is Failed -> {
                done = true
                throw signal.error
            }
        }
        return next != null
    }

    override fun next(): T {
        if (!hasNext()) throw NoSuchElementException("no more elements")
        @Suppress("UNCHECKED_CAST")
        return (next as T).also { next = null }
    }

    override fun close() {
        done = true
        job?.cancel()
        requests.close()
    }

    private fun start(): Job = CoroutineScope(Dispatchers.Unconfined).launch {
        var request = requests.receive()
        try {
            flow.collect { value ->
                request.complete(Item(value))
                request = requests.receive()
            }
            request.complete(End)
        } catch (e: CancellationException) {
            request.completeExceptionally(e)
            throw e
        } catch (e: Throwable) {
            request.complete(Failed(e))
        }
    }
}
