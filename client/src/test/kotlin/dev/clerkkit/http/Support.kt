package dev.clerkkit.http

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.RetryPolicy
import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.testkit.ClerkSandbox
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.sync.withPermit
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList

/** A retry policy that never sleeps: every wait the client asks for is recorded in [waits]. */
class RecordingSleeper {
    val waits = CopyOnWriteArrayList<Duration>()
    fun policy(configure: RetryPolicy.Builder.() -> Unit = {}): RetryPolicy =
        RetryPolicy.builder().sleeper { waits += it }.apply(configure).build()
}

/**
 * A client with the default engine against [sandbox] (http or https), retries recorded, never sleeping. Its
 * client-side rate limit is off: these specs send thousands of calls per second on purpose (the limiter is tested in
 * `ratelimit/`).
 */
fun sandboxClient(sandbox: ClerkSandbox, sleeper: RecordingSleeper = RecordingSleeper(), configure: ClerkConfig.Builder.() -> Unit = {}) =
    ClerkClient {
        secretKey = sandbox.secretKey
        baseUrl = sandbox.baseUrl
        sandbox.trustStore?.let { trustStore = it }
        retryPolicy = sleeper.policy()
        rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF
        configure()
    }

/** [sandboxClient] on [BuiltInEngine.CIO] only: for the specs that pin what the CIO engine does and what clerkkit does about it. */
fun cioClient(sandbox: ClerkSandbox, sleeper: RecordingSleeper = RecordingSleeper(), configure: ClerkConfig.Builder.() -> Unit = {}) =
    sandboxClient(sandbox, sleeper) { builtInEngine = dev.clerkkit.BuiltInEngine.CIO; configure() }

/**
 * Polls [condition] until it holds, for at most [timeoutMillis] (a bounded wait for something asynchronous, e.g. the
 * server noticing closed sockets; nothing is measured). Fails with [message] when it never holds.
 */
suspend fun awaitUntil(timeoutMillis: Long = 10_000, message: () -> String, condition: suspend () -> Boolean) {
    try {
        withTimeout(timeoutMillis) { while (!condition()) delay(10) }
    } catch (e: kotlinx.coroutines.TimeoutCancellationException) {
        throw AssertionError("not reached within $timeoutMillis ms: ${message()}")
    }
}

/**
 * The `active_organization_id`s of recorded `create` requests, sorted, after checking each body is exactly the JSON
 * the client sends for [user] (no field lost, added or garbled on the way).
 */
fun createBodiesOf(posts: List<dev.clerkkit.testkit.RecordedRequest>, user: String): List<String> = posts.map { p ->
    val o = kotlinx.serialization.json.Json.parseToJsonElement(p.body) as kotlinx.serialization.json.JsonObject
    check(o.keys == setOf("user_id", "active_organization_id")) { "unexpected body ${p.body}" }
    check((o["user_id"] as kotlinx.serialization.json.JsonPrimitive).content == user) { "wrong user in ${p.body}" }
    (o["active_organization_id"] as kotlinx.serialization.json.JsonPrimitive).content
}.sorted()

/**
 * [calls] calls at [inFlight] at a time, alternating `get(sid)` (even indexes) and `create(user, "org_<i>")` (odd):
 * the session id, resp. the created session's organization id, per index.
 */
suspend fun mixedGetsAndCreates(c: ClerkClient, sid: String, user: String, calls: Int = 5_000, inFlight: Int = 64): List<String?> {
    val gate = kotlinx.coroutines.sync.Semaphore(inFlight)
    return kotlinx.coroutines.coroutineScope {
        (0 until calls).map { i ->
            async {
                gate.withPermit {
                    if (i % 2 == 0) c.sessions.get(sid).id else c.sessions.create(CreateSessionParams { userId = user; activeOrganizationId = "org_$i" }).lastActiveOrganizationId
                }
            }
        }.awaitAll()
    }
}
