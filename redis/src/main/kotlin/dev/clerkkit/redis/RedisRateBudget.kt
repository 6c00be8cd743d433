package dev.clerkkit.redis

import dev.clerkkit.ratelimit.LocalRateBudget
import dev.clerkkit.ratelimit.RateBudget
import dev.clerkkit.ratelimit.RateLimit
import io.lettuce.core.ClientOptions
import io.lettuce.core.RedisClient
import io.lettuce.core.RedisNoScriptException
import io.lettuce.core.RedisURI
import io.lettuce.core.ScriptOutputType
import io.lettuce.core.SocketOptions
import io.lettuce.core.TimeoutOptions
import io.lettuce.core.api.StatefulRedisConnection
import io.lettuce.core.codec.StringCodec
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.delay
import kotlinx.coroutines.future.await
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import kotlinx.coroutines.withTimeoutOrNull
import org.slf4j.LoggerFactory
import java.security.MessageDigest
import java.time.Duration
import java.util.UUID
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicBoolean
import java.util.concurrent.atomic.AtomicLong

/**
 * A [RateBudget] shared by every process that points at the same Redis with the same Clerk secret key: one sliding
 * window of [limit] per Clerk instance, kept in Redis and updated atomically by one Lua script per acquisition and
 * one per release. As in [LocalRateBudget], a permit is held from the moment it is taken until [RateLimit.window]
 * after its attempt ended, so Clerk sees at most `requests` in any interval of length `window` whatever the phase of
 * its windows and the requests' latency. A permit whose release never comes (its process died) counts as ended
 * [Builder.permitHold] after it was taken.
 *
 * ```kotlin
 * val budget = RedisRateBudget.create("redis://localhost:6379", secretKey)
 * val clerk = ClerkClient { this.secretKey = secretKey; rateBudget = budget }
 * // ... at shutdown: clerk.close(); budget.close()
 * ```
 *
 * - **Keys**: `<keyPrefix>:{<sha256 of the secret key, hex>}:window` (a sorted set of grant times) and `...:pause`
 *   (set after a 429, expiring at its `Retry-After`). The secret key itself never reaches Redis.
 * - **Clock**: the script reads Redis' own clock (`TIME`), so the window is measured on one clock for all machines and
 *   their clock skew does not matter; clients only ever receive relative waits.
 * - **Redis unreachable** (down, refused, slower than [Builder.commandTimeout]): the call falls back to a
 *   [LocalRateBudget] of the same [limit] in this process, and one SLF4J warning is logged per outage (logger
 *   `dev.clerkkit.redis.RedisRateBudget`); a Redis outage never fails a Clerk call. The connection is re-established
 *   in the background (Lettuce) or on a later call (at most every [Builder.reconnectInterval]).
 * - **Threads**: never blocks the caller's thread (Lettuce's async API, awaited by suspending).
 *
 * It owns its Redis client and connection: [close] releases them. It is not closed by `ClerkClient.close()`.
 */
public class RedisRateBudget protected constructor(builder: Builder) : RateBudget, AutoCloseable {
    /** The limit this budget enforces (shared through Redis, and for the local fallback). */
    public val limit: RateLimit = builder.limit ?: RateLimit.forKey(builder.secretKey)
    private val redisUri: RedisURI = builder.uri
    private val commandTimeout: Duration = builder.commandTimeout
    private val reconnectInterval: Duration = builder.reconnectInterval
    private val keyHash: String = sha256Hex(builder.secretKey)
    private val windowKey = "${builder.keyPrefix}:{$keyHash}:window"
    private val pauseKey = "${builder.keyPrefix}:{$keyHash}:pause"
    private val fallback = LocalRateBudget(limit)
    private val where = "${redisUri.host}:${redisUri.port}"
    private val secretsInUri: List<String> = builder.uriSecrets

    private val client: RedisClient = RedisClient.create(redisUri).apply {
        options = ClientOptions.builder()
            .autoReconnect(true)
            // while disconnected, fail at once (and fall back) instead of queueing commands until Redis returns
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .socketOptions(SocketOptions.builder().connectTimeout(commandTimeout).build())
            .timeoutOptions(TimeoutOptions.enabled(commandTimeout))
            .build()
    }
    private val connectLock = Mutex()
    @Volatile private var connection: StatefulRedisConnection<String, String>? = null
    @Volatile private var nextConnectAt: Long = System.nanoTime()
    private val closed = AtomicBoolean(false)
    private val degraded = AtomicBoolean(false)
    private val memberPrefix = UUID.randomUUID().toString()
    private val sequence = AtomicLong()
    private val permitHold: Duration = builder.permitHold
    /** Members of this process's permits in flight; [LOCAL] for one the fallback gave. Permits are interchangeable. */
    private val held = java.util.concurrent.ConcurrentLinkedDeque<String>()

    init {
        require(!limit.isOff) {
            "RedisRateBudget needs a limit: the secret key is neither sk_test_ nor sk_live_, so set Builder.limit"
        }
    }

    override suspend fun acquire(maxWait: Duration): Duration? {
        val deadline = System.nanoTime() + maxWait.toNanos().coerceAtLeast(0)
        while (true) {
            val member = "$memberPrefix:${sequence.incrementAndGet()}"
            val waitMs = redis { c ->
                c.evalScript(ACQUIRE, arrayOf(windowKey, pauseKey), limit.requests.toString(), limit.window.toMillis().toString(),
                    member, permitHold.toMillis().toString())
            } ?: return fallback.acquire(Duration.ofNanos((deadline - System.nanoTime()).coerceAtLeast(0))).also { if (it == null) held.add(LOCAL) }
            if (waitMs <= 0L) { held.add(member); return null }
            val wait = Duration.ofMillis(waitMs)
            // Nothing is reserved in Redis while waiting: a cancelled waiter has taken nothing.
            if (System.nanoTime() + wait.toNanos() - deadline > 0) return wait
            delay(waitMs)
        }
    }

    override suspend fun release() {
        val member = held.pollFirst() ?: return
        if (member == LOCAL) return fallback.release()
        redis { c -> c.evalScript(RELEASE, arrayOf(windowKey), member, limit.window.toMillis().toString()) }
    }

    override suspend fun pause(duration: Duration) {
        if (duration.isNegative || duration.isZero) return
        fallback.pause(duration)
        redis { c -> c.evalScript(PAUSE, arrayOf(pauseKey), duration.toMillis().toString()) }
    }

    /** Closes the Redis connection and client. Later acquisitions use the local fallback. Idempotent. */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        runCatching { connection?.close() }
        runCatching { client.shutdown(0, 2, TimeUnit.SECONDS) }
    }

    override fun toString(): String = "RedisRateBudget($limit, redis=$where, degraded=${degraded.get()})"

    /** Runs [command] on Redis; null (after the warning, once per outage) when Redis cannot answer. */
    private suspend fun redis(command: suspend (StatefulRedisConnection<String, String>) -> Long): Long? {
        if (closed.get()) return null
        return try {
            val c = connect() ?: return null
            val result = withTimeoutOrNull(commandTimeout.toMillis() + GRACE_MS) { command(c) }
                ?: throw java.util.concurrent.TimeoutException("no answer within ${commandTimeout.toMillis()} ms")
            if (degraded.compareAndSet(true, false)) log.info("Redis at {} answers again: the rate budget is shared again", where)
            result
        } catch (e: CancellationException) {
            throw e
        } catch (e: Exception) {
            unreachable(e)
            null
        }
    }

    /** The connection, opening it if needed (at most every [reconnectInterval] after a failed attempt). */
    private suspend fun connect(): StatefulRedisConnection<String, String>? {
        connection?.let { return it }
        if (System.nanoTime() - nextConnectAt < 0) return null
        return connectLock.withLock {
            connection?.let { return@withLock it }
            if (System.nanoTime() - nextConnectAt < 0) return@withLock null
            try {
                val c = client.connectAsync(StringCodec.UTF8, redisUri).await()
                if (closed.get()) { c.closeAsync(); return@withLock null }
                connection = c
                c
            } catch (e: CancellationException) {
                throw e
            } catch (e: Exception) {
                nextConnectAt = System.nanoTime() + reconnectInterval.toNanos()
                unreachable(e)
                null
            }
        }
    }

    private fun unreachable(e: Exception) {
        if (degraded.compareAndSet(false, true)) {
            log.warn(
                "Redis at {} is unreachable ({}): the Clerk rate budget falls back to this process's local limiter ({}) " +
                    "until it answers again",
                where, redact("${e.javaClass.simpleName}: ${e.message}"), limit,
            )
        }
    }

    private fun redact(text: String): String = secretsInUri.fold(text) { t, s -> t.replace(s, "***") }

    private suspend fun StatefulRedisConnection<String, String>.evalScript(script: Script, keys: Array<String>, vararg args: String): Long {
        val commands = async()
        return try {
            commands.evalsha<Long>(script.sha, ScriptOutputType.INTEGER, keys, *args).await()
        } catch (e: RedisNoScriptException) {
            commands.eval<Long>(script.text, ScriptOutputType.INTEGER, keys, *args).await()
        }
    }

    /**
     * Options of a [RedisRateBudget]; start with [RedisRateBudget.builder].
     */
    public class Builder internal constructor(
        internal val uri: RedisURI,
        internal val secretKey: String,
        /** The URI's user-info parts (password), redacted from any message that might repeat them. */
        internal val uriSecrets: List<String>,
    ) {
        internal var limit: RateLimit? = null
        internal var keyPrefix: String = "clerkkit:ratelimit"
        internal var commandTimeout: Duration = Duration.ofMillis(500)
        internal var reconnectInterval: Duration = Duration.ofSeconds(5)
        internal var permitHold: Duration = Duration.ofSeconds(120)

        /** The shared limit. Default [RateLimit.forKey] of the secret key (required for other keys; not [RateLimit.OFF]). */
        public fun limit(value: RateLimit): Builder = apply { require(!value.isOff) { "limit must not be OFF" }; limit = value }

        /** Prefix of the Redis keys. Default `clerkkit:ratelimit`. */
        public fun keyPrefix(value: String): Builder = apply {
            require(value.isNotBlank() && value.none { it.isWhitespace() || it == '{' || it == '}' }) { "bad keyPrefix '$value'" }
            keyPrefix = value
        }

        /** Longest wait for Redis (connect, or one script) before falling back to the local limiter. Default 500 ms. */
        public fun commandTimeout(value: Duration): Builder = apply {
            require(!value.isNegative && !value.isZero) { "commandTimeout must be positive, was $value" }
            commandTimeout = value
        }

        /** Least time between two connection attempts after one failed (calls use the fallback meanwhile). Default 5 s. */
        public fun reconnectInterval(value: Duration): Builder = apply {
            require(!value.isNegative) { "reconnectInterval must not be negative, was $value" }
            reconnectInterval = value
        }

        /**
         * How long a permit taken but never released (its process died mid-call) keeps counting as in flight; it then
         * ages out of the window like a released one. Longer than any call's attempt (its request timeout).
         * Default 120 s.
         */
        public fun permitHold(value: Duration): Builder = apply {
            require(!value.isNegative && !value.isZero) { "permitHold must be positive, was $value" }
            permitHold = value
        }

        /** Creates the budget (no I/O: Redis is first contacted by the first acquisition). */
        public fun build(): RedisRateBudget = RedisRateBudget(this)

        override fun toString(): String = "RedisRateBudget.Builder(redis=${uri.host}:${uri.port}, limit=$limit, keyPrefix=$keyPrefix)"
    }

    /** Factories. */
    public companion object {
        private val log = LoggerFactory.getLogger(RedisRateBudget::class.java)
        private const val GRACE_MS = 250L
        private const val LOCAL = ""

        /**
         * A budget in the Redis at [redisUri] (Lettuce URI syntax: `redis://[[user:]password@]host[:port][/db]`,
         * `rediss://` for TLS, `redis-sentinel://...`) for the Clerk instance of [secretKey], with every default of
         * [Builder]. No I/O happens here.
         * @throws IllegalArgumentException on a malformed URI, a blank key, or a key with no default limit.
         */
        @JvmStatic
        public fun create(redisUri: String, secretKey: String): RedisRateBudget = builder(redisUri, secretKey).build()

        /** A [Builder] for [redisUri] and [secretKey] (see [create]). */
        @JvmStatic
        public fun builder(redisUri: String, secretKey: String): Builder {
            require(secretKey.isNotBlank()) { "secretKey must not be blank" }
            val uri = try {
                RedisURI.create(redisUri)
            } catch (e: Exception) {
                // the URI may hold a password: not repeated in the message
                throw IllegalArgumentException("redisUri is not a Redis URI (expected redis://host:port)", null)
            }
            return Builder(uri, secretKey, userInfo(redisUri))
        }

        /** `user:password` of `scheme://user:password@host...` and its parts, longest first. */
        private fun userInfo(uri: String): List<String> {
            val authority = uri.substringAfter("://", "").substringBefore('/').substringBefore('?')
            if ('@' !in authority) return emptyList()
            val info = authority.substringBeforeLast('@')
            return (listOf(info) + info.split(':')).filter { it.isNotEmpty() }.distinct().sortedByDescending { it.length }
        }

        internal fun sha256Hex(text: String): String =
            MessageDigest.getInstance("SHA-256").digest(text.toByteArray()).joinToString("") { "%02x".format(it) }

        private class Script(val text: String) {
            val sha: String = MessageDigest.getInstance("SHA-1").digest(text.toByteArray()).joinToString("") { "%02x".format(it) }
        }

        /**
         * KEYS: window (sorted set of held permits, scored by when their attempt ended, in µs; a permit in flight is
         * scored by when it is assumed to have ended, its grant time plus the hold), pause (a key whose TTL is the
         * pause). ARGV: limit, window in ms, a unique member, hold in ms. Returns 0 when a permit was taken, else the
         * milliseconds until one frees up at the earliest (>= 1). Time is Redis' own (`TIME`): one clock for every
         * client.
         */
        private val ACQUIRE = Script(
            """
            local paused = redis.call('PTTL', KEYS[2])
            if paused > 0 then return paused end
            local limit = tonumber(ARGV[1])
            local windowMs = tonumber(ARGV[2])
            local holdMs = tonumber(ARGV[4])
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local windowUs = windowMs * 1000
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%.0f', now - windowUs))
            local used = redis.call('ZCARD', KEYS[1])
            if used < limit then
              redis.call('ZADD', KEYS[1], string.format('%.0f', now + holdMs * 1000), ARGV[3])
              redis.call('PEXPIRE', KEYS[1], windowMs + holdMs)
              return 0
            end
            local freeing = redis.call('ZRANGE', KEYS[1], used - limit, used - limit, 'WITHSCORES')
            local ends = tonumber(freeing[2])
            if ends < now then ends = now end
            local wait = math.ceil((ends + windowUs - now) / 1000)
            if wait < 1 then wait = 1 end
            return wait
            """.trimIndent(),
        )

        /** KEYS: window. ARGV: the member of a permit in flight, window in ms. Scores it by now, its attempt's end. */
        private val RELEASE = Script(
            """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            redis.call('ZADD', KEYS[1], 'XX', string.format('%.0f', now), ARGV[1])
            return 0
            """.trimIndent(),
        )

        /** KEYS: pause. ARGV: milliseconds. Sets the pause unless a longer one is in force. */
        private val PAUSE = Script(
            """
            local ms = tonumber(ARGV[1])
            if redis.call('PTTL', KEYS[1]) < ms then redis.call('SET', KEYS[1], '1', 'PX', ms) end
            return 0
            """.trimIndent(),
        )
    }
}
