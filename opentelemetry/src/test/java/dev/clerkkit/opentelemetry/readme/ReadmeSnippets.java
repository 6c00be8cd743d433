package dev.clerkkit.opentelemetry.readme;

import dev.clerkkit.java.ClerkJavaClient;
import dev.clerkkit.opentelemetry.ClerkOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;

/**
 * README "Observability", OpenTelemetry's Java block, between {@code tag::name[]} and {@code end::name[]} exactly as
 * the README shows it. Compiled by this module; java-interop's ReadmeSnippetsTest accepts the README block found here,
 * and this module's ReadmeSnippetsSpec checks the README shows it.
 */
final class ReadmeSnippets {
    private ReadmeSnippets() {}

    /** {@code openTelemetry} is the snippet's free name. */
    static ClerkJavaClient openTelemetry(OpenTelemetry openTelemetry) {
        // tag::opentelemetry-java[]
        ClerkJavaClient clerk = ClerkJavaClient.builder()
            .secretKey(System.getenv("CLERK_SECRET_KEY"))
            .addEventListener(ClerkOpenTelemetry.create(openTelemetry)) // the caller's span is the parent, across the executor hop
            .build();
        // end::opentelemetry-java[]
        return clerk;
    }
}
