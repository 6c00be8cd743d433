package dev.clerkkit.testkit

import java.util.concurrent.CountDownLatch
import kotlin.system.exitProcess

/**
 * Command-line entry point: starts a [ClerkSandbox] with demo data, prints its base URL and secret key, and runs
 * until interrupted (Ctrl-C).
 *
 * Options: `--port N` (default 8787; 0 = ephemeral), `--host H` (default 127.0.0.1), `--https`,
 * `--secret-key K`, `--no-demo-data`, `--verify-gone` (always `410`), `--verify-available` (never `410`),
 * `--api-version YYYY-MM-DD` ([SandboxConfig.defaultApiVersion]),
 * `--rate-limit clerk|development|production|bench` ([SandboxConfig.rateLimit]; default none).
 *
 * Run with `mvn -pl testkit exec:java` (add `-Dexec.args="--port 9000"`) or
 * `java -cp ... dev.clerkkit.testkit.SandboxMain --port 8787`.
 */
public object SandboxMain {
    /** Parses [args], starts the sandbox, prints how to reach it and blocks until the JVM shuts down. */
    @JvmStatic
    public fun main(args: Array<String>) {
        val sandbox = try {
            start(args)
        } catch (e: IllegalArgumentException) {
            System.err.println("error: ${e.message}")
            System.err.println(USAGE)
            exitProcess(2)
        }
        val done = CountDownLatch(1)
        Runtime.getRuntime().addShutdownHook(
            Thread {
                sandbox.close()
                done.countDown()
            },
        )
        println("Press Ctrl-C to stop.")
        done.await()
    }

    /**
     * Parses [args] (see the class documentation), starts a sandbox and prints its base URL and secret key.
     * The caller owns (and must close) the returned sandbox. Throws [IllegalArgumentException] on bad arguments.
     */
    @JvmStatic
    public fun start(args: Array<String>): ClerkSandbox {
        val builder = SandboxConfig.builder().port(DEFAULT_PORT).demoData(true)
        var i = 0
        fun value(): String = requireNotNull(args.getOrNull(++i)) { "missing value for ${args[i - 1]}" }
        while (i < args.size) {
            when (args[i]) {
                "--port" -> builder.port(requireNotNull(value().toIntOrNull()) { "--port needs a number" })
                "--host" -> builder.host(value())
                "--https" -> builder.https(true)
                "--secret-key" -> builder.secretKey(value())
                "--no-demo-data" -> builder.demoData(false)
                "--verify-gone" -> builder.verifyGone(true)
                "--verify-available" -> builder.verifyGone(false)
                "--api-version" -> builder.defaultApiVersion(value())
                "--rate-limit" -> builder.rateLimit(
                    when (val preset = value()) {
                        "clerk" -> SandboxRateLimit.CLERK
                        "development" -> SandboxRateLimit.DEVELOPMENT
                        "production" -> SandboxRateLimit.PRODUCTION
                        "bench" -> SandboxRateLimit.BENCH
                        else -> throw IllegalArgumentException("--rate-limit must be clerk, development, production or bench, was $preset")
                    },
                )
                "-h", "--help" -> {
                    println(USAGE)
                    exitProcess(0)
                }
                else -> throw IllegalArgumentException("unknown option ${args[i]}")
            }
            i++
        }
        val sandbox = ClerkSandbox.start(builder.build())
        println("Clerk sandbox listening")
        println("  base URL:   ${sandbox.baseUrl}")
        println("  secret key: ${sandbox.secretKey}")
        println("  sessions:   ${sandbox.sessions().size} (demo data: e.g. sess_demo_alice_laptop, JWT template 'demo')")
        sandbox.config.rateLimit?.let { println("  rate limit: $it") }
        sandbox.config.defaultApiVersion?.let { println("  API version without Clerk-API-Version header: $it") }
        sandbox.certificatePem?.let { println("  certificate (trust this PEM):\n$it") }
        println("Try: curl -H 'Authorization: Bearer ${sandbox.secretKey}' '${sandbox.baseUrl}/sessions?user_id=user_demo_alice'")
        return sandbox
    }

    private const val DEFAULT_PORT = 8787
    private const val USAGE =
        "usage: SandboxMain [--port N] [--host H] [--https] [--secret-key K] [--no-demo-data] [--verify-gone | --verify-available] " +
            "[--api-version YYYY-MM-DD] [--rate-limit clerk|development|production|bench]"
}
