package dev.clerkkit.micrometer

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec

/** The public API of clerkkit-micrometer, read from target/classes, against micrometer/api/clerkkit-micrometer.api. */
class PublicApiSpec : FunSpec({
    test("the public API matches micrometer/api/clerkkit-micrometer.api") {
        PublicApi.checkThisModule()
    }
})
