package dev.clerkkit.http

import dev.clerkkit.ClerkConfig
import dev.clerkkit.ClerkResponse
import dev.clerkkit.LogLevel
import dev.clerkkit.http.engine.EngineResponse
import dev.clerkkit.http.engine.HttpEngine
import dev.clerkkit.http.engine.createEngine

/**
 * The one HTTP pipeline: every call of a `ClerkClient` runs this chain of [stages], outermost first; its answer is
 * decoded by its [Operation] inside the chain ([ResponseStage]), so a body that does not decode is a failed attempt.
 * Nothing else in clerkkit talks HTTP; this class does nothing but run the chain.
 *
 * ```
 * call ─▶ Prepare ─▶ CallEvents ─▶ [call stages] ─▶ Retry ─┬▶ RateBudget ─▶ [attempt stages] ─▶ AttemptEvents ─▶ AttemptTimeout ─▶ Response ─▶ Logging ─▶ Engine ─▶ HttpEngine
 *                                                          └── once per attempt ────────────────────────────────────────────────────────────────────────────┘
 * ```
 * (docs/design/pipeline.md has the diagram with each stage's contract.) `[call stages]` and `[attempt stages]` are
 * the stages added by configuration ([ClerkConfig.Builder.addStage]): once per call, and once per attempt after its
 * rate permit. [RateBudgetStage] is left out without a budget, [LoggingStage] at [LogLevel.NONE],
 * [CallEventsStage] and [AttemptEventsStage] without event listeners ([ClerkConfig.eventListeners]).
 */
internal class Pipeline(private val config: ClerkConfig, private val engine: HttpEngine = createEngine(config)) : AutoCloseable {
    private val redaction = Redaction(config.secretKey)

    /** The configured event listeners; null when there are none (then no event stage is in the chain). */
    val listeners: Listeners? = Listeners.of(config)

    val stages: List<Stage> = buildList {
        add(PrepareStage(config))
        listeners?.let { add(CallEventsStage(it)) }
        addAll(config.stages(StagePosition.CALL))
        add(RetryStage(config))
        RateBudgetStage.of(config)?.let(::add)
        addAll(config.stages(StagePosition.ATTEMPT))
        if (listeners != null) add(AttemptEventsStage(config))
        add(AttemptTimeoutStage(config))
        add(ResponseStage(config, redaction))
        if (config.logLevel != LogLevel.NONE) add(LoggingStage(config.logLevel, redaction))
        add(EngineStage(engine, config))
    }

    /** Runs [request] (built by [operation]) through the chain and decodes its answer. */
    suspend fun <T> execute(operation: Operation<T>, request: ApiRequest): ClerkResponse<T> {
        require(request.operation === operation) { "request of ${request.operation} run as $operation" }
        val response = RealChain(stages, 0, request).proceed(request)
        check(response.decoded !== EngineResponse.NOT_DECODED) { "${operation.name}: the response stage did not decode the answer" }
        @Suppress("UNCHECKED_CAST")
        val value = response.decoded as T
        return ClerkResponse(response.status, response.headers, value)
    }

    /** Closes the engine: its connections and threads. */
    override fun close() = engine.close()
}

/** Where a stage added by configuration runs: once per call (outside the retries), or once per attempt. */
internal enum class StagePosition { CALL, ATTEMPT }
