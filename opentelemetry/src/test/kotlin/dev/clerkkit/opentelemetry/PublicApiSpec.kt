package dev.clerkkit.opentelemetry

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec

/** The public API of clerkkit-opentelemetry, read from target/classes, against opentelemetry/api/clerkkit-opentelemetry.api. */
class PublicApiSpec : FunSpec({
    test("the public API matches opentelemetry/api/clerkkit-opentelemetry.api") {
        PublicApi.checkThisModule()
    }
})
