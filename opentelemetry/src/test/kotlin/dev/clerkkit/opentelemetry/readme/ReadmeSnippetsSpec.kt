package dev.clerkkit.opentelemetry.readme

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeGreaterThanOrEqual
import java.io.File

/**
 * The README blocks this module compiles (readme/ReadmeSnippets.kt and .java) are shown by README.md: each tagged
 * region is exactly one ```kotlin or ```java block there. (client's ReadmeKotlinSnippetsSpec and java-interop's
 * ReadmeSnippetsTest accept these blocks as compiled.)
 */
class ReadmeSnippetsSpec : FunSpec({
    val readme = File("../README.md").readText()
    val tagged = Regex("""// tag::([\w-]+)\[]\n(.*?)\n\s*// end::\1\[]""", RegexOption.DOT_MATCHES_ALL)

    fun blocks(lang: String) = Regex("```$lang\n(.*?)\n```", RegexOption.DOT_MATCHES_ALL).findAll(readme).map { it.groupValues[1] }.toSet()
    fun regions(path: String) = tagged.findAll(File(path).readText()).associate { it.groupValues[1] to dedent(it.groupValues[2]) }

    test("every Kotlin and Java region of this module's snippet files is a README block") {
        val kotlin = regions("src/test/kotlin/dev/clerkkit/opentelemetry/readme/ReadmeSnippets.kt")
        val java = regions("src/test/java/dev/clerkkit/opentelemetry/readme/ReadmeSnippets.java")
        (kotlin.size + java.size) shouldBeGreaterThanOrEqual 2
        (kotlin.filterValues { it !in blocks("kotlin") }.keys + java.filterValues { it !in blocks("java") }.keys).shouldBeEmpty()
    }
})

private fun dedent(block: String): String {
    val lines = block.split("\n")
    val indent = lines.filter { it.isNotBlank() }.minOfOrNull { it.length - it.trimStart().length } ?: 0
    return lines.joinToString("\n") { if (it.isBlank()) "" else it.substring(indent) }
}
