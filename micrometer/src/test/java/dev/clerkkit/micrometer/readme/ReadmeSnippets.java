package dev.clerkkit.micrometer.readme;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.micrometer.ClerkMicrometer;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * README "Observability", Micrometer's Java block, between {@code tag::name[]} and {@code end::name[]} exactly as the
 * README shows it. Compiled by this module; java-interop's ReadmeSnippetsTest accepts the README block found here, and
 * this module's ReadmeSnippetsSpec checks the README shows it.
 */
final class ReadmeSnippets {
    private ReadmeSnippets() {}

    /** {@code meterRegistry} is the snippet's free name. */
    static ClerkJavaClient micrometer(MeterRegistry meterRegistry) {
        // tag::micrometer-java[]
        ClerkJavaClient clerk = ClerkJavaClient.builder()
            .secretKey(System.getenv("CLERK_SECRET_KEY"))
            .addEventListener(ClerkMicrometer.create(meterRegistry))
            .build();
        // end::micrometer-java[]
        return clerk;
    }
}
