package dev.clerkkit.apiguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.clerkkit.apiguard.fixture.Visible;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard itself, on fixture classes copied out of target/test-classes: what the dump keeps and leaves out, and
 * that a checked-in file that differs from the classes fails with a readable diff and the regenerate command.
 * (Kotlin `internal` declarations are the validator's own job; the client's PublicApiSpec checks none reach its dump.)
 */
class PublicApiTest {
    @TempDir Path temp;
    Path classes;
    Path apiFile;

    @BeforeEach
    void copyFixtures() throws IOException, URISyntaxException {
        Path testClasses = Path.of(Visible.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        classes = temp.resolve("fixture-module/target/classes");
        for (String pkg : List.of("dev/clerkkit/apiguard/fixture", "dev/clerkkit/internal")) {
            try (Stream<Path> files = Files.walk(testClasses.resolve(pkg))) {
                for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                    Path to = classes.resolve(testClasses.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to);
                }
            }
        }
        apiFile = temp.resolve("fixture-module/api/fixture.api");
    }

    @Test
    void dumpKeepsThePublicApiAndLeavesOutTheRest() {
        String dump = PublicApi.dump(classes);
        assertTrue(dump.contains("public class dev/clerkkit/apiguard/fixture/Visible {"), dump);
        assertTrue(dump.contains("\tpublic static final field NAME Ljava/lang/String;"), dump);
        assertTrue(dump.contains("\tpublic fun <init> ()V"), dump);
        assertTrue(dump.contains("\tpublic fun shown ()Ljava/lang/String;"), dump);
        assertTrue(dump.contains("\tprotected fun forSubclasses ()V"), dump);
        for (String absent : List.of("packagePrivate", "secret", "marked", "Marked", "Hidden", "notReachable",
            "dev/clerkkit/internal/", "fixture/internal/", "Deep")) {
            assertFalse(dump.contains(absent), "the dump shows " + absent + ":\n" + dump);
        }
    }

    @Test
    void aCheckedInFileEqualToTheDumpPasses() throws IOException {
        Files.createDirectories(apiFile.getParent());
        Files.writeString(apiFile, PublicApi.dump(classes), StandardCharsets.UTF_8);
        PublicApi.check(classes, apiFile, false);
        // Windows line endings in a checkout do not count as a change
        Files.writeString(apiFile, PublicApi.dump(classes).replace("\n", "\r\n"), StandardCharsets.UTF_8);
        PublicApi.check(classes, apiFile, false);
    }

    @Test
    void aDoctoredFileFailsWithTheDiffAndTheRegenerateCommand() throws IOException {
        // as if the last commit had renamed shownBefore() to shown() and removed removedLater()
        String doctored = PublicApi.dump(classes)
            .replace("\tpublic fun shown ()Ljava/lang/String;\n",
                "\tpublic fun removedLater ()V\n\tpublic fun shownBefore ()Ljava/lang/String;\n");
        Files.createDirectories(apiFile.getParent());
        Files.writeString(apiFile, doctored, StandardCharsets.UTF_8);

        AssertionError e = assertThrows(AssertionError.class, () -> PublicApi.check(classes, apiFile, false));
        String message = e.getMessage();
        assertTrue(message.contains("The public API no longer matches fixture-module/api/fixture.api."), message);
        assertTrue(message.contains("\n-\tpublic fun removedLater ()V\n"), message);
        assertTrue(message.contains("\n-\tpublic fun shownBefore ()Ljava/lang/String;\n"), message);
        assertTrue(message.contains("\n+\tpublic fun shown ()Ljava/lang/String;\n"), message);
        assertTrue(message.contains("\n \tprotected fun forSubclasses ()V\n"), message); // a line of context
        assertTrue(message.contains(PublicApi.REGENERATE_COMMAND), message);
        assertTrue(message.contains("-Dclerkkit.api.update=true"), message);
    }

    @Test
    void anAddedPublicMemberFailsToo() throws IOException {
        String withoutForSubclasses = PublicApi.dump(classes).replace("\tprotected fun forSubclasses ()V\n", "");
        Files.createDirectories(apiFile.getParent());
        Files.writeString(apiFile, withoutForSubclasses, StandardCharsets.UTF_8);

        AssertionError e = assertThrows(AssertionError.class, () -> PublicApi.check(classes, apiFile, false));
        assertTrue(e.getMessage().contains("\n+\tprotected fun forSubclasses ()V\n"), e.getMessage());
    }

    @Test
    void aMissingFileFailsAndNamesTheCommand() {
        AssertionError e = assertThrows(AssertionError.class, () -> PublicApi.check(classes, apiFile, false));
        assertTrue(e.getMessage().contains("no checked-in public API file fixture-module/api/fixture.api"), e.getMessage());
        assertTrue(e.getMessage().contains(PublicApi.REGENERATE_COMMAND), e.getMessage());
    }

    @Test
    void updateWritesTheFileThatTheNextCheckAccepts() throws IOException {
        Files.createDirectories(apiFile.getParent());
        Files.writeString(apiFile, "stale\n", StandardCharsets.UTF_8);
        PublicApi.check(classes, apiFile, true);
        assertEquals(PublicApi.dump(classes), Files.readString(apiFile, StandardCharsets.UTF_8));
        PublicApi.check(classes, apiFile, false);
    }

    @Test
    void withoutTheMavenPropertiesTheModuleCheckSaysWhatIsMissing() {
        String before = System.getProperty(PublicApi.FILE_PROPERTY);
        System.clearProperty(PublicApi.FILE_PROPERTY);
        try {
            AssertionError e = assertThrows(AssertionError.class, PublicApi::checkThisModule);
            assertTrue(e.getMessage().contains(PublicApi.FILE_PROPERTY), e.getMessage());
        } finally {
            if (before != null) System.setProperty(PublicApi.FILE_PROPERTY, before);
        }
    }

    @Test
    void theRegenerateCommandNamesEveryModuleWithAnApiFileAndTheDocsShowIt() throws IOException {
        Path root = Path.of(System.getProperty("clerkkit.root", "..")).toAbsolutePath().normalize();
        String modules = PublicApi.REGENERATE_COMMAND.replaceAll(".* -pl (\\S+) .*", "$1");
        List<String> listed = List.of(modules.split(","));
        try (Stream<Path> dirs = Files.list(root)) {
            List<String> withApi = dirs.filter(d -> Files.isDirectory(d.resolve("api")))
                .map(d -> d.getFileName().toString()).sorted().toList();
            assertFalse(withApi.isEmpty(), "no module with an api/ directory under " + root);
            for (String module : withApi) assertTrue(listed.contains(module), module + " is not in " + PublicApi.REGENERATE_COMMAND);
            for (String module : listed) assertTrue(withApi.contains(module), module + " has no api/ directory");
        }
        for (String doc : List.of("README.md", "docs/releasing.md")) {
            String text = Files.readString(root.resolve(doc), StandardCharsets.UTF_8);
            assertTrue(text.contains(PublicApi.REGENERATE_COMMAND), doc + " does not show the regenerate command");
        }
    }
}
