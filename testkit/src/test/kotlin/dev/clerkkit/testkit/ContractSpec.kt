package dev.clerkkit.testkit

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.JsonObject
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put

/** Proves the contract checks used by every other spec are not vacuous, and checks SandboxMain. */
class ContractSpec : FunSpec({
    val sandbox = ClerkSandbox.start()
    afterSpec { sandbox.close() }
    val json = mapOf("Content-Type" to listOf("application/json"))
    val session: JsonObject = sandbox.session(sandbox.addSession(sandbox.addUser()))!!

    fun ok(method: String, path: String, status: Int, body: String) = Contract.check(method, path, status, json, body)
    fun bad(method: String, path: String, status: Int, body: String, headers: Map<String, List<String>> = json) =
        shouldThrow<AssertionError> { Contract.check(method, path, status, headers, body) }

    test("a served session passes; tampered sessions fail") {
        ok("GET", "/v1/sessions/x", 200, session.toString())
        bad("GET", "/v1/sessions/x", 200, JsonObject(session + ("extra" to JsonPrimitive(1))).toString())
        bad("GET", "/v1/sessions/x", 200, JsonObject(session - "created_at").toString())
        bad("GET", "/v1/sessions/x", 200, JsonObject(session + ("status" to JsonPrimitive("weird"))).toString())
        bad("GET", "/v1/sessions/x", 200, session.toString(), mapOf("Content-Type" to listOf("text/plain")))
    }

    test("verify uses the 2024-10-01 Session schema, which has no tasks") {
        bad("POST", "/v1/sessions/x/verify", 200, session.toString())
        ok("POST", "/v1/sessions/x/verify", 200, JsonObject(session - "tasks").toString())
    }

    test("paginated lists are checked element by element; bare lists against the spec") {
        ok("GET", "/v1/sessions?paginated=true", 200, """{"data":[$session],"total_count":1}""")
        bad("GET", "/v1/sessions?paginated=true", 200, "[$session]")
        bad("GET", "/v1/sessions?paginated=true", 200, """{"data":[{"id":1}],"total_count":1}""")
        ok("GET", "/v1/sessions", 200, "[$session]")
        bad("GET", "/v1/sessions", 200, """{"data":[]}""")
    }

    test("error bodies must be ClerkErrors, documented status or not") {
        val err = buildJsonObject { put("errors", kotlinx.serialization.json.JsonArray(listOf(buildJsonObject { put("message", "m") }))) }
        bad("GET", "/v1/sessions/x", 404, err.toString())
        bad("GET", "/v1/sessions/x", 503, err.toString())
        bad("GET", "/v1/nope", 404, "{}")
    }

    test("SandboxMain starts a sandbox with demo data") {
        SandboxMain.start(arrayOf("--port", "0", "--secret-key", "sk_test_main_only")).use { s ->
            s.baseUrl shouldStartWith "http://127.0.0.1:"
            s.secretKey shouldBe "sk_test_main_only"
            Api(s).get("/sessions/sess_demo_alice_laptop").obj.str("status") shouldBe "active"
        }
        shouldThrow<IllegalArgumentException> { SandboxMain.start(arrayOf("--bogus")) }
    }
})
