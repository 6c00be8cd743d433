package dev.clerkkit.testkit

import java.util.concurrent.CountDownLatch
import kotlin.system.exitProcess

/**
 * Command-line entry point: starts a [ClerkSandbox] with demo data, prints its base URL and secret key, and runs
 * until interrupted (Ctrl-C).
 *
 * Options: `--port N` (default 8787; 0 = ephemeral), `--host H` (default 127.0.0.1), `--https`,
 * `--secret-key K`, `--no-demo-data`, `--verify-gone`.
 *
 * Run with `mvn -pl testkit exec:java` (add `-Dexec.args="--port 9000"`) or
 * `java -cp ... dev.clerkkit.testkit.SandboxMain --port 8787`.
 */
public object SandboxMain {
    /** Parses [args], starts the sandbox and blocks until the JVM shuts down. */
    @JvmStatic
    public fun main(args: Array<String>) {
        val builder = SandboxConfig.builder().port(DEFAULT_PORT).demoData(true)
        var i = 0
        fun value(): String = args.getOrNull(++i) ?: usage("missing value for ${args[i - 1]}")
        while (i < args.size) {
            when (args[i]) {
                "--port" -> builder.port(value().toIntOrNull() ?: usage("--port needs a number"))
                "--host" -> builder.host(value())
                "--https" -> builder.https(true)
                "--secret-key" -> builder.secretKey(value())
                "--no-demo-data" -> builder.demoData(false)
                "--verify-gone" -> builder.verifyGone(true)
                "-h", "--help" -> usage(null)
                else -> usage("unknown option ${args[i]}")
            }
            i++
        }
        val sandbox = ClerkSandbox.start(builder.build())
        val done = CountDownLatch(1)
        Runtime.getRuntime().addShutdownHook(
            Thread {
                sandbox.close()
                done.countDown()
            },
        )
        println("Clerk sandbox listening")
        println("  base URL:   ${sandbox.baseUrl}")
        println("  secret key: ${sandbox.secretKey}")
        println("  sessions:   ${sandbox.sessions().size} demo sessions (e.g. sess_demo_alice_laptop), JWT template 'demo'")
        sandbox.certificatePem?.let { println("  certificate (trust this PEM):\n$it") }
        println("Try: curl -H 'Authorization: Bearer ${sandbox.secretKey}' '${sandbox.baseUrl}/sessions?user_id=user_demo_alice'")
        println("Press Ctrl-C to stop.")
        done.await()
    }

    private const val DEFAULT_PORT = 8787

    private fun usage(error: String?): Nothing {
        if (error != null) System.err.println("error: $error")
        System.err.println("usage: SandboxMain [--port N] [--host H] [--https] [--secret-key K] [--no-demo-data] [--verify-gone]")
        exitProcess(if (error == null) 0 else 2)
    }
}
