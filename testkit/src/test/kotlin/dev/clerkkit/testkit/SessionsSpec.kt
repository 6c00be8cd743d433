package dev.clerkkit.testkit

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonObject
import kotlinx.serialization.json.jsonPrimitive
import kotlinx.serialization.json.long
import java.time.Duration
import java.time.Instant

class SessionsSpec : FunSpec({
    val clock = MutableClock(Instant.parse("2026-03-01T12:00:00Z"))
    val sandbox = ClerkSandbox.start { this.clock = clock }
    val api = Api(sandbox)
    afterSpec { sandbox.close() }

    test("defaults: loopback base URL, fake secret key") {
        sandbox.baseUrl shouldBe "http://127.0.0.1:${sandbox.port}/v1"
        sandbox.secretKey shouldBe "sk_test_clerkkit_sandbox_not_a_real_key"
        Regex("sk_(live|test)_[A-Za-z0-9]{20,}").containsMatchIn(sandbox.secretKey) shouldBe false
    }

    test("create -> active, then get, then revoke -> revoked with updated_at bumped") {
        val user = sandbox.addUser()
        user shouldStartWith "user_"
        val created = api.post("/sessions", """{"user_id":"$user","active_organization_id":"org_123"}""")
        created.status shouldBe 200
        val s = created.obj
        s.str("object") shouldBe "session"
        s.str("status") shouldBe "active"
        s.str("user_id") shouldBe user
        s.str("id")!! shouldStartWith "sess_"
        s.str("client_id")!! shouldStartWith "client_"
        s.str("last_active_organization_id") shouldBe "org_123"
        s["created_at"]!!.jsonPrimitive.long shouldBe clock.millis()
        s["expire_at"]!!.jsonPrimitive.long shouldBe clock.millis() + Duration.ofDays(7).toMillis()
        val id = s.str("id")!!

        api.get("/sessions/$id").obj shouldBe s
        sandbox.session(id) shouldBe s

        clock.advance(Duration.ofSeconds(5))
        val revoked = api.post("/sessions/$id/revoke")
        revoked.status shouldBe 200
        revoked.obj.str("status") shouldBe "revoked"
        revoked.obj["updated_at"]!!.jsonPrimitive.long shouldBe clock.millis()
        api.get("/sessions/$id").obj.str("status") shouldBe "revoked"
    }

    test("sessions expire with the clock") {
        val user = sandbox.addUser()
        val id = sandbox.addSession(user)
        clock.advance(Duration.ofDays(8))
        api.get("/sessions/$id").obj.str("status") shouldBe "expired"
    }

    test("create errors: missing user_id 422, unknown user 404, bad JSON 400") {
        val missing = api.post("/sessions", "{}")
        missing.status shouldBe 422
        missing.errorCode shouldBe "form_param_missing"
        missing.obj["errors"]!!.jsonArray[0].jsonObject["meta"]!!.str("param_name") shouldBe "user_id"
        missing.obj.str("clerk_trace_id").shouldNotBeNull()
        api.post("/sessions", """{"user_id":"user_nobody"}""").let {
            it.status shouldBe 404
            it.errorCode shouldBe "resource_not_found"
        }
        api.post("/sessions", "not json").status shouldBe 400
    }

    test("404s: unknown session on get/revoke, unknown route") {
        api.get("/sessions/sess_missing").let {
            it.status shouldBe 404
            it.errorCode shouldBe "resource_not_found"
        }
        api.post("/sessions/sess_missing/revoke").status shouldBe 404
        api.get("/nope").status shouldBe 404
        api.send("DELETE", "/sessions", null).status shouldBe 404
    }

    test("auth: missing or wrong bearer -> 401 authentication_invalid") {
        api.get("/sessions", auth = null).let {
            it.status shouldBe 401
            it.errorCode shouldBe "authentication_invalid"
        }
        api.get("/sessions", auth = "sk_test_wrong").status shouldBe 401
        api.post("/sessions/x/tokens", auth = "nope").status shouldBe 401
    }

    test("list: filters, newest first, limit/offset, paginated") {
        val user = sandbox.addUser()
        val client = sandbox.addClient()
        client shouldStartWith "client_"
        val ids = (0 until 5).map { i ->
            clock.advance(Duration.ofSeconds(1))
            sandbox.addSession(user, if (i % 2 == 0) client else null, if (i == 4) "revoked" else "active")
        }
        val all = api.get("/sessions?user_id=$user")
        all.status shouldBe 200
        all.arr.map { it.str("id") } shouldContainExactly ids.reversed()

        api.get("/sessions?user_id=$user&status=active").arr.map { it.str("id") } shouldContainExactly
            ids.take(4).reversed()
        api.get("/sessions?client_id=$client").arr.map { it.str("id") } shouldContainExactly
            listOf(ids[4], ids[2], ids[0])
        api.get("/sessions?user_id=$user&limit=2&offset=1").arr.map { it.str("id") } shouldContainExactly
            listOf(ids[3], ids[2])

        val page = api.get("/sessions?user_id=$user&paginated=true&limit=2")
        page.obj["total_count"]!!.jsonPrimitive.long shouldBe 5
        page.obj["data"]!!.jsonArray.map { it.str("id") } shouldContainExactly listOf(ids[4], ids[3])
        api.get("/sessions?user_id=$user&paginated=false&limit=1").arr.size shouldBe 1
    }

    test("list: default limit is 10") {
        val user = sandbox.addUser()
        repeat(12) { sandbox.addSession(user) }
        api.get("/sessions?user_id=$user").arr.size shouldBe 10
        api.get("/sessions?user_id=$user&limit=500").arr.size shouldBe 12
    }

    test("list: invalid parameters -> 422 with meta.param_name") {
        for ((q, param) in listOf(
            "limit=0" to "limit", "limit=501" to "limit", "limit=abc" to "limit", "offset=-1" to "offset",
            "offset=1.5" to "offset", "status=bogus" to "status", "paginated=maybe" to "paginated",
        )) {
            val r = api.get("/sessions?$q")
            r.status shouldBe 422
            r.errorCode shouldBe "form_param_value_invalid"
            r.obj["errors"]!!.jsonArray[0].jsonObject["meta"]!!.str("param_name") shouldBe param
        }
    }

    test("session() snapshot is null for unknown ids; addSession validates status") {
        sandbox.session("sess_nope").shouldBeNull()
        runCatching { sandbox.addSession("user_x", status = "weird") }.isFailure shouldBe true
        sandbox.setSessionStatus(sandbox.addSession("user_x"), "ended") shouldBe true
    }

    test("requests are recorded raw and counted per route") {
        sandbox.clearRecordedRequests()
        val before = sandbox.stats.requests(Route.GET_SESSION)
        api.get("/sessions/sess%5Fencoded?x=1")
        val r = sandbox.requests.last()
        r.method shouldBe "GET"
        r.rawPath shouldBe "/v1/sessions/sess%5Fencoded"
        r.query shouldBe "x=1"
        r.route shouldBe Route.GET_SESSION
        r.header("authorization") shouldBe "Bearer ${sandbox.secretKey}"
        sandbox.stats.requests(Route.GET_SESSION) shouldBe before + 1
    }

    test("demo data lists valid sessions") {
        ClerkSandbox.start { demoData = true }.use { demo ->
            val list = Api(demo).get("/sessions?user_id=user_demo_alice&limit=500")
            list.arr.size shouldBe 3
            Api(demo).get("/sessions?paginated=true&limit=500").obj["total_count"]!!.jsonPrimitive.long shouldBe 7
        }
    }
})
