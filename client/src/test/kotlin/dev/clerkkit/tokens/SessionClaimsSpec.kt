package dev.clerkkit.tokens

import dev.clerkkit.tokens.TokenVerificationException.Reason
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import kotlinx.serialization.json.JsonNull
import kotlinx.serialization.json.JsonPrimitive
import kotlinx.serialization.json.put
import kotlinx.serialization.json.putJsonArray
import kotlinx.serialization.json.putJsonObject
import java.math.BigDecimal
import java.util.Optional

/** The public shape of verified claims: plain values, Optional getters for Java, and the factories for tests. */
class SessionClaimsSpec : FunSpec({

    val base: Map<String, Any?> = mapOf("sid" to "sess_1", "sub" to "user_1", "exp" to 2_000_000_000L)

    context("claims are plain values") {
        test("nested objects, arrays, numbers, booleans and null, in payload order") {
            val token = mint(
                claims {
                    putJsonObject("meta") {
                        put("plan", "pro")
                        put("seats", 5)
                        put("ratio", 0.25)
                        put("big", "12345678901234567890123")
                        putJsonArray("tags") { add(JsonPrimitive(1)); add(JsonPrimitive("x")) }
                        put("nothing", JsonNull)
                        put("flag", true)
                    }
                    put("huge", JsonPrimitive(BigDecimal("123456789012345678901234567890")))
                },
            )
            val options = TokenVerifierOptions { jwtKey = TestKeys.pem(TestKeys.primary); clock = MutableClock() }
            val c = SessionTokenVerifier(options).verifyBlocking(token)

            c.claims.keys.toList() shouldBe listOf("sid", "sub", "iat", "nbf", "exp", "iss", "azp", "meta", "huge")
            c.claims["sid"] shouldBe "sess_123"
            c.claims["exp"] shouldBe NOW.epochSecond + 50 // a Long
            c.claims["exp"].shouldBeInstanceOf<Long>()
            c.claims["huge"] shouldBe BigDecimal("123456789012345678901234567890")
            val meta = c.claims["meta"].shouldBeInstanceOf<Map<String, Any?>>()
            meta shouldBe mapOf(
                "plan" to "pro", "seats" to 5L, "ratio" to BigDecimal("0.25"), "big" to "12345678901234567890123",
                "tags" to listOf(1L, "x"), "nothing" to null, "flag" to true,
            )
            meta.containsKey("nothing") shouldBe true
        }

        test("the maps and lists are unmodifiable") {
            val c = SessionClaims.fromVerifiedClaims(base + mapOf("o2" to mapOf("l" to listOf(1)), "aud" to listOf("a")))
            shouldThrow<UnsupportedOperationException> { (c.claims as MutableMap<String, Any?>)["x"] = 1 }
            @Suppress("UNCHECKED_CAST")
            val nested = c.claims["o2"] as Map<String, Any?>
            shouldThrow<UnsupportedOperationException> { (nested as MutableMap<String, Any?>).clear() }
            shouldThrow<UnsupportedOperationException> { (nested["l"] as MutableList<Any?>).add(2) }
            shouldThrow<UnsupportedOperationException> { (c.audience as MutableList<String>).add("x") }
        }

        test("actor is the act object as a plain map") {
            val c = SessionClaims.fromVerifiedClaims(base + ("act" to mapOf("sub" to "user_admin", "iss" to "https://dashboard.clerk.com")))
            c.actor shouldBe mapOf("sub" to "user_admin", "iss" to "https://dashboard.clerk.com")
            c.actorOptional() shouldBe Optional.of(mapOf("sub" to "user_admin", "iss" to "https://dashboard.clerk.com"))
            c.toString() shouldContain "actor=present"
            c.toString() shouldNotContain "user_admin"
            SessionClaims.fromVerifiedClaims(base + ("act" to "not an object")).actor.shouldBeNull()
        }
    }

    context("Optional getters for Java") {
        test("present values") {
            val c = SessionClaims.fromVerifiedClaims(
                base + mapOf(
                    "iss" to "https://clerk.example.com", "azp" to "https://app.example.com", "iat" to 1_700_000_000,
                    "nbf" to 1_700_000_001, "v" to 2, "sts" to "active", "o" to mapOf("id" to "org_1", "rol" to "admin", "slg" to "acme"),
                ),
            )
            c.sessionIdOptional() shouldBe Optional.of("sess_1")
            c.issuerOptional() shouldBe Optional.of("https://clerk.example.com")
            c.authorizedPartyOptional() shouldBe Optional.of("https://app.example.com")
            c.issuedAtOptional() shouldBe Optional.of(1_700_000_000L)
            c.notBeforeOptional() shouldBe Optional.of(1_700_000_001L)
            c.versionOptional() shouldBe Optional.of(2)
            c.sessionStatusOptional() shouldBe Optional.of("active")
            val org = c.organizationOptional().get()
            org.roleOptional() shouldBe Optional.of("org:admin")
            org.slugOptional() shouldBe Optional.of("acme")
        }

        test("absent values are empty, never null") {
            val c = SessionClaims.fromVerifiedClaims(mapOf("sub" to "user_1", "exp" to 1))
            listOf(
                c.sessionIdOptional(), c.issuerOptional(), c.authorizedPartyOptional(), c.issuedAtOptional(),
                c.notBeforeOptional(), c.versionOptional(), c.sessionStatusOptional(), c.actorOptional(), c.organizationOptional(),
            ).forEach { it shouldBe Optional.empty<Any>() }
            val org = SessionClaims.fromVerifiedClaims(base + ("org_id" to "org_9")).organization!!
            org.roleOptional() shouldBe Optional.empty()
            org.slugOptional() shouldBe Optional.empty()
            org.permissions shouldBe emptyList()
        }

        test("the Java names: getX() returns the Optional, the nullable getter is synthetic") {
            val getters = SessionClaims::class.java.methods.filter { !it.isSynthetic && it.parameterCount == 0 }.associateBy { it.name }
            for (name in listOf("getSessionId", "getIssuer", "getAuthorizedParty", "getIssuedAt", "getNotBefore", "getVersion",
                "getSessionStatus", "getActor", "getOrganization")) {
                getters.getValue(name).returnType shouldBe Optional::class.java
            }
            getters.getValue("getClaims").returnType shouldBe Map::class.java
            val org = OrganizationClaims::class.java.methods.filter { !it.isSynthetic && it.parameterCount == 0 }.associateBy { it.name }
            org.getValue("getRole").returnType shouldBe Optional::class.java
            org.getValue("getSlug").returnType shouldBe Optional::class.java
            SessionClaims::class.java.constructors.filter { !it.isSynthetic } shouldBe emptyList()
            OrganizationClaims::class.java.constructors.filter { !it.isSynthetic } shouldBe emptyList()
        }
    }

    context("fromVerifiedClaims(Map)") {
        test("reads the typed view; Java-style Integer numbers and nested collections are accepted") {
            val c = SessionClaims.fromVerifiedClaims(
                mapOf(
                    "sid" to "sess_1", "sub" to "user_1", "exp" to Integer.valueOf(1_900_000_000), "iat" to 1.9e9,
                    "aud" to listOf("a", "b"), "custom" to arrayOf(1, mapOf("k" to null)),
                ),
            )
            c.sessionId shouldBe "sess_1"
            c.userId shouldBe "user_1"
            c.expiresAt shouldBe 1_900_000_000L
            c.issuedAt shouldBe 1_900_000_000L
            c.audience shouldContainExactly listOf("a", "b")
            c.claims["exp"] shouldBe 1_900_000_000L
            c.claims["custom"] shouldBe listOf(1L, mapOf("k" to null))
        }

        test("equals what the verifier produces for the same payload") {
            val payload = claims { put("custom", "value") }
            val verified = SessionTokenVerifier(TokenVerifierOptions { jwtKey = TestKeys.pem(TestKeys.primary); clock = MutableClock() })
                .verifyBlocking(mint(payload))
            val fromMap = SessionClaims.fromVerifiedClaims(verified.claims)
            fromMap shouldBe verified
            fromMap.hashCode() shouldBe verified.hashCode()
            SessionClaims.fromVerifiedClaimsJson(payload.toString()) shouldBe verified
            SessionClaims.fromVerifiedClaims(verified.claims + ("custom" to "other")) shouldNotBe verified
        }

        test("no verification: an expired claim set without sid is still read") {
            val c = SessionClaims.fromVerifiedClaims(mapOf("sub" to "user_1", "exp" to 1))
            c.sessionId.shouldBeNull()
            c.expiresAt shouldBe 1L
        }

        test("missing sub -> NOT_A_SESSION_TOKEN; missing exp or wrongly typed registered claims -> MALFORMED") {
            shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaims(mapOf("exp" to 1)) }
                .reason shouldBe Reason.NOT_A_SESSION_TOKEN
            shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaims(mapOf("sub" to "u")) }
                .reason shouldBe Reason.MALFORMED
            shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaims(base + ("iat" to "yesterday")) }
                .reason shouldBe Reason.MALFORMED
            shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaims(base + ("aud" to listOf(1))) }
                .reason shouldBe Reason.MALFORMED
            shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaims(base + ("v" to 1.5)) }
                .reason shouldBe Reason.MALFORMED
        }

        test("values that are not JSON are refused with IllegalArgumentException") {
            shouldThrow<IllegalArgumentException> { SessionClaims.fromVerifiedClaims(base + ("when" to java.time.Instant.EPOCH)) }
            shouldThrow<IllegalArgumentException> { SessionClaims.fromVerifiedClaims(base + ("m" to mapOf(1 to "x"))) }
        }
    }

    context("fromVerifiedClaimsJson(String)") {
        test("reads a JSON payload") {
            val c = SessionClaims.fromVerifiedClaimsJson("""{"sid":"sess_1","sub":"user_1","exp":1.9e9,"n":{"a":[1,2.5]}}""")
            c.expiresAt shouldBe 1_900_000_000L
            c.claims["n"] shouldBe mapOf("a" to listOf(1L, BigDecimal("2.5")))
        }

        test("text that is not a JSON object -> MALFORMED") {
            listOf("", "[]", "\"x\"", "{not json", "null").forEach { text ->
                shouldThrow<TokenVerificationException> { SessionClaims.fromVerifiedClaimsJson(text) }.reason shouldBe Reason.MALFORMED
            }
        }

        test("a bare literal that is neither a number nor a boolean -> MALFORMED, not a NumberFormatException") {
            val e = shouldThrow<TokenVerificationException> {
                SessionClaims.fromVerifiedClaimsJson("""{"sub":"user_1","exp":1,"x":abc}""")
            }
            e.reason shouldBe Reason.MALFORMED
        }
    }

    context("OrganizationClaims") {
        test("builder, toBuilder, equality") {
            val org = OrganizationClaims.builder().id("org_1").role("org:admin").slug("acme").permissions(listOf("org:a:read")).build()
            org.id shouldBe "org_1"
            org.role shouldBe "org:admin"
            org.slug shouldBe "acme"
            org.permissions shouldBe listOf("org:a:read")
            org.toBuilder().build() shouldBe org
            org.toBuilder().slug(null).build().slugOptional() shouldBe Optional.empty()
            org.toString() shouldBe "OrganizationClaims(id=org_1, role=org:admin, slug=acme, permissions=[org:a:read])"
            SessionClaims.fromVerifiedClaims(
                base + mapOf("org_id" to "org_1", "org_role" to "org:admin", "org_slug" to "acme", "org_permissions" to listOf("org:a:read")),
            ).organization shouldBe org
        }

        test("id is required; permissions are copied and unmodifiable") {
            shouldThrow<IllegalArgumentException> { OrganizationClaims.builder().build() }.message shouldContain "id"
            shouldThrow<IllegalArgumentException> { OrganizationClaims.builder().id("").build() }
            val source = mutableListOf("p")
            val org = OrganizationClaims.builder().id("org_1").permissions(source).build()
            source += "q"
            org.permissions shouldBe listOf("p")
            shouldThrow<UnsupportedOperationException> { (org.permissions as MutableList<String>).add("x") }
        }
    }
})
