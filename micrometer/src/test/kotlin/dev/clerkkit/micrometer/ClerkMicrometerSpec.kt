package dev.clerkkit.micrometer

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.ClerkTransportException
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.errors.RateBudgetExhaustedException
import dev.clerkkit.events.AttemptStarted
import dev.clerkkit.events.ClerkEventListener
import dev.clerkkit.ratelimit.RateLimit
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactlyInAnyOrder
import io.kotest.matchers.comparables.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.micrometer.core.instrument.Meter
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Timer
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig
import io.micrometer.core.instrument.distribution.pause.PauseDetector
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import io.micrometer.observation.Observation
import io.micrometer.observation.ObservationHandler
import io.micrometer.observation.tck.TestObservationRegistry
import io.micrometer.observation.tck.TestObservationRegistryAssert
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import java.time.Duration
import java.util.concurrent.CopyOnWriteArrayList
import java.util.concurrent.TimeUnit

/** What the Micrometer listener records, read from a SimpleMeterRegistry / TestObservationRegistry, over real sockets. */
class ClerkMicrometerSpec : FunSpec({
    val secret = "sk_test_MICROCANARY_" + java.util.UUID.randomUUID().toString().replace("-", "")
    val sandbox = ClerkSandbox.start { secretKey = secret }
    val user = sandbox.addUser()
    val sid = sandbox.addSession(user)
    val waits = CopyOnWriteArrayList<Duration>()
    val clients = mutableListOf<ClerkClient>()
    fun client(listener: ClerkEventListener, vararg more: ClerkEventListener, configure: ClerkConfig.Builder.() -> Unit = {}) = ClerkClient {
        secretKey = secret
        baseUrl = sandbox.baseUrl
        rateLimit = RateLimit.OFF
        retry { sleeper = dev.clerkkit.Sleeper { waits += it } }
        addEventListener(listener)
        more.forEach(::addEventListener)
        configure()
    }.also { clients += it }

    fun MeterRegistry.timers(name: String): List<Timer> = find(name).timers().toList()
    fun Meter.tag(key: String): String? = id.getTag(key)

    beforeTest { sandbox.faults.clear(); waits.clear() }
    afterSpec { clients.forEach { it.close() }; sandbox.close() }

    test("a retried call: one call timer, an attempt timer per status class, the retry counted, the gauge back to 0") {
        val registry = SimpleMeterRegistry()
        val micrometer = ClerkMicrometer.create(registry)
        val inFlight = CopyOnWriteArrayList<Double>()
        val gaugeReader = object : ClerkEventListener {
            override fun attemptStarted(event: AttemptStarted) {
                inFlight += registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value()
            }
        }
        sandbox.faults.on(Route.GET_SESSION).status(503)
        runBlocking { client(micrometer, gaugeReader).sessions.get(sid) }

        val call = registry.timers(ClerkMicrometer.CALLS).single()
        call.count() shouldBe 1L
        call.tag("clerk.operation") shouldBe "sessions.get"
        call.tag("method") shouldBe "GET"
        call.tag("outcome") shouldBe "success"
        call.tag("status") shouldBe "2xx"
        call.tag("error") shouldBe "none"
        call.totalTime(TimeUnit.NANOSECONDS) shouldBeGreaterThan 0.0

        val attempts = registry.timers(ClerkMicrometer.ATTEMPTS)
        attempts.map { it.tag("status") to it.tag("outcome") } shouldContainExactlyInAnyOrder listOf("5xx" to "SERVER_ERROR", "2xx" to "SUCCESS")
        attempts.forEach {
            it.count() shouldBe 1L
            it.tag("uri") shouldBe "/sessions/{session_id}"
            it.tag("client.name") shouldBe "127.0.0.1"
            it.tag("exception") shouldBe "none"
        }
        val retries = registry.get(ClerkMicrometer.RETRIES).counter()
        retries.count() shouldBe 1.0
        retries.tag("reason") shouldBe "server_error"

        inFlight shouldBe listOf(1.0, 1.0)
        registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value() shouldBe 0.0
        micrometer.callsActive() shouldBe 0
    }

    test("a 429 with Retry-After: the retry counted as rate_limited, its wait honoured, the paused budget's wait timed") {
        val registry = SimpleMeterRegistry()
        sandbox.faults.on(Route.GET_SESSION).rateLimited(retryAfterSeconds = 1)
        val clerk = client(ClerkMicrometer.create(registry)) { rateLimit = RateLimit.of(100, Duration.ofSeconds(1)) }
        runBlocking { clerk.sessions.get(sid) }

        waits shouldBe listOf(Duration.ofSeconds(1))
        registry.get(ClerkMicrometer.RETRIES).tag("reason", "rate_limited").counter().count() shouldBe 1.0
        registry.get(ClerkMicrometer.ATTEMPTS).tag("status", "4xx").tag("outcome", "CLIENT_ERROR").timer().count() shouldBe 1L
        val wait = registry.get(ClerkMicrometer.RATE_BUDGET_WAIT).tag("budget", "local").tag("granted", "true").timer()
        wait.count() shouldBe 2L
        // the 429 paused the local budget for its Retry-After: the second permit waited for it
        wait.max(TimeUnit.NANOSECONDS) shouldBeGreaterThan 0.0
        registry.get(ClerkMicrometer.CALLS).timer().id.getTag("outcome") shouldBe "success"
    }

    test("rate budget: waits timed per permit; an exhausted budget is a failed call with granted=false") {
        val registry = SimpleMeterRegistry()
        val clerk = client(ClerkMicrometer.create(registry)) {
            rateLimit = RateLimit.of(1, Duration.ofSeconds(60))
            requestTimeout = Duration.ofSeconds(2)
        }
        runBlocking { clerk.sessions.get(sid) }
        shouldThrow<RateBudgetExhaustedException> { runBlocking { clerk.sessions.get(sid) } }
        registry.get(ClerkMicrometer.RATE_BUDGET_WAIT).tag("granted", "true").timer().count() shouldBe 1L
        registry.get(ClerkMicrometer.RATE_BUDGET_WAIT).tag("granted", "false").timer().count() shouldBe 1L
        val failed = registry.get(ClerkMicrometer.CALLS).tag("outcome", "failure").timer()
        failed.tag("error") shouldBe "RateBudgetExhaustedException"
        failed.tag("status") shouldBe "none"
        registry.timers(ClerkMicrometer.ATTEMPTS).sumOf { it.count() } shouldBe 1L
    }

    test("failures: an error status and a transport failure, tagged by status class and error kind") {
        val registry = SimpleMeterRegistry()
        val clerk = client(ClerkMicrometer.create(registry))
        shouldThrow<NotFoundException> { runBlocking { clerk.sessions.get("sess_missing") } }
        sandbox.faults.on(Route.CREATE_SESSION).reset()
        shouldThrow<ClerkTransportException> { runBlocking { clerk.sessions.create(user) } }

        val notFound = registry.get(ClerkMicrometer.CALLS).tag("clerk.operation", "sessions.get").timer()
        notFound.tag("outcome") shouldBe "failure"
        notFound.tag("status") shouldBe "4xx"
        notFound.tag("error") shouldBe "404"
        val broken = registry.get(ClerkMicrometer.CALLS).tag("clerk.operation", "sessions.create").timer()
        broken.tag("status") shouldBe "none"
        broken.tag("error") shouldBe "ClerkTransportException"
        val attempt = registry.get(ClerkMicrometer.ATTEMPTS).tag("clerk.operation", "sessions.create").timer()
        attempt.tag("outcome") shouldBe "UNKNOWN"
        attempt.tag("exception") shouldBe "ClerkTransportException"
        registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value() shouldBe 0.0
    }

    test("a 2xx whose body does not decode is a failed call") {
        val registry = SimpleMeterRegistry()
        sandbox.faults.on(Route.GET_SESSION).malformedJson()
        shouldThrow<ClerkResponseException> { runBlocking { client(ClerkMicrometer.create(registry)).sessions.get(sid) } }
        val call = registry.get(ClerkMicrometer.CALLS).timer()
        call.tag("outcome") shouldBe "failure"
        call.tag("status") shouldBe "2xx"
        call.tag("error") shouldBe "ClerkResponseException"
        registry.get(ClerkMicrometer.ATTEMPTS).timer().tag("exception") shouldBe "ClerkResponseException"
    }

    test("no tag, name or key value carries the secret key, a token, a session id or a user id") {
        val registry = SimpleMeterRegistry()
        val observations = TestObservationRegistry.create()
        val stopped = CopyOnWriteArrayList<Observation.Context>()
        observations.observationConfig().observationHandler(Recorder(stopped))
        val clerk = client(ClerkMicrometer.create(registry), ClerkMicrometer.builder().observationRegistry(observations).build())
        val jwt = runBlocking { clerk.sessions.createToken(sid).jwt }
        val created = runBlocking { clerk.sessions.create(user) }
        runBlocking { clerk.verifyToken(jwt) }
        shouldThrow<NotFoundException> { runBlocking { clerk.sessions.get("sess_missing") } }
        sandbox.faults.on(Route.GET_SESSION).status(503)
        runBlocking { clerk.sessions.get(sid) }
        runBlocking { clerk.sessions.revoke(created.id) }

        val shown = registry.meters.joinToString("\n") { m -> m.id.toString() } + "\n" +
            stopped.joinToString("\n") { c -> "${c.name} ${c.contextualName} ${c.lowCardinalityKeyValues} ${c.highCardinalityKeyValues}" }
        registry.find(ClerkMicrometer.TOKEN_VERIFICATIONS).counter()!!.count() shouldBe 1.0
        stopped.size shouldBeGreaterThan 10
        listOf(secret, jwt, sid, user, created.id, "sess_missing").forEach { shown shouldNotContain it }
    }

    test("observations: a call observation whose parent is the caller's, an attempt observation per attempt under it") {
        val observations = TestObservationRegistry.create()
        val stopped = CopyOnWriteArrayList<Observation.Context>()
        observations.observationConfig().observationHandler(Recorder(stopped))
        val meters = SimpleMeterRegistry()
        val clerk = client(ClerkMicrometer.builder().observationRegistry(observations).meterRegistry(meters).build())
        sandbox.faults.on(Route.GET_SESSION).status(500)
        val parent = Observation.start("request", observations)
        parent.openScope().use { runBlocking { clerk.sessions.get(sid) } }
        parent.stop()

        val call = stopped.single { it.name == ClerkMicrometer.CALLS }
        val attempts = stopped.filter { it.name == ClerkMicrometer.ATTEMPTS }
        (call.parentObservation?.contextView === parent.context) shouldBe true
        call.contextualName shouldBe "sessions.get"
        call.getLowCardinalityKeyValue("outcome")?.value shouldBe "success"
        attempts.size shouldBe 2
        attempts.forEach { (it.parentObservation?.contextView === call) shouldBe true }
        attempts.map { it.getLowCardinalityKeyValue("status")?.value } shouldBe listOf("5xx", "2xx")
        TestObservationRegistryAssert.assertThat(observations)
            .hasObservationWithNameEqualTo(ClerkMicrometer.CALLS).that()
            .hasBeenStarted().hasBeenStopped()
            .hasLowCardinalityKeyValue("clerk.operation", "sessions.get")
            .hasLowCardinalityKeyValue("status", "2xx")
        // with observations the meter registry keeps the counters and the gauge; the timers are the handlers' to make
        meters.find(ClerkMicrometer.CALLS).timers().size shouldBe 0
        meters.get(ClerkMicrometer.RETRIES).counter().count() shouldBe 1.0
    }

    test("with an observation registry alone, a rate-budget wait is an event and a key of the call's observation") {
        val observations = TestObservationRegistry.create()
        val events = CopyOnWriteArrayList<Observation.Event>()
        val stopped = CopyOnWriteArrayList<Observation.Context>()
        observations.observationConfig().observationHandler(Recorder(stopped, events))
        val clerk = client(ClerkMicrometer.builder().observationRegistry(observations).build()) {
            rateLimit = RateLimit.of(1, Duration.ofMillis(400))
        }
        runBlocking {
            clerk.sessions.get(sid)
            clerk.sessions.get(sid) // waits for the window to pass
        }
        val calls = stopped.filter { it.name == ClerkMicrometer.CALLS }
        calls.size shouldBe 2
        val waitedMs = calls.map { it.getHighCardinalityKeyValue("clerk.rate_budget.wait_ms")!!.value.toLong() }
        waitedMs[0] shouldBe 0L
        waitedMs[1] shouldBeGreaterThan 100L
        val waits = events.filter { it.name == ClerkMicrometer.RATE_BUDGET_WAIT }
        waits.size shouldBe 2
        waits.last().contextualName shouldContain "rate budget (local): waited"
    }

    test("two listeners on one meter registry: the same meters, one gauge counting the calls in flight of both") {
        val registry = SimpleMeterRegistry()
        val first = ClerkMicrometer.create(registry)
        val second = ClerkMicrometer.create(registry)
        val a = client(first)
        val b = client(second)
        sandbox.faults.on(Route.GET_SESSION).delay(1_500).delay(1_500)
        runBlocking {
            val calls = listOf(a, b).map { clerk -> async(Dispatchers.IO) { clerk.sessions.get(sid) } }
            withTimeout(5_000) { while (first.callsActive() < 2) delay(10) }
            registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value() shouldBe 2.0
            second.callsActive() shouldBe 2
            calls.awaitAll()
        }
        registry.get(ClerkMicrometer.CALLS_ACTIVE).gauge().value() shouldBe 0.0
        registry.get(ClerkMicrometer.CALLS).timer().count() shouldBe 2L
    }

    test("a registry that fails on every meter fails no call") {
        val failing = object : SimpleMeterRegistry() {
            override fun newTimer(id: Meter.Id, config: DistributionStatisticConfig, pause: PauseDetector): Timer =
                throw IllegalStateException("registry down")
            override fun newCounter(id: Meter.Id): io.micrometer.core.instrument.Counter = throw IllegalStateException("registry down")
        }
        val micrometer = ClerkMicrometer.create(failing)
        val clerk = client(micrometer)
        runBlocking { clerk.sessions.get(sid).id } shouldBe sid
        sandbox.faults.on(Route.GET_SESSION).status(503)
        runBlocking { clerk.sessions.get(sid).id } shouldBe sid
        micrometer.callsActive() shouldBe 0
    }

    test("without a registry it is a no-op: calls work and it records nothing") {
        val noop = ClerkMicrometer.builder().build()
        noop.isEnabled shouldBe false
        ClerkMicrometer.builder().observationRegistry(io.micrometer.observation.ObservationRegistry.NOOP).build().isEnabled shouldBe false
        runBlocking { client(noop).sessions.get(sid).id } shouldBe sid
        noop.callsActive() shouldBe 0
        (noop.forCall() === noop.forCall()) shouldBe true
    }
})

/** Keeps every observation context that stops, and every event. */
private class Recorder(
    private val stopped: MutableList<Observation.Context>,
    private val events: MutableList<Observation.Event> = mutableListOf(),
) : ObservationHandler<Observation.Context> {
    override fun supportsContext(context: Observation.Context): Boolean = true
    override fun onEvent(event: Observation.Event, context: Observation.Context) {
        events += event
    }
    override fun onStop(context: Observation.Context) {
        stopped += context
    }
}
