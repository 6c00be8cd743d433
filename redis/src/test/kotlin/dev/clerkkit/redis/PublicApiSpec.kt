package dev.clerkkit.redis

import dev.clerkkit.apiguard.PublicApi
import io.kotest.core.spec.style.FunSpec

/**
 * The public API of clerkkit-redis, read from target/classes, against redis/api/clerkkit-redis.api.
 * A difference fails with a diff and the command that regenerates the files (docs/releasing.md).
 */
class PublicApiSpec : FunSpec({
    test("the public API matches redis/api/clerkkit-redis.api") {
        PublicApi.checkThisModule()
    }
})
