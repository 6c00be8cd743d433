package dev.clerkkit.servlet.readme;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Servlet and Spring Boot" blocks are the compiled ones: every tagged snippet of this package's sources
 * appears in that section verbatim, and every ```java block of the section is exactly one of them.
 */
class ServletReadmeSnippetsTest {
    static final Path SOURCES = Path.of("src/test/java/dev/clerkkit/servlet/readme");
    static final Path README = Path.of("../README.md");
    static final String HEADING = "### Servlet and Spring Boot";

    @Test
    void theSectionQuotesEverySnippetAndNothingElse() throws IOException {
        String readme = Files.readString(README);
        int start = readme.indexOf("\n" + HEADING + "\n");
        assertTrue(start >= 0, "README.md has no section " + HEADING);
        int parent = readme.lastIndexOf("\n## ", start);
        assertTrue(readme.startsWith("\n## Authenticate a request\n", parent), HEADING + " must be under '## Authenticate a request'");
        Matcher next = Pattern.compile("\n#{2,3} ").matcher(readme);
        int end = next.find(start + 1) ? next.start() : readme.length();
        String section = readme.substring(start, end);

        Map<String, String> snippets = snippets();
        assertEquals(Set.of("servlet-filter", "servlet-principal", "spring-filter"), snippets.keySet());
        List<String> missing = new ArrayList<>();
        snippets.forEach((name, text) -> {
            if (!section.contains("```java\n" + text + "\n```")) missing.add(name);
        });
        assertTrue(missing.isEmpty(), HEADING + " lacks (or has stale copies of) snippets " + missing);

        Matcher blocks = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL).matcher(section);
        List<String> uncompiled = new ArrayList<>();
        while (blocks.find()) if (!snippets.containsValue(blocks.group(1))) uncompiled.add(blocks.group(1).lines().findFirst().orElse(""));
        assertTrue(uncompiled.isEmpty(), "Java blocks of " + HEADING + " that are not one compiled snippet: " + uncompiled);
    }

    /** The tagged snippets of every source file of this package, dedented, by tag. */
    static Map<String, String> snippets() throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java") && !p.toString().endsWith("Test.java")).sorted().toList();
        }
        for (Path f : files) {
            Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(Files.readString(f));
            while (m.find()) out.put(m.group(1), dedent(m.group(2)));
        }
        return out;
    }

    static String dedent(String block) {
        String[] lines = block.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String l : lines) if (!l.isBlank()) indent = Math.min(indent, l.length() - l.stripLeading().length());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            sb.append(lines[i].isBlank() ? "" : lines[i].substring(indent));
            if (i < lines.length - 1) sb.append('\n');
        }
        return sb.toString();
    }
}
