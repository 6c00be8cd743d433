package dev.clerkkit.http

import dev.clerkkit.RequestOptions
import dev.clerkkit.http.engine.EngineResponse

/**
 * One step of the pipeline, one concern each (the stages and their order are in [Pipeline]; docs/design/pipeline.md
 * has the diagram). A stage gets the [Chain], may change the request, calls [Chain.proceed] to run the stages after it
 * and may look at or replace what comes back, or throw a typed error. It calls `proceed` exactly once, unless it
 * [repeats] (the retry stage, once per attempt); the chain checks that.
 */
internal interface Stage {
    /** True only for a stage that calls [Chain.proceed] more than once per call (one per attempt). */
    val repeats: Boolean get() = false

    suspend fun intercept(chain: Chain): EngineResponse
}

/** The rest of the pipeline, as seen by one stage. */
internal interface Chain {
    /** The request as the stages before this one left it. */
    val request: ApiRequest

    /** Runs the stages after this one with [request] and returns their answer. */
    suspend fun proceed(request: ApiRequest): EngineResponse
}

/** [Chain] over a list of stages: [index] is the next stage to run. The last stage must not call [proceed]. */
internal class RealChain(
    private val stages: List<Stage>,
    private val index: Int,
    override val request: ApiRequest,
) : Chain {
    private var calls = 0

    override suspend fun proceed(request: ApiRequest): EngineResponse {
        check(index < stages.size) { "the last stage (${stages.last()}) must not call proceed" }
        calls++
        if (index > 0) check(calls == 1 || stages[index - 1].repeats) { "${stages[index - 1]} called proceed more than once" }
        return stages[index].intercept(RealChain(stages, index + 1, request))
    }
}

/**
 * A call as it travels the chain. Built by [Operation.request]; the prepare stage adds [url] and [headers], the retry
 * stage numbers each [attempt]. [toString] names the operation only: bodies and headers carry credentials.
 */
internal data class ApiRequest(
    val operation: Operation<*>,
    /** Encoded path below the base URL, e.g. `/sessions/sess_1/revoke`. */
    val path: String,
    /** The path parameters as given (decoded), for decoders that check the answer against them. */
    val pathParams: Map<String, String>,
    val query: List<Pair<String, String>>,
    /** JSON body, or null for none. */
    val body: String?,
    val options: RequestOptions,
    val url: String = "",
    val headers: List<Pair<String, String>> = emptyList(),
    /** 1 for the first attempt, 2 for the first retry, ... */
    val attempt: Int = 1,
    /** The previous attempt failed below HTTP (engines may then use a fresh connection). */
    val afterTransportFailure: Boolean = false,
    /** How long this attempt waited for its rate-budget permit: it counts against the attempt's request timeout. */
    val rateBudgetWait: java.time.Duration = java.time.Duration.ZERO,
    /** The call's event listeners (set by [CallEventsStage]); null when the client has none. */
    val events: CallEvents? = null,
) {
    val method: String get() = operation.method

    override fun toString(): String = "ApiRequest(${operation.name}, attempt $attempt)"
}
