package dev.clerkkit.testkit

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.Json
import java.net.SocketException
import java.time.Instant
import java.time.format.DateTimeFormatter

class FaultsSpec : FunSpec({
    val sandbox = ClerkSandbox.start()
    val api = Api(sandbox)
    lateinit var sid: String
    beforeSpec { sid = sandbox.addSession(sandbox.addUser()) }
    afterTest { sandbox.faults.clear() }
    afterSpec { sandbox.close() }

    test("status sequence then normal behaviour") {
        sandbox.faults.on(Route.GET_SESSION).status(503, 500)
        api.get("/sessions/$sid").let {
            it.status shouldBe 503
            it.errorCode shouldBe "service_unavailable"
            it.obj.str("clerk_trace_id").shouldNotBeNull()
        }
        api.get("/sessions/$sid").status shouldBe 500
        api.get("/sessions/$sid").status shouldBe 200
        sandbox.faults.pending shouldBe 0
    }

    test("respond and redirect answer exactly what was scripted") {
        sandbox.faults.on(Route.GET_SESSION)
            .respond(200, "<html>hi</html>", listOf("Content-Type" to "text/html"))
            .redirect("http://elsewhere.invalid/v1/sessions/x")
        api.send("GET", "/sessions/$sid", null, validate = false).let {
            it.status shouldBe 200
            it.header("Content-Type") shouldBe "text/html"
            it.body shouldBe "<html>hi</html>"
        }
        api.send("GET", "/sessions/$sid", null, validate = false).let {
            it.status shouldBe 302
            it.header("Location") shouldBe "http://elsewhere.invalid/v1/sessions/x"
        }
        api.get("/sessions/$sid").status shouldBe 200
    }

    test("faults only hit their route") {
        sandbox.faults.on(Route.REVOKE_SESSION).status(502)
        api.get("/sessions/$sid").status shouldBe 200
        sandbox.faults.pending shouldBe 1
    }

    test("429 and 503 with Retry-After seconds or HTTP date") {
        val at = Instant.parse("2030-01-02T03:04:05Z")
        sandbox.faults.on(Route.LIST_SESSIONS).rateLimited(7).rateLimitedUntil(at).unavailable(3)
        api.get("/sessions").let {
            it.status shouldBe 429
            it.errorCode shouldBe "too_many_requests"
            it.header("Retry-After") shouldBe "7"
        }
        val date = api.get("/sessions").header("Retry-After")
        date shouldBe "Wed, 02 Jan 2030 03:04:05 GMT"
        DateTimeFormatter.RFC_1123_DATE_TIME.parse(date, Instant::from) shouldBe at
        api.get("/sessions").let {
            it.status shouldBe 503
            it.header("Retry-After") shouldBe "3"
        }
        api.get("/sessions").status shouldBe 200
    }

    test("faults are applied before authentication") {
        sandbox.faults.on(Route.GET_SESSION).status(503)
        api.get("/sessions/$sid", auth = null).status shouldBe 503
        api.get("/sessions/$sid", auth = null).status shouldBe 401
    }

    test("delay then normal response: the answer is held after the request arrived, then normal") {
        sandbox.faults.on(Route.GET_SESSION).delay(2_000)
        val before = sandbox.stats.requests(Route.GET_SESSION)
        val answer = java.util.concurrent.CompletableFuture.supplyAsync { api.get("/sessions/$sid").status }
        var tries = 0
        while (sandbox.stats.requests(Route.GET_SESSION) == before && tries++ < 500) Thread.sleep(10)
        sandbox.stats.requests(Route.GET_SESSION) shouldBe before + 1
        answer.isDone shouldBe false // the request is at the sandbox, its answer held by the delay
        answer.get(10, java.util.concurrent.TimeUnit.SECONDS) shouldBe 200
    }

    test("drop: connection closed without a response, request still counted") {
        sandbox.faults.on("POST", "/v1/sessions/[^/]+/revoke").drop()
        val before = sandbox.stats.requests(Route.REVOKE_SESSION)
        RawConn(sandbox).use { c -> c.exchange("POST", "/sessions/$sid/revoke").shouldBeNull() }
        sandbox.stats.requests(Route.REVOKE_SESSION) shouldBe before + 1
        sandbox.session(sid)!!.str("status") shouldBe "active"
    }

    test("reset after reading a POST body: body received, connection aborted with RST") {
        sandbox.faults.on(Route.CREATE_SESSION).resetAfterReadingBody()
        val user = sandbox.addUser()
        RawConn(sandbox).use { c ->
            c.send("POST", "/sessions", """{"user_id":"$user"}""")
            shouldThrow<SocketException> { c.read() }
        }
        sandbox.requests.last().body shouldBe """{"user_id":"$user"}"""
        sandbox.requests.last().route shouldBe Route.CREATE_SESSION
    }

    test("truncated body: Content-Length larger than what is sent, then close") {
        sandbox.faults.on(Route.GET_SESSION).truncatedBody()
        RawConn(sandbox).use { c ->
            val r = c.exchange("GET", "/sessions/$sid")!!
            r.status shouldBe 200
            r.complete shouldBe false
            c.closedByServer() shouldBe true
        }
    }

    test("malformed JSON with status 200") {
        sandbox.faults.on(Route.GET_SESSION).malformedJson()
        val r = api.send("GET", "/sessions/$sid", null, validate = false)
        r.status shouldBe 200
        r.header("Content-Type") shouldBe "application/json"
        runCatching { Json.parseToJsonElement(r.body) }.isFailure shouldBe true
    }

    test("keep-alive: several requests on one connection are counted per connection") {
        sandbox.stats.reset()
        RawConn(sandbox).use { c ->
            repeat(3) { c.exchange("GET", "/sessions/$sid")!!.status shouldBe 200 }
        }
        sandbox.stats.connectionsAccepted shouldBe 1
        sandbox.stats.requestsPerConnection shouldBe listOf(3)
        sandbox.stats.totalRequests shouldBe 3
    }

    test("Connection: close for one response, then the connection is closed") {
        sandbox.faults.on(Route.GET_SESSION).connectionClose()
        RawConn(sandbox).use { c ->
            val r = c.exchange("GET", "/sessions/$sid")!!
            r.status shouldBe 200
            r.header("Connection") shouldBe "close"
            c.closedByServer() shouldBe true
        }
    }

    test("alwaysCloseConnections answers every request with Connection: close") {
        sandbox.faults.alwaysCloseConnections = true
        repeat(2) {
            RawConn(sandbox).use { c ->
                c.exchange("GET", "/sessions/$sid")!!.header("Connection") shouldBe "close"
                c.closedByServer() shouldBe true
            }
        }
    }

    test("maxRequestsPerConnection closes a connection with its N-th answer, like nginx keepalive_requests") {
        sandbox.faults.maxRequestsPerConnection = 3
        RawConn(sandbox).use { c ->
            repeat(2) { c.exchange("GET", "/sessions/$sid")!!.header("Connection") shouldBe null }
            c.exchange("GET", "/sessions/$sid")!!.header("Connection") shouldBe "close"
            c.closedByServer() shouldBe true
        }
    }

    test("reset between requests: full response, then RST") {
        sandbox.faults.on(Route.GET_SESSION).resetAfterResponse()
        RawConn(sandbox).use { c ->
            val r = c.exchange("GET", "/sessions/$sid")!!
            r.status shouldBe 200
            r.complete shouldBe true
            c.closedByServer() shouldBe true
        }
    }

    test("idle keep-alive connections are closed after idleTimeoutMillis") {
        sandbox.faults.idleTimeoutMillis = 100
        RawConn(sandbox).use { c ->
            c.exchange("GET", "/sessions/$sid")!!.status shouldBe 200
            c.closedByServer() shouldBe true // blocks until the server closes (bounded by the 10 s socket timeout)
        }
    }

    test("open connections are tracked") {
        val baseline = sandbox.stats.openConnections // pooled HttpClient connections of earlier tests may be open
        val c = RawConn(sandbox)
        c.exchange("GET", "/sessions/$sid")!!.status shouldBe 200
        sandbox.stats.openConnections shouldBe baseline + 1
        c.close()
        var tries = 0
        while (sandbox.stats.openConnections != baseline && tries++ < 500) Thread.sleep(10)
        sandbox.stats.openConnections shouldBe baseline
    }

    test("clear() removes pending faults") {
        sandbox.faults.on(Route.GET_SESSION).status(503).drop()
        sandbox.faults.idleTimeoutMillis = 5
        sandbox.faults.clear()
        sandbox.faults.pending shouldBe 0
        sandbox.faults.idleTimeoutMillis.shouldBeNull()
        api.get("/sessions/$sid").status shouldBe 200
    }

    test("undocumented error statuses were validated against ClerkErrors") {
        Contract.undocumented.toList() shouldContain "GET /v1/sessions -> 429"
    }
})
