package dev.clerkkit.http

import dev.clerkkit.LogLevel
import dev.clerkkit.http.engine.EngineResponse
import kotlinx.coroutines.CancellationException
import org.slf4j.Logger
import org.slf4j.LoggerFactory

/**
 * Logging (every attempt, next to the engine, so it shows what went on the wire): through SLF4J, logger
 * `dev.clerkkit.http`, at INFO, as much as [level] says:
 * - [LogLevel.INFO]: `--> GET <url> (sessions.get, attempt 1)` and `<-- 200 GET <url> (12 ms, 623 bytes)`, or
 *   `<-- failed ...` with the error;
 * - [LogLevel.HEADERS]: plus each header (`Authorization`, `Cookie`, `Set-Cookie` values never shown);
 * - [LogLevel.BODY]: plus the bodies.
 * Every line goes through [Redaction.logLine]: no secret key, session token, refresh token or cookie value is logged.
 * Not in the chain at [LogLevel.NONE].
 */
internal class LoggingStage(private val level: LogLevel, private val redaction: Redaction) : Stage {
    override suspend fun intercept(chain: Chain): EngineResponse {
        val request = chain.request
        val line = "${request.method} ${request.url}"
        log(buildString {
            append("--> ").append(line).append(" (").append(request.operation.name).append(", attempt ").append(request.attempt).append(')')
            if (level >= LogLevel.HEADERS) request.headers.forEach { (k, v) -> append('\n').append(k).append(": ").append(shown(k, v)) }
            if (level >= LogLevel.BODY && request.body != null) append('\n').append(request.body)
        })
        val started = System.nanoTime()
        val response = try {
            chain.proceed(request)
        } catch (e: CancellationException) {
            log("<-- cancelled $line (${elapsedMillis(started)} ms)")
            throw e
        } catch (e: Exception) {
            log("<-- failed $line (${elapsedMillis(started)} ms): ${e.javaClass.simpleName}: ${e.message}")
            throw e
        }
        log(buildString {
            append("<-- ").append(response.status).append(' ').append(line)
                .append(" (").append(elapsedMillis(started)).append(" ms, ").append(response.body.size).append(" bytes)")
            if (level >= LogLevel.HEADERS) {
                response.headers.forEach { (k, values) -> values.forEach { v -> append('\n').append(k).append(": ").append(shown(k, v)) } }
            }
            if (level >= LogLevel.BODY && response.body.isNotEmpty()) append('\n').append(response.body.decodeToString())
        })
        return response
    }

    private fun shown(name: String, value: String) = if (Redaction.isSecretHeader(name)) "***" else value

    private fun log(text: String) = LOG.info(redaction.logLine(text))

    private fun elapsedMillis(started: Long) = (System.nanoTime() - started) / 1_000_000

    override fun toString(): String = "LoggingStage($level)"

    private companion object {
        val LOG: Logger = LoggerFactory.getLogger("dev.clerkkit.http")
    }
}
