package dev.clerkkit.tokens

import dev.clerkkit.tokens.TokenVerificationException.Reason
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import kotlinx.coroutines.yield
import java.io.IOException
import java.time.Duration

@OptIn(ExperimentalCoroutinesApi::class)
class JwksCacheSpec : FunSpec({

    val testClock = MutableClock()
    beforeEach { testClock.now = NOW }

    fun jwksVerifier(fetcher: JwksFetcher, configure: TokenVerifierOptions.Builder.() -> Unit = {}) =
        SessionTokenVerifier(TokenVerifierOptions { clock = testClock; configure() }, fetcher)

    suspend fun SessionTokenVerifier.rejects(token: String, reason: Reason): TokenVerificationException {
        val e = shouldThrow<TokenVerificationException> { verify(token) }
        e.reason shouldBe reason
        return e
    }

    test("a token verifies against the fetched JWKS; mint-time claims are intact") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.isNetworkless shouldBe false
        v.verify(mint()).sessionId shouldBe "sess_123"
        v.verifyBlocking(mint()).userId shouldBe "user_456"
        fetcher.count shouldBe 1
    }

    test("one fetch per TTL: cached until the injected clock passes jwksCacheTtl") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        repeat(50) { v.verify(mint()) }
        fetcher.count shouldBe 1
        testClock.advance(Duration.ofMinutes(59))
        v.verify(mint(claims(iat = testClock.now.epochSecond, nbf = null, exp = testClock.now.epochSecond + 60)))
        fetcher.count shouldBe 1
        testClock.advance(Duration.ofMinutes(1))
        repeat(10) { v.verify(mint(claims(iat = testClock.now.epochSecond, nbf = null, exp = testClock.now.epochSecond + 60))) }
        fetcher.count shouldBe 2
        v.jwksFetchCount shouldBe 2
    }

    test("custom TTL is honoured") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher) { jwksCacheTtl = Duration.ofSeconds(10) }
        v.verify(mint())
        testClock.advance(Duration.ofSeconds(10))
        v.verify(mint())
        fetcher.count shouldBe 2
    }

    test("key rotation: a new kid triggers exactly one refresh once the rate-limit window has passed") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.verify(mint())
        fetcher.count shouldBe 1
        // Clerk rotates: JWKS now has both keys, new tokens use the new kid.
        fetcher.body = { TestKeys.jwks(TestKeys.primary, TestKeys.rotated) }
        testClock.advance(TokenVerifierOptions.DEFAULT_JWKS_MIN_REFRESH_INTERVAL)
        val rotatedToken = mint(claims(iat = testClock.now.epochSecond, nbf = null, exp = testClock.now.epochSecond + 60), key = TestKeys.rotated)
        v.verify(rotatedToken).sessionId shouldBe "sess_123"
        fetcher.count shouldBe 2
        repeat(20) { v.verify(rotatedToken) }
        v.verify(mint(claims(iat = testClock.now.epochSecond, nbf = null, exp = testClock.now.epochSecond + 60)))
        fetcher.count shouldBe 2
    }

    test("unknown kid within the rate-limit window fails without a fetch; after it, one refresh") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.verify(mint())
        v.rejects(mint(key = TestKeys.rotated), Reason.UNKNOWN_KID)
        fetcher.count shouldBe 1
        testClock.advance(Duration.ofMinutes(1))
        v.rejects(mint(claims(exp = testClock.now.epochSecond + 60), key = TestKeys.rotated), Reason.UNKNOWN_KID)
        fetcher.count shouldBe 2
    }

    test("forged-kid flood: at most one extra fetch per rate-limit window (sequential and concurrent)") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.verify(mint())
        val attacker = TestKeys.rsa("unused")
        val forged = (1..200).map { mint(key = attacker, kid = "forged_$it") }
        testClock.advance(Duration.ofMinutes(2)) // window open: the first forged kid may refresh once
        val freshClaims = claims(iat = testClock.now.epochSecond, nbf = null, exp = testClock.now.epochSecond + 60)
        val forgedNow = (1..200).map { mint(freshClaims, key = attacker, kid = "forged_now_$it") }
        for (t in forgedNow) v.rejects(t, Reason.UNKNOWN_KID)
        fetcher.count shouldBe 2
        withContext(Dispatchers.Default) {
            forged.map { t -> async { shouldThrow<TokenVerificationException> { v.verify(t) }.reason } }.awaitAll()
        }.toSet() shouldBe setOf(Reason.UNKNOWN_KID)
        fetcher.count shouldBe 2
        // Legitimate traffic is unaffected throughout.
        v.verify(mint(freshClaims)).userId shouldBe "user_456"
        fetcher.count shouldBe 2
    }

    test("foreign key with a known kid -> BAD_SIGNATURE and no refresh") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher) { jwksMinRefreshInterval = Duration.ZERO }
        v.verify(mint())
        v.rejects(mint(key = TestKeys.impostor), Reason.BAD_SIGNATURE)
        fetcher.count shouldBe 1
    }

    test("token without kid in JWKS mode -> UNKNOWN_KID without fetching") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        jwksVerifier(fetcher).rejects(mint(kid = null), Reason.UNKNOWN_KID)
        fetcher.count shouldBe 0
    }

    test("algorithm and format are checked before any fetch") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.rejects(mintHs256(TestKeys.primary.toRSAPublicKey().encoded), Reason.UNSUPPORTED_ALGORITHM)
        v.rejects("not-a-token", Reason.MALFORMED)
        fetcher.count shouldBe 0
    }

    test("single-flight: 1,000 concurrent verifications on a cold cache make exactly one fetch (deterministic)") {
        runTest {
            val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
            val gate = CompletableDeferred<Unit>()
            fetcher.gate = gate
            val v = jwksVerifier(fetcher)
            val token = mint()
            val results = (1..1000).map { async { v.verify(token) } }
            runCurrent() // every coroutine is now either inside the fetch or waiting for it
            fetcher.count shouldBe 1
            gate.complete(Unit)
            results.awaitAll().map { it.sessionId }.toSet() shouldBe setOf("sess_123")
            fetcher.count shouldBe 1
        }
    }

    test("single-flight on real threads: 1,000 concurrent verifications, one fetch") {
        val fetcher = object : JwksFetcher {
            val count = java.util.concurrent.atomic.AtomicInteger()
            override suspend fun fetchJwks(): String {
                count.incrementAndGet()
                repeat(100) { yield() }
                return TestKeys.jwks(TestKeys.primary)
            }
        }
        val v = jwksVerifier(fetcher)
        val token = mint()
        withContext(Dispatchers.Default) {
            (1..1000).map { async { v.verify(token).userId } }.awaitAll()
        }.toSet() shouldBe setOf("user_456")
        fetcher.count.get() shouldBe 1
    }

    test("fetcher failure -> JWKS_UNAVAILABLE with the cause; concurrent waiters share one failed fetch") {
        runTest {
            val boom = IOException("connection refused")
            val fetcher = CountingFetcher { throw boom }
            val gate = CompletableDeferred<Unit>()
            fetcher.gate = gate
            val v = jwksVerifier(fetcher)
            val token = mint()
            val results = (1..1000).map {
                async { shouldThrow<TokenVerificationException> { v.verify(token) } }
            }
            runCurrent()
            gate.complete(Unit)
            val errors = results.awaitAll()
            errors.map { it.reason }.toSet() shouldBe setOf(Reason.JWKS_UNAVAILABLE)
            errors.forEach { it.cause shouldBeSameInstanceAs boom }
            fetcher.count shouldBe 1
        }
    }

    test("after a failure the next verification retries; a recovered fetcher then serves from cache") {
        var fail = true
        val fetcher = CountingFetcher { if (fail) throw IllegalStateException("503") else TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.rejects(mint(), Reason.JWKS_UNAVAILABLE).cause!!.message shouldBe "503"
        fail = false
        v.verify(mint()).userId shouldBe "user_456"
        v.verify(mint()).userId shouldBe "user_456"
        fetcher.count shouldBe 2
    }

    test("a JWKS that is not a JWKS -> JWKS_UNAVAILABLE; unusable keys are ignored -> UNKNOWN_KID") {
        jwksVerifier(CountingFetcher { "<html>bad gateway</html>" }).rejects(mint(), Reason.JWKS_UNAVAILABLE)
        val encKey = TestKeys.primary.toPublicJWK().toJSONObject().apply { put("use", "enc") }
        val notForSigning = """{"keys":[${com.nimbusds.jose.util.JSONObjectUtils.toJSONString(encKey)}]}"""
        jwksVerifier(CountingFetcher { notForSigning }).rejects(mint(), Reason.UNKNOWN_KID)
    }

    test("a CancellationException thrown by the fetcher itself (e.g. its own timeout) is JWKS_UNAVAILABLE") {
        val v = jwksVerifier(CountingFetcher { throw CancellationException("timed out inside the fetcher") })
        v.rejects(mint(), Reason.JWKS_UNAVAILABLE)
    }

    test("cancellation of the caller propagates and does not poison the cache") {
        runTest {
            val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
            val gate = CompletableDeferred<Unit>()
            fetcher.gate = gate
            val v = jwksVerifier(fetcher)
            val first = async { v.verify(mint()) }
            runCurrent()
            first.cancel()
            runCurrent()
            fetcher.gate = null
            v.verify(mint()).userId shouldBe "user_456"
            fetcher.count shouldBe 2
        }
    }

    test("verifyBlocking in JWKS mode fetches through runBlocking") {
        val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
        val v = jwksVerifier(fetcher)
        v.verifyBlocking(mint()).sessionId shouldBe "sess_123"
        fetcher.count shouldBe 1
    }
})
