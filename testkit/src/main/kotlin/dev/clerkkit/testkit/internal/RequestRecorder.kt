package dev.clerkkit.testkit.internal

import dev.clerkkit.testkit.RecordedRequest

/** Keeps the last [max] requests (oldest dropped first); `0` records nothing. */
internal class RequestRecorder(private val max: Int) {
    private val recorded = ArrayDeque<RecordedRequest>()

    val all: List<RecordedRequest> get() = synchronized(recorded) { recorded.toList() }

    fun record(r: () -> RecordedRequest) {
        if (max <= 0) return
        val request = r()
        synchronized(recorded) {
            recorded.addLast(request)
            while (recorded.size > max) recorded.removeFirst()
        }
    }

    fun clear() {
        synchronized(recorded) { recorded.clear() }
    }
}
