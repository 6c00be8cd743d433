package dev.clerkkit.java

import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException

/**
 * Pull-based pages for Java's blocking [Iterator]: the next page is requested only when the consumer asks for an
 * element past the current one. The advance/stop rule is the core's [SessionPage.nextOffset]; the core's
 * `Sessions.listAll` is a push-style `Flow`, which would prefetch.
 */
internal class SessionPager(
    private val params: SessionListParams,
    private val pageSize: Int,
    private val fetch: (SessionListParams) -> CompletableFuture<SessionPage>,
) : Iterable<Session> {

    override fun iterator(): Iterator<Session> = object : Iterator<Session> {
        private var offset = params.offset ?: 0
        private var current: Iterator<Session> = emptyList<Session>().iterator()
        private var lastPage = false

        override fun hasNext(): Boolean {
            while (!current.hasNext()) {
                if (lastPage) return false
                val page = await(fetch(params.toBuilder().limit(pageSize).offset(offset).build()))
                current = page.data.iterator()
                val next = page.nextOffset(offset, pageSize)
                if (next == null) lastPage = true else offset = next
            }
            return true
        }

        override fun next(): Session {
            if (!hasNext()) throw NoSuchElementException("no more sessions")
            return current.next()
        }
    }

    private fun <T> await(future: CompletableFuture<T>): T = try {
        future.get()
    } catch (e: ExecutionException) {
        // The typed ClerkException (unchecked) itself, as a synchronous Java caller expects.
        throw e.cause ?: e
    } catch (e: InterruptedException) {
        future.cancel(true)
        Thread.currentThread().interrupt()
        throw CancellationException("interrupted while waiting for a page of sessions").apply { initCause(e) }
    }
}
