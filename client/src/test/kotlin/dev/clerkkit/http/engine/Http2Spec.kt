package dev.clerkkit.http.engine

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.TEST_SECRET
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.http.RecordingSleeper
import dev.clerkkit.sessionJson
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import mockwebserver3.Dispatcher
import mockwebserver3.MockResponse
import mockwebserver3.MockWebServer
import mockwebserver3.RecordedRequest
import okhttp3.Protocol
import okhttp3.tls.HandshakeCertificates
import okhttp3.tls.HeldCertificate
import java.security.KeyStore
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger

/**
 * The default OkHttp lane against a server that offers HTTP/2 in ALPN, as api.clerk.com does (OkHttp's MockWebServer
 * over TLS; the testkit sandbox speaks HTTP/1.1 only): calls multiplex on one connection, a cancelled call resets its
 * stream without disturbing the others or the connection, and retries still hold.
 */
class Http2Spec : FunSpec({
    val cert = HeldCertificate.Builder().addSubjectAlternativeName("localhost").build()
    val serverTls = HandshakeCertificates.Builder().heldCertificate(cert).build()
    val trust = KeyStore.getInstance(KeyStore.getDefaultType()).apply { load(null, null); setCertificateEntry("h2", cert.certificate) }

    val seen = ConcurrentLinkedQueue<RecordedRequest>()
    val revokes503 = AtomicInteger()
    val server = MockWebServer().apply {
        useHttps(serverTls.sslSocketFactory())
        protocols = listOf(Protocol.HTTP_2, Protocol.HTTP_1_1)
        dispatcher = object : Dispatcher() {
            override fun dispatch(request: RecordedRequest): MockResponse {
                seen += request
                val path = request.url.encodedPath
                val json = MockResponse.Builder().setHeader("Content-Type", "application/json")
                return when {
                    path.endsWith("/sess_slow") -> json.headersDelay(3, TimeUnit.SECONDS).body(sessionJson("sess_slow")).build()
                    path.endsWith("/revoke") && revokes503.getAndDecrement() > 0 ->
                        json.code(503).body("""{"errors":[{"message":"busy","long_message":"busy","code":"unavailable"}]}""").build()
                    path.endsWith("/revoke") -> json.body(sessionJson(path.split('/')[3], status = "revoked")).build()
                    path.endsWith("/tokens") -> json.body("""{"object":"token","jwt":"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln"}""").build()
                    request.method == "GET" -> json.body(sessionJson(path.substringAfterLast('/'))).build()
                    else -> MockResponse.Builder().code(404).build()
                }
            }
        }
        start()
    }
    val sleeper = RecordingSleeper()
    val clerk = ClerkClient {
        secretKey = TEST_SECRET
        baseUrl = server.url("/v1").toString().trimEnd('/').replace("127.0.0.1", "localhost")
        trustStore = trust
        retryPolicy = sleeper.policy()
        rateLimit = dev.clerkkit.ratelimit.RateLimit.OFF // hundreds of calls in seconds, on purpose
    }
    afterSpec { clerk.close(); server.close() }
    beforeTest { seen.clear() }

    test("100 concurrent reads and writes multiplex on one HTTP/2 connection") {
        val results = withTimeout(30_000) {
            coroutineScope {
                List(100) { i ->
                    async { if (i % 2 == 0) clerk.sessions.get("sess_$i").id else clerk.sessions.createToken("sess_$i").jwt.take(3) }
                }.awaitAll()
            }
        }
        results.filterIndexed { i, _ -> i % 2 == 0 } shouldBe (0 until 100 step 2).map { "sess_$it" }
        results.filterIndexed { i, _ -> i % 2 == 1 }.toSet() shouldBe setOf("eyJ")
        seen.size shouldBe 100
        seen.map { it.version }.toSet() shouldBe setOf("HTTP/2")
        seen.map { it.connectionIndex }.toSet().size shouldBe 1
    }

    test("a cancelled call resets its stream only: the calls beside it and the connection go on") {
        clerk.sessions.get("sess_warm")
        val connection = seen.last().connectionIndex
        coroutineScope {
            val slow = async { clerk.sessions.get("sess_slow") }
            delay(300)
            val others = List(10) { i -> async { clerk.sessions.get("sess_o$i").id } }
            slow.cancel()
            others.awaitAll() shouldBe List(10) { "sess_o$it" }
        }
        clerk.sessions.get("sess_after").id shouldBe "sess_after"
        seen.filter { it.url.encodedPath.endsWith("/sess_after") }.single().connectionIndex shouldBe connection
    }

    test("a 503 on a write is retried on the same connection, with the policy's backoff") {
        revokes503.set(1)
        val waitsBefore = sleeper.waits.size
        clerk.sessions.revoke("sess_r").status.value shouldBe "revoked"
        seen.count { it.url.encodedPath.endsWith("/revoke") } shouldBe 2
        seen.map { it.connectionIndex }.toSet().size shouldBe 1
        sleeper.waits.size shouldBe waitsBefore + 1
    }

    test("a per-call timeout on HTTP/2: a typed timeout, and the connection still serves the next call") {
        shouldThrow<ClerkTransportException> {
            clerk.sessions.get("sess_slow", RequestOptions { timeout = java.time.Duration.ofMillis(300); maxAttempts(1) })
        }
        clerk.sessions.get("sess_next").id shouldBe "sess_next"
    }
})
