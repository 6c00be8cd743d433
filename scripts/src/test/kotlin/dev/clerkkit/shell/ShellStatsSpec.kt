package dev.clerkkit.shell

import dev.clerkkit.events.CallEnded
import dev.clerkkit.events.CallOutcome
import dev.clerkkit.events.RateBudgetKind
import dev.clerkkit.events.RateBudgetWaited
import dev.clerkkit.events.RetryReason
import dev.clerkkit.events.RetryScheduled
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import java.time.Duration

/** The numbers behind stats(): nearest-rank percentiles, retries and rate-budget waits per operation. */
class ShellStatsSpec : FunSpec({
    fun ended(op: String, millis: Long, outcome: CallOutcome = CallOutcome.SUCCESS) =
        CallEnded(op, "GET", "/x", outcome, 1, Duration.ofMillis(millis), 200, null, null)

    test("per operation: calls, failures, p50 and p99 by nearest rank, retries, permits that waited 1 ms or more") {
        val stats = ShellStats()
        (1L..100L).forEach { stats.callEnded(ended("sessions.get", it)) }
        stats.callEnded(ended("sessions.create", 7, CallOutcome.FAILURE))
        stats.retryScheduled(RetryScheduled("sessions.get", "GET", "/x", 1, RetryReason.SERVER_ERROR, Duration.ofMillis(100)))
        stats.rateBudgetWaited(RateBudgetWaited("sessions.get", "GET", "/x", 1, RateBudgetKind.LOCAL, Duration.ofMillis(250), true))
        stats.rateBudgetWaited(RateBudgetWaited("sessions.get", "GET", "/x", 1, RateBudgetKind.LOCAL, Duration.ZERO, true))
        stats.rateBudgetWaited(RateBudgetWaited("sessions.get", "GET", "/x", 2, RateBudgetKind.LOCAL, Duration.ofNanos(200_000), true))
        stats.rows().map { it.toList() } shouldBe listOf(
            listOf("operation", "calls", "failed", "p50 ms", "p99 ms", "retries", "rate waits", "waited ms"),
            listOf("sessions.create", "1", "1", "7.0", "7.0", "0", "0", "0.0"),
            listOf("sessions.get", "100", "0", "50.0", "99.0", "1", "1", "250.0"),
        )
        stats.clear()
        stats.rows().size shouldBe 1
    }

    test("an operation seen only through a wait has no percentiles") {
        val stats = ShellStats()
        stats.rateBudgetWaited(RateBudgetWaited("sessions.list", "GET", "/x", 1, RateBudgetKind.SHARED, Duration.ofMillis(3), false))
        stats.rows()[1].toList() shouldBe listOf("sessions.list", "0", "0", "-", "-", "0", "1", "3.0")
    }
})
