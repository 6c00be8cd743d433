package dev.clerkkit.testkit

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldStartWith
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest
import java.net.http.HttpResponse
import javax.net.ssl.SSLHandshakeException

class HttpsSpec : FunSpec({
    val sandbox = ClerkSandbox.start { https = true }
    afterSpec { sandbox.close() }

    test("serves HTTPS with a self-signed certificate the client trusts explicitly") {
        sandbox.baseUrl shouldStartWith "https://127.0.0.1:"
        sandbox.trustStore.shouldNotBeNull()
        sandbox.certificatePem!! shouldStartWith "-----BEGIN CERTIFICATE-----"
        val sid = sandbox.addSession(sandbox.addUser())
        val api = Api(sandbox)
        api.get("/sessions/$sid").status shouldBe 200
        api.get("/sessions/$sid").status shouldBe 200
        sandbox.stats.connectionsAccepted shouldBe 1
    }

    test("an untrusting client fails the handshake (certificate checks stay on)") {
        val client = HttpClient.newHttpClient()
        shouldThrow<SSLHandshakeException> {
            client.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl + "/jwks")).build(), HttpResponse.BodyHandlers.ofString())
        }
    }
})
