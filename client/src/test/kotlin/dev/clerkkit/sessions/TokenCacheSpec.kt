package dev.clerkkit.sessions

import dev.clerkkit.ClerkClient
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.errors.ServerException
import dev.clerkkit.http.Chain
import dev.clerkkit.http.Stage
import dev.clerkkit.http.StagePosition
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.CreateTokenFromTemplateParams
import dev.clerkkit.sessions.CreateTokenParams
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.sessions.TokenCacheOptions
import dev.clerkkit.sessions.TokenCachingSessions
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Fault
import dev.clerkkit.testkit.MutableClock
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.cancelAndJoin
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.withContext
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger

/**
 * Holds every token attempt until [open] (before it is sent, or with [afterAnswer] after the sandbox answered it);
 * [entered] completes when the first one is held. Other operations pass.
 */
private class Gate(private val afterAnswer: Boolean = false) : Stage {
    val entered = CompletableDeferred<Unit>()
    private val opened = CompletableDeferred<Unit>()
    val attempts = AtomicInteger()
    fun open() = opened.complete(Unit)

    override suspend fun intercept(chain: Chain): EngineResponse {
        if ("Token" !in chain.request.operation.name) return chain.proceed(chain.request)
        attempts.incrementAndGet()
        if (afterAnswer) return chain.proceed(chain.request).also { entered.complete(Unit); opened.await() }
        entered.complete(Unit)
        opened.await()
        return chain.proceed(chain.request)
    }

    override fun toString() = "Gate"
}

private fun cachingClient(
    sandbox: ClerkSandbox,
    options: TokenCacheOptions = TokenCacheOptions.DEFAULTS,
    gate: Gate? = null,
) = ClerkClient {
    secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; rateLimit = RateLimit.OFF; retryPolicy = RetryPolicy.NONE
    tokenCache = options
    gate?.let { addStage(StagePosition.ATTEMPT, it) }
}

private val ClerkSandbox.templateCalls get() = stats.requests(Route.CREATE_TOKEN_FROM_TEMPLATE)
private val ClerkSandbox.tokenCalls get() = stats.requests(Route.CREATE_TOKEN)

class TokenCacheSpec : FunSpec({
    test("1,000 concurrent requests for one key make one call to the sandbox; every caller gets its token") {
        ClerkSandbox.start().use { sandbox ->
            sandbox.addJwtTemplate("worker", mapOf("role" to "worker"))
            val sid = sandbox.addSession(sandbox.addUser())
            val gate = Gate()
            cachingClient(sandbox, gate = gate).use { clerk ->
                coroutineScope {
                    // each request runs up to its first suspension here: the first starts the call, held by the gate
                    val waiters = (1..1000).map {
                        async(start = CoroutineStart.UNDISPATCHED) { clerk.sessions.createTokenFromTemplate(sid, "worker") }
                    }
                    gate.entered.await()
                    gate.open()
                    val tokens = waiters.awaitAll()
                    tokens.map { it.jwt }.toSet() shouldHaveSize 1
                }
                sandbox.templateCalls shouldBe 1
                gate.attempts.get() shouldBe 1
            }
        }
    }

    test("1,000 parallel requests on many threads: one call") {
        ClerkSandbox.start().use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox).use { clerk ->
                val tokens = withContext(Dispatchers.Default) {
                    (1..1000).map { async { clerk.sessions.createToken(sid) } }.awaitAll()
                }
                tokens.map { it.jwt }.toSet() shouldHaveSize 1
                sandbox.tokenCalls shouldBe 1
            }
        }
    }

    test("a failure is not cached: every waiter gets the error, the next request makes a new call") {
        ClerkSandbox.start().use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            sandbox.faults.on(Route.CREATE_TOKEN).then(Fault.Status(500))
            val gate = Gate()
            cachingClient(sandbox, gate = gate).use { clerk ->
                coroutineScope {
                    val waiters = (1..10).map {
                        async(start = CoroutineStart.UNDISPATCHED) { runCatching { clerk.sessions.createToken(sid) } }
                    }
                    gate.entered.await()
                    gate.open()
                    waiters.awaitAll().forEach { (it.exceptionOrNull() is ServerException) shouldBe true }
                }
                sandbox.tokenCalls shouldBe 1
                clerk.sessions.createToken(sid).jwt.count { it == '.' } shouldBe 2
                sandbox.tokenCalls shouldBe 2
                clerk.sessions.createToken(sid)
                sandbox.tokenCalls shouldBe 2
            }
        }
    }

    test("cancelling the caller that started the call does not cancel it for the others") {
        ClerkSandbox.start().use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            val gate = Gate()
            cachingClient(sandbox, gate = gate).use { clerk ->
                coroutineScope {
                    val first = launch(start = CoroutineStart.UNDISPATCHED) { clerk.sessions.createToken(sid) }
                    val others = (1..5).map { async(start = CoroutineStart.UNDISPATCHED) { clerk.sessions.createToken(sid) } }
                    gate.entered.await()
                    first.cancelAndJoin()
                    first.isCancelled shouldBe true
                    gate.open()
                    others.awaitAll().map { it.jwt }.toSet() shouldHaveSize 1
                }
                sandbox.tokenCalls shouldBe 1
                clerk.sessions.createToken(sid) // from the cache
                sandbox.tokenCalls shouldBe 1
            }
        }
    }

    test("virtual clock: a token is handed out until the margin before its exp, then a new one is minted") {
        val clock = MutableClock()
        ClerkSandbox.start { this.clock = clock }.use { sandbox ->
            sandbox.addJwtTemplate("worker", mapOf("role" to "worker"), lifetimeSeconds = 60)
            val sid = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox, TokenCacheOptions { this.clock = clock }).use { clerk ->
                val first = clerk.sessions.createTokenFromTemplate(sid, "worker")
                TokenCachingSessions.expiresAtSeconds(first.jwt) shouldBe clock.instant().epochSecond + 60
                clock.advance(Duration.ofSeconds(49)) // 11 s before exp: still handed out (default margin 10 s)
                clerk.sessions.createTokenFromTemplate(sid, "worker") shouldBe first
                sandbox.templateCalls shouldBe 1
                clock.advance(Duration.ofSeconds(1)) // 10 s before exp: a new one
                val second = clerk.sessions.createTokenFromTemplate(sid, "worker")
                (second == first) shouldBe false
                sandbox.templateCalls shouldBe 2
                // the requested lifetime is part of the key
                val longer = CreateTokenFromTemplateParams { sessionId = sid; templateName = "worker"; expiresInSeconds = 120 }
                clerk.sessions.createTokenFromTemplate(longer)
                clerk.sessions.createTokenFromTemplate(longer)
                sandbox.templateCalls shouldBe 3
                clock.advance(Duration.ofSeconds(109))
                clerk.sessions.createTokenFromTemplate(longer)
                sandbox.templateCalls shouldBe 3
                clock.advance(Duration.ofSeconds(1))
                clerk.sessions.createTokenFromTemplate(longer)
                sandbox.templateCalls shouldBe 4
            }
        }
    }

    test("a token that expires within the margin is not kept; a configured margin is honoured") {
        val clock = MutableClock()
        ClerkSandbox.start { this.clock = clock }.use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox, TokenCacheOptions { this.clock = clock; margin = Duration.ofSeconds(30) }).use { clerk ->
                val short = CreateTokenParams { sessionId = sid; expiresInSeconds = 30 }
                clerk.sessions.createToken(short)
                clerk.sessions.createToken(short)
                sandbox.tokenCalls shouldBe 2
                clerk.sessions.createToken(sid) // 60 s: kept until 30 s before exp
                clock.advance(Duration.ofSeconds(29))
                clerk.sessions.createToken(sid)
                sandbox.tokenCalls shouldBe 3
                clock.advance(Duration.ofSeconds(1))
                clerk.sessions.createToken(sid)
                sandbox.tokenCalls shouldBe 4
            }
        }
    }

    test("bounded: the least recently used token is evicted") {
        ClerkSandbox.start().use { sandbox ->
            listOf("a", "b", "c").forEach { sandbox.addJwtTemplate(it, mapOf("t" to it)) }
            val sid = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox, TokenCacheOptions { maxEntries = 2 }).use { clerk ->
                clerk.sessions.createTokenFromTemplate(sid, "a")
                clerk.sessions.createTokenFromTemplate(sid, "b")
                clerk.sessions.createTokenFromTemplate(sid, "a") // a is now more recent than b
                clerk.sessions.createTokenFromTemplate(sid, "c") // evicts b
                sandbox.templateCalls shouldBe 3
                (clerk.sessions as TokenCachingSessions).size shouldBe 2
                clerk.sessions.createTokenFromTemplate(sid, "a")
                clerk.sessions.createTokenFromTemplate(sid, "c")
                sandbox.templateCalls shouldBe 3
                clerk.sessions.createTokenFromTemplate(sid, "b")
                sandbox.templateCalls shouldBe 4
            }
        }
    }

    test("revoke, raw revoke and revokeAll through the client drop the session's tokens") {
        ClerkSandbox.start().use { sandbox ->
            sandbox.addJwtTemplate("worker", mapOf("role" to "worker"))
            val user = sandbox.addUser()
            val (s1, s2, s3) = sandbox.addSessions(user, 3)
            val s4 = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox).use { clerk ->
                for (s in listOf(s1, s2, s3, s4)) {
                    clerk.sessions.createToken(s); clerk.sessions.createTokenFromTemplate(s, "worker")
                }
                (clerk.sessions as TokenCachingSessions).size shouldBe 8
                clerk.sessions.revoke(s1)
                // the sandbox refuses tokens for a revoked session: the cache asked it again
                shouldThrow<NotFoundException> { clerk.sessions.createToken(s1) }
                shouldThrow<NotFoundException> { clerk.sessions.createTokenFromTemplate(s1, "worker") }
                clerk.sessions.withRawResponse().revoke(dev.clerkkit.sessions.RevokeSessionParams { sessionId = s4 })
                shouldThrow<NotFoundException> { clerk.sessions.createToken(s4) }
                clerk.sessions.revokeAll(user).revoked.toSet() shouldBe setOf(s2, s3)
                (clerk.sessions as TokenCachingSessions).size shouldBe 0
                shouldThrow<NotFoundException> { clerk.sessions.createToken(s2) }
                shouldThrow<NotFoundException> { clerk.sessions.createTokenFromTemplate(s3, "worker") }
            }
        }
    }

    test("a revoke while a token call is in flight: its waiters get the token, the cache does not keep it") {
        ClerkSandbox.start().use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            val gate = Gate(afterAnswer = true)
            cachingClient(sandbox, gate = gate).use { clerk ->
                coroutineScope {
                    val pending = async(start = CoroutineStart.UNDISPATCHED) { clerk.sessions.createToken(sid) }
                    gate.entered.await() // the sandbox minted the token; its answer is held
                    clerk.sessions.revoke(sid)
                    gate.open()
                    pending.await().jwt.count { it == '.' } shouldBe 2
                }
                (clerk.sessions as TokenCachingSessions).size shouldBe 0
                shouldThrow<NotFoundException> { clerk.sessions.createToken(sid) }
                sandbox.tokenCalls shouldBe 2
            }
        }
    }

    test("no JWT in toString of the client, its config, sessions, options or tokens") {
        ClerkSandbox.start().use { sandbox ->
            val sid = sandbox.addSession(sandbox.addUser())
            cachingClient(sandbox).use { clerk ->
                val token: SessionToken = clerk.sessions.createToken(sid)
                val jwtPart = token.jwt.substringAfter('.').substringBefore('.')
                listOf(clerk.toString(), clerk.config.toString(), clerk.sessions.toString(), clerk.sessions.withRawResponse().toString(),
                    TokenCacheOptions.DEFAULTS.toString(), token.toString()).forEach {
                    it shouldNotContain jwtPart
                }
                clerk.sessions.toString() shouldBe "Sessions(tokenCache=TokenCacheOptions(margin=PT10S, maxEntries=10000))"
            }
        }
    }

    test("options check their values") {
        shouldThrow<IllegalArgumentException> { TokenCacheOptions { margin = Duration.ofSeconds(-1) } }
        shouldThrow<IllegalArgumentException> { TokenCacheOptions { maxEntries = 0 } }
        TokenCacheOptions.DEFAULTS.margin shouldBe Duration.ofSeconds(10)
        TokenCacheOptions.DEFAULTS.maxEntries shouldBe 10_000
        TokenCachingSessions.expiresAtSeconds("not-a-jwt") shouldBe null
        TokenCachingSessions.expiresAtSeconds("a.!!!.c") shouldBe null
    }
})
