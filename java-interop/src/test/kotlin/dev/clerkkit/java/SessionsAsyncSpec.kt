package dev.clerkkit.java

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkResponse
import dev.clerkkit.RequestOptions
import dev.clerkkit.RetryPolicy
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.sessions.CreateSessionParams
import dev.clerkkit.sessions.CreateTokenFromTemplateParams
import dev.clerkkit.sessions.CreateTokenParams
import dev.clerkkit.sessions.GetSessionParams
import dev.clerkkit.sessions.RefreshFormat
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.RevokeSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionStatus
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.sessions.Sessions
import dev.clerkkit.sessions.VerifySessionParams
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.DescribeSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.ktor.client.engine.mock.MockEngine
import io.ktor.client.engine.mock.respond
import io.ktor.http.HttpHeaders
import io.ktor.http.HttpStatusCode
import io.ktor.http.headersOf
import io.mockk.coEvery
import io.mockk.coVerify
import io.mockk.every
import io.mockk.mockk
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.cancel
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.withTimeout
import java.util.concurrent.CancellationException
import java.util.concurrent.ExecutionException
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.cancellation.CancellationException as KCancellationException

private fun session(id: String) = Session.builder()
    .id(id).userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
    .lastActiveAt(1).expireAt(2).abandonAt(3).updatedAt(4).createdAt(5)
    .build()

private fun page(data: List<Session>, total: Long) = SessionPage.builder().data(data).totalCount(total).build()
private fun token(jwt: String) = SessionToken.builder().jwt(jwt).build()

/**
 * The Java facade is a thin adapter over the public [Sessions]: delegation (futures and blocking), input errors on the
 * caller's thread, typed errors unwrapped, cancellation, paging, raw responses, close.
 */
class SessionsAsyncSpec : DescribeSpec({
    lateinit var core: Sessions
    lateinit var scope: CoroutineScope
    lateinit var async: SessionsAsync
    lateinit var blocking: SessionsBlocking
    val opts = RequestOptions.builder().header("X-Test", "1").build()

    beforeEach {
        core = mockk()
        scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
        async = DefaultSessionsAsync(core, Futures(scope))
        blocking = DefaultSessionsBlocking(core, Futures(scope))
    }
    afterEach { scope.cancel() }

    describe("delegation to the suspend API") {
        it("get, revoke, create: params forms and shorthands, futures and blocking") {
            coEvery { core.get(GetSessionParams { sessionId = "sess_1" }, RequestOptions.NONE) } returns session("sess_1")
            coEvery { core.revoke(RevokeSessionParams { sessionId = "sess_1" }, opts) } returns session("sess_1")
            coEvery { core.create(CreateSessionParams { userId = "user_1" }, RequestOptions.NONE) } returns session("sess_2")
            coEvery { core.create(CreateSessionParams { userId = "user_1"; activeOrganizationId = "org_1" }, opts) } returns session("sess_3")

            async.get("sess_1").get().id shouldBe "sess_1"
            blocking.get("sess_1").id shouldBe "sess_1"
            async.revoke(RevokeSessionParams { sessionId = "sess_1" }, opts).get().id shouldBe "sess_1"
            async.create("user_1").get().id shouldBe "sess_2"
            blocking.create(CreateSessionParams { userId = "user_1"; activeOrganizationId = "org_1" }, opts).id shouldBe "sess_3"

            coVerify(exactly = 2) { core.get(GetSessionParams { sessionId = "sess_1" }, RequestOptions.NONE) }
            coVerify(exactly = 1) { core.revoke(RevokeSessionParams { sessionId = "sess_1" }, opts) }
        }

        it("list, listPage, refresh, verify, createToken, createTokenFromTemplate") {
            val params = SessionListParams.builder().userId("user_1").build()
            coEvery { core.list(params, RequestOptions.NONE) } returns listOf(session("a"))
            coEvery { core.listPage(params, opts) } returns page(listOf(session("a")), 7)
            val refresh = RefreshSessionParams.builder().sessionId("sess_1").expiredToken("e").refreshToken("r")
                .requestOrigin("https://a.example").format(RefreshFormat.TOKEN).build()
            coEvery { core.refresh(refresh, RequestOptions.NONE) } returns SessionRefresh.Token.builder().jwt("jwt").build()
            @Suppress("DEPRECATION")
            coEvery { core.verify(VerifySessionParams { sessionId = "sess_1"; token = "tok" }, RequestOptions.NONE) } returns session("sess_1")
            coEvery { core.createToken(CreateTokenParams { sessionId = "sess_1" }, RequestOptions.NONE) } returns token("t1")
            coEvery { core.createToken(CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 60 }, opts) } returns token("t2")
            coEvery { core.createTokenFromTemplate(CreateTokenFromTemplateParams { sessionId = "sess_1"; templateName = "tpl" }, RequestOptions.NONE) } returns token("t3")

            async.list(params).get().map { it.id } shouldContainExactly listOf("a")
            blocking.listPage(params, opts).totalCount shouldBe 7L
            (async.refresh(refresh).get() as SessionRefresh.Token).jwt shouldBe "jwt"
            @Suppress("DEPRECATION")
            blocking.verify(VerifySessionParams { sessionId = "sess_1"; token = "tok" }).id shouldBe "sess_1"
            async.createToken("sess_1").get().jwt shouldBe "t1"
            blocking.createToken(CreateTokenParams { sessionId = "sess_1"; expiresInSeconds = 60 }, opts).jwt shouldBe "t2"
            async.createTokenFromTemplate("sess_1", "tpl").get().jwt shouldBe "t3"
        }

        it("raw responses come from the core's withRawResponse") {
            val raw = mockk<Sessions.WithRawResponse>()
            every { core.withRawResponse() } returns raw
            val response = ClerkResponse(200, mapOf("X-Clerk-Trace-Id" to listOf("trace_1")), session("sess_1"))
            coEvery { raw.get(GetSessionParams { sessionId = "sess_1" }, RequestOptions.NONE) } returns response
            async.withRawResponse().get("sess_1").get().traceIdOptional().get() shouldBe "trace_1"
            blocking.withRawResponse().get("sess_1").value.id shouldBe "sess_1"
        }

        it("a fake Sessions gets the whole Java facade through SessionsAsync.of / SessionsBlocking.of") {
            coEvery { core.get(any<GetSessionParams>(), any()) } answers { session(firstArg<GetSessionParams>().sessionId) }
            SessionsAsync.of(core).get("sess_x").get().id shouldBe "sess_x"
            SessionsBlocking.of(core).get("sess_y").id shouldBe "sess_y"
        }
    }

    describe("errors") {
        it("a failure after I/O started: the future fails with that very exception; blocking throws it unwrapped") {
            val boom = IllegalStateException("boom")
            coEvery { core.get(any<GetSessionParams>(), any()) } coAnswers { delay(5); throw boom }
            shouldThrow<ExecutionException> { async.get("sess_1").get(5, TimeUnit.SECONDS) }.cause shouldBeSameInstanceAs boom
            shouldThrow<IllegalStateException> { blocking.get("sess_1") } shouldBeSameInstanceAs boom
        }

        it("an input error is thrown on the caller's thread by the params object, before the core is called") {
            shouldThrow<IllegalArgumentException> { async.get("") }.message shouldBe "sessionId must not be blank"
            shouldThrow<IllegalArgumentException> { blocking.createToken("..") }.message shouldStartWith "sessionId must not be '.' or '..'"
            coVerify(exactly = 0) { core.get(any<GetSessionParams>(), any()) }
        }

        it("an IllegalArgumentException after a suspension stays in the future") {
            val gate = CompletableDeferred<Unit>()
            coEvery { core.get(any<GetSessionParams>(), any()) } coAnswers { gate.await(); throw IllegalArgumentException("late") }
            val f = async.get("late")
            gate.complete(Unit)
            shouldThrow<ExecutionException> { f.get(5, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<IllegalArgumentException>()
        }
    }

    describe("cancellation") {
        it("cancel(true) on the future cancels the suspended core call") {
            val started = CompletableDeferred<Unit>()
            val observed = CompletableDeferred<Throwable>()
            coEvery { core.get(any<GetSessionParams>(), any()) } coAnswers {
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

        it("an interrupted blocking call cancels the core call and keeps the interrupt flag") {
            val observed = CompletableDeferred<Throwable>()
            coEvery { core.get(any<GetSessionParams>(), any()) } coAnswers {
                try {
                    awaitCancellation()
                } catch (e: KCancellationException) {
                    observed.complete(e)
                    throw e
                }
            }
            Thread.currentThread().interrupt()
            shouldThrow<CancellationException> { blocking.get("slow") }
            Thread.interrupted().shouldBeTrue() // flag kept (and cleared here)
            withTimeout(5_000) { observed.await() }.shouldBeInstanceOf<KCancellationException>()
        }
    }

    describe("ClerkJavaClient") {
        /** A real core whose every call hangs (after completing [started]) until cancelled, or answers [answer]. */
        fun coreClient(started: CompletableDeferred<Unit>, answer: String? = null) = ClerkClient {
            secretKey = "sk_test_facade"
            baseUrl = "https://api.clerk.test/v1"
            retryPolicy = RetryPolicy.NONE
            rateLimit = RateLimit.OFF
            engine = MockEngine { _ ->
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
                shouldThrow<IllegalStateException> { java.blocking().sessions().get("sess_1") }.message shouldBe "ClerkJavaClient is closed"
                java.close() // idempotent
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

    describe("listAll: the core's Flow as a lazy blocking Stream") {
        fun stubPages(total: Int): AtomicInteger {
            val pages = AtomicInteger()
            every { core.listAll(any(), any()) } answers { callOriginal() }
            coEvery { core.listPage(any<SessionListParams>(), any()) } coAnswers {
                pages.incrementAndGet()
                val p = firstArg<SessionListParams>()
                val from = p.offset!!
                val to = minOf(from + p.limit!!, total)
                page((from until to).map { session("s$it") }, total.toLong())
            }
            return pages
        }

        it("fetches a page only when the consumer gets there") {
            val pages = stubPages(total = 5)
            val params = SessionListParams.builder().userId("user_1").limit(2).build()
            async.listAll(params).limit(2).map { it.id }.toList() shouldContainExactly listOf("s0", "s1")
            pages.get() shouldBe 1
            blocking.listAll(params).map { it.id }.toList() shouldContainExactly listOf("s0", "s1", "s2", "s3", "s4")
            pages.get() shouldBe 4 // 1 + 3 pages
        }

        it("a failed page throws the typed exception itself from the terminal operation") {
            val notFound = NotFoundException("sessions.list", 404, "{}", emptyMap())
            every { core.listAll(any(), any()) } returns flow {
                emit(session("s0"))
                throw notFound
            }
            val it = async.listAll(SessionListParams.NONE).iterator()
            it.next().id shouldBe "s0"
            shouldThrow<NotFoundException> { it.hasNext() } shouldBeSameInstanceAs notFound
        }

        it("closing the stream cancels the flow") {
            val cancelled = CompletableDeferred<Unit>()
            every { core.listAll(any(), any()) } returns flow {
                try {
                    emit(session("s0"))
                    emit(session("s1"))
                } finally {
                    cancelled.complete(Unit)
                }
            }
            val stream = blocking.listAll(SessionListParams.NONE)
            stream.iterator().next().id shouldBe "s0"
            stream.close()
            withTimeout(5_000) { cancelled.await() }
        }
    }
})
