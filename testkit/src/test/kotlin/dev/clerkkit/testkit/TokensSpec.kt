package dev.clerkkit.testkit

import com.nimbusds.jose.crypto.RSASSAVerifier
import com.nimbusds.jose.jwk.JWKSet
import com.nimbusds.jose.jwk.RSAKey
import com.nimbusds.jwt.SignedJWT
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldHaveSize
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldStartWith
import kotlinx.serialization.json.jsonArray
import kotlinx.serialization.json.jsonPrimitive
import java.time.Duration
import java.time.Instant

class TokensSpec : FunSpec({
    val clock = MutableClock(Instant.parse("2026-03-01T12:00:00Z"))
    val sandbox = ClerkSandbox.start {
        this.clock = clock
        authorizedParty = "https://app.example.test"
    }
    val api = Api(sandbox)
    afterSpec { sandbox.close() }

    fun jwks(): JWKSet = JWKSet.parse(api.get("/jwks").also { it.status shouldBe 200 }.body)

    fun verified(jwt: String): SignedJWT {
        val parsed = SignedJWT.parse(jwt)
        val key = jwks().getKeyByKeyId(parsed.header.keyID) as RSAKey
        parsed.verify(RSASSAVerifier(key)) shouldBe true
        return parsed
    }

    fun newSession(): Pair<String, String> {
        val user = sandbox.addUser()
        return user to sandbox.addSession(user)
    }

    test("session token is an RS256 JWT verifiable with /jwks") {
        val (user, sid) = newSession()
        val r = api.post("/sessions/$sid/tokens")
        r.status shouldBe 200
        r.obj.str("object") shouldBe "token"
        val jwt = verified(r.obj.str("jwt")!!)
        jwt.header.algorithm.name shouldBe "RS256"
        jwt.header.keyID shouldBe sandbox.activeKeyId
        val c = jwt.jwtClaimsSet
        c.getStringClaim("sid") shouldBe sid
        c.subject shouldBe user
        c.issuer shouldBe "https://clerk.sandbox.local"
        c.getStringClaim("azp") shouldBe "https://app.example.test"
        c.issueTime.time shouldBe clock.millis()
        c.expirationTime.time - c.issueTime.time shouldBe 60_000
        (c.notBeforeTime.time <= c.issueTime.time) shouldBe true
        val key = jwks().keys.single() as RSAKey
        key.keyUse.identifier() shouldBe "sig"
        key.algorithm.name shouldBe "RS256"
    }

    test("expires_in_seconds sets the lifetime; empty body allowed; out of range -> 422") {
        val (_, sid) = newSession()
        val jwt = verified(api.post("/sessions/$sid/tokens", """{"expires_in_seconds":120}""").obj.str("jwt")!!)
        jwt.jwtClaimsSet.let { it.expirationTime.time - it.issueTime.time } shouldBe 120_000
        api.post("/sessions/$sid/tokens", "").status shouldBe 200
        api.post("/sessions/$sid/tokens", """{"expires_in_seconds":null}""").status shouldBe 200
        for (bad in listOf("29", "315360001", "\"60\"", "1.5")) {
            val r = api.post("/sessions/$sid/tokens", """{"expires_in_seconds":$bad}""")
            r.status shouldBe 422
            r.errorCode shouldBe "form_param_value_invalid"
        }
    }

    test("tokens: 404 for unknown or inactive session and unknown template") {
        api.post("/sessions/sess_missing/tokens").status shouldBe 404
        val (_, sid) = newSession()
        api.post("/sessions/$sid/tokens/no_such_template").let {
            it.status shouldBe 404
            it.errorCode shouldBe "resource_not_found"
        }
        api.post("/sessions/$sid/revoke").status shouldBe 200
        api.post("/sessions/$sid/tokens").status shouldBe 404
    }

    test("template tokens carry the template claims and lifetime") {
        sandbox.addJwtTemplate("hasura", mapOf("role" to "admin", "n" to 3, "nested" to mapOf("uid" to "{{user.id}}")), 300)
        val (user, sid) = newSession()
        val r = api.post("/sessions/$sid/tokens/hasura")
        r.status shouldBe 200
        val c = verified(r.obj.str("jwt")!!).jwtClaimsSet
        c.getStringClaim("role") shouldBe "admin"
        c.getLongClaim("n") shouldBe 3
        c.getJSONObjectClaim("nested")["uid"] shouldBe user
        c.getStringClaim("sid") shouldBe sid
        c.expirationTime.time - c.issueTime.time shouldBe 300_000
        val c2 = verified(api.post("/sessions/$sid/tokens/hasura", """{"expires_in_seconds":45}""").obj.str("jwt")!!).jwtClaimsSet
        c2.expirationTime.time - c2.issueTime.time shouldBe 45_000
    }

    test("key rotation: new kid signs, old key stays in JWKS until removed") {
        val (_, sid) = newSession()
        val old = sandbox.activeKeyId
        val oldJwt = api.post("/sessions/$sid/tokens").obj.str("jwt")!!
        val newKid = sandbox.rotateSigningKey()
        newKid shouldNotBe old
        jwks().keys.map { it.keyID } shouldBe listOf(old, newKid)
        SignedJWT.parse(api.post("/sessions/$sid/tokens").obj.str("jwt")!!).header.keyID shouldBe newKid
        verified(oldJwt)
        sandbox.removeOldSigningKeys()
        jwks().keys.map { it.keyID } shouldBe listOf(newKid)
    }

    test("refresh: token and cookie formats with an expired token of the session") {
        val (user, sid) = newSession()
        val expired = sandbox.issueToken(sid, lifetimeSeconds = 60, issuedAtOffsetSeconds = -3600)
        val body = """{"expired_token":"$expired","refresh_token":"r1","request_origin":"https://app.example.test"}"""
        val t = api.post("/sessions/$sid/refresh", body)
        t.status shouldBe 200
        t.obj.str("object") shouldBe "token"
        val fresh = verified(t.obj.str("jwt")!!).jwtClaimsSet
        fresh.getStringClaim("sid") shouldBe sid
        fresh.subject shouldBe user
        fresh.expirationTime.time shouldBe clock.millis() + 60_000

        val cookie = api.post("/sessions/$sid/refresh", body.dropLast(1) + ""","format":"cookie"}""")
        cookie.status shouldBe 200
        cookie.obj.str("object") shouldBe "cookies"
        val cookies = cookie.obj["cookies"]!!.jsonArray.map { it.jsonPrimitive.content }
        cookies[0] shouldStartWith "__session="
        verified(cookies[0].removePrefix("__session=").substringBefore(';'))
        api.post("/sessions/$sid/refresh", body.dropLast(1) + ""","format":null}""").obj.str("object") shouldBe "token"
    }

    test("refresh: 401 for foreign, forged or other-session tokens; 400 for bad bodies") {
        val (_, sid) = newSession()
        val (_, other) = newSession()
        fun body(token: String) = """{"expired_token":"$token","refresh_token":"r","request_origin":"https://x.test"}"""
        api.post("/sessions/$sid/refresh", body(sandbox.issueToken(other))).let {
            it.status shouldBe 401
            it.errorCode shouldBe "authentication_invalid"
        }
        val good = sandbox.issueToken(sid)
        val forged = good.substringBeforeLast('.') + "." + "A".repeat(good.substringAfterLast('.').length)
        api.post("/sessions/$sid/refresh", body(forged)).status shouldBe 401
        api.post("/sessions/$sid/refresh", body("not.a.jwt")).status shouldBe 401
        api.post("/sessions/sess_missing/refresh", body(good)).status shouldBe 401

        api.post("/sessions/$sid/refresh", """{"expired_token":"$good","refresh_token":"r"}""").let {
            it.status shouldBe 400
            it.errorCode shouldBe "form_param_missing"
        }
        api.post("/sessions/$sid/refresh", body(good).dropLast(1) + ""","extra":1}""").errorCode shouldBe "form_param_unknown"
        api.post("/sessions/$sid/refresh", "[1]").status shouldBe 400
        api.post("/sessions/$sid/refresh", "{oops").status shouldBe 400
        api.post("/sessions/$sid/refresh", body(good).dropLast(1) + ""","format":"xml"}""").status shouldBe 400
    }

    test("verify: 200 for a valid token, 401 otherwise, 404 unknown session") {
        val (_, sid) = newSession()
        val token = api.post("/sessions/$sid/tokens").obj.str("jwt")!!
        val ok = api.post("/sessions/$sid/verify", """{"token":"$token"}""")
        ok.status shouldBe 200
        ok.obj.str("id") shouldBe sid
        ok.obj.containsKey("tasks") shouldBe false

        val (_, other) = newSession()
        api.post("/sessions/$other/verify", """{"token":"$token"}""").status shouldBe 401
        api.post("/sessions/sess_missing/verify", """{"token":"$token"}""").status shouldBe 404
        api.post("/sessions/$sid/verify", """{}""").status shouldBe 400
        api.post("/sessions/$sid/verify", """{"token":"$token","x":1}""").status shouldBe 400
        clock.advance(Duration.ofSeconds(61))
        api.post("/sessions/$sid/verify", """{"token":"$token"}""").status shouldBe 401
    }

    test("verify: 410 Gone when switched at runtime or by config") {
        val (_, sid) = newSession()
        sandbox.verifyGone = true
        try {
            val r = api.post("/sessions/$sid/verify", """{"token":"x"}""")
            r.status shouldBe 410
            r.errorCode shouldBe "deprecated_endpoint"
        } finally {
            sandbox.verifyGone = false
        }
        ClerkSandbox.start(SandboxConfig.builder().verifyGone(true).build()).use { gone ->
            Api(gone).post("/sessions/sess_x/verify", "{}").status shouldBe 410
        }
    }

    test("every response so far matched the contract") {
        (Contract.validated.get() > 0) shouldBe true
        sandbox.requests.map { it.route } shouldContain Route.VERIFY_SESSION
        sandbox.jwks()["keys"]!!.jsonArray shouldHaveSize 1
    }
})
