@file:Suppress("unused")

package dev.clerkkit.opentelemetry.readme

import dev.clerkkit.ClerkClient
import dev.clerkkit.opentelemetry.ClerkOpenTelemetry
import io.opentelemetry.api.OpenTelemetry

/*
 * README "Observability", OpenTelemetry's Kotlin block, between tag::name[] and end::name[] exactly as the README
 * shows it. Compiled by this module (client's tests do not depend on it); ReadmeKotlinSnippetsSpec (client) accepts
 * the README blocks found here, and this module's ReadmeSnippetsSpec checks the README shows every region.
 */

/** [openTelemetry] is the snippet's free name (the SDK, or `GlobalOpenTelemetry.get()`). */
fun openTelemetrySnippet(openTelemetry: OpenTelemetry): ClerkClient {
    // tag::opentelemetry-kotlin[]
    val clerk = ClerkClient {
        secretKey = System.getenv("CLERK_SECRET_KEY")
        addEventListener(
            ClerkOpenTelemetry.builder(openTelemetry)
                .propagateTraceContext(true) // send traceparent (default false: Clerk does not read it)
                .build(),
        )
    }
    // end::opentelemetry-kotlin[]
    return clerk
}
