package dev.clerkkit.events

/**
 * Receives what the client does on each call: the call's start and end, each attempt on the wire, each retry it
 * schedules, each permit it takes from the rate budget, and each session-token verification. In the spirit of
 * OkHttp's `EventListener`; the modules `clerkkit-opentelemetry` and `clerkkit-micrometer` are listeners. Set with
 * [dev.clerkkit.ClerkConfig.Builder.addEventListener] (any number; each gets every event, in the order added).
 *
 * Every method has an empty default: implement the ones you need. The events of one call arrive in this order, one at a
 * time (never concurrently for the same call; different calls may report concurrently, from any thread):
 * ```
 * callStarted
 *   ( rateBudgetWaited? attemptStarted attemptEnded retryScheduled? )+   one group per attempt
 * callEnded
 * ```
 * `rateBudgetWaited` comes before an attempt only when the client has a rate budget and the operation draws from it;
 * `retryScheduled` follows every attempt but the last. [tokenVerified] is not part of a call (a verification that
 * fetches the JWKS also makes a call `jwks.get` of its own).
 *
 * Rules:
 * - Methods run inline on the call's path: keep them short and never block (hand slow work such as exporting to
 *   another thread, as the OpenTelemetry and Micrometer SDKs do).
 * - A method that throws does not fail the call: the exception is caught and logged once per listener (logger
 *   `dev.clerkkit.events`, WARN, the exception's class only), then ignored.
 * - No event carries a secret: no secret key, session token, refresh token, header value, body or URL query; session
 *   and user ids are not in them either (operations are named by their path template).
 * - With no listener configured the client does none of this work.
 */
public interface ClerkEventListener {
    /**
     * Called once per call on the thread that makes it, before [callStarted]: for a suspend call, the caller's
     * coroutine; for the Java facade's futures and blocking calls, the thread that calls the facade, before any hop to
     * the client's or an executor's threads. So it is where to read thread-bound context such as the current trace
     * span. Returns the listener that receives this call's events: `this` (the default), or an object holding state for
     * the one call (e.g. its span). Not called for [tokenVerified].
     */
    public fun forCall(): ClerkEventListener = this

    /** A call begins (after its input was checked; nothing sent yet). */
    public fun callStarted(event: CallStarted) {}

    /** A call ends: with its answer, its last error, or cancelled. */
    public fun callEnded(event: CallEnded) {}

    /**
     * An attempt begins, after its rate-budget permit: the request goes on the wire next. [AttemptStarted.addHeader]
     * adds a header to this attempt (e.g. `traceparent`).
     */
    public fun attemptStarted(event: AttemptStarted) {}

    /** An attempt ends: an HTTP status came back, or it failed below HTTP, timed out or was cancelled. */
    public fun attemptEnded(event: AttemptEnded) {}

    /** The attempt that just ended failed and is retried after [RetryScheduled.delay]. */
    public fun retryScheduled(event: RetryScheduled) {}

    /** An attempt took (or could not take) its permit from the rate budget; [RateBudgetWaited.waited] may be zero. */
    public fun rateBudgetWaited(event: RateBudgetWaited) {}

    /** A session token was verified by the client's verifiers ([dev.clerkkit.ClerkClient.tokens], `tokenVerifier`). */
    public fun tokenVerified(event: TokenVerified) {}
}
