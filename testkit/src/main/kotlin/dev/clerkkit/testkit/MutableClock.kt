package dev.clerkkit.testkit

import java.time.Clock
import java.time.Duration
import java.time.Instant
import java.time.ZoneId
import java.time.ZoneOffset

/**
 * A thread-safe [Clock] that only moves when told to, for deterministic sandbox timestamps and token lifetimes:
 * `ClerkSandbox.start { clock = MutableClock(Instant.parse("2026-01-01T00:00:00Z")) }`.
 */
public class MutableClock @JvmOverloads constructor(
    start: Instant = Instant.parse("2026-01-01T00:00:00Z"),
    private val zoneId: ZoneId = ZoneOffset.UTC,
) : Clock() {
    @Volatile
    private var now: Instant = start

    /** Moves the clock forward (or backward, for a negative [by]). */
    public fun advance(by: Duration) {
        synchronized(this) { now = now.plus(by) }
    }

    /** Sets the clock to [instant]. */
    public fun set(instant: Instant) {
        now = instant
    }

    override fun instant(): Instant = now

    override fun getZone(): ZoneId = zoneId

    override fun withZone(zone: ZoneId): Clock = MutableClock(now, zone)
}
