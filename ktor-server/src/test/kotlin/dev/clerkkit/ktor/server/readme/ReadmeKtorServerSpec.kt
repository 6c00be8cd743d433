package dev.clerkkit.ktor.server.readme

import dev.clerkkit.ClerkClient
import dev.clerkkit.ktor.server.DOCUMENT
import dev.clerkkit.ktor.server.PARTY
import dev.clerkkit.ktor.server.bearer
import dev.clerkkit.testkit.ClerkSandbox
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.shouldBe
import io.ktor.server.cio.CIO
import io.ktor.server.engine.embeddedServer
import java.io.File
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse

/**
 * README.md's "Ktor server" block is the tagged region of ReadmeKtorServer.kt (which this module compiles), and that
 * module serves what the README says over a real socket. (client's ReadmeKotlinSnippetsSpec accepts the block because
 * it reads every module's `readme/Readme*.kt`.)
 */
class ReadmeKtorServerSpec : FunSpec({
    val root = generateSequence(File("").absoluteFile) { it.parentFile }.first { File(it, "ktor-server/pom.xml").isFile }

    test("the README's Ktor server block equals the tagged region of ReadmeKtorServer.kt") {
        val source = File(root, "ktor-server/src/test/kotlin/dev/clerkkit/ktor/server/readme/ReadmeKtorServer.kt").readText()
        val region = Regex("""// tag::ktor-server\[]\n(.*?)\n\s*// end::ktor-server\[]""", RegexOption.DOT_MATCHES_ALL).find(source)!!.groupValues[1]
        val lines = region.split("\n")
        val indent = lines.filter { it.isNotBlank() }.minOf { it.length - it.trimStart().length }
        val dedented = lines.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent) }
        val blocks = Regex("""```kotlin\n(.*?)\n```""", RegexOption.DOT_MATCHES_ALL).findAll(File(root, "README.md").readText()).map { it.groupValues[1] }.toList()
        blocks shouldContain dedented
    }

    test("the README's module, served: signed in, anonymous, challenged") {
        ClerkSandbox.start { authorizedParty = PARTY }.use { sandbox ->
            ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }.use { clerk ->
                val server = embeddedServer(CIO, host = "127.0.0.1", port = 0) { readmeModule(clerk) }.start(wait = false)
                try {
                    val port = server.engine.resolvedConnectors().first().port
                    val http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    fun get(path: String, vararg headers: Pair<String, String>): Pair<Int, String> {
                        val b = HttpRequest.newBuilder(URI("http://127.0.0.1:$port$path"))
                        headers.forEach { (k, v) -> b.header(k, v) }
                        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).let { it.statusCode() to it.body() }
                    }
                    val sid = sandbox.addSession(sandbox.addUser(), lastActiveOrganizationId = "org_Acme")
                    val uid = sandbox.session(sid)!!["user_id"].toString().trim('"')
                    get("/me", bearer(sandbox.issueToken(sid))) shouldBe (200 to "$uid in $sid, organization org_Acme")
                    get("/", bearer(sandbox.issueToken(sid))) shouldBe (200 to uid)
                    get("/") shouldBe (200 to "anonymous (signed-out)")
                    get("/me", DOCUMENT) shouldBe (401 to "sign in first: session-token-and-uat-missing")
                    get("/me", bearer(sandbox.issueToken(sid, authorizedParty = "https://evil.example"))) shouldBe
                        (401 to "sign in first: token-invalid-authorized-parties")
                } finally {
                    server.stop(0, 0)
                }
            }
        }
    }
})
