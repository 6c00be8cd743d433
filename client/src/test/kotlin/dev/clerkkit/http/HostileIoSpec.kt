package dev.clerkkit.http

import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.ClerkResponseException
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.errors.UnexpectedStatusException
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.withTimeout
import java.io.ByteArrayOutputStream

/** Hostile input (path parameters) and hostile output (huge, mislabelled, redirecting responses), over real sockets. */
class HostileIoSpec : FunSpec({
    val sandbox = ClerkSandbox.start()
    val other = ClerkSandbox.start() // "another host": must never see a request
    val clerk = sandboxClient(sandbox) { maxResponseBytes = 64 * 1024 }
    val sid = sandbox.addSession(sandbox.addUser())
    beforeTest { sandbox.faults.clear() }
    afterSpec { clerk.close(); sandbox.close(); other.close() }

    fun percentDecode(s: String): String {
        val out = ByteArrayOutputStream()
        var i = 0
        while (i < s.length) {
            if (s[i] == '%') { out.write(s.substring(i + 1, i + 3).toInt(16)); i += 3 } else { out.write(s[i].code); i++ }
        }
        return out.toString(Charsets.UTF_8)
    }

    val hostileIds = listOf(
        "a/b", "../users", "a/../../v1/users", "sess_1/revoke", "/", "%", "%2F", "100%25", "a?b=c", "?", "a#frag", "#",
        "a b", " sess_1", "sess_ü✓", "日本", "a;b", "a\\b", "..%2F..", "a+b", "a&b=c", "\u0000x", "a\r\nX-Injected: 1",
    )

    test("every hostile id reaches the sandbox as one encoded path segment of the intended route, and gets a 404") {
        hostileIds.forEach { id ->
            withClue("id '$id'") {
                sandbox.clearRecordedRequests()
                shouldThrow<NotFoundException> { clerk.sessions.get(id) }
                val r = sandbox.requests.single()
                r.route shouldBe Route.GET_SESSION
                r.query shouldBe null
                r.rawPath shouldStartWith "/v1/sessions/"
                val segment = r.rawPath.removePrefix("/v1/sessions/")
                segment shouldNotContain "/"
                segment shouldNotContain "?"
                segment shouldNotContain "#"
                percentDecode(segment) shouldBe id
                r.headers.none { it.first.equals("X-Injected", ignoreCase = true) } shouldBe true
            }
        }
    }

    test("the same for a route with a suffix (revoke) and a second parameter (token template)") {
        listOf("a/b", "x?y", "..%2F", "z#").forEach { id ->
            withClue("id '$id'") {
                sandbox.clearRecordedRequests()
                shouldThrow<NotFoundException> { clerk.sessions.revoke(id) }
                sandbox.requests.single().route shouldBe Route.REVOKE_SESSION
                sandbox.clearRecordedRequests()
                shouldThrow<NotFoundException> { clerk.sessions.createTokenFromTemplate(sid, id) }
                val r = sandbox.requests.single()
                r.route shouldBe Route.CREATE_TOKEN_FROM_TEMPLATE
                percentDecode(r.rawPath.substringAfterLast('/')) shouldBe id
            }
        }
    }

    test("a huge response body is refused at maxResponseBytes, and the client keeps working") {
        sandbox.faults.on(Route.GET_SESSION).respond(200, "{\"pad\":\"" + "x".repeat(1_000_000) + "\"}")
        val e = withTimeout(10_000) { shouldThrow<ClerkResponseException> { clerk.sessions.get(sid, RequestOptions { maxAttempts(1) }) } }
        e.message shouldContain "maxResponseBytes"
        e.statusCode shouldBe 200
        clerk.sessions.get(sid).id shouldBe sid
    }

    test("a huge error body is refused too (never buffered whole)") {
        sandbox.faults.on(Route.GET_SESSION).respond(500, "{\"errors\":[],\"pad\":\"" + "x".repeat(1_000_000) + "\"}")
        withTimeout(10_000) { shouldThrow<ClerkResponseException> { clerk.sessions.get(sid, RequestOptions { maxAttempts(1) }) } }
    }

    test("a 200 with a non-JSON content type is a ClerkResponseException, even if the text would parse") {
        sandbox.faults.on(Route.GET_SESSION).respond(200, sandbox.sessionJson(sid)!!, listOf("Content-Type" to "text/html; charset=utf-8"))
        val e = shouldThrow<ClerkResponseException> { clerk.sessions.get(sid, RequestOptions { maxAttempts(1) }) }
        e.statusCode shouldBe 200
        e.message shouldContain "text/html"
        // application/json with parameters and +json types are fine
        sandbox.faults.on(Route.GET_SESSION).respond(200, sandbox.sessionJson(sid)!!, listOf("Content-Type" to "application/json; charset=UTF-8"))
        clerk.sessions.get(sid).id shouldBe sid
    }

    test("a server certificate we do not trust: a transport error that says the request never left, nothing sent") {
        val tls = ClerkSandbox.start { https = true }
        try {
            for (engine in listOf<io.ktor.client.engine.HttpClientEngine?>(null, io.ktor.client.engine.okhttp.OkHttp.create())) {
                dev.clerkkit.ClerkClient {
                    secretKey = tls.secretKey
                    baseUrl = tls.baseUrl
                    this.engine = engine
                    retryPolicy = dev.clerkkit.RetryPolicy.NONE
                }.use { c ->
                    val e = io.kotest.assertions.throwables.shouldThrow<dev.clerkkit.errors.ClerkTransportException> {
                        c.sessions.create(tls.addUser())
                    }
                    withClue("${engine ?: "CIO"}: $e") { e.mayHaveReachedServer shouldBe false }
                }
                engine?.close()
            }
            tls.requests.size shouldBe 0
        } finally {
            tls.close()
        }
    }

    test("a redirect to another host is not followed: no request reaches it") {
        listOf(301, 302, 303, 307, 308).forEach { status ->
            sandbox.faults.on(Route.GET_SESSION).redirect("${other.baseUrl}/sessions/$sid", status)
            val e = shouldThrow<UnexpectedStatusException> { clerk.sessions.get(sid) }
            e.statusCode shouldBe status
            e.attempts shouldBe 1
            e.headers["location"] shouldBe listOf("${other.baseUrl}/sessions/$sid")
        }
        sandbox.faults.on(Route.CREATE_SESSION).redirect("${other.baseUrl}/sessions", 307)
        shouldThrow<UnexpectedStatusException> { clerk.sessions.create(sandbox.addUser()) }
        other.stats.connectionsAccepted shouldBe 0
        other.stats.totalRequests shouldBe 0
        other.requests.size shouldBe 0
    }
})
