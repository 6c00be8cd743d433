package dev.clerkkit.java

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.RetryPolicy
import dev.clerkkit.ratelimit.RateLimit
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import dev.clerkkit.sessions.RefreshFormat
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionStatus
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.internal.PreparedCall
import dev.clerkkit.internal.SessionCalls
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.DescribeSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.mockk.coEvery
import io.mockk.every
import io.mockk.mockk
import io.mockk.verify
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CancellationException
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.coroutines.cancellation.CancellationException as KCancellationException

/** A prepared call that answers [value] (a stand-in for the core's real one). */
private fun <T> done(value: T): PreparedCall<T> = answering { value }

/** A prepared call that runs [block] when executed. */
private fun <T> answering(block: suspend () -> T): PreparedCall<T> = mockk { coEvery { execute() } coAnswers { block() } }

private fun session(id: String) = Session.builder()
    .id(id).userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
    .lastActiveAt(1).expireAt(2).abandonAt(3).updatedAt(4).createdAt(5)
    .build()

private fun page(data: List<Session>, total: Long) = SessionPage.builder().data(data).totalCount(total).build()
private fun token(jwt: String) = SessionToken.builder().jwt(jwt).build()

/**
 * Proves the facade is a thin adapter over the core's prepared calls: delegation, synchronous input errors,
 * cancellation, paging, close.
 */
class SessionsAsyncSpec : DescribeSpec({
    lateinit var core: SessionCalls
    lateinit var scope: CoroutineScope
    lateinit var async: SessionsAsync
    val opts = RequestOptions.builder().header("X-Test", "1").build()

    beforeEach {
        core = mockk()
        scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
        async = DefaultSessionsAsync(core, FutureCalls(scope) { false })
    }
    afterEach { scope.cancel() }

    describe("delegation to the suspend API") {
        it("get, revoke, create (with and without organization)") {
            every { core.get("sess_1", RequestOptions.NONE) } returns done(session("sess_1"))
            every { core.revoke("sess_1", opts) } returns done(session("sess_1"))
            every { core.create("user_1", null, RequestOptions.NONE) } returns done(session("sess_2"))
            every { core.create("user_1", "org_1", opts) } returns done(session("sess_3"))

            async.get("sess_1").get().id shouldBe "sess_1"
            async.revoke("sess_1", opts).get().id shouldBe "sess_1"
            async.create("user_1").get().id shouldBe "sess_2"
            async.create("user_1", "org_1", opts).get().id shouldBe "sess_3"

            verify(exactly = 1) { core.get("sess_1", RequestOptions.NONE) }
            verify(exactly = 1) { core.revoke("sess_1", opts) }
            verify(exactly = 1) { core.create("user_1", null, RequestOptions.NONE) }
            verify(exactly = 1) { core.create("user_1", "org_1", opts) }
        }

        it("list, listPage") {
            val params = SessionListParams.builder().userId("user_1").build()
            every { core.list(params, RequestOptions.NONE) } returns done(listOf(session("a")))
            every { core.list(SessionListParams.NONE, RequestOptions.NONE) } returns done(emptyList())
            every { core.listPage(params, opts) } returns done(page(listOf(session("a")), 7))

            async.list(params).get().map { it.id } shouldContainExactly listOf("a")
            async.list().get() shouldBe emptyList()
            async.listPage(params, opts).get().totalCount shouldBe 7L
        }

        it("refresh, verify, createToken, createTokenFromTemplate") {
            val refresh = RefreshSessionParams.builder().expiredToken("e").refreshToken("r").requestOrigin("https://a.example")
                .format(RefreshFormat.TOKEN).build()
            every { core.refresh("sess_1", refresh, RequestOptions.NONE) } returns done(SessionRefresh.Token.builder().jwt("jwt").build())
            @Suppress("DEPRECATION")
            every { core.verify("sess_1", "tok", RequestOptions.NONE) } returns done(session("sess_1"))
            every { core.createToken("sess_1", null, RequestOptions.NONE) } returns done(token("t1"))
            every { core.createToken("sess_1", 60L, opts) } returns done(token("t2"))
            every { core.createTokenFromTemplate("sess_1", "tpl", null, RequestOptions.NONE) } returns done(token("t3"))
            every { core.createTokenFromTemplate("sess_1", "tpl", 90L, RequestOptions.NONE) } returns done(token("t4"))

            async.refresh("sess_1", refresh).get() shouldBe SessionRefresh.Token.builder().jwt("jwt").build()
            @Suppress("DEPRECATION")
            async.verify("sess_1", "tok").get().id shouldBe "sess_1"
            async.createToken("sess_1").get().jwt shouldBe "t1"
            async.createToken("sess_1", 60L, opts).get().jwt shouldBe "t2"
            async.createTokenFromTemplate("sess_1", "tpl").get().jwt shouldBe "t3"
            async.createTokenFromTemplate("sess_1", "tpl", 90L).get().jwt shouldBe "t4"
        }
    }

    describe("errors") {
        it("a failure after I/O started completes the future with the same exception instance") {
            val boom = IllegalStateException("boom")
            every { core.get("sess_1", any()) } returns answering { delay(5); throw boom }
            val e = shouldThrow<ExecutionException> { async.get("sess_1").get(5, TimeUnit.SECONDS) }
            e.cause shouldBeSameInstanceAs boom
        }

        it("an input error is thrown synchronously while the call is prepared, no future") {
            every { core.get("", any()) } throws IllegalArgumentException("sessionId must not be blank")
            shouldThrow<IllegalArgumentException> { async.get("") }.message shouldBe "sessionId must not be blank"
        }

        it("an IllegalArgumentException after a suspension stays in the future") {
            // A gate, not a short delay: a delay that elapses before the caller gets back would not really suspend.
            val gate = CompletableDeferred<Unit>()
            every { core.get("late", any()) } returns answering { gate.await(); throw IllegalArgumentException("late") }
            val f = async.get("late")
            gate.complete(Unit)
            shouldThrow<ExecutionException> { f.get(5, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<IllegalArgumentException>()
        }
    }

    describe("cancellation") {
        it("cancel(true) on the future cancels the suspended core call") {
            val started = CompletableDeferred<Unit>()
            val observed = CompletableDeferred<Throwable>()
            every { core.get("slow", any()) } returns answering {
                started.complete(Unit)
                try {
                    awaitCancellation()
                } catch (e: KCancellationException) {
                    observed.complete(e)
                    throw e
                }
            }
            val f = async.get("slow")
            withTimeout(5_000) { started.await() }
            f.cancel(true).shouldBeTrue()
            withTimeout(5_000) { observed.await() }.shouldBeInstanceOf<KCancellationException>()
            shouldThrow<CancellationException> { f.join() }
        }
    }

    describe("ClerkJavaClient") {
        /** A real core whose every call hangs (after completing [started]) until cancelled, or answers [answer]. */
        fun coreClient(started: CompletableDeferred<Unit>, answer: String? = null) = ClerkClient {
            secretKey = "sk_test_facade"
            baseUrl = "https://api.clerk.test/v1"
            retryPolicy = RetryPolicy.NONE
            rateLimit = RateLimit.OFF
            engine = MockEngine { request ->
                if (answer != null) return@MockEngine respond(answer, HttpStatusCode.OK, headersOf(HttpHeaders.ContentType, "application/json"))
                started.complete(Unit)
                awaitCancellation()
            }
        }

        it("close() cancels running futures, leaves a wrapped core open, then refuses calls") {
            val started = CompletableDeferred<Unit>()
            coreClient(started).use { client ->
                val java = ClerkJavaClient.wrap(client)
                val f = java.sessions().get("slow")
                withTimeout(5_000) { started.await() } // the call is in flight
                java.close()
                shouldThrow<CancellationException> { f.get(5, TimeUnit.SECONDS) }
                f.isCancelled.shouldBeTrue()
                shouldThrow<IllegalStateException> { java.sessions().get("sess_1") }.message shouldBe "ClerkJavaClient is closed"
                shouldThrow<IllegalStateException> { java.sessions().get("") }.message shouldBe "ClerkJavaClient is closed"
                java.close() // idempotent
                // The wrapped core is still open: a new facade over it works.
                ClerkJavaClient.wrap(client).use { again -> again.sessions().get("slow").cancel(true).shouldBeTrue() }
            }
        }

        it("futures complete on the given executor") {
            val body = """{"object":"session","id":"sess_1","user_id":"user_1","client_id":"client_1","status":"active",""" +
                """"last_active_at":1,"expire_at":2,"abandon_at":3,"updated_at":4,"created_at":5}"""
            coreClient(CompletableDeferred(), answer = body).use { client ->
                val pool = Executors.newSingleThreadExecutor { r -> Thread(r, "app-callbacks") }
                ClerkJavaClient.wrap(client, pool).use { java ->
                    java.sessions().get("sess_1").thenApply { Thread.currentThread().name }.get(5, TimeUnit.SECONDS) shouldStartWith "app-callbacks"
                }
                pool.shutdown()
            }
        }
    }

    describe("listAll / iterateAll") {
        fun stubPages(total: Int) {
            every { core.checkPageSize(any()) } answers { callOriginal() }
            every { core.listPage(any<SessionListParams>(), any()) } answers {
                val p = firstArg<SessionListParams>()
                val from = p.offset!!
                val to = minOf(from + p.limit!!, total)
                done(page((from until to).map { session("s$it") }, total.toLong()))
            }
        }

        it("fetches pages only when the consumer gets there") {
            stubPages(total = 5)
            val params = SessionListParams.builder().userId("user_1").build()
            async.listAll(params, 2).limit(2).map { it.id }.toList() shouldContainExactly listOf("s0", "s1")
            verify(exactly = 1) { core.listPage(any<SessionListParams>(), any()) }

            async.iterateAll(params, 2).map { it.id } shouldContainExactly listOf("s0", "s1", "s2", "s3", "s4")
            verify(exactly = 4) { core.listPage(any<SessionListParams>(), any()) } // 1 + 3 pages
        }

        it("rejects a bad page size synchronously via the core's check") {
            stubPages(total = 1)
            shouldThrow<IllegalArgumentException> { async.listAll(SessionListParams.NONE, 0) }.message shouldStartWith "pageSize"
        }
    }
})
