package dev.clerkkit.tokens

import dev.clerkkit.tokens.Keys.forMessage
import dev.clerkkit.tokens.TokenVerificationException.Reason
import kotlinx.coroutines.currentCoroutineContext
import kotlinx.coroutines.ensureActive
import kotlinx.coroutines.sync.Mutex
import kotlinx.coroutines.sync.withLock
import java.security.interfaces.RSAPublicKey
import java.text.ParseException
import java.time.Clock
import java.time.Duration
import java.time.Instant
import kotlin.coroutines.cancellation.CancellationException

/**
 * The JWKS cache of one [SessionTokenVerifier].
 *
 * - A fresh snapshot (younger than [ttl]) answers lookups without locking.
 * - Every fetch happens under [mutex], so there is never more than one fetch in flight (single-flight).
 * - [generation] counts completed fetch attempts. A caller notes it *before* looking at the snapshot; if, once it
 *   holds the lock, the generation moved, some other caller fetched while this one was waiting, and this one
 *   takes that outcome (keys, or the failure) instead of fetching again. So N concurrent callers on a cold cache
 *   cause exactly one fetch, whether it succeeds or fails.
 * - An unknown `kid` on a fresh snapshot triggers a refresh only if the last attempt is at least
 *   [minRefreshInterval] old; otherwise it is refused straight away ([Reason.UNKNOWN_KID]).
 * - A failed fetch never discards the snapshot, but an expired snapshot is not used (fail closed, like Clerk's SDKs).
 */
internal class JwksKeyCache(
    private val fetcher: JwksFetcher,
    private val ttl: Duration,
    private val minRefreshInterval: Duration,
    private val clock: Clock,
) {
    private class Snapshot(val keys: Map<String, RSAPublicKey>, val fetchedAt: Instant)

    private class Failure(val message: String, val cause: Throwable?)

    private val mutex = Mutex()

    @Volatile
    private var snapshot: Snapshot? = null

    @Volatile
    private var generation: Long = 0

    /** Start of the latest fetch attempt; guarded by [mutex]. */
    private var lastAttemptAt: Instant? = null

    /** Outcome of the latest fetch attempt if it failed, else `null`; guarded by [mutex]. */
    private var lastFailure: Failure? = null

    /** Number of fetch attempts started (for diagnostics and tests). */
    @Volatile
    var fetchAttempts: Long = 0
        private set

    suspend fun keyFor(kid: String): RSAPublicKey {
        val observed = generation // read before the snapshot: see the class comment
        val snap = snapshot
        if (snap != null && snap.isFresh(clock.instant())) snap.keys[kid]?.let { return it }
        return mutex.withLock { resolveLocked(kid, observed) }
    }

    private suspend fun resolveLocked(kid: String, observed: Long): RSAPublicKey {
        val now = clock.instant()
        val snap = snapshot
        val fresh = snap != null && snap.isFresh(now)
        if (snap != null && fresh) snap.keys[kid]?.let { return it }
        if (generation != observed) {
            // Somebody fetched while we waited: share that outcome rather than fetching again.
            lastFailure?.let { throw unavailable(it) }
            if (fresh) throw unknownKid(kid, "not in the JWKS (refreshed just now)")
            // The snapshot expired again in the meantime (clock moved by a whole TTL): fetch below.
        }
        if (fresh) {
            val last = lastAttemptAt
            if (last != null && now.isBefore(last.plus(minRefreshInterval))) {
                throw unknownKid(kid, "not in the JWKS (next refresh allowed after ${last.plus(minRefreshInterval)})")
            }
        }
        val keys = fetchLocked(now)
        return keys[kid] ?: throw unknownKid(kid, "not in the JWKS")
    }

    private suspend fun fetchLocked(now: Instant): Map<String, RSAPublicKey> {
        lastAttemptAt = now
        fetchAttempts++
        val body = try {
            fetcher.fetchJwks()
        } catch (e: CancellationException) {
            currentCoroutineContext().ensureActive() // our own cancellation propagates untouched
            throw recordFailure("the JWKS fetcher was cancelled", e) // e.g. a timeout inside the fetcher
        } catch (e: Exception) {
            throw recordFailure("the JWKS fetcher failed: ${e.javaClass.simpleName}", e)
        }
        val keys = try {
            Keys.parseJwks(body)
        } catch (e: ParseException) {
            throw recordFailure("the JWKS response is not a JSON Web Key Set", e)
        }
        snapshot = Snapshot(keys, clock.instant())
        lastFailure = null
        generation++
        return keys
    }

    private fun recordFailure(message: String, cause: Throwable?): TokenVerificationException {
        val failure = Failure(message, cause)
        lastFailure = failure
        generation++
        return unavailable(failure)
    }

    private fun Snapshot.isFresh(now: Instant): Boolean = now.isBefore(fetchedAt.plus(ttl))

    /** A new exception per caller (exceptions are not shared between coroutines), with the shared cause. */
    private fun unavailable(failure: Failure) =
        TokenVerificationException(Reason.JWKS_UNAVAILABLE, failure.message, failure.cause)

    private fun unknownKid(kid: String, detail: String) =
        TokenVerificationException(Reason.UNKNOWN_KID, "kid '${kid.forMessage()}' is $detail")
}
