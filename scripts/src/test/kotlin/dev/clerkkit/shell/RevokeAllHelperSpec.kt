package dev.clerkkit.shell

import dev.clerkkit.testkit.ClerkSandbox
import dev.clerkkit.testkit.Route
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.io.ByteArrayInputStream
import java.io.ByteArrayOutputStream
import java.io.File
import java.io.PrintStream
import java.util.concurrent.TimeUnit

private fun ClerkSandbox.status(id: String): String = session(id)!!["status"].toString().trim('"')

/**
 * revokeAll and active of the kit: in-process on the kit's offline sandbox (the prompt's confirmation read from
 * standard input, output captured), and through scripts/clerk-shell with piped commands against a sandbox started here.
 */
class RevokeAllHelperSpec : FunSpec({
    val offline = System.getenv("CLERK_SECRET_KEY").isNullOrBlank()

    /** Runs [block] with the kit in [mode] (null: a script run), [input] as standard input; returns what it printed. */
    fun kit(mode: String?, input: String = "", block: () -> Unit): String {
        val out = ByteArrayOutputStream()
        val (oldOut, oldIn) = System.out to System.`in`
        if (mode == null) System.clearProperty("clerkkit.shell.mode") else System.setProperty("clerkkit.shell.mode", mode)
        System.setOut(PrintStream(out, true, Charsets.UTF_8))
        System.setIn(ByteArrayInputStream(input.toByteArray()))
        try {
            block()
        } finally {
            System.setOut(oldOut)
            System.setIn(oldIn)
            System.clearProperty("clerkkit.shell.mode")
        }
        return out.toString(Charsets.UTF_8)
    }

    afterEach { ClerkShell.shutdown() }

    test("at the prompt: says how many, asks, and an answer other than y revokes nothing").config(enabled = offline) {
        ClerkShell.boot()
        val sandbox = ClerkShell.sandbox()!!
        val user = sandbox.addUser("user_kit_no")
        val ids = sandbox.addSessions(user, 3)
        val out = kit("interactive", "n\n") { ClerkShell.revokeAll(user) shouldBe null }
        out shouldContain "Revoke all 3 active sessions of user_kit_no (signs them out everywhere)? [y/N]"
        out shouldContain "not revoked"
        ids.forEach { sandbox.status(it) shouldBe "active" }
        kit("interactive", "") { ClerkShell.revokeAll(user) shouldBe null } shouldContain "not revoked" // end of input
        ids.forEach { sandbox.status(it) shouldBe "active" }
    }

    test("at the prompt, y: a line per page listed, then the summary table; every session revoked").config(enabled = offline) {
        ClerkShell.boot()
        val sandbox = ClerkShell.sandbox()!!
        val user = sandbox.addUser("user_kit_yes")
        val ids = sandbox.addSessions(user, 250)
        val out = kit("interactive", "y\n") { ClerkShell.revokeAll(user)!!.revoked.size shouldBe 250 }
        out shouldContain "Revoke all 250 active sessions of user_kit_yes"
        out shouldContain "listing: 100 active found so far"
        out shouldContain "listing: 200 active found so far"
        out shouldContain "listing: 250 active found so far"
        out shouldContain Regex("""found active\s+250""")
        out shouldContain Regex("""revoked\s+250""")
        out shouldContain Regex("""failed\s+0""")
        out shouldContain "revokeAll(user_kit_yes): complete in"
        ids.forEach { sandbox.status(it) shouldBe "revoked" }
        ClerkShell.failures() shouldBe 0
        kit("interactive", "y\n") { ClerkShell.revokeAll(user) shouldBe null } shouldContain "user_kit_yes has no active session"
    }

    test("in a script: revokeAll(userId) refuses without asking; revokeAll(userId, true) runs; bad ids are refused").config(enabled = offline) {
        ClerkShell.boot()
        val sandbox = ClerkShell.sandbox()!!
        val user = sandbox.addUser("user_kit_script")
        val ids = sandbox.addSessions(user, 2)
        val refused = kit(null, "y\n") { ClerkShell.revokeAll(user) shouldBe null }
        refused shouldContain "asks for confirmation at the interactive prompt; in a script use revokeAll(\"user_kit_script\", true)"
        refused shouldNotContain "[y/N]"
        ids.forEach { sandbox.status(it) shouldBe "active" }
        ClerkShell.failures() shouldBe 1
        kit(null) { ClerkShell.revokeAll(user, false) shouldBe null } shouldContain "not confirmed"
        kit(null) { ClerkShell.revokeAll("sess_1", true) shouldBe null } shouldContain "is not a valid userId"
        val out = kit(null) { ClerkShell.revokeAll(user, true)!!.isComplete shouldBe true }
        out shouldContain Regex("""revoked\s+2""")
        ids.forEach { sandbox.status(it) shouldBe "revoked" }
    }

    test("a listing page that takes 3 s: a working line while nothing answers, then the page's line").config(enabled = offline) {
        ClerkShell.boot()
        val sandbox = ClerkShell.sandbox()!!
        val user = sandbox.addUser("user_kit_slow")
        sandbox.addSessions(user, 2)
        sandbox.faults.on(Route.LIST_SESSIONS).delay(3_000)
        val out = kit(null) { ClerkShell.revokeAll(user, true)!!.isComplete shouldBe true }
        out shouldContain Regex("""\[\s*[0-9.]+ s] working: listing\n.*\[\s*[0-9.]+ s] listing: 2 active found so far""")
        sandbox.faults.clear()
    }

    test("active(userId): the active sessions only, newest first (listActive)").config(enabled = offline) {
        ClerkShell.boot()
        val sandbox = ClerkShell.sandbox()!!
        val user = sandbox.addUser("user_kit_active")
        val ids = sandbox.addSessions(user, 3)
        sandbox.setSessionStatus(ids[1], "revoked")
        val out = kit(null) { ClerkShell.active(user) }
        out shouldContain "(2 sessions)"
        out shouldNotContain ids[1]
        (out.indexOf(ids[2]) < out.indexOf(ids[0])) shouldBe true
    }

    test("through scripts/clerk-shell with piped commands: refused, then revoked with progress and the summary") {
        val root = File(System.getProperty("clerkkit.root") ?: "..").canonicalFile
        ClerkSandbox.start().use { sandbox ->
            val user = sandbox.addUser("user_kit_piped")
            val ids = sandbox.addSessions(user, 120)
            val pb = ProcessBuilder("bash", File(root, "scripts/clerk-shell").path, "-").directory(root).redirectErrorStream(true)
            pb.environment()["CLERK_SHELL_CLASSPATH"] = System.getProperty("java.class.path")
            pb.environment()["CLERK_SECRET_KEY"] = sandbox.secretKey
            pb.environment()["CLERK_API_URL"] = sandbox.baseUrl
            pb.environment()["CLERK_RATE_LIMIT"] = "off"
            val p = pb.start()
            p.outputStream.use { it.write("revokeAll(\"$user\")\nrevokeAll(\"$user\", true)\n".toByteArray()) }
            val out = p.inputStream.bufferedReader().readText()
            p.waitFor(180, TimeUnit.SECONDS) shouldBe true
            out shouldContain "asks for confirmation at the interactive prompt"
            out shouldContain "listing: 100 active found so far"
            out shouldContain "listing: 120 active found so far"
            out shouldContain Regex("""revoked\s+120""")
            p.exitValue() shouldBe 1 // the refused call counts as a failure of the run
            ids.forEach { sandbox.status(it) shouldBe "revoked" }
        }
    }
})
