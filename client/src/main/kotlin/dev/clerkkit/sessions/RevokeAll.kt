package dev.clerkkit.sessions

import dev.clerkkit.RequestOptions
import dev.clerkkit.errors.BadRequestException
import dev.clerkkit.errors.ClerkException
import dev.clerkkit.errors.NotFoundException
import dev.clerkkit.internal.checkedId
import kotlinx.coroutines.CancellationException
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import java.util.Collections
import java.util.function.Consumer

/**
 * What [Sessions.revokeAll] did, for one user: every active session it found ([found], in the order listed, newest
 * first) is in exactly one of [revoked], [alreadyGone], [failed], [kept] (the `except` ones, never touched),
 * [interrupted] (its revoke was in flight when the run was cancelled: it may or may not be revoked) and [notAttempted]
 * (the run was cancelled before it). A progress report (through `onProgress`) has the sessions still to do in
 * [notAttempted] as well. Immutable.
 *
 * @constructor For code that fakes [Sessions.revokeAll]: every list as described below.
 */
public class RevokeAllReport(
    /** The user whose sessions these are. */
    public val userId: String,
    /** Ids of the active sessions found, newest first. */
    public val found: List<String>,
    /** Sessions this run revoked. */
    public val revoked: List<String>,
    /** Sessions that were no longer active when revoked (already revoked, ended, expired, or not found): not an error. */
    public val alreadyGone: List<String>,
    /** Sessions whose revoke failed (after the client's retries), each with its error. */
    public val failed: Map<String, Exception>,
    /** Sessions left active on purpose (`except`). */
    public val kept: List<String>,
    /** Sessions whose revoke was in flight when the run was cancelled. */
    public val interrupted: List<String>,
    /** Sessions not attempted (yet, in a progress report; at all, after a cancellation). */
    public val notAttempted: List<String>,
    /** True when the listing of the user's sessions is complete ([found] is all of them). */
    public val listingComplete: Boolean,
    /** True when the run was cancelled. */
    public val cancelled: Boolean,
) {
    /** True when the run ended and every found session is revoked, already gone or kept. */
    public val isComplete: Boolean get() = listingComplete && !cancelled && failed.isEmpty() && interrupted.isEmpty() && notAttempted.isEmpty()

    override fun toString(): String =
        "RevokeAllReport(userId=$userId, found=${found.size}, revoked=${revoked.size}, alreadyGone=${alreadyGone.size}, " +
            "failed=${failed.size}, kept=${kept.size}, interrupted=${interrupted.size}, notAttempted=${notAttempted.size}" +
            (if (cancelled) ", cancelled" else "") + ")"
}

/**
 * What [Sessions.revokeAll] is to do: revoke the active sessions of [userId] except those in [except], [concurrency]
 * at a time. Checks itself when built (before any I/O): [userId] is required and a valid id, [concurrency] is in
 * 1..[MAX_CONCURRENCY]. The one place for these limits, used by Kotlin and the Java facade alike.
 */
public class RevokeAllParams protected constructor(builder: Builder) {
    /** The user to sign out everywhere, `user_...`. Required. */
    public val userId: String = checkedId("userId", builder.userId)

    /** Sessions to leave active (e.g. the current one); unmodifiable. Default none. */
    public val except: Set<String> = Collections.unmodifiableSet(LinkedHashSet(builder.except))

    /** Revokes at once, 1..[MAX_CONCURRENCY]. Default [DEFAULT_CONCURRENCY] (8). */
    public val concurrency: Int = builder.concurrency

    init {
        require(concurrency in 1..MAX_CONCURRENCY) { "concurrency must be in 1..$MAX_CONCURRENCY, was $concurrency" }
    }

    /** A builder with these values. */
    public fun toBuilder(): Builder = Builder().also { it.userId = userId; it.except = except; it.concurrency = concurrency }

    override fun equals(other: Any?): Boolean =
        other is RevokeAllParams && other.userId == userId && other.except == except && other.concurrency == concurrency
    override fun hashCode(): Int = java.util.Objects.hash(userId, except, concurrency)
    override fun toString(): String = "RevokeAllParams(userId=$userId, except=$except, concurrency=$concurrency)"

    /** Mutable builder, every value at its default; [build] checks them. */
    public class Builder {
        /** See [RevokeAllParams.userId]. */ @get:JvmSynthetic @set:JvmSynthetic public var userId: String? = null
        /** See [RevokeAllParams.except]. */ @get:JvmSynthetic @set:JvmSynthetic public var except: Set<String> = emptySet()
        /** See [RevokeAllParams.concurrency]. */ @get:JvmSynthetic @set:JvmSynthetic public var concurrency: Int = DEFAULT_CONCURRENCY

        /** Sets [userId]. */ public fun userId(value: String): Builder = apply { userId = value }
        /** Sets [except] (a copy of [value]). */ public fun except(value: Collection<String>): Builder = apply { except = value.toSet() }
        /** Sets [concurrency]. */ public fun concurrency(value: Int): Builder = apply { concurrency = value }
        /** Checks and freezes. @throws IllegalArgumentException for a missing or bad [userId] or [concurrency] out of range. */
        public fun build(): RevokeAllParams = RevokeAllParams(this)
    }

    /** Limits and factories. */
    public companion object {
        /** Revokes at once unless told: 8. */
        public const val DEFAULT_CONCURRENCY: Int = 8

        /** Most revokes at once: 64. */
        public const val MAX_CONCURRENCY: Int = 64

        /** A new builder. */ @JvmStatic public fun builder(): Builder = Builder()

        /** [userId] with every default (nothing kept, [DEFAULT_CONCURRENCY]). */
        @JvmStatic public fun of(userId: String): RevokeAllParams = Builder().userId(userId).build()

        /** Kotlin DSL: `RevokeAllParams { userId = "user_1"; except = setOf(current) }`. */
        @JvmSynthetic public operator fun invoke(block: Builder.() -> Unit): RevokeAllParams = Builder().apply(block).build()
    }
}

/** [Sessions.revokeAll] was cancelled: [report] says what was done. A [CancellationException], so coroutines stop. */
public class RevokeAllCancelledException(
    /** What the run did before it was cancelled. */
    public val report: RevokeAllReport,
    cause: Throwable?,
) : CancellationException("revokeAll(${report.userId}) cancelled: $report") {
    init {
        initCause(cause)
    }
}

private enum class Outcome { REVOKED, GONE, FAILED }

/** The state of one run, shared by its workers; every change under the monitor of this object. */
private class Tracker(private val userId: String) {
    private val found = ArrayList<String>()
    private val revoked = ArrayList<String>()
    private val gone = ArrayList<String>()
    private val failed = LinkedHashMap<String, Exception>()
    private val kept = ArrayList<String>()
    private val inFlight = LinkedHashSet<String>()
    private var listingComplete = false

    @Synchronized fun found(ids: List<String>, except: Set<String>) {
        found += ids
        kept += ids.filter { it in except }
    }

    @Synchronized fun listed() { listingComplete = true }

    @Synchronized fun start(id: String) { inFlight += id }

    @Synchronized fun finish(id: String, outcome: Outcome, error: Exception?) {
        inFlight -= id
        when (outcome) {
            Outcome.REVOKED -> revoked += id
            Outcome.GONE -> gone += id
            Outcome.FAILED -> failed[id] = error!!
        }
    }

    @Synchronized fun report(cancelled: Boolean): RevokeAllReport {
        val done = HashSet<String>().apply { addAll(revoked); addAll(gone); addAll(failed.keys); addAll(kept); addAll(inFlight) }
        return RevokeAllReport(
            userId, frozen(found), frozen(revoked), frozen(gone), Collections.unmodifiableMap(LinkedHashMap(failed)), frozen(kept),
            if (cancelled) frozen(inFlight.toList()) else emptyList(),
            found.filter { it !in done || (!cancelled && it in inFlight) },
            listingComplete, cancelled,
        )
    }

    private fun frozen(list: List<String>): List<String> = Collections.unmodifiableList(ArrayList(list))
}

/** The workflows behind [Sessions.listActive], [Sessions.listActiveByClient] and [Sessions.revokeAll]. */
internal object SessionWorkflows {
    /** [Sessions.listActive] and [Sessions.listActiveByClient]: [params]' sessions, each once. */
    internal fun activeSessions(sessions: Sessions, params: SessionListParams, options: RequestOptions): kotlinx.coroutines.flow.Flow<Session> =
        kotlinx.coroutines.flow.flow {
            val seen = HashSet<String>()
            sessions.listAll(params, options).collect { if (seen.add(it.id)) emit(it) }
        }

    /**
     * [Sessions.revokeAll] built on the public operations: lists the user's active sessions page by page (progress after
     * each page), then revokes them with [concurrency] workers (progress after each revoke, at most every 2 s, and at the
     * end). A listing failure is thrown (nothing was revoked yet); a revoke failure is reported and the run goes on.
     */
    internal suspend fun revokeAllOf(
        sessions: Sessions,
        params: RevokeAllParams,
        onProgress: Consumer<RevokeAllReport>?,
        options: RequestOptions,
    ): RevokeAllReport {
        val userId = params.userId
        val except = params.except
        val concurrency = params.concurrency
        val tracker = Tracker(userId)
        var lastProgress = System.nanoTime()
        fun progress(force: Boolean) {
            val listener = onProgress ?: return
            val now = System.nanoTime()
            synchronized(tracker) {
                if (!force && now - lastProgress < PROGRESS_EVERY_NANOS) return
                lastProgress = now
            }
            listener.accept(tracker.report(false))
        }
        try {
            val ids = ArrayList<String>()
            val seen = HashSet<String>()
            val params = SessionListParams { this.userId = userId; status = SessionStatus.ACTIVE }
            var offset: Int? = 0
            while (offset != null) {
                val page = sessions.listPage(params.toBuilder().limit(Sessions.DEFAULT_PAGE_SIZE).offset(offset).build(), options)
                val fresh = page.data.map { it.id }.filter { seen.add(it) }
                ids += fresh
                tracker.found(fresh, except)
                progress(force = true)
                offset = page.nextOffset(offset, Sessions.DEFAULT_PAGE_SIZE)
            }
            tracker.listed()
            val queue = Channel<String>(Channel.UNLIMITED)
            ids.filter { it !in except }.forEach { queue.trySend(it) }
            queue.close()
            coroutineScope {
                repeat(concurrency) {
                    launch {
                        for (id in queue) {
                            tracker.start(id)
                            val (outcome, error) = revokeOne(sessions, id, options)
                            tracker.finish(id, outcome, error)
                            progress(force = false)
                        }
                    }
                }
            }
        } catch (e: CancellationException) {
            val report = tracker.report(cancelled = true)
            onProgress?.accept(report)
            throw RevokeAllCancelledException(report, e)
        }
        return tracker.report(false).also { onProgress?.accept(it) }
    }

    /** Revokes [id]: revoked, already gone (404, or a 400 for a session that is no longer active), or failed. */
    private suspend fun revokeOne(sessions: Sessions, id: String, options: RequestOptions): Pair<Outcome, Exception?> = try {
        val s = sessions.revoke(id, options)
        if (s.status == SessionStatus.ACTIVE) Outcome.FAILED to IllegalStateException("session $id is still active after revoke") else Outcome.REVOKED to null
    } catch (e: NotFoundException) {
        Outcome.GONE to null
    } catch (e: BadRequestException) {
        // Clerk refuses to revoke a session that is not active: then it is already gone
        val status = try { sessions.get(id, options).status } catch (e2: NotFoundException) { null } catch (e2: ClerkException) { SessionStatus.ACTIVE }
        if (status != SessionStatus.ACTIVE) Outcome.GONE to null else Outcome.FAILED to e
    } catch (e: ClerkException) {
        Outcome.FAILED to e
    }

    private const val PROGRESS_EVERY_NANOS = 2_000_000_000L
}
