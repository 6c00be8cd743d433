package dev.clerkkit.it

import com.nimbusds.jose.jwk.JWKSet
import dev.clerkkit.ClerkClient
import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.MutableClock
import dev.clerkkit.testkit.Route
import dev.clerkkit.tokens.TokenVerificationException
import dev.clerkkit.tokens.TokenVerificationException.Reason
import dev.clerkkit.tokens.TokenVerifierOptions
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitAll
import kotlinx.coroutines.coroutineScope
import java.time.Duration
import java.util.Base64

/** Networkless verification of tokens minted by the sandbox's createToken / createTokenFromTemplate, over CIO. */
class TokenVerificationIntegrationSpec : FunSpec({
    val clock = MutableClock()
    val sandbox = ClerkSandbox.start { this.clock = clock }
    val clerk = ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }
    val user = sandbox.addUser()
    val sessionId = sandbox.addSession(user)
    afterSpec { clerk.close(); sandbox.close() }

    fun pem(): String {
        val key = JWKSet.parse(sandbox.jwksJson()).keys.first { it.keyID == sandbox.activeKeyId }.toRSAKey().toRSAPublicKey()
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.encoded) + "\n-----END PUBLIC KEY-----\n"
    }

    test("tokens from createToken and createTokenFromTemplate verify through the JWKS, fetched once") {
        sandbox.addJwtTemplate("tpl", mapOf("aud" to "my-api"))
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        val before = sandbox.stats.requests(Route.JWKS)
        val claims = verifier.verify(clerk.sessions.createToken(sessionId).jwt)
        claims.sessionId shouldBe sessionId
        claims.userId shouldBe user
        verifier.verify(clerk.sessions.createTokenFromTemplate(sessionId, "tpl").jwt).sessionId shouldBe sessionId
        sandbox.stats.requests(Route.JWKS) - before shouldBe 1
    }

    test("1,000 concurrent verifications on a cold cache make one JWKS request") {
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        val jwt = clerk.sessions.createToken(sessionId).jwt
        val before = sandbox.stats.requests(Route.JWKS)
        coroutineScope { List(1000) { async { verifier.verify(jwt) } }.awaitAll() }
        sandbox.stats.requests(Route.JWKS) - before shouldBe 1
    }

    test("expired after its lifetime (injected clock)") {
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        val jwt = clerk.sessions.createToken(sessionId, expiresInSeconds = 60).jwt
        verifier.verify(jwt)
        clock.advance(Duration.ofSeconds(120))
        shouldThrow<TokenVerificationException> { verifier.verify(jwt) }.reason shouldBe Reason.EXPIRED
    }

    test("a tampered payload fails with BAD_SIGNATURE") {
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        val (h, p, s) = clerk.sessions.createToken(sessionId).jwt.split('.')
        val forged = String(Base64.getUrlDecoder().decode(p)).replace(user, "user_admin")
        val token = "$h.${Base64.getUrlEncoder().withoutPadding().encodeToString(forged.toByteArray())}.$s"
        shouldThrow<TokenVerificationException> { verifier.verify(token) }.reason shouldBe Reason.BAD_SIGNATURE
    }

    test("key rotation: the new kid triggers one refresh") {
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        verifier.verify(clerk.sessions.createToken(sessionId).jwt)
        val before = sandbox.stats.requests(Route.JWKS)
        sandbox.rotateSigningKey()
        clock.advance(Duration.ofMinutes(2)) // past the refresh rate limit
        verifier.verify(clerk.sessions.createToken(sessionId).jwt).sessionId shouldBe sessionId
        sandbox.stats.requests(Route.JWKS) - before shouldBe 1
    }

    test("PEM mode makes no HTTP request at all, also through ClerkClient.verifyToken") {
        ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl; jwtKey = pem() }.use { pemClient ->
            val jwt = clerk.sessions.createToken(sessionId).jwt
            val before = sandbox.stats.totalRequests
            val verifier = pemClient.tokenVerifier(TokenVerifierOptions { jwtKey = pemClient.config.jwtKey; this.clock = clock })
            verifier.verifyBlocking(jwt).sessionId shouldBe sessionId
            verifier.isNetworkless shouldBe true
            sandbox.stats.totalRequests shouldBe before
        }
    }
})
