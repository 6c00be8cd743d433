package dev.clerkkit.testkit

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.serialization.json.JsonArray
import java.time.Instant

/** `Clerk-API-Version` emulation: `verify` 410 by version (with an explicit override) and `tasks` by version. */
class ApiVersionSpec : FunSpec({
    val clock = MutableClock(Instant.parse("2026-03-01T12:00:00Z"))
    val sandbox = ClerkSandbox.start { this.clock = clock }
    afterSpec { sandbox.close() }
    afterTest { sandbox.verifyGone = null }

    fun verifyBody(sid: String) = """{"token":"${sandbox.issueToken(sid)}"}"""

    test("verify is served up to 2025-03-12 and answers 410 from 2025-04-10 on") {
        val sid = sandbox.addSession(sandbox.addUser())
        for (version in listOf("2021-02-05", "2024-10-01")) {
            val r = Api(sandbox, apiVersion = version).post("/sessions/$sid/verify", verifyBody(sid))
            r.status shouldBe 200
            r.obj.str("id") shouldBe sid
            r.obj.containsKey("tasks") shouldBe false
        }
        // 2025-03-12 still documents verify, with the Session schema of its time (tasks included); the test
        // resources hold no 2025-03-12 spec, so the shape is checked here instead of by Contract.
        Api(sandbox, apiVersion = "2025-03-12").send("POST", "/sessions/$sid/verify", verifyBody(sid), validate = false).let {
            it.status shouldBe 200
            it.obj["tasks"] shouldBe JsonArray(emptyList())
        }
        for (version in listOf("2025-04-10", "2025-11-10", "2026-05-12", "2030-01-01")) {
            val r = Api(sandbox, apiVersion = version).post("/sessions/$sid/verify", verifyBody(sid))
            r.status shouldBe 410
            r.errorCode shouldBe "deprecated_endpoint"
        }
    }

    test("the explicit override beats the version, both ways, and null restores the version's decision") {
        val sid = sandbox.addSession(sandbox.addUser())
        val latest = Api(sandbox, apiVersion = "2026-05-12")
        val old = Api(sandbox, apiVersion = "2024-10-01")
        sandbox.verifyGone = false
        latest.post("/sessions/$sid/verify", verifyBody(sid)).let {
            it.status shouldBe 200
            it.obj.containsKey("tasks") shouldBe false
        }
        sandbox.verifyGone = true
        old.post("/sessions/$sid/verify", verifyBody(sid)).status shouldBe 410
        sandbox.verifyGone = null
        old.post("/sessions/$sid/verify", verifyBody(sid)).status shouldBe 200
        latest.post("/sessions/$sid/verify", verifyBody(sid)).status shouldBe 410
        ClerkSandbox.start { verifyGone = false; defaultApiVersion = "2026-05-12" }.use { s ->
            val id = s.addSession(s.addUser())
            Api(s).post("/sessions/$id/verify", """{"token":"${s.issueToken(id)}"}""").status shouldBe 200
        }
    }

    test("tasks appears only on versions after 2024-10-01, on every session-returning route") {
        val user = sandbox.addUser()
        val sid = sandbox.addSession(user)
        for ((version, hasTasks) in listOf("2021-02-05" to false, "2024-10-01" to false, "2025-03-12" to true, "2026-05-12" to true)) {
            val api = Api(sandbox, apiVersion = version)
            api.get("/sessions/$sid").obj.containsKey("tasks") shouldBe hasTasks
            api.get("/sessions?user_id=$user").arr.map { it.jsonObjectHas("tasks") }.toSet() shouldBe setOf(hasTasks)
            api.get("/sessions?user_id=$user&paginated=true").obj["data"]!!.let { data ->
                (data as JsonArray).map { it.jsonObjectHas("tasks") }.toSet() shouldBe setOf(hasTasks)
            }
            api.post("/sessions", """{"user_id":"$user"}""").obj.containsKey("tasks") shouldBe hasTasks
            val fresh = sandbox.addSession(user)
            api.post("/sessions/$fresh/revoke").obj.containsKey("tasks") shouldBe hasTasks
        }
    }

    test("requests without the header are served as defaultApiVersion, or unversioned when it is not set") {
        val sid = sandbox.addSession(sandbox.addUser())
        Api(sandbox).get("/sessions/$sid").obj.containsKey("tasks") shouldBe true
        Api(sandbox).post("/sessions/$sid/verify", verifyBody(sid)).let {
            it.status shouldBe 200
            it.obj.containsKey("tasks") shouldBe false
        }
        ClerkSandbox.start { this.clock = clock; defaultApiVersion = "2026-05-12" }.use { s ->
            val id = s.addSession(s.addUser())
            Api(s).post("/sessions/$id/verify", """{"token":"${s.issueToken(id)}"}""").status shouldBe 410
            Api(s, apiVersion = "2024-10-01").post("/sessions/$id/verify", """{"token":"${s.issueToken(id)}"}""").status shouldBe 200
            Api(s).get("/sessions/$id").obj.containsKey("tasks") shouldBe true
        }
        ClerkSandbox.start { this.clock = clock; defaultApiVersion = "2024-10-01" }.use { s ->
            val id = s.addSession(s.addUser())
            val served = Api(s).get("/sessions/$id").obj
            served.containsKey("tasks") shouldBe false
            s.session(id) shouldBe served
            Api(s).post("/sessions/$id/verify", """{"token":"${s.issueToken(id)}"}""").status shouldBe 200
            Api(s, apiVersion = "2026-05-12").get("/sessions/$id").obj.containsKey("tasks") shouldBe true
        }
    }

    test("a malformed or too early version is a 400 with a Clerk error; the config validates its default") {
        val sid = sandbox.addSession(sandbox.addUser())
        for (bad in listOf("latest", "2026-5-12", "2026-02-30", "2020-12-31")) {
            val r = Api(sandbox, apiVersion = bad).get("/sessions/$sid")
            r.status shouldBe 400
            r.errorCode shouldBe "api_version_invalid"
        }
        Api(sandbox, apiVersion = "latest").get("/jwks").status shouldBe 400
        shouldThrow<IllegalArgumentException> { SandboxConfig.builder().defaultApiVersion("2026/05/12").build() }
        SandboxConfig.builder().defaultApiVersion(SandboxConfig.LATEST_API_VERSION).build().defaultApiVersion shouldBe "2026-05-12"
    }
})

private fun kotlinx.serialization.json.JsonElement.jsonObjectHas(key: String): Boolean =
    (this as kotlinx.serialization.json.JsonObject).containsKey(key)
