package dev.clerkkit.apiguard;

import org.junit.jupiter.api.Test;

/**
 * The public API of clerkkit-testkit, read from testkit/target/classes, against testkit/api/clerkkit-testkit.api.
 * It runs here rather than in testkit because testkit must build alone (see this module's pom); named like the
 * library modules' PublicApiSpec so that -Dclerkkit.api.update=true rewrites testkit's file too.
 */
class PublicApiSpec {
    @Test
    void testkitPublicApiMatchesTheCheckedInFile() {
        PublicApi.checkThisModule();
    }
}
