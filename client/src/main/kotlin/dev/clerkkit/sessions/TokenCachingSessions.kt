package dev.clerkkit.sessions

import dev.clerkkit.ClerkResponse
import dev.clerkkit.RequestOptions
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Deferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.Job
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.async
import kotlinx.coroutines.cancel
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.isActive
import kotlinx.serialization.json.Json
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.longOrNull
import java.util.Base64
import kotlin.coroutines.ContinuationInterceptor

/**
 * The token cache ([TokenCacheOptions]) as a layer over the public [Sessions]: `createToken` and
 * `createTokenFromTemplate` answer from the cache or one shared call, revokes drop the session's tokens, everything
 * else goes to [delegate] unchanged. [revokeAll] is the interface's own, built on this layer's [revoke].
 */
internal class TokenCachingSessions(
    private val delegate: Sessions,
    private val options: TokenCacheOptions,
) : Sessions, AutoCloseable {
    private data class Key(val sessionId: String, val templateName: String?, val expiresInSeconds: Long?)

    private class Entry(val token: SessionToken, val freshUntilMillis: Long)

    private class Flight {
        lateinit var call: Deferred<SessionToken>

        /** Set when the session was revoked while the call was in flight: its answer is not kept. */
        var dropped = false
    }

    private val lock = Any()

    /** Access-ordered: the eldest is the least recently used. Guarded by [lock]. */
    private val entries = object : LinkedHashMap<Key, Entry>(16, 0.75f, true) {
        override fun removeEldestEntry(eldest: MutableMap.MutableEntry<Key, Entry>): Boolean =
            (size > options.maxEntries).also { if (it) unindex(eldest.key) }
    }

    /** Session id to the keys of [entries] for it. Guarded by [lock]. */
    private val bySession = HashMap<String, MutableSet<Key>>()

    /** Calls in flight per key. Guarded by [lock]. */
    private val inFlight = HashMap<Key, Flight>()

    /** Where shared calls run: not the caller's job, so a cancelled caller does not cancel the call for the others. */
    private val scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined + CoroutineName("clerkkit-token-cache"))

    private val raw by lazy { Raw(delegate.withRawResponse()) }

    override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): SessionToken =
        cached(Key(params.sessionId, null, params.expiresInSeconds)) { delegate.createToken(params, options) }

    override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): SessionToken =
        cached(Key(params.sessionId, params.templateName, params.expiresInSeconds)) { delegate.createTokenFromTemplate(params, options) }

    override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): Session {
        drop(params.sessionId)
        try {
            return delegate.revoke(params, options)
        } finally {
            drop(params.sessionId)
        }
    }

    override suspend fun list(params: SessionListParams, options: RequestOptions): List<Session> = delegate.list(params, options)
    override suspend fun listPage(params: SessionListParams, options: RequestOptions): SessionPage = delegate.listPage(params, options)
    override fun listAll(params: SessionListParams, options: RequestOptions): Flow<Session> = delegate.listAll(params, options)
    override fun listActive(userId: String, options: RequestOptions): Flow<Session> = delegate.listActive(userId, options)
    override fun listActiveByClient(clientId: String, options: RequestOptions): Flow<Session> = delegate.listActiveByClient(clientId, options)
    override suspend fun create(params: CreateSessionParams, options: RequestOptions): Session = delegate.create(params, options)
    override suspend fun get(params: GetSessionParams, options: RequestOptions): Session = delegate.get(params, options)
    override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): SessionRefresh = delegate.refresh(params, options)

    @Deprecated("See Sessions.verify")
    @Suppress("DEPRECATION")
    override suspend fun verify(params: VerifySessionParams, options: RequestOptions): Session = delegate.verify(params, options)

    override fun withRawResponse(): Sessions.WithRawResponse = raw

    /** Tokens kept now (for tests and diagnostics). */
    internal val size: Int get() = synchronized(lock) { entries.size }

    /** Cancels the calls in flight; later requests fail as the closed client's calls do. */
    override fun close() {
        scope.cancel("ClerkClient closed")
    }

    override fun toString(): String = "Sessions(tokenCache=$options)"

    private suspend fun cached(key: Key, fetch: suspend () -> SessionToken): SessionToken {
        if (!scope.isActive) return fetch() // closed: the call fails as the closed client's calls do
        // the caller's context (event and tracing elements) without its job and dispatcher
        val context = currentCoroutineContext().minusKey(Job).minusKey(ContinuationInterceptor)
        val flight: Flight
        var started = false
        synchronized(lock) {
            val entry = entries[key]
            if (entry != null) {
                if (options.clock.millis() < entry.freshUntilMillis) return entry.token
                remove(key)
            }
            flight = inFlight[key] ?: Flight().also { f ->
                f.call = scope.async(context, CoroutineStart.LAZY) { run(key, f, fetch) }
                inFlight[key] = f
                started = true
            }
        }
        if (started) flight.call.start()
        return flight.call.await()
    }

    private suspend fun run(key: Key, flight: Flight, fetch: suspend () -> SessionToken): SessionToken {
        try {
            val token = fetch()
            synchronized(lock) {
                if (inFlight[key] === flight) inFlight.remove(key)
                if (!flight.dropped) keep(key, token)
            }
            return token
        } catch (e: Throwable) {
            synchronized(lock) { if (inFlight[key] === flight) inFlight.remove(key) }
            throw e
        }
    }

    /** Guarded by [lock]. */
    private fun keep(key: Key, token: SessionToken) {
        val exp = expiresAtSeconds(token.jwt) ?: return
        val freshUntil = Math.multiplyExact(exp, 1000L) - options.margin.toMillis()
        if (freshUntil <= options.clock.millis()) return
        entries[key] = Entry(token, freshUntil)
        bySession.getOrPut(key.sessionId) { HashSet() } += key
    }

    /** Guarded by [lock]. */
    private fun remove(key: Key) {
        entries.remove(key)
        unindex(key)
    }

    private fun unindex(key: Key) {
        bySession[key.sessionId]?.let { keys ->
            keys -= key
            if (keys.isEmpty()) bySession.remove(key.sessionId)
        }
    }

    /** Drops [sessionId]'s tokens and marks its calls in flight as not to be kept. */
    private fun drop(sessionId: String) {
        synchronized(lock) {
            bySession.remove(sessionId)?.forEach { entries.remove(it) }
            val flying = inFlight.entries.filter { it.key.sessionId == sessionId }
            flying.forEach { it.value.dropped = true; inFlight.remove(it.key) }
        }
    }

    private inner class Raw(private val raw: Sessions.WithRawResponse) : Sessions.WithRawResponse {
        override suspend fun list(params: SessionListParams, options: RequestOptions): ClerkResponse<List<Session>> = raw.list(params, options)
        override suspend fun listPage(params: SessionListParams, options: RequestOptions): ClerkResponse<SessionPage> = raw.listPage(params, options)
        override suspend fun create(params: CreateSessionParams, options: RequestOptions): ClerkResponse<Session> = raw.create(params, options)
        override suspend fun get(params: GetSessionParams, options: RequestOptions): ClerkResponse<Session> = raw.get(params, options)
        override suspend fun refresh(params: RefreshSessionParams, options: RequestOptions): ClerkResponse<SessionRefresh> = raw.refresh(params, options)

        override suspend fun revoke(params: RevokeSessionParams, options: RequestOptions): ClerkResponse<Session> {
            drop(params.sessionId)
            try {
                return raw.revoke(params, options)
            } finally {
                drop(params.sessionId)
            }
        }

        @Deprecated("See Sessions.verify")
        @Suppress("DEPRECATION")
        override suspend fun verify(params: VerifySessionParams, options: RequestOptions): ClerkResponse<Session> = raw.verify(params, options)

        override suspend fun createToken(params: CreateTokenParams, options: RequestOptions): ClerkResponse<SessionToken> =
            raw.createToken(params, options)

        override suspend fun createTokenFromTemplate(params: CreateTokenFromTemplateParams, options: RequestOptions): ClerkResponse<SessionToken> =
            raw.createTokenFromTemplate(params, options)

        override fun toString(): String = "Sessions.WithRawResponse(tokenCache)"
    }

    internal companion object {
        private val json = Json { ignoreUnknownKeys = true }

        /** The `exp` claim (epoch seconds) of a compact JWT's payload, or null when it has none or is not a JWT. */
        fun expiresAtSeconds(jwt: String): Long? {
            val first = jwt.indexOf('.')
            val second = jwt.indexOf('.', first + 1)
            if (first < 0 || second < 0) return null
            return try {
                val payload = String(Base64.getUrlDecoder().decode(jwt.substring(first + 1, second).trimEnd('=')), Charsets.UTF_8)
                ((json.parseToJsonElement(payload) as? JsonObject)?.get("exp") as? JsonPrimitive)?.takeIf { !it.isString }?.longOrNull
            } catch (e: IllegalArgumentException) {
                null
            }
        }
    }
}
