package dev.clerkkit.events

import dev.clerkkit.ClerkClient
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.http.AttemptEventsStage
import dev.clerkkit.http.CallEventsStage
import dev.clerkkit.http.RecordingSleeper
import dev.clerkkit.http.sandboxClient
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import dev.clerkkit.tokens.TokenVerificationException
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.comparables.shouldBeGreaterThan
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.async
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.atomic.AtomicInteger

/** Records every event it gets, in order. */
class RecordingListener : ClerkEventListener {
    val events = CopyOnWriteArrayList<Any>()
    override fun callStarted(event: CallStarted) { events += event }
    override fun callEnded(event: CallEnded) { events += event }
    override fun attemptStarted(event: AttemptStarted) { events += event }
    override fun attemptEnded(event: AttemptEnded) { events += event }
    override fun retryScheduled(event: RetryScheduled) { events += event }
    override fun rateBudgetWaited(event: RateBudgetWaited) { events += event }
    override fun tokenVerified(event: TokenVerified) { events += event }

    /** The events' kinds, e.g. `[CallStarted, AttemptStarted, ...]`. */
    fun kinds(): List<String> = events.map { it.javaClass.simpleName }
    inline fun <reified T> only(): List<T> = events.filterIsInstance<T>()
}

/** The listener SPI over real sockets against the sandbox: order of the events, their fields, and their safety. */
class EventListenerSpec : FunSpec({
    val secret = "sk_test_EVENTCANARY_" + java.util.UUID.randomUUID().toString().replace("-", "")
    val sandbox = ClerkSandbox.start { secretKey = secret }
    val user = sandbox.addUser()
    val sid = sandbox.addSession(user)
    val clients = mutableListOf<ClerkClient>()
    fun client(listener: ClerkEventListener, vararg more: ClerkEventListener, configure: dev.clerkkit.ClerkConfig.Builder.() -> Unit = {}) =
        sandboxClient(sandbox, RecordingSleeper()) {
            addEventListener(listener)
            more.forEach(::addEventListener)
            configure()
        }.also { clients += it }
    val port = java.net.URI(sandbox.baseUrl).port

    beforeTest { sandbox.faults.clear() }
    afterSpec { clients.forEach { it.close() }; sandbox.close() }

    test("a successful call: callStarted, attemptStarted, attemptEnded (status, trace id), callEnded") {
        val rec = RecordingListener()
        client(rec).sessions.get(sid).id shouldBe sid
        rec.kinds() shouldContainExactly listOf("CallStarted", "AttemptStarted", "AttemptEnded", "CallEnded")
        val start = rec.only<AttemptStarted>().single()
        start.operation shouldBe "sessions.get"
        start.method shouldBe "GET"
        start.urlTemplate shouldBe "/sessions/{session_id}"
        start.serverAddress shouldBe "127.0.0.1"
        start.serverPort shouldBe port
        start.attempt shouldBe 1
        val end = rec.only<AttemptEnded>().single()
        end.statusCode shouldBe 200
        end.errorType shouldBe null
        end.clerkTraceId.shouldNotBeNull()
        val call = rec.only<CallEnded>().single()
        call.outcome shouldBe CallOutcome.SUCCESS
        call.attempts shouldBe 1
        call.statusCode shouldBe 200
        call.clerkTraceId shouldBe end.clerkTraceId
        call.duration shouldBeGreaterThan Duration.ZERO
    }

    test("a retried call: a group per attempt, retryScheduled between them with reason and delay") {
        val rec = RecordingListener()
        sandbox.faults.on(Route.GET_SESSION).status(503).rateLimited(2)
        client(rec).sessions.get(sid)
        rec.kinds() shouldContainExactly listOf(
            "CallStarted",
            "AttemptStarted", "AttemptEnded", "RetryScheduled",
            "AttemptStarted", "AttemptEnded", "RetryScheduled",
            "AttemptStarted", "AttemptEnded",
            "CallEnded",
        )
        rec.only<AttemptStarted>().map { it.attempt } shouldBe listOf(1, 2, 3)
        rec.only<AttemptEnded>().map { it.statusCode to it.errorType } shouldBe listOf(503 to "503", 429 to "429", 200 to null)
        val retries = rec.only<RetryScheduled>()
        retries.map { it.attempt to it.reason } shouldBe listOf(1 to RetryReason.SERVER_ERROR, 2 to RetryReason.RATE_LIMITED)
        retries[1].delay shouldBe Duration.ofSeconds(2) // the answer's Retry-After
        rec.only<CallEnded>().single().attempts shouldBe 3
    }

    test("a failed call: callEnded FAILURE with the status, error type and Clerk's trace id") {
        val rec = RecordingListener()
        val e = shouldThrow<NotFoundException> { client(rec).sessions.get("sess_missing") }
        rec.kinds() shouldContainExactly listOf("CallStarted", "AttemptStarted", "AttemptEnded", "CallEnded")
        val call = rec.only<CallEnded>().single()
        call.outcome shouldBe CallOutcome.FAILURE
        call.statusCode shouldBe 404
        call.errorType shouldBe "404"
        call.clerkTraceId shouldBe e.traceId
        call.clerkTraceId.shouldNotBeNull()
        rec.only<AttemptEnded>().single().clerkTraceId shouldBe e.traceId
    }

    test("a 2xx whose body does not decode: the attempt and the call end as failures with the decoding error, not retried") {
        val rec = RecordingListener()
        sandbox.faults.on(Route.GET_SESSION).malformedJson()
        val e = shouldThrow<dev.clerkkit.errors.ClerkResponseException> { client(rec).sessions.get(sid) }
        rec.kinds() shouldContainExactly listOf("CallStarted", "AttemptStarted", "AttemptEnded", "CallEnded")
        val attempt = rec.only<AttemptEnded>().single()
        attempt.statusCode shouldBe 200
        attempt.errorType shouldBe e.javaClass.name
        val call = rec.only<CallEnded>().single()
        call.outcome shouldBe CallOutcome.FAILURE
        call.statusCode shouldBe 200
        call.errorType shouldBe "dev.clerkkit.errors.ClerkResponseException"
        call.attempts shouldBe 1
        // the next call decodes again
        rec.events.clear()
        client(rec).sessions.get(sid).id shouldBe sid
        rec.only<CallEnded>().single().outcome shouldBe CallOutcome.SUCCESS
    }

    test("connection reuse: OkHttp says whether each attempt went on a pooled connection; CIO does not say") {
        val rec = RecordingListener()
        val clerk = client(rec)
        clerk.sessions.get(sid)
        clerk.sessions.get(sid)
        sandbox.faults.on(Route.GET_SESSION).connectionClose()
        clerk.sessions.get(sid) // on the pooled connection, which the server then closes
        clerk.sessions.get(sid)
        rec.only<AttemptEnded>().map { it.connectionReused } shouldBe listOf(false, true, true, false)
        sandbox.requests.none { r -> r.header("x-clerkkit-round-trip") != null } shouldBe true
        val cio = RecordingListener()
        client(cio) { builtInEngine = dev.clerkkit.BuiltInEngine.CIO }.sessions.get(sid)
        cio.only<AttemptEnded>().single().connectionReused shouldBe null
    }

    test("a transport failure that is not retried ends the call with the exception's class as error type") {
        val rec = RecordingListener()
        sandbox.faults.on(Route.CREATE_SESSION).reset()
        shouldThrow<dev.clerkkit.errors.ClerkTransportException> { client(rec).sessions.create(user) }
        val end = rec.only<AttemptEnded>().single()
        end.statusCode shouldBe null
        end.errorType shouldBe "dev.clerkkit.errors.ClerkTransportException"
        rec.only<CallEnded>().single().outcome shouldBe CallOutcome.FAILURE
    }

    test("rate budget: every attempt reports its permit before attemptStarted; an exhausted budget ends the call with 0 attempts") {
        val rec = RecordingListener()
        val clerk = client(rec) {
            rateLimit = RateLimit.of(1, Duration.ofSeconds(60))
            requestTimeout = Duration.ofSeconds(5)
        }
        clerk.sessions.get(sid)
        shouldThrow<RateBudgetExhaustedException> { clerk.sessions.get(sid) }
        rec.kinds() shouldContainExactly listOf(
            "CallStarted", "RateBudgetWaited", "AttemptStarted", "AttemptEnded", "CallEnded",
            "CallStarted", "RateBudgetWaited", "CallEnded",
        )
        val waits = rec.only<RateBudgetWaited>()
        waits.map { it.granted } shouldBe listOf(true, false)
        waits.map { it.budget }.toSet() shouldBe setOf(RateBudgetKind.LOCAL)
        val second = rec.only<CallEnded>()[1]
        second.attempts shouldBe 0
        second.errorType shouldBe RateBudgetExhaustedException::class.java.name
    }

    test("a permit that frees up later is reported with the time waited") {
        val rec = RecordingListener()
        val clerk = client(rec) { rateLimit = RateLimit.of(1, Duration.ofMillis(300)) }
        clerk.sessions.get(sid)
        clerk.sessions.get(sid)
        val waits = rec.only<RateBudgetWaited>()
        waits.map { it.granted } shouldBe listOf(true, true)
        waits[1].waited shouldBeGreaterThan Duration.ZERO
    }

    test("a cancelled call: attemptEnded 'cancelled', callEnded CANCELLED") {
        val started = CompletableDeferred<Unit>()
        val rec = object : ClerkEventListener {
            val inner = RecordingListener()
            override fun callStarted(event: CallStarted) = inner.callStarted(event)
            override fun callEnded(event: CallEnded) = inner.callEnded(event)
            override fun attemptStarted(event: AttemptStarted) { inner.attemptStarted(event); started.complete(Unit) }
            override fun attemptEnded(event: AttemptEnded) = inner.attemptEnded(event)
        }
        sandbox.faults.on(Route.GET_SESSION).delay(60_000)
        val clerk = client(rec)
        withTimeout(30_000) {
            coroutineScope {
                val call = async { clerk.sessions.get(sid) }
                started.await()
                call.cancel()
            }
        }
        rec.inner.kinds() shouldContainExactly listOf("CallStarted", "AttemptStarted", "AttemptEnded", "CallEnded")
        rec.inner.only<AttemptEnded>().single().errorType shouldBe "cancelled"
        rec.inner.only<CallEnded>().single().outcome shouldBe CallOutcome.CANCELLED
    }

    test("forCall gives each call its own listener; several listeners each get every event") {
        val perCall = CopyOnWriteArrayList<RecordingListener>()
        val factory = object : ClerkEventListener {
            override fun forCall(): ClerkEventListener = RecordingListener().also { perCall += it }
        }
        val plain = RecordingListener()
        val clerk = client(factory, plain)
        clerk.sessions.get(sid)
        clerk.sessions.get(sid)
        perCall.size shouldBe 2
        perCall.forEach { it.kinds() shouldContainExactly listOf("CallStarted", "AttemptStarted", "AttemptEnded", "CallEnded") }
        plain.events.size shouldBe 8
    }

    test("a listener that throws everywhere fails no call and leaves the other listeners their events") {
        val thrown = AtomicInteger()
        val bad = object : ClerkEventListener {
            fun boom(): Nothing { thrown.incrementAndGet(); throw IllegalStateException("listener bug $secret") }
            override fun callStarted(event: CallStarted) = boom()
            override fun callEnded(event: CallEnded) = boom()
            override fun attemptStarted(event: AttemptStarted) = boom()
            override fun attemptEnded(event: AttemptEnded) = boom()
            override fun retryScheduled(event: RetryScheduled) = boom()
            override fun tokenVerified(event: TokenVerified) = boom()
        }
        val rec = RecordingListener()
        val clerk = client(bad, rec)
        sandbox.faults.on(Route.GET_SESSION).status(503)
        clerk.sessions.get(sid).id shouldBe sid
        clerk.sessions.get(sid).id shouldBe sid
        thrown.get() shouldBe 11
        rec.kinds().count { it == "CallEnded" } shouldBe 2
        val factoryBug = object : ClerkEventListener {
            override fun forCall(): ClerkEventListener = throw IllegalStateException("forCall bug")
        }
        client(factoryBug, rec).sessions.get(sid).id shouldBe sid
    }

    test("attemptStarted can add a header to the attempt, never replace one the request has") {
        val refused = CopyOnWriteArrayList<Throwable>()
        val tracer = object : ClerkEventListener {
            override fun attemptStarted(event: AttemptStarted) {
                event.addHeader("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
                runCatching { event.addHeader("Authorization", "Bearer nope") }.exceptionOrNull()?.let { refused += it }
                runCatching { event.addHeader("x-evil", "a\r\nb: c") }.exceptionOrNull()?.let { refused += it }
            }
        }
        sandbox.clearRecordedRequests()
        client(tracer).sessions.get(sid)
        val sent = sandbox.requests.single()
        sent.header("traceparent") shouldBe "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        sent.header("Authorization") shouldBe "Bearer $secret"
        sent.header("x-evil") shouldBe null
        refused.map { it.javaClass } shouldBe listOf(IllegalArgumentException::class.java, IllegalArgumentException::class.java)
    }

    test("token verification: valid and rejected tokens, the JWKS fetch reported on the first") {
        val rec = RecordingListener()
        val clerk = client(rec)
        val token = sandbox.issueToken(sid)
        clerk.verifyToken(token).sessionId shouldBe sid
        clerk.verifyToken(token).sessionId shouldBe sid
        shouldThrow<TokenVerificationException> { clerk.verifyToken("not.a.jwt") }
        val verified = rec.only<TokenVerified>()
        verified.map { Triple(it.valid, it.reason, it.jwksFetched) } shouldBe listOf(
            Triple(true, null, true), Triple(true, null, false), Triple(false, "MALFORMED", false),
        )
        // the JWKS fetch is a call of its own
        rec.only<CallStarted>().map { it.operation } shouldBe listOf("jwks.get")
    }

    test("no event shows the secret key, a session token or a refresh token, whatever the call does") {
        val rec = RecordingListener()
        val clerk = client(rec)
        val created = clerk.sessions.create(user)
        val jwt = clerk.sessions.createToken(created.id).jwt
        clerk.verifyToken(jwt)
        runCatching { clerk.verifyToken(jwt + "x") }
        runCatching { clerk.sessions.get("sess_missing") }
        sandbox.faults.on(Route.GET_SESSION).status(503)
        clerk.sessions.get(created.id)
        val issued = sandbox.issueToken(created.id)
        clerk.verifyToken(issued)
        rec.events.size shouldBeGreaterThan 20
        val canaries = listOf(secret, jwt, issued, jwt.substringAfterLast('.'), "Bearer")
        rec.events.forEach { e ->
            val shown = buildList {
                add(e.toString())
                e.javaClass.methods.filter { it.parameterCount == 0 && it.name.startsWith("get") }.forEach { m -> add(m.invoke(e)?.toString().orEmpty()) }
            }
            canaries.forEach { c -> shown.forEach { it shouldNotContain c } }
        }
    }

    test("without listeners the event stages are not in the chain") {
        val clerk = sandboxClient(sandbox).also { clients += it }
        clerk.pipeline.stages.none { it is CallEventsStage || it is AttemptEventsStage } shouldBe true
        clerk.config.eventListeners shouldBe emptyList()
    }
})
