package dev.clerkkit.tokens

import dev.clerkkit.internal.Environment
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.nulls.shouldBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import io.kotest.matchers.types.shouldBeInstanceOf
import java.time.Clock
import java.time.Duration

class TokenVerifierOptionsSpec : FunSpec({

    test("defaults") {
        val o = TokenVerifierOptions.builder().build()
        o.jwtKey.shouldBeNull()
        o.authorizedParties shouldBe emptySet()
        o.audience shouldBe emptySet()
        o.clockSkew shouldBe Duration.ofSeconds(5)
        o.allowNonSessionTokens shouldBe false
        o.jwksCacheTtl shouldBe Duration.ofHours(1)
        o.jwksMinRefreshInterval shouldBe Duration.ofMinutes(1)
        o.clock shouldBe Clock.systemUTC()
    }

    test("Java-style builder, DSL and toBuilder agree") {
        val pem = TestKeys.pem(TestKeys.primary)
        val java = TokenVerifierOptions.builder()
            .jwtKey(pem)
            .authorizedParties("https://a", "https://b")
            .audience(listOf("aud1"))
            .clockSkew(Duration.ofSeconds(1))
            .allowNonSessionTokens(true)
            .jwksCacheTtl(Duration.ofMinutes(10))
            .jwksMinRefreshInterval(Duration.ofSeconds(30))
            .build()
        val dsl = TokenVerifierOptions {
            jwtKey = pem
            authorizedParties = setOf("https://a", "https://b")
            audience = setOf("aud1")
            clockSkew = Duration.ofSeconds(1)
            allowNonSessionTokens = true
            jwksCacheTtl = Duration.ofMinutes(10)
            jwksMinRefreshInterval = Duration.ofSeconds(30)
        }
        for (o in listOf(java, dsl, java.toBuilder().build())) {
            o.jwtKey shouldBe pem
            o.authorizedParties shouldBe setOf("https://a", "https://b")
            o.audience shouldBe setOf("aud1")
            o.clockSkew shouldBe Duration.ofSeconds(1)
            o.allowNonSessionTokens shouldBe true
            o.jwksCacheTtl shouldBe Duration.ofMinutes(10)
            o.jwksMinRefreshInterval shouldBe Duration.ofSeconds(30)
        }
        java.toString() shouldContain "keySource=PEM"
        java.toString() shouldNotContain "BEGIN PUBLIC KEY"
    }

    test("sets are defensively copied and unmodifiable") {
        val parties = mutableSetOf("https://a")
        val o = TokenVerifierOptions { authorizedParties = parties }
        parties += "https://evil"
        o.authorizedParties shouldBe setOf("https://a")
        shouldThrow<UnsupportedOperationException> { (o.authorizedParties as MutableSet<String>).add("x") }
    }

    context("environment (read through Environment)") {
        val pem = TestKeys.pem(TestKeys.primary)
        fun env(vararg pairs: Pair<String, String>) = Environment.of(mapOf(*pairs))

        test("fromEnv returns finished options: CLERK_JWT_KEY selects PEM mode; absent or blank means JWKS mode") {
            TokenVerifierOptions.fromEnv(env("CLERK_JWT_KEY" to pem)).jwtKey shouldBe pem
            TokenVerifierOptions.fromEnv(env()).jwtKey.shouldBeNull()
            TokenVerifierOptions.fromEnv(env("CLERK_JWT_KEY" to "  ")).jwtKey.shouldBeNull()
            TokenVerifierOptions.fromEnv(env("CLERK_JWT_KEY" to pem)).jwtKeyOptional().get() shouldBe pem
            TokenVerifierOptions.fromEnv(env()).jwtKeyOptional().isPresent shouldBe false
            SessionTokenVerifier(TokenVerifierOptions.fromEnv(env("CLERK_JWT_KEY" to pem))).isNetworkless shouldBe true
        }

        test("Builder.fromEnv fills the builder and leaves the rest to the caller") {
            TokenVerifierOptions.builder().fromEnv(env("CLERK_JWT_KEY" to pem)).clockSkew(Duration.ZERO).build().let {
                it.jwtKey shouldBe pem
                it.clockSkew shouldBe Duration.ZERO
            }
            // absent or blank: an earlier value is kept
            TokenVerifierOptions.builder().jwtKey(pem).fromEnv(env()).build().jwtKey shouldBe pem
            TokenVerifierOptions.builder().jwtKey(pem).fromEnv(env("CLERK_JWT_KEY" to " ")).build().jwtKey shouldBe pem
        }

        test("only CLERK_JWT_KEY is read") {
            TokenVerifierOptions.fromEnv(env("CLERK_SECRET_KEY" to "sk_test_x", "JWT_KEY" to pem)).jwtKey.shouldBeNull()
        }

        test("an invalid CLERK_JWT_KEY fails at once, without quoting it") {
            val e = shouldThrow<IllegalArgumentException> { TokenVerifierOptions.fromEnv(env("CLERK_JWT_KEY" to "not-a-key-AAAA")) }
            e.message.orEmpty() shouldNotContain "not-a-key-AAAA"
        }

        test("the no-argument forms read the process environment") {
            val expected = System.getenv("CLERK_JWT_KEY")?.takeIf { it.isNotBlank() }
            if (expected == null) {
                TokenVerifierOptions.fromEnv().jwtKey.shouldBeNull()
                TokenVerifierOptions.builder().fromEnv().build().jwtKey.shouldBeNull()
            }
        }
    }

    test("invalid configuration fails at build time with IllegalArgumentException") {
        val bad = listOf<TokenVerifierOptions.Builder.() -> Unit>(
            { jwtKey = "not a key" },
            { jwtKey = "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" },
            { jwtKey = "-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----" },
            { jwtKey = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" },
            { jwtKey = TestKeys.pem(TestKeys.primary).substringBefore("-----END") },
            { jwtKey = TestKeys.pem(com.nimbusds.jose.jwk.gen.RSAKeyGenerator(1024, true).generate()) },
            { jwtKey = ecPem() },
            { clockSkew = Duration.ofSeconds(-1) },
            { jwksCacheTtl = Duration.ZERO },
            { jwksMinRefreshInterval = Duration.ofSeconds(-1) },
            { authorizedParties = setOf("") },
            { audience = setOf(" ") },
        )
        for (b in bad) shouldThrow<IllegalArgumentException> { TokenVerifierOptions(b) }
    }

    test("the exception is a plain RuntimeException with a reason") {
        val e = TokenVerificationException(TokenVerificationException.Reason.EXPIRED, "expired")
        e.shouldBeInstanceOf<RuntimeException>()
        e.reason shouldBe TokenVerificationException.Reason.EXPIRED
        e.cause.shouldBeNull()
    }
})

private fun ecPem(): String {
    val ec = com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256).generate()
    return "-----BEGIN PUBLIC KEY-----\n" +
        java.util.Base64.getMimeEncoder().encodeToString(ec.toECPublicKey().encoded) +
        "\n-----END PUBLIC KEY-----"
}
