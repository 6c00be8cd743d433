package dev.clerkkit.apiguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a release publishes, read from the poms: the published modules are the ones with a checked-in api/ file, the
 * BOM manages exactly those, and the BOM (which has no parent, see bom/pom.xml) carries the parent's version.
 */
class ReleaseLayoutTest {
    private final File root = new File(System.getProperty("clerkkit.root", "..")).getAbsoluteFile();

    private static Document parse(File pom) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom);
    }

    /** The text of {@code <name>} right under the project element (not inside parent/dependencies). */
    private static String top(Document pom, String name) {
        for (Node n = pom.getDocumentElement().getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element && n.getNodeName().equals(name)) return n.getTextContent().trim();
        }
        return null;
    }

    private static List<String> modules(Document parent) {
        List<String> out = new ArrayList<>();
        NodeList list = parent.getElementsByTagName("module");
        for (int i = 0; i < list.getLength(); i++) out.add(list.item(i).getTextContent().trim());
        return out;
    }

    /** artifactIds of the modules that publish a public API (they have api/ARTIFACT.api). */
    private Set<String> publishedArtifacts() throws Exception {
        Set<String> out = new TreeSet<>();
        for (String module : modules(parse(new File(root, "pom.xml")))) {
            String artifactId = top(parse(new File(root, module + "/pom.xml")), "artifactId");
            if (new File(root, module + "/api/" + artifactId + ".api").isFile()) out.add(artifactId);
        }
        return out;
    }

    @Test
    void theBomManagesExactlyThePublishedModulesAtTheParentsVersion() throws Exception {
        Document parent = parse(new File(root, "pom.xml"));
        Document bom = parse(new File(root, "bom/pom.xml"));
        assertEquals(top(parent, "version"), top(bom, "version"), "bom/pom.xml's version must equal the parent's");
        assertEquals(top(parent, "groupId"), top(bom, "groupId"));

        Set<String> managed = new TreeSet<>();
        NodeList deps = bom.getElementsByTagName("dependency");
        for (int i = 0; i < deps.getLength(); i++) {
            Element dep = (Element) deps.item(i);
            assertEquals("${project.version}", dep.getElementsByTagName("version").item(0).getTextContent().trim());
            managed.add(dep.getElementsByTagName("artifactId").item(0).getTextContent().trim());
        }
        Set<String> published = publishedArtifacts();
        assertEquals(Set.of("clerkkit-client", "clerkkit-java", "clerkkit-redis", "clerkkit-opentelemetry", "clerkkit-micrometer", "clerkkit-testkit",
                "clerkkit-ktor-server", "clerkkit-servlet"), published);
        assertEquals(published, managed, "bom/pom.xml must manage every module with an api/ file, and only those");
    }

    @Test
    void modulesThatPublishNothingSaySo() throws Exception {
        Set<String> published = publishedArtifacts();
        for (String module : modules(parse(new File(root, "pom.xml")))) {
            Document pom = parse(new File(root, module + "/pom.xml"));
            String artifactId = top(pom, "artifactId");
            if (published.contains(artifactId) || "pom".equals(top(pom, "packaging"))) continue;
            NodeList skip = pom.getElementsByTagName("maven.deploy.skip");
            assertTrue(skip.getLength() == 1 && skip.item(0).getTextContent().trim().equals("true"),
                module + " has no api/ file, so it must set maven.deploy.skip (and the other skips) to true");
            assertFalse(published.contains(artifactId));
        }
    }
}
