package dev.clerkkit.java.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.sessions.RevokeAllReport;
import dev.clerkkit.testkit.ClerkSandbox;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the README's "Session workflows" Java snippet against the sandbox. */
class WorkflowsReadmeTest {
    @Test
    void workflowsSnippetRevokesAllButTheCurrentSession() {
        try (ClerkSandbox sandbox = ClerkSandbox.start()) {
            sandbox.addJwtTemplate("worker", Map.of("role", "worker"), 60);
            String user = sandbox.addUser();
            List<String> ids = sandbox.addSessions(user, 5);
            RevokeAllReport report = ReadmeExamples.workflows(sandbox.getSecretKey(), sandbox.getBaseUrl(), user, ids.get(4));
            assertEquals(4, report.getRevoked().size());
            assertEquals(List.of(ids.get(4)), report.getKept());
            assertTrue(report.isComplete());
            assertEquals(1L, sandbox.getStats().requests(dev.clerkkit.testkit.Route.CREATE_TOKEN_FROM_TEMPLATE));
        }
    }
}
