package dev.clerkkit.bench

import dev.clerkkit.ClerkClient
import dev.clerkkit.RetryPolicy
import dev.clerkkit.Sleeper
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.errors.RateLimitException
import dev.clerkkit.ratelimit.RateBudget
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.redis.RedisRateBudget
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.sync.withPermit
import java.time.Duration
import java.util.concurrent.atomic.AtomicLong
import java.util.concurrent.atomic.AtomicReference

/** What one batch of calls did (see [RateCalls.run]). */
class BatchResult(
    val calls: Int,
    val failed: Long,
    /** Failures that were 429s after the last attempt. */
    val failed429: Long,
    /** Failures that were `RateBudgetExhaustedException` (no permit within the request timeout). */
    val failedBudget: Long,
    /** Retries the client made: calls of the retry policy's sleeper, i.e. waits before a next attempt. */
    val retries: Long,
    /** Nanoseconds from the first call's start to the last call's end. */
    val wallNanos: Long,
    val p50Ms: Double,
    val maxMs: Double,
    /** System.currentTimeMillis() at the first call's start and at the last call's end (to join processes' spans). */
    val startEpochMs: Long,
    val endEpochMs: Long,
    val lastError: String?,
    /** Epoch ms at which each call ended (success or failure). */
    val ends: LongArray = LongArray(0),
) {
    /** One line, for a worker's stdout: `RESULT f1 f2 ...` (the error last, spaces allowed). */
    fun toLine(): String = "RESULT $calls $failed $failed429 $failedBudget $retries $wallNanos $p50Ms $maxMs $startEpochMs $endEpochMs ${lastError ?: "-"}"

    companion object {
        fun parse(parts: List<String>): BatchResult = BatchResult(
            parts[1].toInt(), parts[2].toLong(), parts[3].toLong(), parts[4].toLong(), parts[5].toLong(), parts[6].toLong(),
            parts[7].toDouble(), parts[8].toDouble(), parts[9].toLong(), parts[10].toLong(),
            parts.drop(11).joinToString(" ").takeUnless { it == "-" },
        )
    }
}

/** The rate-budget bench's calls: [calls] calls (3 `get` to 1 `createToken`) at [inFlight] in flight, with a client made by [RateCalls.client]. */
object RateCalls {
    /**
     * The retry policy with a sleeper that counts retries into [retries] and logs each wait into [log] (epoch ms when
     * it began, its length in ms). [maxAttempts] null = the default (3).
     */
    fun countingPolicy(retries: AtomicLong, maxAttempts: Int?, log: MutableCollection<LongArray>? = null): RetryPolicy =
        RetryPolicy.DEFAULT.toBuilder().apply {
            if (maxAttempts != null) this.maxAttempts = maxAttempts
            val inner = sleeper
            sleeper = Sleeper { d ->
                retries.incrementAndGet()
                log?.add(longArrayOf(System.currentTimeMillis(), d.toMillis()))
                inner.sleep(d)
            }
        }.build()

    /** `epochMs:waitMs,...` (or `-`) and back. */
    fun formatWaits(log: Collection<LongArray>): String = log.joinToString(",") { "${it[0]}:${it[1]}" }.ifEmpty { "-" }
    fun parseWaits(text: String): List<LongArray> =
        if (text == "-") emptyList() else text.split(',').map { w -> w.split(':').let { longArrayOf(it[0].toLong(), it[1].toLong()) } }

    fun client(t: Target, limit: RateLimit?, budget: RateBudget?, policy: RetryPolicy): ClerkClient = ClerkClient {
        baseUrl = t.baseUrl
        secretKey = t.secretKey
        trustStore = t.trustStore
        if (limit != null) rateLimit = limit
        if (budget != null) rateBudget = budget
        retryPolicy = policy
        maxConnections = 256
    }

    /**
     * [calls] calls with the client under test itself at [inFlight] in flight (fewer than the limit, so none waits), so
     * the JIT has seen the path, the connection pool is open and a Redis budget is connected. They spend client and
     * sandbox budget: wait until both windows are empty before measuring.
     */
    fun warmUp(c: ClerkClient, t: Target, calls: Int, inFlight: Int) {
        runBlocking(Dispatchers.Default) {
            val sem = Semaphore(inFlight)
            (0 until calls).map { i -> async { sem.withPermit { runCatching { call(c, t, i) } } } }.awaitAll()
        }
    }

    private suspend fun call(c: ClerkClient, t: Target, i: Int) {
        if (i % 4 == 3) check(c.sessions.createToken(t.sessionId).jwt.isNotEmpty()) else check(c.sessions.get(t.sessionId).id == t.sessionId)
    }

    fun run(c: ClerkClient, t: Target, calls: Int, inFlight: Int, retries: AtomicLong): BatchResult {
        val failed = AtomicLong()
        val failed429 = AtomicLong()
        val failedBudget = AtomicLong()
        val lastError = AtomicReference<String?>()
        val lat = LongArray(calls)
        val ends = LongArray(calls)
        val r0 = retries.get()
        val startMs = System.currentTimeMillis()
        val t0 = System.nanoTime()
        runBlocking(Dispatchers.Default) {
            val sem = Semaphore(inFlight)
            (0 until calls).map { i ->
                async {
                    sem.withPermit {
                        val s = System.nanoTime()
                        try {
                            call(c, t, i)
                        } catch (e: Exception) {
                            if (e is kotlinx.coroutines.CancellationException) throw e
                            failed.incrementAndGet()
                            if (e is RateLimitException) failed429.incrementAndGet()
                            if (e is RateBudgetExhaustedException) failedBudget.incrementAndGet()
                            lastError.set("${e.javaClass.simpleName}: ${e.message?.take(160)}".replace('\n', ' '))
                        }
                        lat[i] = System.nanoTime() - s
                        ends[i] = System.currentTimeMillis()
                    }
                }
            }.awaitAll()
        }
        val wall = System.nanoTime() - t0
        val endMs = System.currentTimeMillis()
        lat.sort()
        return BatchResult(
            calls, failed.get(), failed429.get(), failedBudget.get(), retries.get() - r0, wall,
            lat[(calls - 1) / 2] / 1e6, lat[calls - 1] / 1e6, startMs, endMs, lastError.get(), ends,
        )
    }
}

/**
 * One client process of the shared-budget run ([RateLimitPhase]): builds a client whose budget is a [RedisRateBudget]
 * (or a local limit, or none), warms up, prints `READY`, waits for `go` on stdin, makes its calls and prints
 * [BatchResult.toLine], `WAITS <retry waits>` ([RateCalls.formatWaits]) and `BUDGET <toString of the budget>`.
 *
 * Arguments: `<baseUrl> <secretKey> <sessionId> <calls> <inFlight> <budget> <requests> <windowMs> <maxAttempts|default> <warmCalls>`,
 * `<budget>` = a `redis://` URI, `local` or `off`.
 */
object RateLimitWorkerMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val t = Target(args[0], args[1], args[2], null)
        val calls = args[3].toInt()
        val inFlight = args[4].toInt()
        val limit = RateLimit.of(args[6].toInt(), Duration.ofMillis(args[7].toLong()))
        val maxAttempts = args[8].takeUnless { it == "default" }?.toInt()
        val warmCalls = args[9].toInt()
        val budget = if (args[5].startsWith("redis")) RedisRateBudget.builder(args[5], t.secretKey).limit(limit).build() else null
        val retries = AtomicLong()
        val waits = java.util.concurrent.ConcurrentLinkedQueue<LongArray>()
        val client = RateCalls.client(
            t,
            when (args[5]) { "off" -> RateLimit.OFF; "local" -> limit; else -> null },
            budget,
            RateCalls.countingPolicy(retries, maxAttempts, waits),
        )
        RateCalls.warmUp(client, t, warmCalls, inFlight)
        waits.clear()
        println("READY")
        System.out.flush()
        val input = System.`in`.bufferedReader()
        while (input.readLine()?.trim() != "go") Unit
        val r = RateCalls.run(client, t, calls, inFlight, retries)
        println(r.toLine())
        println("WAITS ${RateCalls.formatWaits(waits)}")
        println("ENDS ${r.ends.joinToString(",")}")
        println("BUDGET ${budget ?: "local/off"}")
        System.out.flush()
        client.close()
        budget?.close()
        kotlin.system.exitProcess(0)
    }
}
