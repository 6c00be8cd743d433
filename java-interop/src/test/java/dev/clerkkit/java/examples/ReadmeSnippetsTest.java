package dev.clerkkit.java.examples;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's Java snippets are the compiled ones: every tagged snippet of ReadmeExamples appears in README.md verbatim. */
class ReadmeSnippetsTest {
    @Test
    void readmeQuotesTheCompiledSnippets() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/clerkkit/java/examples/ReadmeExamples.java"));
        String readme = Files.readString(Path.of("../README.md"));
        Matcher m = Pattern.compile("// tag::([\\w-]+)\\[]\\n(.*?)\\n\\s*// end::\\1\\[]", Pattern.DOTALL).matcher(source);
        List<String> missing = new ArrayList<>();
        int found = 0;
        while (m.find()) {
            found++;
            if (!readme.contains(dedent(m.group(2)))) missing.add(m.group(1));
        }
        assertTrue(found >= 15, "expected the tagged snippets, found " + found);
        assertTrue(missing.isEmpty(), "README.md lacks (or has stale copies of) snippets " + missing);
        assertFalse(readme.contains("<!--"), "README.md has an unfilled placeholder");
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
