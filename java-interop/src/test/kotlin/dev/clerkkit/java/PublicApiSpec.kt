package dev.clerkkit.java

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec

/**
 * The public API of clerkkit-java, read from target/classes, against java-interop/api/clerkkit-java.api.
 * A difference fails with a diff and the command that regenerates the files (docs/releasing.md).
 */
class PublicApiSpec : FunSpec({
    test("the public API matches java-interop/api/clerkkit-java.api") {
        PublicApi.checkThisModule()
    }
})
