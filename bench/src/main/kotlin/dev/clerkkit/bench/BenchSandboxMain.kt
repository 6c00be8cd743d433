package dev.clerkkit.bench

import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.SandboxConfig
import dev.clerkkit.testkit.SandboxRateLimit
import java.time.Duration
import java.util.Base64

/**
 * The testkit sandbox in its own JVM, so the client's CPU per call is measured without the server in the process.
 * Prints `READY <baseUrl> <secretKey> <sessionId> <base64 PEM certificate or ->`, then answers lines on stdin:
 * `stats` -> `STATS <connectionsAccepted> <totalRequests> <openConnections> <rateLimitedRequests> <responses(429)>`.
 * Exits when stdin closes.
 * Arguments: `--https`; `--idle-timeout-ms N` (idle keep-alive connections closed by the server after N ms; default 60 s);
 * `--rate-limit N/MS` (Clerk's rate limit enforced per key: N requests per MS ms, fixed windows; default none).
 */
object BenchSandboxMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val https = "--https" in args
        val idle = args.indexOf("--idle-timeout-ms").takeIf { it >= 0 }?.let { args[it + 1].toLong() }
        val rate = args.indexOf("--rate-limit").takeIf { it >= 0 }?.let { args[it + 1].split('/') }
            ?.let { (n, ms) -> SandboxRateLimit.of(n.toInt(), Duration.ofMillis(ms.toLong())) }
        val config = SandboxConfig.builder().https(https).maxRecordedRequests(0)
            .apply { idle?.let { idleTimeoutMillis(it) } }
            .rateLimit(rate)
            .build()
        val sandbox = ClerkSandbox.start(config)
        val user = sandbox.addUser()
        val session = sandbox.addSession(user, withLatestActivity = true)
        val pem = sandbox.certificatePem?.let { Base64.getEncoder().encodeToString(it.toByteArray()) } ?: "-"
        println("READY ${sandbox.baseUrl} ${sandbox.secretKey} $session $pem")
        System.out.flush()
        val input = System.`in`.bufferedReader()
        while (true) {
            val line = input.readLine() ?: break
            when (line.trim()) {
                "stats" -> {
                    val s = sandbox.stats
                    println("STATS ${s.connectionsAccepted} ${s.totalRequests} ${s.openConnections} ${s.rateLimitedRequests} ${s.responses(429)}")
                    System.out.flush()
                }
                "quit" -> break
            }
        }
        sandbox.close()
        kotlin.system.exitProcess(0)
    }
}
