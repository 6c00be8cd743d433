package dev.clerkkit.bench

import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.SandboxConfig
import java.util.Base64

/**
 * The testkit sandbox in its own JVM, so the client's CPU per call is measured without the server in the process.
 * Prints `READY <baseUrl> <secretKey> <sessionId> <base64 PEM certificate or ->`, then answers lines on stdin:
 * `stats` -> `STATS <connectionsAccepted> <totalRequests> <openConnections>`. Exits when stdin closes.
 */
object BenchSandboxMain {
    @JvmStatic
    fun main(args: Array<String>) {
        val https = "--https" in args
        val sandbox = ClerkSandbox.start(SandboxConfig.builder().https(https).maxRecordedRequests(0).build())
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
                    println("STATS ${s.connectionsAccepted} ${s.totalRequests} ${s.openConnections}")
                    System.out.flush()
                }
                "quit" -> break
            }
        }
        sandbox.close()
        kotlin.system.exitProcess(0)
    }
}
