package dev.clerkkit

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.collections.shouldNotBeEmpty
import io.kotest.matchers.string.shouldNotContain
import java.io.File
import kotlin.metadata.Visibility
import kotlin.metadata.jvm.KotlinClassMetadata
import kotlin.metadata.visibility

/**
 * The public API of clerkkit-client, read from target/classes, against client/api/clerkkit-client.api.
 * A difference fails with a diff and the command that regenerates the files (docs/releasing.md).
 */
class PublicApiSpec : FunSpec({
    test("the public API matches client/api/clerkkit-client.api") {
        PublicApi.checkThisModule()
    }

    test("Kotlin internal declarations (public in bytecode) stay out of the dump") {
        val classes = File(System.getProperty(PublicApi.CLASSES_PROPERTY))
        val dump = PublicApi.dump(classes.toPath())
        val internalClasses = classes.walkTopDown().filter { it.name.endsWith(".class") }
            .map { it.relativeTo(classes).invariantSeparatorsPath.removeSuffix(".class") }
            .filter { name ->
                val metadata = Class.forName(name.replace('/', '.'), false, javaClass.classLoader)
                    .getAnnotation(Metadata::class.java) ?: return@filter false
                (KotlinClassMetadata.readLenient(metadata) as? KotlinClassMetadata.Class)?.kmClass?.visibility == Visibility.INTERNAL
            }.toList()
        internalClasses.shouldNotBeEmpty()
        internalClasses.filter { dump.contains("class $it ") || dump.contains("class $it\n") }.shouldBeEmpty()
        dump shouldNotContain "\$clerkkit_client" // internal members of public classes (mangled names)
        dump shouldNotContain "dev/clerkkit/internal/"
    }
})
