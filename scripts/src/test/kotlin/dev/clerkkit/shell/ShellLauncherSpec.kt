package dev.clerkkit.shell

import dev.clerkkit.testkit.ClerkSandbox
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.jsonPrimitive
import java.io.File
import java.util.concurrent.TimeUnit

/** Drives scripts/clerk-shell as a subprocess (as a user would) against a sandbox started here. */
class ShellLauncherSpec : FunSpec({
    val root = File(System.getProperty("clerkkit.root") ?: "..").canonicalFile
    val launcher = File(root, "scripts/clerk-shell")
    val sandbox = ClerkSandbox.start()
    val user = sandbox.addUser("user_shell_test")
    val keep = sandbox.addSession(user, id = "sess_shell_keep")
    val doomed = sandbox.addSession(user, id = "sess_shell_doomed")
    afterSpec { sandbox.close() }

    class Run(val exit: Int, val out: String)

    fun shell(vararg args: String, stdin: String? = null, online: Boolean = true, env: Map<String, String> = emptyMap()): Run {
        val pb = ProcessBuilder(listOf("bash", launcher.path) + args).directory(root).redirectErrorStream(true)
        pb.environment()["CLERK_SHELL_CLASSPATH"] = System.getProperty("java.class.path")
        pb.environment().remove("CLERK_DEMO_USER_ID")
        pb.environment().putAll(env)
        if (online) {
            pb.environment()["CLERK_SECRET_KEY"] = sandbox.secretKey
            pb.environment()["CLERK_API_URL"] = sandbox.baseUrl
        } else {
            pb.environment().remove("CLERK_SECRET_KEY")
            pb.environment().remove("CLERK_API_URL")
        }
        val p = pb.start()
        if (stdin != null) p.outputStream.use { it.write(stdin.toByteArray()) } else p.outputStream.close()
        val out = StringBuilder()
        val reader = Thread { out.append(p.inputStream.bufferedReader().readText()) }.apply { start() }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            error("clerk-shell did not finish in 180 s; output so far:\n$out")
        }
        reader.join(10_000)
        return Run(p.exitValue(), out.toString())
    }

    test("runs a .jsh file: tables, a one-line error, and the revoke really happened") {
        val script = File.createTempFile("clerk-shell", ".jsh").apply {
            writeText(
                """
                sessions("$user")
                revoke("$doomed")
                get("sess_does_not_exist")
                """.trimIndent(),
            )
            deleteOnExit()
        }
        val run = shell(script.path)
        run.exit shouldBe 0
        run.out shouldContain "connected to ${sandbox.baseUrl}"
        run.out shouldContain Regex("""id\s+user\s+status\s+last active\s+expires""")
        run.out shouldContain Regex("""$keep\s+$user\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC""")
        run.out shouldContain Regex("""$doomed\s+$user\s+revoked""")
        run.out shouldContain Regex("""error: HTTP 404 resource_not_found: .+ \(trace id \w+\)""")
        run.out shouldNotContain "Exception"
        run.out shouldNotContain sandbox.secretKey
        sandbox.session(doomed)!!["status"]!!.jsonPrimitive.content shouldBe "revoked"
        sandbox.session(keep)!!["status"]!!.jsonPrimitive.content shouldBe "active"
    }

    test("reads commands from standard input: mint and verify a token") {
        val run = shell("-", stdin = "var t = token(\"$keep\");\nverify(t)\nactive(\"$user\")\n")
        run.exit shouldBe 0
        run.out shouldContain Regex("""sid\s+$keep""")
        run.out shouldContain Regex("""sub\s+$user""")
        run.out shouldContain "(1 session)"
        sandbox.requests.any { it.rawPath == "/v1/sessions/$keep/tokens" } shouldBe true
    }

    test("without CLERK_SECRET_KEY it starts the offline sandbox and says so") {
        val run = shell("-", stdin = "active(\"user_demo_alice\")\nhelp()\n", online = false)
        run.exit shouldBe 0
        run.out shouldContain "OFFLINE DEMO on the embedded sandbox"
        run.out shouldContain "sess_demo_alice_laptop"
        run.out shouldContain "verify(token)"
    }

    test("the README's demo against a live Clerk (a secret key set) only reads: it lists, mints and verifies") {
        val liveUser = sandbox.addUser("user_shell_live")
        val older = sandbox.addSession(liveUser, id = "sess_shell_live_older")
        val newest = sandbox.addSession(liveUser, id = "sess_shell_live_newest")
        val before = sandbox.requests.size
        val guidance = shell("scripts/demo.jsh")
        guidance.exit shouldBe 0
        guidance.out shouldContain "CLERK_DEMO_USER_ID=user_..."
        sandbox.requests.size shouldBe before // without a user it asks for one and calls nothing

        val run = shell("scripts/demo.jsh", env = mapOf("CLERK_DEMO_USER_ID" to liveUser))
        run.exit shouldBe 0
        run.out shouldContain "> active(\"$liveUser\")"
        run.out shouldContain Regex("""$older\s+$liveUser\s+active""")
        run.out shouldContain "> var jwt = token(\"$newest\")"
        run.out shouldContain Regex("""sid\s+$newest""")
        run.out shouldContain "nothing was revoked or created"
        run.out shouldNotContain "error:"
        run.out shouldNotContain "sess_demo_" // none of the offline tour's ids
        val made = sandbox.requests.drop(before)
        made.filter { it.method == "POST" }.map { it.rawPath } shouldBe listOf("/v1/sessions/$newest/tokens")
        for (id in listOf(older, newest)) sandbox.session(id)!!["status"]!!.jsonPrimitive.content shouldBe "active"
    }
})
