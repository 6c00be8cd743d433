package dev.clerkkit.shell

import dev.clerkkit.sessions.RevokeAllReport
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.comparables.shouldBeLessThanOrEqualTo
import io.kotest.matchers.shouldBe
import java.util.function.LongSupplier
import kotlin.random.Random

/** The progress lines of the kit's revokeAll on a virtual clock: a line per page, and one at least every 2 s. */
class RevokeAllProgressSpec : FunSpec({
    val tick = ClerkShell.PROGRESS_TICK_MILLIS * 1_000_000

    class Run {
        var now = 5_000_000_000L // any origin: lines count from the progress's start
        val lines = mutableListOf<String>()
        val progress = ClerkShell.Progress(LongSupplier { now }, { lines += it })

        /** Advances the clock by [nanos] in steps of one tick, ticking the progress at each as the kit's timer does. */
        fun run(nanos: Long, step: Long) {
            val end = now + nanos
            while (now + step <= end) {
                now += step
                progress.tick()
            }
            now = end
        }

        /** The seconds printed at the start of each line. */
        fun seconds(): List<Double> = lines.map { Regex("""\[\s*([0-9.]+) s]""").find(it)!!.groupValues[1].toDouble() }
    }

    fun listing(found: Int) = RevokeAllReport(
        "user_1", List(found) { "sess_$it" }, emptyList(), emptyList(), emptyMap(), emptyList(), emptyList(),
        List(found) { "sess_$it" }, false, false,
    )

    test("a listing that answers nothing for 5 s: a working line after 1.8 s and again 1.8 s later, none in between") {
        val run = Run()
        run.run(5_000_000_000, tick)
        run.lines shouldContainExactly listOf("  [  1.8 s] working: listing", "  [  3.6 s] working: listing")
    }

    test("every report prints a line and restarts the quiet interval; the gap between lines never exceeds 2 s") {
        val random = Random(7)
        val run = Run()
        repeat(40) { page ->
            run.run(random.nextLong(0, 4_500_000_000), tick)
            run.progress.report(listing(100 * (page + 1)))
        }
        run.run(3_000_000_000, tick)
        val seconds = listOf(0.0) + run.seconds()
        seconds.zipWithNext { a, b -> b - a }.forEach { gap -> gap shouldBeLessThanOrEqualTo 2.0 }
        run.lines.count { "listing: " in it } shouldBe 40
        run.lines.last() shouldBe "  [%5.1f s] working: 4000 found so far".format(seconds.last())
    }

    test("with the kit's timer late (ticks 0.5 s apart), a line still comes within 2 s") {
        val run = Run()
        run.run(10_000_000_000, 500_000_000)
        (listOf(0.0) + run.seconds()).zipWithNext { a, b -> b - a }.forEach { gap -> gap shouldBeLessThanOrEqualTo 2.0 }
        run.lines.size shouldBe 5
    }

    test("the last report of a completed run prints nothing: the summary table follows") {
        val run = Run()
        run.progress.report(
            RevokeAllReport("user_1", listOf("sess_1"), listOf("sess_1"), emptyList(), emptyMap(), emptyList(), emptyList(), emptyList(), true, false),
        )
        run.lines shouldBe emptyList()
    }
})
