package dev.clerkkit.http.engine

import okhttp3.Call
import okhttp3.Connection
import okhttp3.ConnectionPool
import okhttp3.EventListener
import okhttp3.Interceptor
import okhttp3.Response
import java.io.EOFException
import java.io.IOException
import java.io.InterruptedIOException
import java.net.InetSocketAddress
import java.net.Proxy
import java.util.concurrent.ConcurrentHashMap

/**
 * A pooled OkHttp connection that the server closed while it sat idle (its idle timeout shorter than
 * `keepAliveTime`) fails the next request written to it ("unexpected end of stream"). OkHttp checks an idle HTTP/1.1
 * connection before reuse only for requests other than GET, and leaves GETs to its own retry, which the OkHttp
 * adapter turns off (it would replay POSTs too). So, as an application interceptor with [listener] installed as the
 * client's event listener: when an exchange on a connection taken from the pool meets the end of the stream where its
 * answer should start, every idle
 * connection of [pool] is evicted (they have been idle as long, and are likely closed too), and a GET is sent once
 * more, on a fresh connection. Any other method fails as before and the pipeline's retry stage decides; its next
 * attempt finds no stale connection. Timeouts and cancelled calls are never sent again.
 */
internal class StalePooledConnections(private val pool: ConnectionPool) : Interceptor {
    /** What each call in flight did with connections: whether it took one and whether it opened one. */
    val listener: EventListener = object : EventListener() {
        override fun connectStart(call: Call, inetSocketAddress: InetSocketAddress, proxy: Proxy) {
            uses.computeIfPresent(call) { _, use -> use or OPENED }
        }

        override fun connectionAcquired(call: Call, connection: Connection) {
            uses.computeIfPresent(call) { _, use -> use or ACQUIRED }
        }
    }

    private val uses = ConcurrentHashMap<Call, Int>()

    override fun intercept(chain: Interceptor.Chain): Response {
        val call = chain.call()
        val request = chain.request()
        uses[call] = 0
        try {
            try {
                return chain.proceed(request)
            } catch (e: IOException) {
                val use = uses[call] ?: 0
                // the server closed the pooled connection (an end of stream where the answer should start), as an idle
                // timeout does; a reset or a timeout is the server's answer to this request and stays a failure
                val stale = use and ACQUIRED != 0 && use and OPENED == 0 && endOfStream(e) && !call.isCanceled()
                if (!stale) throw e
                pool.evictAll()
                if (request.method != "GET") throw e
                uses[call] = 0
                return chain.proceed(request)
            }
        } finally {
            uses.remove(call)
        }
    }

    private fun endOfStream(e: IOException): Boolean =
        e !is InterruptedIOException && generateSequence<Throwable>(e) { it.cause }.take(4).any { it is EOFException }

    private companion object {
        const val ACQUIRED = 1
        const val OPENED = 2
    }
}
