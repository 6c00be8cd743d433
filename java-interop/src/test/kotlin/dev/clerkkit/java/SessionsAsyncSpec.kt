package dev.clerkkit.java

import dev.clerkkit.ClerkClient
import dev.clerkkit.RequestOptions
import dev.clerkkit.sessions.RefreshFormat
import dev.clerkkit.sessions.RefreshSessionParams
import dev.clerkkit.sessions.Session
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.sessions.SessionPage
import dev.clerkkit.sessions.SessionRefresh
import dev.clerkkit.sessions.SessionStatus
import dev.clerkkit.sessions.SessionToken
import dev.clerkkit.sessions.Sessions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.DescribeSpec
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import io.mockk.coEvery
import io.mockk.coVerify
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

private fun session(id: String) = Session.builder()
    .id(id).userId("user_1").clientId("client_1").status(SessionStatus.ACTIVE)
    .lastActiveAt(1).expireAt(2).abandonAt(3).updatedAt(4).createdAt(5)
    .build()

private fun page(data: List<Session>, total: Long) = SessionPage.builder().data(data).totalCount(total).build()
private fun token(jwt: String) = SessionToken.builder().jwt(jwt).build()

/** Proves the facade is a thin adapter over the suspend API: delegation, errors, cancellation, paging, close. */
class SessionsAsyncSpec : DescribeSpec({
    lateinit var core: Sessions
    lateinit var scope: CoroutineScope
    lateinit var async: SessionsAsync
    val opts = RequestOptions.builder().header("X-Test", "1").build()

    beforeEach {
        core = mockk()
        scope = CoroutineScope(SupervisorJob() + Dispatchers.Unconfined)
        async = SessionsAsync(core, FutureCalls(scope) { false })
    }
    afterEach { scope.cancel() }

    describe("delegation to the suspend API") {
        it("get, revoke, create (with and without organization)") {
            coEvery { core.get("sess_1", RequestOptions.NONE) } returns session("sess_1")
            coEvery { core.revoke("sess_1", opts) } returns session("sess_1")
            coEvery { core.create("user_1", null, RequestOptions.NONE) } returns session("sess_2")
            coEvery { core.create("user_1", "org_1", opts) } returns session("sess_3")

            async.get("sess_1").get().id shouldBe "sess_1"
            async.revoke("sess_1", opts).get().id shouldBe "sess_1"
            async.create("user_1").get().id shouldBe "sess_2"
            async.create("user_1", "org_1", opts).get().id shouldBe "sess_3"

            coVerify(exactly = 1) { core.get("sess_1", RequestOptions.NONE) }
            coVerify(exactly = 1) { core.revoke("sess_1", opts) }
            coVerify(exactly = 1) { core.create("user_1", null, RequestOptions.NONE) }
            coVerify(exactly = 1) { core.create("user_1", "org_1", opts) }
        }

        it("list, listPage") {
            val params = SessionListParams.builder().userId("user_1").build()
            coEvery { core.list(params, RequestOptions.NONE) } returns listOf(session("a"))
            coEvery { core.list(SessionListParams.NONE, RequestOptions.NONE) } returns emptyList()
            coEvery { core.listPage(params, opts) } returns page(listOf(session("a")), 7)

            async.list(params).get().map { it.id } shouldContainExactly listOf("a")
            async.list().get() shouldBe emptyList()
            async.listPage(params, opts).get().totalCount shouldBe 7L
        }

        it("refresh, verify, createToken, createTokenFromTemplate") {
            val refresh = RefreshSessionParams.builder().expiredToken("e").refreshToken("r").requestOrigin("https://a.example")
                .format(RefreshFormat.TOKEN).build()
            coEvery { core.refresh("sess_1", refresh, RequestOptions.NONE) } returns SessionRefresh.Token.builder().jwt("jwt").build()
            @Suppress("DEPRECATION")
            coEvery { core.verify("sess_1", "tok", RequestOptions.NONE) } returns session("sess_1")
            coEvery { core.createToken("sess_1", null, RequestOptions.NONE) } returns token("t1")
            coEvery { core.createToken("sess_1", 60L, opts) } returns token("t2")
            coEvery { core.createTokenFromTemplate("sess_1", "tpl", null, RequestOptions.NONE) } returns token("t3")
            coEvery { core.createTokenFromTemplate("sess_1", "tpl", 90L, RequestOptions.NONE) } returns token("t4")

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
            coEvery { core.get("sess_1", any()) } coAnswers { delay(5); throw boom }
            val e = shouldThrow<ExecutionException> { async.get("sess_1").get(5, TimeUnit.SECONDS) }
            e.cause shouldBeSameInstanceAs boom
        }

        it("an input error thrown before the first suspension is thrown synchronously, no future") {
            coEvery { core.get("", any()) } throws IllegalArgumentException("sessionId must not be blank")
            shouldThrow<IllegalArgumentException> { async.get("") }.message shouldBe "sessionId must not be blank"
        }

        it("an IllegalArgumentException after a suspension stays in the future") {
            // A gate, not a short delay: a delay that elapses before the caller gets back would not really suspend.
            val gate = CompletableDeferred<Unit>()
            coEvery { core.get("late", any()) } coAnswers { gate.await(); throw IllegalArgumentException("late") }
            val f = async.get("late")
            gate.complete(Unit)
            shouldThrow<ExecutionException> { f.get(5, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<IllegalArgumentException>()
        }
    }

    describe("cancellation") {
        it("cancel(true) on the future cancels the suspended core call") {
            val started = CompletableDeferred<Unit>()
            val observed = CompletableDeferred<Throwable>()
            coEvery { core.get("slow", any()) } coAnswers {
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
        it("close() cancels running futures, leaves a wrapped core open, then refuses calls") {
            val client = mockk<ClerkClient>(relaxed = true)
            every { client.sessions } returns core
            val observed = CompletableDeferred<Throwable>()
            coEvery { core.get("slow", any()) } coAnswers {
                try { awaitCancellation() } catch (e: KCancellationException) { observed.complete(e); throw e }
            }
            val java = ClerkJavaClient.wrap(client)
            val f = java.sessions().get("slow")
            java.close()
            withTimeout(5_000) { observed.await() }
            shouldThrow<CancellationException> { f.get(5, TimeUnit.SECONDS) }
            f.isCancelled.shouldBeTrue()
            verify(exactly = 0) { client.close() }
            shouldThrow<IllegalStateException> { java.sessions().get("sess_1") }.message shouldBe "ClerkJavaClient is closed"
            java.close() // idempotent
        }

        it("futures complete on the given executor") {
            val client = mockk<ClerkClient>(relaxed = true)
            every { client.sessions } returns core
            val pool = Executors.newSingleThreadExecutor { r -> Thread(r, "app-callbacks") }
            val gate = CompletableDeferred<Unit>()
            coEvery { core.get("sess_1", any()) } coAnswers { gate.await(); session("sess_1") }
            ClerkJavaClient.wrap(client, pool).use { java ->
                // Callback registered before completion, so it runs where the future completes.
                val thread = java.sessions().get("sess_1").thenApply { Thread.currentThread().name }
                gate.complete(Unit)
                thread.get(5, TimeUnit.SECONDS) shouldStartWith "app-callbacks"
            }
            pool.shutdown()
        }
    }

    describe("listAll / iterateAll") {
        fun stubPages(total: Int) {
            every { core.listAll(any(), any(), any()) } answers { callOriginal() }
            coEvery { core.listPage(any<SessionListParams>(), any()) } coAnswers {
                val p = firstArg<SessionListParams>()
                val from = p.offset!!
                val to = minOf(from + p.limit!!, total)
                page((from until to).map { session("s$it") }, total.toLong())
            }
        }

        it("fetches pages only when the consumer gets there") {
            stubPages(total = 5)
            val params = SessionListParams.builder().userId("user_1").build()
            async.listAll(params, 2).limit(2).map { it.id }.toList() shouldContainExactly listOf("s0", "s1")
            coVerify(exactly = 1) { core.listPage(any<SessionListParams>(), any()) }

            async.iterateAll(params, 2).map { it.id } shouldContainExactly listOf("s0", "s1", "s2", "s3", "s4")
            coVerify(exactly = 4) { core.listPage(any<SessionListParams>(), any()) } // 1 + 3 pages
        }

        it("rejects a bad page size synchronously via the core's check") {
            stubPages(total = 1)
            shouldThrow<IllegalArgumentException> { async.listAll(SessionListParams.NONE, 0) }.message shouldStartWith "pageSize"
        }
    }
})
