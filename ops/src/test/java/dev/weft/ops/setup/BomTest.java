package dev.weft.ops.setup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
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
 * {@code bom/pom.xml} against the build: it lists exactly the modules that are published (every module of the root
 * pom but those that set {@code maven.deploy.skip}), each at the project's version, and the BOM's own version is
 * the project's.
 */
class BomTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void theBomListsEveryPublishedModuleAtTheProjectsVersion() throws Exception {
        Element root = pom(ROOT.resolve("pom.xml"));
        String version = text(root, "version");
        Set<String> published = new TreeSet<>();
        for (Element module : children(child(root, "modules"), "module")) {
            String name = module.getTextContent().trim();
            if (name.equals("bom")) {
                continue;
            }
            Element pom = pom(ROOT.resolve(name).resolve("pom.xml"));
            Element properties = child(pom, "properties");
            boolean skipped = properties != null && "true".equals(text(properties, "maven.deploy.skip"));
            if (!skipped) {
                published.add(text(pom, "artifactId"));
            }
        }
        assertTrue(published.contains("weft-server-core") && published.contains("weft-logging"), published.toString());

        Element bom = pom(ROOT.resolve("bom/pom.xml"));
        assertEquals(version, text(bom, "version"), "the BOM's version is the project's");
        assertEquals("pom", text(bom, "packaging"));
        assertNull(child(bom, "parent"), "no parent: the BOM must not pass on weft-parent's pins");
        Set<String> listed = new TreeSet<>();
        for (Element d : children(child(child(bom, "dependencyManagement"), "dependencies"), "dependency")) {
            assertEquals("dev.weft", text(d, "groupId"), "the BOM lists Weft's artifacts only");
            assertEquals("${project.version}", text(d, "version"), text(d, "artifactId"));
            assertTrue(listed.add(text(d, "artifactId")), "listed twice: " + text(d, "artifactId"));
        }
        assertEquals(published, listed, "bom/pom.xml against the modules that are not maven.deploy.skip");
    }

    private static Element pom(Path file) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return doc.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        List<Element> found = children(parent, name);
        return found.isEmpty() ? null : found.getFirst();
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> found = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                found.add(e);
            }
        }
        return found;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
