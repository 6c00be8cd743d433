package dev.clerkkit.http

import dev.clerkkit.LogLevel
import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.sessions.SessionListParams
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveAtLeastSize
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.coroutines.withTimeout
import java.io.File
import java.time.Duration
import java.time.Instant

/**
 * The fault scenarios at `logLevel = BODY`, over real sockets: the secret key appears in no exception message,
 * `toString()`, stack trace (causes included) or log line — even when a hostile server echoes it in its body.
 */
class SecretLeakSpec : FunSpec({
    val secret = "sk_test_LEAKCHECK_" + java.util.UUID.randomUUID().toString().replace("-", "")
    val sandbox = ClerkSandbox.start { secretKey = secret }
    // one fresh client per scenario: this spec is about secrets, not about connection reuse after broken exchanges
    val clerks = mutableListOf<dev.clerkkit.ClerkClient>()
    fun clerk(): dev.clerkkit.ClerkClient = clerks.last()
    val user = sandbox.addUser()
    val sid = sandbox.addSession(user)
    afterSpec { clerks.forEach { it.close() }; sandbox.close() }

    test("no exception and no log line contains the secret key") {
        val once = RequestOptions { maxAttempts(1) }
        val f = sandbox.faults
        val scenarios: List<Pair<String, suspend () -> Unit>> = listOf(
            "503" to { f.on(Route.GET_SESSION).status(503); clerk().sessions.get(sid, once) },
            "429 seconds" to { f.on(Route.GET_SESSION).rateLimited(3); clerk().sessions.get(sid, once) },
            "429 date" to { f.on(Route.LIST_SESSIONS).rateLimitedUntil(Instant.now().plusSeconds(5)); clerk().sessions.list(SessionListParams { userId = user }, options = once) },
            "reset" to { f.on(Route.GET_SESSION).reset(); clerk().sessions.get(sid, once) },
            "drop" to { f.on(Route.REVOKE_SESSION).drop(); clerk().sessions.revoke(sid, once) },
            "stall" to { f.on(Route.GET_SESSION).delay(1_000); clerk().sessions.get(sid, RequestOptions { timeout = Duration.ofMillis(100); maxAttempts(1) }) },
            "truncated" to { f.on(Route.GET_SESSION).truncatedBody(); clerk().sessions.get(sid, once) },
            "malformed" to { f.on(Route.GET_SESSION).malformedJson(); clerk().sessions.get(sid, once) },
            "create reset after body" to { f.on(Route.CREATE_SESSION).resetAfterReadingBody(); clerk().sessions.create(user) },
            "404" to { clerk().sessions.get("sess_missing", once) },
            "server echoes the key in an error" to {
                f.on(Route.GET_SESSION).respond(500, """{"errors":[{"code":"x","message":"you sent Bearer $secret"}]}""")
                clerk().sessions.get(sid, once)
            },
            "server echoes the key in a 200" to {
                f.on(Route.GET_SESSION).respond(200, """{"object":"session","echo":"$secret"""")
                clerk().sessions.get(sid, once)
            },
            "server echoes the key as html" to {
                f.on(Route.GET_SESSION).respond(200, "<p>$secret</p>", listOf("Content-Type" to "text/html"))
                clerk().sessions.get(sid, once)
            },
            "server echoes the key in a header" to {
                f.on(Route.GET_SESSION).respond(502, "{}", listOf("X-Echo" to "Bearer $secret"))
                clerk().sessions.get(sid, once)
            },
        )
        val texts = mutableListOf<String>()
        scenarios.forEach { (name, run) ->
            clerks += sandboxClient(sandbox) { logLevel = LogLevel.BODY }
            val e = try {
                withTimeout(10_000) { run() }
                null
            } catch (e: ClerkException) {
                e
            }
            checkNotNull(e) { "scenario '$name' did not fail" }
            texts += "$name: ${e.message}"
            texts += e.toString()
            texts += e.stackTraceToString()
            if (e is dev.clerkkit.errors.ClerkApiException) texts += e.body + e.headers.toString()
            if (e is dev.clerkkit.errors.ClerkResponseException) texts += e.body
        }
        texts shouldHaveAtLeastSize scenarios.size * 3
        texts.forEach { it shouldNotContain secret }
        val logged = File("target/client-test.log").readText()
        logged shouldContain "127.0.0.1:${sandbox.port}" // BODY logging of this spec did reach the file
        logged shouldNotContain secret
    }
})
