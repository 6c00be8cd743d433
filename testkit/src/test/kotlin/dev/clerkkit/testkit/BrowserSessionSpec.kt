package dev.clerkkit.testkit

import com.nimbusds.jose.crypto.RSASSAVerifier
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jwt.SignedJWT
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import java.time.Instant

/** Tokens shaped as Clerk issues them, browser cookies, and refresh with format=cookie over HTTP. */
class BrowserSessionSpec : FunSpec({
    val clock = MutableClock(Instant.parse("2026-03-01T12:00:00Z"))
    val sandbox = ClerkSandbox.start {
        this.clock = clock
        authorizedParty = "https://app.example.test"
    }
    val api = Api(sandbox)
    afterSpec { sandbox.close() }

    fun verified(jwt: String): SignedJWT {
        val parsed = SignedJWT.parse(jwt)
        val key = JWKSet.parse(sandbox.jwksJson()).getKeyByKeyId(parsed.header.keyID) as RSAKey
        parsed.verify(RSASSAVerifier(key)) shouldBe true
        return parsed
    }

    test("session tokens carry Clerk's header fields and v2 claims; template tokens the template category and jti") {
        val user = sandbox.addUser()
        val sid = sandbox.addSession(user, lastActiveOrganizationId = "org_Acme")
        val jwt = verified(api.post("/sessions/$sid/tokens").obj.str("jwt")!!)
        jwt.header.type.type shouldBe "JWT"
        jwt.header.getCustomParam("cat") shouldBe "cl_B7d4PD111AAA"
        val c = jwt.jwtClaimsSet
        c.getIntegerClaim("v") shouldBe 2
        c.getStringClaim("sts") shouldBe "active"
        c.getClaim("fva") shouldBe listOf(0L, -1L)
        @Suppress("UNCHECKED_CAST")
        (c.getClaim("o") as Map<String, Any?>) shouldBe mapOf("id" to "org_Acme", "rol" to "admin", "slg" to "acme")
        sandbox.addJwtTemplate("tpl", mapOf("role" to "x"))
        val tpl = verified(api.post("/sessions/$sid/tokens/tpl").obj.str("jwt")!!)
        tpl.header.getCustomParam("cat") shouldBe "cl_B7d4PD222AAA"
        tpl.jwtClaimsSet.jwtid shouldStartWith "jti_"
        tpl.jwtClaimsSet.getClaim("v") shouldBe null
        verified(sandbox.issueTemplateToken(sid)).header.getCustomParam("cat") shouldBe "cl_B7d4PD222AAA"
        sandbox.setSessionStatus(sid, "pending")
        verified(sandbox.issueToken(sid)).jwtClaimsSet.getStringClaim("sts") shouldBe "pending"
    }

    test("signIn mints the three cookies; suffix from the publishable key") {
        val sid = sandbox.addSession(sandbox.addUser())
        val b = sandbox.signIn(sid, clientUatOffsetSeconds = -5)
        sandbox.publishableKey shouldStartWith "pk_test_"
        String(java.util.Base64.getDecoder().decode(sandbox.publishableKey.removePrefix("pk_test_"))) shouldBe "clerk.sandbox.local$"
        b.cookieSuffix.length shouldBe 8
        b.clientUat shouldBe clock.millis() / 1000 - 5
        b.cookieHeader() shouldBe "__session_${b.cookieSuffix}=${b.sessionToken}; __client_uat_${b.cookieSuffix}=${b.clientUat}; " +
            "__refresh_${b.cookieSuffix}=${b.refreshToken}"
        b.cookieHeader(suffixed = false) shouldStartWith "__session=${b.sessionToken}; __client_uat=${b.clientUat}; "
        verified(b.sessionToken).jwtClaimsSet.getStringClaim("azp") shouldBe "https://app.example.test"
        b.toString() shouldNotContain b.sessionToken
        b.toString() shouldNotContain b.refreshToken
    }

    test("refresh with format=cookie answers Set-Cookie values; a refresh token of another session is refused") {
        val sid = sandbox.addSession(sandbox.addUser())
        val b = sandbox.signIn(sid, issuedAtOffsetSeconds = -120)
        fun body(refresh: String) =
            """{"expired_token":"${b.sessionToken}","refresh_token":"$refresh","request_origin":"https://app.example.test","format":"cookie"}"""
        val r = api.post("/sessions/$sid/refresh", body(b.refreshToken))
        r.status shouldBe 200
        r.obj.str("object") shouldBe "cookies"
        val cookies = (r.obj as kotlinx.serialization.json.JsonObject)["cookies"]!!.jsonArray.map { it.jsonPrimitive.content }
        cookies[0] shouldStartWith "__session="
        cookies[1] shouldStartWith "__client_uat=${clock.millis() / 1000};"
        verified(cookies[0].substringAfter('=').substringBefore(';')).jwtClaimsSet.getStringClaim("sid") shouldBe sid
        val other = sandbox.signIn(sandbox.addSession(sandbox.addUser()))
        api.post("/sessions/$sid/refresh", body(other.refreshToken)).let {
            it.status shouldBe 401
            it.errorCode shouldBe "authentication_invalid"
        }
    }
})
