package dev.clerkkit.ratelimit

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import dev.clerkkit.TEST_SECRET
import dev.clerkkit.internal.Environment
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.time.Duration

class RateLimitSpec : FunSpec({
    test("the default is sized from the key: sk_test_ 100 per 10 s, sk_live_ 1,000 per 10 s, anything else off") {
        RateLimit.forKey("sk_test_abc") shouldBe RateLimit.of(100, Duration.ofSeconds(10))
        RateLimit.forKey("sk_live_abc") shouldBe RateLimit.of(1000, Duration.ofSeconds(10))
        RateLimit.forKey("proxy_token") shouldBe RateLimit.OFF
        RateLimit.OFF.isOff shouldBe true
        ClerkConfig.builder().secretKey("sk_test_x123456789").build().rateLimit shouldBe RateLimit.DEVELOPMENT_INSTANCE
        ClerkConfig.builder().secretKey("sk_live_x123456789").build().rateLimit shouldBe RateLimit.PRODUCTION_INSTANCE
        ClerkConfig.builder().secretKey("other_key_123456").build().rateLimit shouldBe RateLimit.OFF
    }

    test("the DSL, the builder and toBuilder") {
        ClerkClient { secretKey = TEST_SECRET; rateLimit = RateLimit.of(5, Duration.ofSeconds(1)) }.use {
            it.config.rateLimit shouldBe RateLimit.of(5, Duration.ofMillis(1000))
        }
        ClerkClient { secretKey = TEST_SECRET; rateLimit = RateLimit.OFF }.use { it.config.rateLimit.isOff shouldBe true }
        val fromKey = ClerkConfig.builder().secretKey("sk_test_x123456789").build()
        // an unset limit stays "from the key" through toBuilder
        fromKey.toBuilder().secretKey("sk_live_x123456789").build().rateLimit shouldBe RateLimit.PRODUCTION_INSTANCE
        val set = ClerkConfig.builder().secretKey("sk_test_x123456789").rateLimit(RateLimit.of(7, Duration.ofSeconds(2))).build()
        set.toBuilder().secretKey("sk_live_x123456789").build().rateLimit shouldBe RateLimit.of(7, Duration.ofSeconds(2))
        set.rateBudget shouldBe null
    }

    test("parse reads <requests>/<window> and off") {
        RateLimit.parse("100/10s") shouldBe RateLimit.of(100, Duration.ofSeconds(10))
        RateLimit.parse(" 1000 / 10s ") shouldBe RateLimit.PRODUCTION_INSTANCE
        RateLimit.parse("5/500ms") shouldBe RateLimit.of(5, Duration.ofMillis(500))
        RateLimit.parse("600/1m") shouldBe RateLimit.of(600, Duration.ofMinutes(1))
        RateLimit.parse("10/1H") shouldBe RateLimit.of(10, Duration.ofHours(1))
        RateLimit.parse("OFF") shouldBe RateLimit.OFF
        listOf("100/10s", "5/500ms", "600/1m", "off").forEach { RateLimit.parse(it).toString() shouldBe it }
        listOf("", "100", "100/10", "10s", "-1/10s", "0/10s", "100/0s", "100/2h", "ten/10s", "100/10d").forEach {
            shouldThrow<IllegalArgumentException> { RateLimit.parse(it) }
        }
    }

    test("of refuses out-of-range values") {
        shouldThrow<IllegalArgumentException> { RateLimit.of(0, Duration.ofSeconds(1)) }
        shouldThrow<IllegalArgumentException> { RateLimit.of(1, Duration.ZERO) }
        shouldThrow<IllegalArgumentException> { RateLimit.of(1, Duration.ofNanos(999_999)) }
        shouldThrow<IllegalArgumentException> { RateLimit.of(1, Duration.ofHours(2)) }
        shouldThrow<IllegalArgumentException> { RateLimit.of(1, Duration.ofSeconds(-1)) }
    }

    test("fromEnv reads CLERK_RATE_LIMIT; a malformed value fails before any I/O, naming the variable") {
        fun env(vararg kv: Pair<String, String>): (String) -> String? = (mapOf("CLERK_SECRET_KEY" to TEST_SECRET) + kv)::get
        ClerkConfig.builder().fromEnv(Environment(env())).build().rateLimit shouldBe RateLimit.DEVELOPMENT_INSTANCE
        ClerkConfig.builder().fromEnv(Environment(env("CLERK_RATE_LIMIT" to "50/5s"))).build().rateLimit shouldBe RateLimit.of(50, Duration.ofSeconds(5))
        ClerkConfig.builder().fromEnv(Environment(env("CLERK_RATE_LIMIT" to "off"))).build().rateLimit shouldBe RateLimit.OFF
        ClerkConfig.builder().fromEnv(Environment(env("CLERK_RATE_LIMIT" to " "))).build().rateLimit shouldBe RateLimit.DEVELOPMENT_INSTANCE
        val e = shouldThrow<IllegalArgumentException> { ClerkConfig.builder().fromEnv(Environment(env("CLERK_RATE_LIMIT" to "lots"))) }
        e.message shouldContain "CLERK_RATE_LIMIT"
        e.message shouldContain "100/10s"
    }

    test("the config's toString shows the limit, never the key") {
        val c = ClerkConfig.builder().secretKey(TEST_SECRET).build()
        c.toString() shouldContain "rateLimit=100/10s"
        c.toString() shouldNotContain TEST_SECRET
        val shared = c.toBuilder().rateBudget(LocalRateBudget(RateLimit.of(3, Duration.ofSeconds(2)))).build()
        shared.toString() shouldContain "rateBudget=LocalRateBudget(3/2s)"
        shared.toString() shouldNotContain "rateLimit="
    }
})
