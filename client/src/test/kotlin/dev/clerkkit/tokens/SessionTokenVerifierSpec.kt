package dev.clerkkit.tokens

import dev.clerkkit.tokens.TokenVerificationException.Reason
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.add
import kotlinx.serialization.json.buildJsonObject
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlinx.serialization.json.putJsonObject
import java.time.Duration

class SessionTokenVerifierSpec : FunSpec({

    val testClock = MutableClock()
    beforeEach { testClock.now = NOW }

    fun pemVerifier(configure: TokenVerifierOptions.Builder.() -> Unit = {}): SessionTokenVerifier {
        val options = TokenVerifierOptions {
            jwtKey = TestKeys.pem(TestKeys.primary)
            clock = testClock
            configure()
        }
        return SessionTokenVerifier(options)
    }

    suspend fun rejected(verifier: SessionTokenVerifier, token: String, reason: Reason): TokenVerificationException {
        val e = shouldThrow<TokenVerificationException> { verifier.verify(token) }
        e.reason shouldBe reason
        if (token.length > 20) e.message.orEmpty() shouldNotContain token
        val blocking = shouldThrow<TokenVerificationException> { verifier.verifyBlocking(token) }
        blocking.reason shouldBe reason
        return e
    }

    context("valid tokens") {
        test("a valid v1 token verifies into typed claims") {
            val token = mint(
                claims {
                    put("org_id", "org_1")
                    put("org_role", "org:admin")
                    put("org_slug", "acme")
                    putJsonArray("org_permissions") { add("org:sys_memberships:manage"); add("org:invoices:read") }
                    put("custom", "value")
                },
            )
            val c = pemVerifier().verify(token)
            c.sessionId shouldBe "sess_123"
            c.userId shouldBe "user_456"
            c.issuedAt shouldBe NOW.epochSecond - 10
            c.notBefore shouldBe NOW.epochSecond - 10
            c.expiresAt shouldBe NOW.epochSecond + 50
            c.authorizedParty shouldBe "https://app.example.com"
            c.issuer shouldBe "https://clerk.example.com"
            c.version.shouldBeNull()
            c.audience shouldBe emptyList()
            val org = c.organization!!
            org.id shouldBe "org_1"
            org.role shouldBe "org:admin"
            org.slug shouldBe "acme"
            org.permissions.shouldContainExactly("org:sys_memberships:manage", "org:invoices:read")
            c.claims["custom"] shouldBe "value"
            c.toString() shouldContain "sess_123"
            c.toString() shouldNotContain token
            c.toString() shouldNotContain "value" // custom claim values are not printed
        }

        test("a valid v2 token with the compact o claim decodes the organization") {
            val token = mint(
                claims {
                    put("v", 2)
                    put("fea", "o:billing,u:profile,o:reports")
                    put("sts", "active")
                    putJsonObject("o") {
                        put("id", "org_2")
                        put("rol", "admin")
                        put("slg", "acme-2")
                        put("per", "read,manage")
                        put("fpm", "3,1")
                    }
                },
            )
            val c = pemVerifier().verifyBlocking(token)
            c.version shouldBe 2
            c.sessionStatus shouldBe "active"
            val org = c.organization!!
            org.id shouldBe "org_2"
            org.role shouldBe "org:admin"
            org.slug shouldBe "acme-2"
            org.permissions.shouldContainExactly("org:billing:read", "org:billing:manage", "org:reports:read")
        }

        test("no organization claims -> organization is null; optional times may be absent") {
            val c = pemVerifier().verify(mint(claims(iat = null, nbf = null)))
            c.organization.shouldBeNull()
            c.issuedAt.shouldBeNull()
            c.notBefore.shouldBeNull()
        }

        test("clock skew tolerates a token that expired 4 s ago, not one that expired 5 s ago") {
            pemVerifier().verify(mint(claims(exp = NOW.epochSecond - 4))).sessionId shouldBe "sess_123"
            rejected(pemVerifier(), mint(claims(exp = NOW.epochSecond - 5)), Reason.EXPIRED)
            pemVerifier { clockSkew = Duration.ZERO }.let { v ->
                rejected(v, mint(claims(exp = NOW.epochSecond)), Reason.EXPIRED)
                v.verify(mint(claims(exp = NOW.epochSecond + 1))).userId shouldBe "user_456"
            }
        }

        test("PEM with literal \\n escapes and without header is accepted") {
            val escaped = TestKeys.pem(TestKeys.primary).replace("\n", "\\n")
            SessionTokenVerifier(TokenVerifierOptions { jwtKey = escaped; clock = testClock }).verify(mint()).userId shouldBe "user_456"
            val bare = TestKeys.pem(TestKeys.primary).lines().filterNot { it.startsWith("-----") }.joinToString("")
            SessionTokenVerifier(TokenVerifierOptions { jwtKey = bare; clock = testClock }).verify(mint()).userId shouldBe "user_456"
        }
    }

    context("time claims") {
        test("expired (injected clock moves past exp)") {
            val token = mint()
            val verifier = pemVerifier()
            verifier.verify(token)
            testClock.advance(Duration.ofSeconds(56))
            rejected(verifier, token, Reason.EXPIRED)
        }
        test("not yet valid") {
            rejected(pemVerifier(), mint(claims(nbf = NOW.epochSecond + 30)), Reason.NOT_YET_VALID)
        }
        test("issued in the future") {
            rejected(pemVerifier(), mint(claims(iat = NOW.epochSecond + 30, nbf = null)), Reason.ISSUED_IN_FUTURE)
        }
        test("missing exp is malformed; non-numeric exp is malformed") {
            rejected(pemVerifier(), mint(claims(exp = null)), Reason.MALFORMED)
            rejected(pemVerifier(), mint(claims(exp = null) { put("exp", "tomorrow") }), Reason.MALFORMED)
        }
        test("absurd exp values do not overflow") {
            pemVerifier().verify(mint(claims(exp = Long.MAX_VALUE))).expiresAt shouldBe Long.MAX_VALUE
            rejected(pemVerifier(), mint(claims(exp = Long.MIN_VALUE)), Reason.EXPIRED)
        }
    }

    context("signature and algorithm attacks") {
        test("tampered payload -> BAD_SIGNATURE") {
            val (h, _, s) = mint().split('.')
            val forged = claims(sub = "user_admin").toString()
            rejected(pemVerifier(), "$h.${b64url(forged)}.$s", Reason.BAD_SIGNATURE)
        }
        test("signed by a foreign key -> BAD_SIGNATURE") {
            rejected(pemVerifier(), mint(key = TestKeys.impostor), Reason.BAD_SIGNATURE)
        }
        test("alg none -> UNSUPPORTED_ALGORITHM (with and without a signature part)") {
            val payload = b64url(claims().toString())
            val header = b64url("""{"alg":"none","typ":"JWT"}""")
            rejected(pemVerifier(), "$header.$payload.", Reason.UNSUPPORTED_ALGORITHM)
            rejected(pemVerifier(), "$header.$payload.${mint().split('.')[2]}", Reason.UNSUPPORTED_ALGORITHM)
            rejected(pemVerifier(), "${b64url("""{"alg":"None"}""")}.$payload.", Reason.UNSUPPORTED_ALGORITHM)
        }
        test("HS256 with the public key as HMAC secret -> UNSUPPORTED_ALGORITHM") {
            val der = TestKeys.primary.toRSAPublicKey().encoded
            rejected(pemVerifier(), mintHs256(der), Reason.UNSUPPORTED_ALGORITHM)
            rejected(pemVerifier(), mintHs256(TestKeys.pem(TestKeys.primary).toByteArray()), Reason.UNSUPPORTED_ALGORITHM)
        }
        test("missing alg, non-string alg, other algs -> UNSUPPORTED_ALGORITHM") {
            val (_, p, s) = mint().split('.')
            rejected(pemVerifier(), "${b64url("""{"typ":"JWT","kid":"ins_key_primary"}""")}.$p.$s", Reason.UNSUPPORTED_ALGORITHM)
            rejected(pemVerifier(), "${b64url("""{"alg":256}""")}.$p.$s", Reason.UNSUPPORTED_ALGORITHM)
            rejected(pemVerifier(), "${b64url("""{"alg":null}""")}.$p.$s", Reason.UNSUPPORTED_ALGORITHM)
            for (alg in listOf("RS512", "PS256", "ES256", "rs256")) {
                rejected(pemVerifier(), "${b64url("""{"alg":"$alg"}""")}.$p.$s", Reason.UNSUPPORTED_ALGORITHM)
            }
        }
        test("an attacker-controlled alg is sanitized in the message") {
            val (_, p, s) = mint().split('.')
            val e = rejected(pemVerifier(), "${b64url("{\"alg\":\"evil\\n${"x".repeat(500)}\"}")}.$p.$s", Reason.UNSUPPORTED_ALGORITHM)
            e.message.orEmpty() shouldNotContain "\n"
            (e.message.orEmpty().length < 200) shouldBe true
        }
    }

    context("malformed input") {
        test("garbage strings -> MALFORMED, never echoing the token") {
            val valid = mint()
            val (h, p, s) = valid.split('.')
            val samples = listOf(
                "", "abc", "a.b", "a.b.c.d", "a.b.c.d.e", "!!!.###.$$$", "..", " $valid", "$valid ", "Bearer $valid",
                "${b64url("not json")}.$p.$s", "${b64url("[1,2]")}.$p.$s", "$h..$s", "$h.$p.", "$h.$p",
                "$h.$p.$s.", valid + "x".repeat(17 * 1024),
            )
            for (token in samples) rejected(pemVerifier(), token, Reason.MALFORMED)
        }
        test("a correctly signed payload that is not a JSON object -> MALFORMED") {
            val token = com.nimbusds.jose.JWSObject(
                com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.RS256),
                com.nimbusds.jose.Payload("not json"),
            ).apply { sign(com.nimbusds.jose.crypto.RSASSASigner(TestKeys.primary)) }.serialize()
            rejected(pemVerifier(), token, Reason.MALFORMED)
        }
        test("wrongly typed registered claims -> MALFORMED") {
            rejected(pemVerifier(), mint(claims(sid = null) { put("sid", 42) }), Reason.MALFORMED)
            rejected(pemVerifier(), mint(claims { put("aud", 7) }), Reason.MALFORMED)
            rejected(pemVerifier(), mint(claims { put("azp", JsonPrimitive(true)) }), Reason.MALFORMED)
        }
    }

    context("parties, audience, session") {
        test("azp not in authorizedParties -> UNAUTHORIZED_PARTY; listed azp passes; no azp fails only when parties are set") {
            val v = pemVerifier { authorizedParties = setOf("https://other.example.com") }
            rejected(v, mint(), Reason.UNAUTHORIZED_PARTY)
            pemVerifier { authorizedParties = setOf("https://app.example.com", "https://x") }.verify(mint()).sessionId shouldBe "sess_123"
            val noAzp = claims().let { c -> kotlinx.serialization.json.JsonObject(c - "azp") }
            rejected(v, mint(noAzp), Reason.UNAUTHORIZED_PARTY).message shouldContain "no azp"
            rejected(v, mint(claims { put("azp", "") }), Reason.UNAUTHORIZED_PARTY)
            pemVerifier().verify(mint(noAzp)).authorizedParty.shouldBeNull()
        }
        test("only session tokens: JWT-template and machine categories, at+jwt and mch_ subjects -> NOT_A_SESSION_TOKEN") {
            val v = pemVerifier()
            v.verify(mint(headerParams = mapOf("cat" to "cl_B7d4PD111AAA"))).sessionId shouldBe "sess_123"
            v.verify(mint(headerParams = mapOf("cat" to "cl_I7d4PD111III"))).sessionId shouldBe "sess_123"
            rejected(v, mint(headerParams = mapOf("cat" to "cl_B7d4PD222AAA")), Reason.NOT_A_SESSION_TOKEN).message shouldContain "JWT-template"
            rejected(v, mint(headerParams = mapOf("cat" to "cl_B7d4PD333AAA")), Reason.NOT_A_SESSION_TOKEN)
            rejected(v, mint(headerParams = mapOf("cat" to "cl_something_new")), Reason.NOT_A_SESSION_TOKEN)
            rejected(v, mint(typ = "at+jwt"), Reason.NOT_A_SESSION_TOKEN).message shouldContain "OAuth"
            rejected(v, mint(claims(sub = "mch_123")), Reason.NOT_A_SESSION_TOKEN)
            pemVerifier { allowNonSessionTokens = true }.verify(mint(headerParams = mapOf("cat" to "cl_B7d4PD222AAA"))).userId shouldBe "user_456"
        }
        test("v2 claims typed: sts pending, fva, act") {
            val c = pemVerifier().verify(
                mint(
                    claims {
                        put("v", 2)
                        put("sts", "pending")
                        putJsonArray("fva") { add(3); add(-1) }
                        putJsonObject("act") { put("sub", "user_admin"); put("sid", "sess_admin") }
                    },
                ),
            )
            c.isPending shouldBe true
            c.factorVerificationAge shouldBe listOf(3L, -1L)
            c.actorId shouldBe "user_admin"
            val plain = pemVerifier().verify(mint(claims { putJsonArray("fva") { add("x"); add(1) } }))
            plain.isPending shouldBe false
            plain.factorVerificationAge.shouldBeNull()
            plain.actorId.shouldBeNull()
        }
        test("aud as string or array; wrong or missing aud -> WRONG_AUDIENCE when audience is configured") {
            val v = pemVerifier { audience = setOf("api://orders") }
            v.verify(mint(claims { put("aud", "api://orders") })).audience shouldBe listOf("api://orders")
            v.verify(mint(claims { putJsonArray("aud") { add("x"); add("api://orders") } })).audience shouldBe listOf("x", "api://orders")
            rejected(v, mint(claims { put("aud", "api://billing") }), Reason.WRONG_AUDIENCE)
            rejected(v, mint(claims { putJsonArray("aud") { add("a"); add("b") } }), Reason.WRONG_AUDIENCE)
            rejected(v, mint(), Reason.WRONG_AUDIENCE)
            pemVerifier().verify(mint(claims { put("aud", "anything") })).audience shouldBe listOf("anything")
        }
        test("no sid -> NOT_A_SESSION_TOKEN unless allowNonSessionTokens") {
            val token = mint(claims(sid = null))
            rejected(pemVerifier(), token, Reason.NOT_A_SESSION_TOKEN)
            pemVerifier { allowNonSessionTokens = true }.verify(token).sessionId.shouldBeNull()
        }
        test("no sub -> NOT_A_SESSION_TOKEN even when non-session tokens are allowed") {
            rejected(pemVerifier { allowNonSessionTokens = true }, mint(claims(sub = null)), Reason.NOT_A_SESSION_TOKEN)
        }
    }

    context("PEM mode is networkless") {
        test("with a PEM key the fetcher is never called, whatever the kid") {
            val fetcher = CountingFetcher { TestKeys.jwks(TestKeys.primary) }
            val v = SessionTokenVerifier(
                TokenVerifierOptions { jwtKey = TestKeys.pem(TestKeys.primary); clock = testClock },
                fetcher,
            )
            v.isNetworkless shouldBe true
            v.verify(mint()).userId shouldBe "user_456"
            v.verify(mint(kid = "some_other_kid")).userId shouldBe "user_456"
            v.verify(mint(kid = null)).userId shouldBe "user_456"
            v.verifyBlocking(mint()).userId shouldBe "user_456"
            rejected(v, mint(key = TestKeys.rotated), Reason.BAD_SIGNATURE)
            fetcher.count shouldBe 0
            v.jwksFetchCount shouldBe 0
        }
        test("no PEM key and no fetcher -> IllegalArgumentException") {
            val e = shouldThrow<IllegalArgumentException> { SessionTokenVerifier(TokenVerifierOptions.builder().build(), null) }
            e.message.orEmpty() shouldContain "JwksFetcher"
        }
    }
})
