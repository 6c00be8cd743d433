package dev.clerkkit.java.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's Java blocks are the compiled ones, one method body each: every tagged snippet of ReadmeExamples appears
 * in README.md verbatim, and every ```java block of README.md is exactly one tagged snippet (so it compiles in the form
 * shown, with no declaration repeated from another snippet) or, in the Servlet section, one snippet of clerkkit-servlet.
 */
class ReadmeSnippetsTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/clerkkit/java/examples/ReadmeExamples.java");
    private static final Path README = Path.of("../README.md");
    /** clerkkit-servlet's README snippets (checked against their own section there, ServletReadmeSnippetsTest). */
    private static final Path SERVLET_SNIPPETS = Path.of("../servlet/src/test/java/dev/clerkkit/servlet/readme");

    @Test
    void readmeQuotesTheCompiledSnippets() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> snippets = snippets();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> e : snippets.entrySet()) if (!readme.contains(e.getValue())) missing.add(e.getKey());
        assertTrue(snippets.size() >= 15, "expected the tagged snippets, found " + snippets.size());
        assertTrue(missing.isEmpty(), "README.md lacks (or has stale copies of) snippets " + missing);
        assertFalse(readme.contains("<!--"), "README.md has an unfilled placeholder");
    }

    @Test
    void everyReadmeJavaBlockIsOneCompiledSnippet() throws IOException {
        String readme = Files.readString(README);
        Map<String, String> snippets = snippets();
        Collection<String> compiled = new ArrayList<>(snippets.values());
        compiled.addAll(servletSnippets());
        compiled.addAll(hostedSnippets().values());
        Matcher m = Pattern.compile("```java\\n(.*?)\\n```", Pattern.DOTALL).matcher(readme);
        List<String> uncompiled = new ArrayList<>();
        int blocks = 0;
        while (m.find()) {
            blocks++;
            if (!compiled.contains(m.group(1))) uncompiled.add(m.group(1).lines().findFirst().orElse(""));
        }
        assertTrue(blocks >= 15, "expected the README's Java blocks, found " + blocks);
        assertTrue(uncompiled.isEmpty(), "README.md Java blocks that are not exactly one snippet of ReadmeExamples: " + uncompiled);
    }

    private static Map<String, String> snippets() throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        tagged(Files.readString(SOURCE), snippets);
        return snippets;
    }

    /** The tagged snippets of clerkkit-servlet's README sources, if that module is there. */
    private static List<String> servletSnippets() throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(SERVLET_SNIPPETS)) return out;
        List<Path> files;
        try (Stream<Path> s = Files.list(SERVLET_SNIPPETS)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        for (Path f : files) {
            Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(Files.readString(f));
            while (m.find()) out.add(dedent(m.group(2)));
        }
        return out;
    }

    /**
     * The snippets of modules java-interop's tests do not depend on (clerkkit-opentelemetry, clerkkit-micrometer):
     * each compiles its README blocks in src/test/java/.../readme/ReadmeSnippets.java and checks they are shown.
     */
    private static Map<String, String> hostedSnippets() throws IOException {
        Map<String, String> snippets = new LinkedHashMap<>();
        try (Stream<Path> modules = Files.list(Path.of(".."))) {
            for (Path module : (Iterable<Path>) modules::iterator) {
                Path tests = module.resolve("src/test/java");
                if (!Files.isDirectory(tests)) continue;
                try (Stream<Path> files = Files.walk(tests)) {
                    for (Path f : (Iterable<Path>) files.filter(p -> p.endsWith(Path.of("readme", "ReadmeSnippets.java")))::iterator) {
                        tagged(Files.readString(f), snippets);
                    }
                }
            }
        }
        return snippets;
    }

    private static void tagged(String source, Map<String, String> into) {
        Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(source);
        while (m.find()) into.put(m.group(1), dedent(m.group(2)));
    }

    private static String dedent(String block) {
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
