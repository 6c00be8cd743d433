package dev.clerkkit.ktor.server

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.LogLevel
import dev.clerkkit.testkit.BrowserSession
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.MutableClock
import io.ktor.http.HttpStatusCode
import io.ktor.server.application.Application
import io.ktor.server.application.install
import io.ktor.server.auth.Authentication
import io.ktor.server.auth.authenticate
import io.ktor.server.auth.principal
import io.ktor.server.cio.CIO
import io.ktor.server.engine.EmbeddedServer
import io.ktor.server.engine.embeddedServer
import io.ktor.server.response.respondText
import io.ktor.server.routing.RoutingContext
import io.ktor.server.routing.get
import io.ktor.server.routing.post
import io.ktor.server.routing.routing
import kotlinx.coroutines.runBlocking
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import java.time.Instant

/** The `azp` the sandbox puts in its tokens and the providers accept. */
const val PARTY = "https://app.example.com"

/** A principal of the application's own, made by a `validate` function. */
class AppUser(val id: String)

/**
 * A real Ktor server (CIO, on a free loopback port) with the Clerk providers installed, the testkit sandbox as Clerk,
 * and a real HTTP client (the JDK's, which follows no redirect). One per spec; [close] stops everything.
 */
class TestApp : AutoCloseable {
    val clock = MutableClock(Instant.parse("2026-06-01T10:00:00Z"))
    val sandbox: ClerkSandbox = ClerkSandbox.start { this.clock = this@TestApp.clock; authorizedParty = PARTY }
    val clerk = ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; logLevel = LogLevel.BODY }

    /** Users the `validated` provider refuses. */
    val blocked: MutableSet<String> = java.util.concurrent.ConcurrentHashMap.newKeySet()

    private val server: EmbeddedServer<*, *> = embeddedServer(CIO, host = "127.0.0.1", port = 0) { module() }.start(wait = false)
    val base: String = "http://127.0.0.1:${runBlocking { server.engine.resolvedConnectors().first().port }}"
    private val http: HttpClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER).build()

    /** The dev browser cookies a development instance's browser carries (suffixed and not). */
    val devBrowser = "__clerk_db_jwt=dvb_test; __clerk_db_jwt_${BrowserSession.cookieSuffixOf(sandbox.publishableKey)}=dvb_test"

    fun newSession(): String = sandbox.addSession(sandbox.addUser())

    private fun Application.module() {
        val pk = sandbox.publishableKey
        install(Authentication) {
            clerk {
                client = clerk
                publishableKey = pk
                authorizedParties = setOf(PARTY)
                clock = this@TestApp.clock
            }
            clerk("plain") {
                client = clerk
                clock = this@TestApp.clock
            }
            clerk("lenient") {
                client = clerk
                publishableKey = pk
                clock = this@TestApp.clock
                treatPendingAsSignedOut = false
            }
            clerk("validated") {
                client = clerk
                publishableKey = pk
                clock = this@TestApp.clock
                validate { p -> if (p.userId in blocked) null else AppUser(p.userId) }
                challenge { call.respondText("forbidden: ${reason?.wireName ?: "not allowed"}\n$this", status = HttpStatusCode.Forbidden) }
            }
            clerk("forwarded") {
                client = clerk
                publishableKey = pk
                clock = this@TestApp.clock
                trustForwardedHeaders = true
            }
            clerk("owned") {
                clerkConfig = ClerkConfig { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }
                publishableKey = pk
                clock = this@TestApp.clock
            }
        }
        routing {
            authenticate {
                get("/me") { describe() }
                get("/me/strings") { call.respondText("${call.principal<ClerkPrincipal>()}\n${call.clerkAuthResult}") }
                post("/me") { describe() }
            }
            authenticate(optional = true) {
                get("/maybe") {
                    val p = call.principal<ClerkPrincipal>()
                    call.respondText(p?.userId ?: "anonymous ${call.clerkAuthResult?.status}")
                }
            }
            authenticate("plain") { get("/plain/me") { describe() } }
            authenticate("lenient") { get("/lenient/me") { describe() } }
            authenticate("forwarded") { get("/forwarded/me") { describe() } }
            authenticate("owned") { get("/owned/me") { describe() } }
            authenticate("validated") { get("/validated/me") { call.respondText("app user ${call.principal<AppUser>()!!.id}") } }
        }
    }

    private suspend fun RoutingContext.describe() {
        val p = call.principal<ClerkPrincipal>()!!
        call.respondText("${p.sessionId} ${p.userId} ${p.organization?.id} ${p.sessionStatus}")
    }

    /** Sends [method] [path] with [headers] (each pair one header line; a name may repeat). */
    fun send(method: String, path: String, vararg headers: Pair<String, String>): HttpResponse<String> {
        val b = HttpRequest.newBuilder(URI(base + path)).method(method, HttpRequest.BodyPublishers.noBody())
        headers.forEach { (k, v) -> b.header(k, v) }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString())
    }

    fun get(path: String, vararg headers: Pair<String, String>): HttpResponse<String> = send("GET", path, *headers)

    override fun close() {
        server.stop(0, 0)
        clerk.close()
        sandbox.close()
    }
}

/** `Sec-Fetch-Dest: document`: a browser's page navigation. */
val DOCUMENT = "Sec-Fetch-Dest" to "document"

fun bearer(token: String) = "Authorization" to "Bearer $token"

fun cookie(value: String) = "Cookie" to value
