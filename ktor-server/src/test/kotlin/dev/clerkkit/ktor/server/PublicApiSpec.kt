package dev.clerkkit.ktor.server

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec

/** The public API of clerkkit-ktor-server, read from target/classes, against ktor-server/api/clerkkit-ktor-server.api. */
class PublicApiSpec : FunSpec({
    test("the public API matches ktor-server/api/clerkkit-ktor-server.api") {
        PublicApi.checkThisModule()
    }
})
