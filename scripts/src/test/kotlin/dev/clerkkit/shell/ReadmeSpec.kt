package dev.clerkkit.shell

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldContain
import io.kotest.matchers.collections.shouldNotContain
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldNotContain
import java.io.File
import java.util.concurrent.TimeUnit

/**
 * README.md and testkit/README.md as a newcomer uses them: every command they show runs as written from the
 * repository root (the kit's commands are run here, offline; the CI command is the one `.ci/run` runs; the Maven
 * sandbox command is checked against the poms), and every repository path they name exists.
 */
class ReadmeSpec : FunSpec({
    val root = File(System.getProperty("clerkkit.root") ?: "..").canonicalFile
    val readmes = listOf("README.md", "testkit/README.md").map { File(root, it) }
    val ciCommand = "mvn -B -ntp verify -Dkotlin.compiler.daemon=false"

    /** Lines of ```bash blocks (comments dropped) and `inline` code that starts like a command. */
    fun commands(readme: File): List<String> {
        val text = readme.readText()
        val fenced = Regex("""```bash\n(.*?)\n```""", RegexOption.DOT_MATCHES_ALL).findAll(text)
            .flatMap { it.groupValues[1].lines() }
            .map { it.replace(Regex("""\s+#\s.*$"""), "").trim() }
            .filter { it.isNotEmpty() }
        val prose = text.replace(Regex("""```.*?```""", RegexOption.DOT_MATCHES_ALL), "")
        val inline = Regex("`([^`\n]+)`").findAll(prose).map { it.groupValues[1].trim() }
            .filter { it.startsWith("scripts/clerk-shell") || it.startsWith("mvn ") || it.contains("| scripts/clerk-shell") }
        return (fenced + inline).distinct().toList()
    }

    val all = readmes.flatMap { commands(it) }.distinct()

    fun runAsWritten(command: String): Pair<Int, String> {
        val pb = ProcessBuilder("bash", "-c", command).directory(root).redirectErrorStream(true)
        pb.environment()["CLERK_SHELL_CLASSPATH"] = System.getProperty("java.class.path")
        listOf("CLERK_SECRET_KEY", "CLERK_API_URL", "CLERK_DEMO_USER_ID").forEach { pb.environment().remove(it) }
        val p = pb.start()
        p.outputStream.close()
        val out = StringBuffer()
        val reader = Thread { p.inputStream.bufferedReader().forEachLine { out.append(it).append('\n') } }.apply { start() }
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly()
            error("`$command` did not finish in 180 s; output so far:\n$out")
        }
        reader.join(10_000)
        return p.exitValue() to out.toString()
    }

    test("the READMEs show the setup commands, and every command is one this spec knows how to check") {
        all shouldContain "scripts/clerk-shell scripts/demo.jsh"
        all shouldContain ciCommand
        val unknown = all.filterNot {
            it.startsWith("mvn ") || it.startsWith("scripts/clerk-shell") || it.contains("| scripts/clerk-shell")
        }
        unknown.shouldBeEmpty()
    }

    test("every Maven command names modules that exist, and none runs exec:java over -am (the parent has no main class)") {
        val mvn = all.filter { it.startsWith("mvn ") }
        for (command in mvn) {
            val words = command.split(Regex("\\s+"))
            val modules = words.zipWithNext().filter { it.first == "-pl" }.flatMap { it.second.split(',') }
            for (module in modules) withClue(command) { File(root, "$module/pom.xml").isFile shouldBe true }
            if ("exec:java" in words) withClue(command) { words shouldNotContain "-am" }
        }
    }

    test("the test command is exactly the one CI runs") {
        File(root, ".ci/run").readLines().map { it.trim() } shouldContain ciCommand
    }

    test("every clerk-shell command of the READMEs runs as written, offline, and exits 0 with real output") {
        val kit = all.filter { (it.startsWith("scripts/clerk-shell") || it.contains("| scripts/clerk-shell")) && "--sandbox" !in it }
        kit.size shouldBeGreaterThanOrEqual 4
        for (command in kit) {
            val (exit, out) = runAsWritten(command)
            withClue(command, out) { exit shouldBe 0 }
            if (!command.contains("--help")) {
                withClue(command, out) {
                    out shouldContain "OFFLINE DEMO on the embedded sandbox"
                    out shouldNotContain "(0 sessions)" // an id the offline sandbox does not know
                    out.lines().count { it.startsWith("error: ") } shouldBe (if (command.endsWith("demo.jsh")) 1 else 0)
                }
            }
            if (command.contains("| scripts/clerk-shell")) withClue(command, out) { out shouldContain "sess_demo_" }
        }
    }

    test("the sandbox commands start a sandbox (checked on a free port instead of the one shown)") {
        val sandboxCommands = all.filter { "--sandbox" in it }
        sandboxCommands.size shouldBeGreaterThanOrEqual 1
        for (command in sandboxCommands) {
            val args = command.removePrefix("scripts/clerk-shell").trim().split(Regex("\\s+"))
                .let { a -> a.mapIndexed { i, s -> if (i > 0 && a[i - 1] == "--port") "0" else s } }
            val pb = ProcessBuilder(listOf("bash", "scripts/clerk-shell") + args + listOf("--port", "0"))
                .directory(root).redirectErrorStream(true)
            pb.environment()["CLERK_SHELL_CLASSPATH"] = System.getProperty("java.class.path")
            val p = pb.start()
            try {
                val reader = p.inputStream.bufferedReader()
                var line = reader.readLine()
                while (line != null && !line.contains("base URL:")) line = reader.readLine()
                withClue(command) { (line ?: "") shouldContain Regex("""base URL:\s+https?://127\.0\.0\.1:\d+/v1""") }
            } finally {
                p.destroy()
                p.waitFor(10, TimeUnit.SECONDS)
            }
        }
    }

    test("the Maven sandbox command works without -am: testkit names its main class and builds alone") {
        val mvnSandbox = all.filter { it.startsWith("mvn -pl testkit compile exec:java") }
        mvnSandbox.size shouldBeGreaterThanOrEqual 1
        mvnSandbox.forEach { it shouldNotContain "-am" }
        val pom = File(root, "testkit/pom.xml").readText()
        pom shouldContain "<mainClass>dev.clerkkit.testkit.SandboxMain</mainClass>"
        pom shouldNotContain "<artifactId>clerkkit-client</artifactId>" // no reactor module to build first
        File(root, "testkit/src/main/kotlin/dev/clerkkit/testkit/SandboxMain.kt").isFile shouldBe true
    }

    test("every repository path the READMEs name exists") {
        val files = root.walkTopDown()
            .onEnter { it.name != ".git" && it.name != "target" && it.name != "node_modules" }
            .map { it.relativeTo(root).invariantSeparatorsPath }.toList()
        val missing = readmes.flatMap { readme ->
            val prose = readme.readText().replace(Regex("""```.*?```""", RegexOption.DOT_MATCHES_ALL), "")
            Regex("`([^`\n]+)`").findAll(prose).map { it.groupValues[1] }
                .filter { Regex("""[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*/?""").matches(it) && it.contains('/') }
                .filter { path ->
                    val p = path.trimEnd('/')
                    !File(root, p).exists() && !File(readme.parentFile, p).exists() && files.none { it.endsWith("/$p") }
                }
                .map { "${readme.name}: $it" }
                .toList()
        }
        missing.shouldBeEmpty()
        // paths inside bash blocks too: the scripts they run
        all.flatMap { Regex("""scripts/[\w.-]+\.jsh""").findAll(it).map { m -> m.value }.toList() }
            .filterNot { File(root, it).isFile }.shouldBeEmpty()
    }
})

private inline fun <T> withClue(command: String, out: String = "", block: () -> T): T =
    io.kotest.assertions.withClue("`$command` printed:\n$out") { block() }
