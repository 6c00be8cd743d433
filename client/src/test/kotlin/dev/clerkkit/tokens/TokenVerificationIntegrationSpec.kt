package dev.clerkkit.tokens

import com.nimbusds.jose.jwk.JWKSet
import dev.clerkkit.ClerkClient
import dev.clerkkit.sessions.CreateTokenParams
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

    test("session tokens verify through the JWKS; template tokens only as non-session tokens; one fetch for both verifiers") {
        ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }.use { fresh ->
            sandbox.addJwtTemplate("tpl", mapOf("aud" to "my-api"))
            val verifier = fresh.tokenVerifier(TokenVerifierOptions { this.clock = clock })
            val before = sandbox.stats.requests(Route.JWKS)
            val claims = verifier.verify(fresh.sessions.createToken(sessionId).jwt)
            claims.sessionId shouldBe sessionId
            claims.userId shouldBe user
            val template = fresh.sessions.createTokenFromTemplate(sessionId, "tpl").jwt
            shouldThrow<TokenVerificationException> { verifier.verify(template) }.reason shouldBe Reason.NOT_A_SESSION_TOKEN
            val lenient = fresh.tokenVerifier(TokenVerifierOptions { this.clock = clock; allowNonSessionTokens = true })
            lenient.verify(template).sessionId shouldBe sessionId
            sandbox.stats.requests(Route.JWKS) - before shouldBe 1
        }
    }

    test("the JWKS cache is per instance: another client (another instance) fetches its own") {
        ClerkSandbox.start { this.clock = clock }.use { other ->
            ClerkClient { secretKey = other.secretKey; baseUrl = other.baseUrl }.use { otherClient ->
                val ours = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
                ours.verify(clerk.sessions.createToken(sessionId).jwt)
                val token = other.issueToken(other.addSession(other.addUser()))
                otherClient.tokenVerifier(TokenVerifierOptions { this.clock = clock }).verify(token).userId shouldBe other.users().last()
                shouldThrow<TokenVerificationException> { ours.verify(token) }.reason shouldBe Reason.UNKNOWN_KID
                other.stats.requests(Route.JWKS) shouldBe 1
            }
        }
    }

    test("1,000 concurrent verifications on a cold cache make one JWKS request") {
        ClerkClient { secretKey = sandbox.secretKey; baseUrl = sandbox.baseUrl }.use { fresh ->
            val verifier = fresh.tokenVerifier(TokenVerifierOptions { this.clock = clock })
            val jwt = fresh.sessions.createToken(sessionId).jwt
            val before = sandbox.stats.requests(Route.JWKS)
            coroutineScope { List(1000) { async { verifier.verify(jwt) } }.awaitAll() }
            sandbox.stats.requests(Route.JWKS) - before shouldBe 1
        }
    }

    test("expired after its lifetime (injected clock)") {
        val verifier = clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock })
        val jwt = clerk.sessions.createToken(CreateTokenParams { this.sessionId = sessionId; expiresInSeconds = 60 }).jwt
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

    context("the sandbox's tokens, tampered or checked against other expectations") {
        fun b64(text: String) = Base64.getUrlEncoder().withoutPadding().encodeToString(text.toByteArray())
        fun header(jwt: String) = String(Base64.getUrlDecoder().decode(jwt.substringBefore('.')))
        fun verifier(block: TokenVerifierOptions.Builder.() -> Unit = {}) =
            clerk.tokenVerifier(TokenVerifierOptions { this.clock = clock; block() })
        suspend fun reason(token: String, v: dev.clerkkit.tokens.SessionTokenVerifier = verifier()) =
            shouldThrow<TokenVerificationException> { v.verify(token) }.reason

        test("alg none and HS256 with the public key as secret are refused") {
            val jwt = clerk.sessions.createToken(sessionId).jwt
            val (h, p, _) = jwt.split('.')
            val none = b64(header(jwt).replace("RS256", "none"))
            reason("$none.$p.") shouldBe Reason.UNSUPPORTED_ALGORITHM
            val hsHeader = b64(header(jwt).replace("RS256", "HS256"))
            val mac = javax.crypto.Mac.getInstance("HmacSHA256").apply {
                init(javax.crypto.spec.SecretKeySpec(pem().toByteArray(), "HmacSHA256"))
            }
            val sig = Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal("$hsHeader.$p".toByteArray()))
            reason("$hsHeader.$p.$sig") shouldBe Reason.UNSUPPORTED_ALGORITHM
            h.isNotEmpty() shouldBe true
        }
        test("an unknown kid and a foreign key") {
            val jwt = clerk.sessions.createToken(sessionId).jwt
            val (_, p, sig) = jwt.split('.')
            val unknownKid = b64(header(jwt).replace(Regex("\"kid\":\"[^\"]+\""), "\"kid\":\"ins_forged\""))
            reason("$unknownKid.$p.$sig") shouldBe Reason.UNKNOWN_KID
            ClerkSandbox.start { this.clock = clock }.use { other ->
                val foreign = other.issueToken(other.addSession(other.addUser()))
                val foreignWithOurKid = b64(header(foreign).replace(Regex("\"kid\":\"[^\"]+\""), "\"kid\":\"${sandbox.activeKeyId}\""))
                val (_, fp, fs) = foreign.split('.')
                reason("$foreignWithOurKid.$fp.$fs") shouldBe Reason.BAD_SIGNATURE
            }
        }
        test("wrong authorized party and wrong audience") {
            ClerkSandbox.start { this.clock = clock; authorizedParty = "https://evil.example" }.use { azpBox ->
                ClerkClient { secretKey = azpBox.secretKey; baseUrl = azpBox.baseUrl }.use { c ->
                    val jwt = c.sessions.createToken(azpBox.addSession(azpBox.addUser())).jwt
                    val v = c.tokenVerifier(TokenVerifierOptions { this.clock = clock; authorizedParties = setOf("https://app.example") })
                    shouldThrow<TokenVerificationException> { v.verify(jwt) }.reason shouldBe Reason.UNAUTHORIZED_PARTY
                }
            }
            sandbox.addJwtTemplate("aud_tpl", mapOf("aud" to "other-api"))
            val jwt = clerk.sessions.createTokenFromTemplate(sessionId, "aud_tpl").jwt
            reason(jwt, verifier { audience = setOf("my-api"); allowNonSessionTokens = true }) shouldBe Reason.WRONG_AUDIENCE
            reason(jwt, verifier { audience = setOf("other-api") }) shouldBe Reason.NOT_A_SESSION_TOKEN
        }
    }
})
