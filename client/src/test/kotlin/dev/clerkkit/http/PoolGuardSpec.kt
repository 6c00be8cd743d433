package dev.clerkkit.http

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration

class PoolGuardSpec : FunSpec({
    // nanoTime may be any value, negative included; the window is keepAliveTime + 1 s
    for (start in listOf(0L, -5_000_000_000L, Long.MAX_VALUE - 2_000_000_000L)) {
        test("trusted until distrusted, then for keepAliveTime + 1 s (clock starting at $start)") {
            var now = start
            val guard = PoolGuard(Duration.ofSeconds(2)) { now }
            guard.distrusted() shouldBe false
            guard.distrust("test")
            guard.distrusted() shouldBe true
            now += 2_999_000_000L
            guard.distrusted() shouldBe true
            now += 1_000_000L
            guard.distrusted() shouldBe false
        }
    }

    test("a new reason extends the window; an older deadline never shortens it") {
        var now = 0L
        val guard = PoolGuard(Duration.ofSeconds(2)) { now }
        guard.distrust("first")
        now += 2_000_000_000L
        guard.distrust("second") // ends at 5 s
        now += 2_500_000_000L // 4.5 s
        guard.distrusted() shouldBe true
        now += 500_000_000L // 5 s
        guard.distrusted() shouldBe false
    }
})
