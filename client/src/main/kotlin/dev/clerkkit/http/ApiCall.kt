package dev.clerkkit.http

import io.ktor.http.HttpMethod

/** Whether a call may be replayed after its request may have reached Clerk. See docs/retries.md for the per-operation table. */
internal enum class Replay {
    /** Replaying cannot do harm (reads; revoke; minting a token): retried on 5xx, 429 and any transport failure. */
    SAFE,

    /** Replaying could duplicate an effect (create): retried only on 429 and when the request provably never left. */
    UNSAFE,
}

/** One API call, described before any I/O: the public operations build these after checking their input. */
internal class ApiCall(
    val operation: String,
    val method: HttpMethod,
    /** Already-encoded path segments below the base URL (see [pathSegment]). */
    val path: List<String>,
    val query: List<Pair<String, String>> = emptyList(),
    /** JSON body, or null for none. */
    val body: String? = null,
    val replay: Replay = Replay.SAFE,
) {
    /** A read (GET or HEAD): the only kind of request Ktor's CIO engine keeps on pooled connections. */
    val isRead: Boolean get() = method == HttpMethod.Get || method == HttpMethod.Head
}
