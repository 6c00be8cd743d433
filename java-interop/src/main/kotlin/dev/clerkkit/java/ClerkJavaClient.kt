package dev.clerkkit.java

import dev.clerkkit.ClerkClient
import dev.clerkkit.ClerkConfig
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.cancel
import dev.clerkkit.tokens.SessionClaims
import java.util.concurrent.CompletableFuture
import java.util.concurrent.Executor
import java.util.function.Consumer
import dev.clerkkit.internal.sessionCalls
import java.util.concurrent.atomic.AtomicBoolean

/**
 * clerkkit for Java: the same client as [ClerkClient] (same connections, retries, rate budget and typed errors),
 * with operations returning [java.util.concurrent.CompletableFuture] and lazy [java.util.stream.Stream]s.
 *
 * ```java
 * try (ClerkJavaClient clerk = ClerkJavaClient.fromEnv()) {
 *     Session s = clerk.sessions().get("sess_123").join();
 * }
 * ```
 *
 * Create one per application and share it (thread-safe). Obtain it with [builder], [fromEnv], [create] (a
 * [ClerkConfig]) or [wrap] (an existing [ClerkClient] that Kotlin code also uses).
 *
 * Design: a thin adapter. Every operation is the core's call, prepared (and its input checked) on the caller's thread,
 * then run as `scope.future { call.execute() }`; the facade never builds requests, checks input or retries itself. The scope has a [SupervisorJob] (one failed
 * call does not cancel the others) and the dispatcher [Dispatchers.Unconfined] unless an [Builder.executor] is set:
 * futures then complete on the thread that finished the call (a client I/O thread), with no extra hop.
 */
public class ClerkJavaClient protected constructor(
    private val core: ClerkClient,
    private val ownsCore: Boolean,
    executor: Executor?,
) : AutoCloseable {
    private val closed = AtomicBoolean(false)
    private val dispatcher: CoroutineDispatcher = executor?.asCoroutineDispatcher() ?: Dispatchers.Unconfined
    private val scope = CoroutineScope(SupervisorJob() + dispatcher + CoroutineName("clerkkit-java"))
    private val calls = FutureCalls(scope) { closed.get() }
    private val sessions: SessionsAsync = DefaultSessionsAsync(sessionCalls(core), calls)

    /** The Sessions resource (futures and streams). */
    public fun sessions(): SessionsAsync = sessions

    /**
     * Verifies a session token (the `__session` cookie or `Authorization: Bearer` JWT) locally and completes with its
     * claims, or with [dev.clerkkit.tokens.TokenVerificationException] (machine-readable reason). Networkless with a
     * PEM key (`CLERK_JWT_KEY` / [ClerkConfig.jwtKey]); otherwise the instance's JWKS is fetched once through this
     * client and cached (1 h). The replacement for the deprecated [SessionsAsync.verify].
     */
    public fun verifyToken(token: String): CompletableFuture<SessionClaims> = calls.call { core.verifyToken(token) }

    /**
     * Blocking [verifyToken]. With a PEM key it never touches the network (pure computation, safe on any thread);
     * without one it may block on the first JWKS fetch.
     * @throws dev.clerkkit.tokens.TokenVerificationException when the token is not valid.
     */
    public fun verifyTokenBlocking(token: String): SessionClaims = core.tokens.verifyBlocking(token)

    /** The core Kotlin client this facade delegates to (shared, not a copy). */
    public fun core(): ClerkClient = core

    /** The configuration of the core client. */
    public fun config(): ClerkConfig = core.config

    /**
     * Cancels every call still running (its future completes with [java.util.concurrent.CancellationException] as soon
     * as the coroutine has unwound; `close` does not wait for that) and, when
     * this facade created the core client ([builder], [fromEnv], [create]), closes it too; a client passed to [wrap]
     * stays open. Later calls throw [IllegalStateException]. Idempotent.
     */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        scope.cancel("ClerkJavaClient closed")
        if (ownsCore) core.close()
    }

    override fun toString(): String = "ClerkJavaClient(core=$core, ownsCore=$ownsCore)"

    /**
     * Builder of a [ClerkJavaClient]: the client's [ClerkConfig] (every setting of the core client, with the defaults
     * documented there) plus what only the facade has, the [executor]. The configuration's own builder is the one
     * place its settings are set:
     *
     * ```java
     * ClerkJavaClient clerk = ClerkJavaClient.builder()
     *     .configure(c -> c.secretKey(System.getenv("CLERK_SECRET_KEY")).requestTimeout(Duration.ofSeconds(5)))
     *     .executor(myExecutor)
     *     .build();
     * ```
     */
    public class Builder {
        private var config: ClerkConfig.Builder = ClerkConfig.builder()
        private var executor: Executor? = null

        /** Starts over from [value] (replacing what [configure] set so far). Default: [ClerkConfig.builder]'s defaults. */
        public fun config(value: ClerkConfig): Builder = apply { config = value.toBuilder() }

        /**
         * Changes the configuration in place through its builder, e.g. `configure(c -> c.fromEnv().maxAttempts(5))`.
         * Calls add up. Values are checked by [build].
         */
        public fun configure(configure: Consumer<ClerkConfig.Builder>): Builder = apply { configure.accept(config) }

        /**
         * Where returned futures complete (and so where non-async callbacks run). Default `null`: on the client's own
         * I/O threads, no extra hop. Set one when callbacks block. The facade never shuts this executor down.
         */
        public fun executor(value: Executor?): Builder = apply { executor = value }

        /**
         * Builds the client; it owns its core [ClerkClient] and closes it in [ClerkJavaClient.close].
         * @throws IllegalArgumentException when the secret key is missing or a value is out of range
         *   ([ClerkConfig.Builder.build]).
         */
        public fun build(): ClerkJavaClient = ClerkJavaClient(ClerkClient(config.build()), ownsCore = true, executor = executor)

        override fun toString(): String = "ClerkJavaClient.Builder($config, executor=$executor)"
    }

    /** Factories. */
    public companion object {
        /** A builder with every default (see [Builder]); configure at least the secret key. */
        @JvmStatic
        public fun builder(): Builder = Builder()

        /**
         * A client configured from the environment ([ClerkConfig.fromEnv]): `CLERK_SECRET_KEY` (required), optional
         * `CLERK_API_URL`, `CLERK_API_VERSION`, `CLERK_JWT_KEY`, `CLERK_RATE_LIMIT`; everything else at its default.
         * To change more: `builder().configure(c -> c.fromEnv().requestTimeout(...)).build()`.
         * @throws IllegalArgumentException when `CLERK_SECRET_KEY` is not set or a value is invalid.
         */
        @JvmStatic
        public fun fromEnv(): ClerkJavaClient = create(ClerkConfig.fromEnv())

        /** A client for [config] that owns (and closes) its core client; futures complete on the client's threads. */
        @JvmStatic
        public fun create(config: ClerkConfig): ClerkJavaClient = ClerkJavaClient(ClerkClient(config), ownsCore = true, executor = null)

        /**
         * A facade over an existing [client] (e.g. shared with Kotlin code). [close] then cancels only this facade's
         * calls and leaves [client] open.
         */
        @JvmStatic
        public fun wrap(client: ClerkClient): ClerkJavaClient = ClerkJavaClient(client, ownsCore = false, executor = null)

        /** [wrap] with futures completing on [executor]. */
        @JvmStatic
        public fun wrap(client: ClerkClient, executor: Executor): ClerkJavaClient =
            ClerkJavaClient(client, ownsCore = false, executor = executor)
    }
}
