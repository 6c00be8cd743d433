package dev.clerkkit.shell

import dev.clerkkit.testkit.ClerkSandbox
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContainAll
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import kotlinx.serialization.json.jsonPrimitive
import java.io.File
import java.lang.reflect.Modifier
import java.nio.file.Files
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

    fun run(
        launcherFile: File,
        args: List<String>,
        stdin: String?,
        env: Map<String, String>,
        removeEnv: Set<String>,
        workDir: File = root,
    ): Run {
        val pb = ProcessBuilder(listOf("bash", launcherFile.path) + args).directory(workDir).redirectErrorStream(true)
        pb.environment().remove("CLERK_DEMO_USER_ID")
        removeEnv.forEach { pb.environment().remove(it) }
        pb.environment().putAll(env)
        val p = pb.start()
        if (stdin != null) p.outputStream.use { it.write(stdin.toByteArray()) } else p.outputStream.close()
        val out = StringBuffer()
        val reader = Thread { p.inputStream.bufferedReader().forEachLine { out.append(it).append('\n') } }.apply { start() }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            error("clerk-shell did not finish in 180 s; output so far:\n$out")
        }
        reader.join(10_000)
        return Run(p.exitValue(), out.toString())
    }

    /** The launcher of this checkout, on the test classpath (no build), online (the spec's sandbox) or offline. */
    fun shell(vararg args: String, stdin: String? = null, online: Boolean = true, env: Map<String, String> = emptyMap()): Run {
        val base = mutableMapOf("CLERK_SHELL_CLASSPATH" to System.getProperty("java.class.path"))
        if (online) {
            base["CLERK_SECRET_KEY"] = sandbox.secretKey
            base["CLERK_API_URL"] = sandbox.baseUrl
        }
        val removed = if (online) emptySet() else setOf("CLERK_SECRET_KEY", "CLERK_API_URL")
        return run(launcher, args.toList(), stdin, base + env, removed)
    }

    fun script(text: String): File = File.createTempFile("clerk-shell", ".jsh").apply {
        writeText(text.trimIndent())
        deleteOnExit()
    }

    /**
     * A copy of the launcher in an unbuilt checkout (no scripts/target), with a fake `mvn` first on PATH that logs its
     * arguments, prints Maven-like module lines, sleeps, and "builds": it writes the classpath file the real build
     * writes, containing this test's classpath. [mvnExit] != 0 makes it fail like a broken build.
     */
    class FakeCheckout(val dir: File, val launcher: File, val mvnCalls: File, val path: String)

    fun fakeCheckout(mvnExit: Int = 0, sleepSeconds: Int = 3): FakeCheckout {
        val dir = Files.createTempDirectory("clerk-shell-checkout").toFile()
        val scripts = File(dir, "scripts").apply { mkdirs() }
        val copy = File(scripts, "clerk-shell")
        launcher.copyTo(copy)
        File(root, "scripts/clerk.jsh").copyTo(File(scripts, "clerk.jsh"))
        val bin = File(dir, "bin").apply { mkdirs() }
        val calls = File(dir, "mvn-calls.txt")
        File(bin, "mvn").apply {
            writeText(
                """
                #!/usr/bin/env bash
                echo "${'$'}PWD ${'$'}*" >> '${calls.path}'
                echo "[INFO] Building clerkkit testkit 0.1.0-SNAPSHOT                           [2/5]"
                echo "[INFO] --- kotlin-maven-plugin:2.4.10:compile (compile) @ clerkkit-testkit ---"
                sleep $sleepSeconds
                if [ $mvnExit -ne 0 ]; then echo "[ERROR] Failed to execute goal: the fake build broke"; exit $mvnExit; fi
                echo "[INFO] Building clerkkit JShell kit 0.1.0-SNAPSHOT                        [5/5]"
                mkdir -p scripts/target/classes
                printf '%s' "${'$'}FAKE_CLASSPATH" > scripts/target/shell-classpath.txt
                echo "[INFO] BUILD SUCCESS"
                """.trimIndent() + "\n",
            )
            setExecutable(true)
        }
        return FakeCheckout(dir, copy, calls, bin.path + File.pathSeparator + System.getenv("PATH"))
    }

    fun FakeCheckout.shell(vararg args: String, stdin: String? = null, env: Map<String, String> = emptyMap()): Run = run(
        this.launcher, // `this.`: the spec's own `launcher` would shadow the copy's
        args.toList(),
        stdin,
        mapOf("PATH" to this.path, "FAKE_CLASSPATH" to System.getProperty("java.class.path"), "CLERK_SHELL_HEARTBEAT" to "1") + env,
        setOf("CLERK_SHELL_CLASSPATH", "CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_SHELL_MAVEN_ARGS"),
        workDir = this.dir,
    )

    context("arguments are checked before anything is built") {
        test("--help and -h print the usage (modes, environment, helpers) and build nothing") {
            val checkout = fakeCheckout()
            for (flag in listOf("--help", "-h")) {
                val run = checkout.shell(flag)
                run.exit shouldBe 0
                run.out shouldContain "usage: scripts/clerk-shell"
                run.out shouldContain "cmds | scripts/clerk-shell -"
                for (v in listOf("CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_DEMO_USER_ID", "CLERK_SHELL_MAVEN_ARGS")) run.out shouldContain v
                run.out shouldNotContain "building"
            }
            checkout.mvnCalls.exists() shouldBe false
        }

        test("the usage names every helper the kit has") {
            val usage = shell("--help").out
            val helpers = ClerkShell::class.java.declaredMethods
                .filter { Modifier.isPublic(it.modifiers) && Modifier.isStatic(it.modifiers) }
                .map { it.name }
                .toSet() - setOf("boot", "shutdown", "describe", "format")
            val missing = helpers.filter { !usage.contains(Regex("""\b$it\(""")) }
            missing.shouldBeEmpty()
        }

        test("a missing script, an unknown option or two scripts fail at once with exit status 2, before any build") {
            val checkout = fakeCheckout()
            val missing = checkout.shell("no-such-file.jsh")
            missing.exit shouldBe 2
            missing.out.trim() shouldBe "clerk-shell: no such script: no-such-file.jsh"
            checkout.shell("--frobnicate").out shouldContain "unknown option: --frobnicate (try --help)"
            checkout.shell("--frobnicate").exit shouldBe 2
            checkout.shell("a.jsh", "b.jsh").exit shouldBe 2
            checkout.shell("-", "x").exit shouldBe 2
            checkout.mvnCalls.exists() shouldBe false
        }
    }

    context("the first run builds only the kit and is never silent") {
        test("it compiles scripts and what it needs (no tests), honours CLERK_SHELL_MAVEN_ARGS, reports progress; the next run builds nothing") {
            val checkout = fakeCheckout(sleepSeconds = 3)
            val first = checkout.shell("-", stdin = "failures()\n", env = mapOf("CLERK_SHELL_MAVEN_ARGS" to "-o -Dmaven.repo.local=/tmp/m2-x"))
            first.exit shouldBe 0
            first.out shouldContain "clerk-shell: building the kit"
            first.out shouldContain Regex("""clerk-shell: \[ *\d+s] building clerkkit testkit \(2/5\)""")
            first.out shouldContain Regex("""clerk-shell: \[ *\d+s] still building clerkkit testkit \(2/5\): kotlin-maven-plugin:2.4.10:compile""")
            first.out shouldContain Regex("""clerk-shell: \[ *\d+s] built""")
            first.out shouldContain "> failures()"
            val call = checkout.mvnCalls.readLines().single()
            call.split(' ') shouldContainAll listOf("-B", "-Dclerkkit.kit", "-pl", "scripts", "-am", "compile", "-o", "-Dmaven.repo.local=/tmp/m2-x")
            call shouldNotContain "package"
            call shouldNotContain "install"

            val second = checkout.shell("-", stdin = "failures()\n")
            second.exit shouldBe 0
            second.out shouldNotContain "building"
            checkout.mvnCalls.readLines().size shouldBe 1
        }

        test("a failed build shows Maven's errors and exits with 2 without starting the shell") {
            val checkout = fakeCheckout(mvnExit = 1, sleepSeconds = 0)
            val run = checkout.shell("-", stdin = "failures()\n")
            run.exit shouldBe 2
            run.out shouldContain "[ERROR] Failed to execute goal: the fake build broke"
            run.out shouldContain "clerk-shell: full log: "
            run.out shouldNotContain "> failures()"
        }
    }

    context("scripts and piped commands") {
        test("a .jsh file: each command echoed before its result, tables, a one-line error, exit status 1; the revoke happened") {
            val run = shell(
                script(
                    """
                    // comments are not echoed
                    sessions("$user")
                    revoke("$doomed")
                    get("sess_does_not_exist")
                    """,
                ).path,
            )
            run.exit shouldBe 1
            run.out shouldContain "connected to ${sandbox.baseUrl}"
            run.out shouldContain Regex("""> sessions\("$user"\)\nid\s+user\s+status\s+last active\s+expires""")
            run.out shouldContain Regex("""$keep\s+$user\s+active\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC""")
            run.out shouldContain Regex("""> revoke\("$doomed"\)\nid.*\n-.*\n$doomed\s+$user\s+revoked""")
            run.out shouldContain Regex("""> get\("sess_does_not_exist"\)\nerror: HTTP 404 resource_not_found: .+ \(trace id \w+\)\n""")
            run.out shouldNotContain "comments are not echoed"
            run.out shouldNotContain "Exception"
            run.out shouldNotContain sandbox.secretKey
            sandbox.session(doomed)!!["status"]!!.jsonPrimitive.content shouldBe "revoked"
            sandbox.session(keep)!!["status"]!!.jsonPrimitive.content shouldBe "active"
        }

        test("standard input: commands echoed (multi-line ones whole), values shown, exit status 0 when all succeed") {
            val run = shell(
                "-",
                stdin = "var t = token(\"$keep\");\nverify(t)\nwhoIs(t)\nwhoIs(\"__client_uat=0; __session=\" + t.substring(0, 20))\nactive(\"$user\")\nfor (int i = 0; i < 2; i++) {\n  System.out.println(\"line \" + i);\n}\n1 + 1\n",
            )
            run.exit shouldBe 0
            run.out shouldContain "> var t = token(\"$keep\");\n"
            run.out shouldContain Regex("""> verify\(t\)\nclaim\s+value\n-+\s+-+\nsid\s+$keep""")
            run.out shouldContain Regex("""sub\s+$user""")
            run.out shouldContain Regex("""> whoIs\(t\)\nfield\s+value\n-+\s+-+\nstate\s+signed-in\nuser\s+$user\nsession\s+$keep""")
            run.out shouldContain Regex("""state\s+signed-out\nreason\s+(session-token-but-no-client-uat|dev-browser-missing)""")
            run.out shouldContain "(1 session)"
            run.out shouldContain "> for (int i = 0; i < 2; i++) {\n    System.out.println(\"line \" + i);\n  }\nline 0\nline 1\n"
            run.out shouldContain "> 1 + 1\n$1 ==> 2\n"
            sandbox.requests.any { it.rawPath == "/v1/sessions/$keep/tokens" } shouldBe true
        }

        test("commands piped without '-' run the same way") {
            val run = shell(stdin = "failures()\n")
            run.exit shouldBe 0
            run.out shouldContain "> failures()\n$1 ==> 0"
        }

        test("stats(): the session's calls per operation with failures, percentiles and retries, from the kit's listener") {
            sandbox.faults.on(dev.clerkkit.testkit.Route.GET_SESSION).status(503)
            val run = shell("-", stdin = "stats()\nget(\"$keep\")\nget(\"$keep\")\nget(\"sess_shell_missing\")\nactive(\"$user\")\nstats()\n")
            sandbox.faults.clear()
            run.exit shouldBe 1 // the 404
            run.out shouldContain "> stats()\nno calls yet\n"
            val table = run.out.substringAfterLast("> stats()\n")
            table shouldContain Regex("""operation\s+calls\s+failed\s+p50 ms\s+p99 ms\s+retries\s+rate waits\s+waited ms\n""")
            table shouldContain Regex("""\nsessions\.get\s+3\s+1\s+\d+\.\d\s+\d+\.\d\s+1\s+0\s+0\.0\n""")
            table shouldContain Regex("""\nsessions\.list\s+1\s+0\s""")
            table shouldNotContain keep
            table shouldNotContain sandbox.secretKey
        }

        test("a compile error or an uncaught exception is one line and makes the exit status 1") {
            val compile = shell("-", stdin = "nosuchHelper(1)\n")
            compile.exit shouldBe 1
            compile.out shouldContain "> nosuchHelper(1)\nerror: cannot find symbol; symbol: method nosuchHelper(int)\n"
            val thrown = shell("-", stdin = "Integer.parseInt(\"x\")\n")
            thrown.exit shouldBe 1
            thrown.out shouldContain "error: NumberFormatException: For input string: \"x\"\n"
            thrown.out shouldNotContain "\tat "
            shell("-", stdin = "/vars\n").exit shouldBe 1
            shell("-", stdin = "get(\"sess_nope\")\n/exit 0\n").exit shouldBe 0 // an explicit /exit status wins
        }
    }

    context("helpers never widen a query, and every error is one line") {
        test("null, blank and malformed ids are refused before any request") {
            val before = sandbox.requests.size
            val run = shell(
                "-",
                stdin = listOf(
                    "active(null)", "sessions(\"\")", "sessions(\"   \")", "active(\"sess_shell_keep\")", "get(\"sess/../x\")",
                    "revoke(null)", "create(\"user 1\")", "sessionsOfClient(\"user_x\")", "token(\"sess_a\", \" \")",
                    "token(null)", "verify(null)", "refresh(\"sess_a\", null, \"r\", \"https://a.example\")", "call(null)",
                ).joinToString("\n", postfix = "\n"),
            )
            run.exit shouldBe 1
            sandbox.requests.size shouldBe before
            run.out shouldContain "> active(null)\nerror: active(userId): userId is null; nothing was sent\n"
            run.out shouldContain "> sessions(\"\")\nerror: sessions(userId): userId is blank; nothing was sent\n"
            run.out shouldContain "error: active(userId): \"sess_shell_keep\" is not a valid userId; expected user_..."
            run.out shouldContain "error: get(sessionId): \"sess/../x\" is not a valid sessionId"
            run.out shouldContain "error: sessionsOfClient(clientId): \"user_x\" is not a valid clientId; expected client_..."
            run.out shouldContain "error: refresh(expiredToken): expiredToken is null; nothing was sent"
            run.out.lines().count { it.startsWith("error: ") } shouldBe 13
            run.out shouldNotContain "id  " // no table: nothing was listed
        }

        test("a direct client() call that fails is one line with status, code and trace id; call() says the same and returns null") {
            val run = shell(
                "-",
                stdin = "client().sessions().get(\"sess_missing\").join()\n" +
                    "var s = call(() -> client().sessions().get(\"sess_missing\").join());\n" +
                    "s == null\n" +
                    "call(() -> client().sessions().get(\"$keep\").join().getUserId())\n",
            )
            run.exit shouldBe 1
            run.out shouldContain Regex(
                """> client\(\)\.sessions\(\)\.get\("sess_missing"\)\.join\(\)\nerror: sessions.get failed: HTTP 404 resource_not_found: .+ \(trace id \w+\)\n""",
            )
            run.out shouldContain Regex("""> var s = call\(.*\);\nerror: HTTP 404 resource_not_found: .+ \(trace id \w+\)\n""")
            run.out shouldContain Regex("""> s == null\n\$\d+ ==> true\n""")
            run.out shouldContain Regex("""\$\d+ ==> "$user"\n""")
            run.out shouldNotContain "CompletionException"
            run.out shouldNotContain "\tat "
        }
    }

    context("the demo") {
        test("offline: says what it will show, including that its one error is deliberate, and exits 0") {
            val run = shell("scripts/demo.jsh", online = false)
            run.exit shouldBe 0
            run.out shouldContain "OFFLINE DEMO on the embedded sandbox"
            run.out shouldContain "one error on\npurpose"
            run.out shouldContain Regex("""\(next, on purpose: .*404\)\n\n> get\("sess_missing"\)\nerror: HTTP 404 resource_not_found""")
            run.out shouldContain "that 404 was the deliberate error"
            run.out shouldContain Regex("""> active\("user_demo_alice"\)\nid\s+user""")
            run.out shouldContain "sess_demo_alice_laptop"
            run.out.lines().count { it.startsWith("error: ") } shouldBe 1
        }

        test("live (a secret key set): read-only; it lists, mints and verifies") {
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

        test("live with a wrong CLERK_SECRET_KEY: stops at the first 401 with one line naming CLERK_SECRET_KEY") {
            val before = sandbox.requests.size
            val run = shell(
                "scripts/demo.jsh",
                env = mapOf("CLERK_SECRET_KEY" to "sk_test_wrong", "CLERK_DEMO_USER_ID" to user),
            )
            run.exit shouldBe 1
            val errors = run.out.lines().filter { it.startsWith("error: ") }
            errors.size shouldBe 1
            errors[0] shouldContain "HTTP 401"
            errors[0] shouldContain "Clerk rejected CLERK_SECRET_KEY"
            run.out shouldContain "the live tour stops at the first failure"
            run.out shouldNotContain "no active session"
            run.out shouldNotContain "sk_test_wrong"
            sandbox.requests.size shouldBe before + 1
        }
    }

    test("--sandbox runs the sandbox alone and prints where it listens") {
        val pb = ProcessBuilder("bash", launcher.path, "--sandbox", "--port", "0").directory(root).redirectErrorStream(true)
        pb.environment()["CLERK_SHELL_CLASSPATH"] = System.getProperty("java.class.path")
        val p = pb.start()
        try {
            val lines = p.inputStream.bufferedReader()
            var baseUrl: String? = null
            var key: String? = null
            while (key == null) {
                val line = lines.readLine() ?: break
                baseUrl = baseUrl ?: Regex("""base URL:\s+(http\S+)""").find(line)?.groupValues?.get(1)
                key = Regex("""secret key:\s+(\S+)""").find(line)?.groupValues?.get(1)
            }
            val url = requireNotNull(baseUrl) { "no base URL printed" }
            val conn = java.net.URI("$url/sessions?user_id=user_demo_alice").toURL().openConnection() as java.net.HttpURLConnection
            conn.setRequestProperty("Authorization", "Bearer ${requireNotNull(key) { "no secret key printed" }}")
            conn.responseCode shouldBe 200
            conn.inputStream.bufferedReader().readText() shouldContain "sess_demo_alice_laptop"
        } finally {
            p.destroy()
            p.waitFor(10, TimeUnit.SECONDS)
        }
    }
})
