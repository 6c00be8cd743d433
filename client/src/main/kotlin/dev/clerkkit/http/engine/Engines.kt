package dev.clerkkit.http.engine

import dev.clerkkit.BuiltInEngine
import dev.clerkkit.ClerkConfig

/**
 * The engine a client's calls go through: the injected Ktor engine if any, else the configured built-in one, with at
 * most [ClerkConfig.maxConnections] requests in it at once ([ConcurrencyLimit]).
 */
internal fun createEngine(config: ClerkConfig): HttpEngine = ConcurrencyLimit(engineOf(config), config.maxConnections)

private fun engineOf(config: ClerkConfig): HttpEngine = when {
    config.engine != null -> KtorEngine(config)
    else -> when (config.builtInEngine) {
        BuiltInEngine.OKHTTP -> OkHttpEngine(config)
        BuiltInEngine.CIO -> CioEngine(config)
        BuiltInEngine.JAVA -> JavaEngine(config)
        BuiltInEngine.CIO_READS_OKHTTP_WRITES -> RoutingEngine(reads = CioEngine(config), writes = OkHttpEngine(config))
    }
}
