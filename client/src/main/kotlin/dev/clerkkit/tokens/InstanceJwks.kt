package dev.clerkkit.tokens

import java.time.Clock
import java.time.Duration
import java.util.concurrent.ConcurrentHashMap

/**
 * The JWKS source of one Clerk instance (one client: one base URL and secret key). Every [SessionTokenVerifier] built
 * on it shares one [JwksKeyCache] per cache setting (TTL, refresh interval, clock), so verifiers with different
 * parties or audiences of the same instance fetch the keys once; caches are never shared across instances.
 */
internal class InstanceJwks(private val fetch: suspend () -> String) : JwksFetcher {
    private data class CacheKey(val ttl: Duration, val minRefreshInterval: Duration, val clock: Clock)

    private val caches = ConcurrentHashMap<CacheKey, JwksKeyCache>()

    override suspend fun fetchJwks(): String = fetch()

    fun cacheFor(options: TokenVerifierOptions): JwksKeyCache =
        caches.computeIfAbsent(CacheKey(options.jwksCacheTtl, options.jwksMinRefreshInterval, options.clock)) {
            JwksKeyCache(this, it.ttl, it.minRefreshInterval, it.clock)
        }
}
