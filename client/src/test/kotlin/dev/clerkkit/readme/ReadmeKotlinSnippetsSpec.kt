package dev.clerkkit.readme

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import java.io.File

/**
 * Every ```kotlin block of README.md and testkit/README.md is a tagged region of ReadmeKotlin.kt (which the build
 * compiles), and every region is shown by a README: the README's Kotlin cannot drift from code that compiles.
 */
class ReadmeKotlinSnippetsSpec : FunSpec({
    val root = generateSequence(File("").absoluteFile) { it.parentFile }.first { File(it, "testkit/README.md").isFile }
    val source = File(root, "client/src/test/kotlin/dev/clerkkit/readme/ReadmeKotlin.kt").readText()
    val tagged = Regex("""// tag::([\w-]+)\[]\n(.*?)\n\s*// end::\1\[]""", RegexOption.DOT_MATCHES_ALL)
    val regions = tagged.findAll(source).associate { it.groupValues[1] to dedent(it.groupValues[2]) }

    // Modules client's tests do not depend on (clerkkit-opentelemetry, clerkkit-micrometer) compile their own README
    // blocks in src/test/kotlin/.../readme/ReadmeSnippets.kt and check those are shown; here they count as compiled.
    val hosted = root.listFiles().orEmpty().filter { it.name != "client" }
        .flatMap { m -> File(m, "src/test/kotlin").walk().filter { it.name == "ReadmeSnippets.kt" && it.parentFile.name == "readme" }.toList() }
        .flatMap { f -> tagged.findAll(f.readText()).map { dedent(it.groupValues[2]) }.toList() }
    val readmes = listOf("README.md", "testkit/README.md")
    val blocks = readmes.flatMap { name ->
        Regex("""```kotlin\n(.*?)\n```""", RegexOption.DOT_MATCHES_ALL).findAll(File(root, name).readText())
            .map { name to it.groupValues[1] }.toList()
    }

    test("every README Kotlin block is compiled: it equals a tagged region of ReadmeKotlin.kt") {
        blocks.size shouldBeGreaterThanOrEqual 5
        val uncompiled = blocks.filter { (_, block) -> block !in regions.values && block !in hosted }
            .map { (name, block) -> "$name: ${block.lineSequence().first()}" }
        uncompiled.shouldBeEmpty()
    }

    test("every tagged region is shown by a README (no stale copy left behind)") {
        regions.size shouldBeGreaterThanOrEqual 5
        regions.filterValues { region -> blocks.none { it.second == region } }.keys.shouldBeEmpty()
    }
})

private fun dedent(block: String): String {
    val lines = block.split("\n")
    val indent = lines.filter { it.isNotBlank() }.minOfOrNull { it.length - it.trimStart().length } ?: 0
    return lines.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent) }
}
