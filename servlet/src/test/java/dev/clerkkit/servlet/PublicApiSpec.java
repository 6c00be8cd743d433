package dev.clerkkit.servlet;

import dev.clerkkit.apiguard.PublicApi;
import org.junit.jupiter.api.Test;

/**
 * The public API of clerkkit-servlet, read from target/classes, against servlet/api/clerkkit-servlet.api.
 * A difference fails with a diff and the command that regenerates the files (docs/releasing.md).
 */
class PublicApiSpec {
    @Test
    void publicApiMatchesTheCheckedInFile() {
        PublicApi.checkThisModule();
    }
}
