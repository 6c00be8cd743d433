@file:Suppress("unused")

package dev.clerkkit.micrometer.readme

import dev.clerkkit.ClerkClient
import dev.clerkkit.micrometer.ClerkMicrometer
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.observation.ObservationRegistry

/*
 * README "Observability", Micrometer's Kotlin blocks, between tag::name[] and end::name[] exactly as the README shows
 * them. Compiled by this module (client's tests do not depend on it); ReadmeKotlinSnippetsSpec (client) accepts the
 * README blocks found here, and this module's ReadmeSnippetsSpec checks the README shows every region.
 */

/** [meterRegistry] is the snippet's free name (e.g. Spring's or a Prometheus registry). */
fun micrometerSnippet(meterRegistry: MeterRegistry): ClerkClient {
    // tag::micrometer-kotlin[]
    val clerk = ClerkClient {
        secretKey = System.getenv("CLERK_SECRET_KEY")
        addEventListener(ClerkMicrometer.create(meterRegistry)) // clerk.calls, http.client.requests, clerk.calls.active, ...
    }
    // end::micrometer-kotlin[]
    return clerk
}

/** [meterRegistry] and [observationRegistry] are the snippet's free names. */
fun micrometerObservationSnippet(meterRegistry: MeterRegistry, observationRegistry: ObservationRegistry): ClerkClient {
    // tag::micrometer-observation-kotlin[]
    val micrometer = ClerkMicrometer.builder()
        .observationRegistry(observationRegistry) // calls and attempts become observations (timers, spans: the handlers')
        .meterRegistry(meterRegistry) // rate-budget wait timer, retry and token counters, in-flight gauge
        .build()
    val clerk = ClerkClient {
        secretKey = System.getenv("CLERK_SECRET_KEY")
        addEventListener(micrometer)
    }
    // end::micrometer-observation-kotlin[]
    return clerk
}
