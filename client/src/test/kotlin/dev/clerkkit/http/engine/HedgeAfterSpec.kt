package dev.clerkkit.http.engine

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runTest
import java.io.IOException

/**
 * A pooled CIO request that may sit on a connection whose last answer said `Connection: close` (never answered) is
 * sent again once its pool announced the close and a grace period has passed; the first answer wins (virtual time).
 */
class HedgeAfterSpec : FunSpec({
    test("an unanswered request is sent again the grace period after the close was announced, and the first is cancelled") {
        runTest {
            val announced = CompletableDeferred<Unit>()
            var originalCancelled = false
            launch { delay(100); announced.complete(Unit) }
            val answer = hedgeAfter(
                announced,
                500,
                {
                    try {
                        awaitCancellation()
                    } finally {
                        originalCancelled = true
                    }
                },
            ) { delay(30); "again" }
            answer shouldBe "again"
            currentTime shouldBe 630L
            originalCancelled shouldBe true
        }
    }

    test("without an announced close nothing is sent again, however long the answer takes") {
        runTest {
            var secondRan = false
            val answer = hedgeAfter(CompletableDeferred(), 500, { delay(60_000); "first" }) { secondRan = true; "again" }
            answer shouldBe "first"
            secondRan shouldBe false
        }
    }

    test("an answer within the grace period wins, and the second is never sent") {
        runTest {
            var secondRan = false
            val answer = hedgeAfter(CompletableDeferred(Unit), 500, { delay(400); "first" }) { secondRan = true; "again" }
            answer shouldBe "first"
            secondRan shouldBe false
        }
    }

    test("a slow first answer that comes while the second is under way still wins, and the second is cancelled") {
        runTest {
            var secondCancelled = false
            val answer = hedgeAfter(CompletableDeferred(Unit), 500, { delay(700); "first" }) {
                try {
                    delay(1_000)
                    "again"
                } finally {
                    secondCancelled = true
                }
            }
            answer shouldBe "first"
            currentTime shouldBe 700L
            secondCancelled shouldBe true
        }
    }

    test("a failure of the request is the failure of the call") {
        runTest {
            shouldThrow<IOException> {
                hedgeAfter<String>(CompletableDeferred(), 500, { throw IOException("reset") }) { "again" }
            }.message shouldBe "reset"
        }
    }
})
