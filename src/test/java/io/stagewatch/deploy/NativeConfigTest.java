package io.stagewatch.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The native-image metadata in {@code src-native-config/} names only classes that exist and resources that are there,
 * and it reaches native-image: the native Maven profile copies every file to the classpath folder the build arguments
 * in {@code application.properties} name, and those arguments name no file that is missing.
 */
class NativeConfigTest {

    private static final Path CONFIG = Path.of("src-native-config");
    private static final Path RESOURCES = Path.of("src/main/resources");
    /** Where the native profile puts src-native-config/*.json on the classpath (pom.xml, profile "native"). */
    private static final String CLASSPATH_FOLDER = "stagewatch-native-config";

    private static final Pattern CONFIG_RESOURCE_ARG =
            Pattern.compile("-H:(\\w+)ConfigurationResources=" + CLASSPATH_FOLDER + "/([^,\\s]+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everyClassNamedForReflectionExists() throws IOException {
        JsonNode entries = JSON.readTree(CONFIG.resolve("reflect-config.json").toFile());
        assertTrue(entries.isArray(), "reflect-config.json is a JSON array");
        for (JsonNode entry : entries) {
            String name = entry.path("name").asText("");
            assertDoesNotThrow(
                    () -> Class.forName(name, false, getClass().getClassLoader()),
                    "reflect-config.json names " + name + ", which is not on the classpath");
        }
    }

    @Test
    void everyResourcePatternMatchesAResource() throws IOException {
        JsonNode config = JSON.readTree(CONFIG.resolve("resource-config.json").toFile());
        JsonNode includes = config.path("resources").path("includes");
        assertTrue(includes.isArray(), "resource-config.json has resources.includes, a JSON array");
        List<String> available = includes.isEmpty() ? List.of() : availableResources();
        for (JsonNode include : includes) {
            Pattern pattern = Pattern.compile(include.path("pattern").asText());
            assertTrue(
                    available.stream().anyMatch(name -> pattern.matcher(name).matches()),
                    "resource-config.json includes " + pattern + ", which matches nothing under " + RESOURCES
                            + " or on the classpath");
        }
    }

    @Test
    void theBuildArgumentsNameExactlyTheConfigurationFiles() throws IOException {
        Set<String> named = new TreeSet<>();
        Matcher args = CONFIG_RESOURCE_ARG.matcher(nativeBuildArgs());
        while (args.find()) {
            String kind = args.group(1);
            String file = args.group(2);
            assertEquals(
                    kind.toLowerCase(Locale.ROOT).replace("reflection", "reflect") + "-config.json",
                    file,
                    "-H:" + kind + "ConfigurationResources names a file of another kind");
            named.add(file);
        }
        assertEquals(
                configurationFiles(),
                named,
                "quarkus.native.additional-build-args names every file of src-native-config/, and only those");
    }

    @Test
    void theNativeProfileCopiesTheConfigurationOntoTheClasspath() throws Exception {
        Element profile = nativeProfile();
        NodeList executions = profile.getElementsByTagName("execution");
        boolean copies = false;
        for (int i = 0; i < executions.getLength(); i++) {
            Element execution = (Element) executions.item(i);
            copies |= text(execution, "goal").equals("copy-resources")
                    && text(execution, "directory").endsWith("src-native-config")
                    && text(execution, "outputDirectory").equals("${project.build.outputDirectory}/" + CLASSPATH_FOLDER)
                    && text(execution, "include").equals("*.json");
        }
        assertTrue(copies, "the native profile copies src-native-config/*.json to " + CLASSPATH_FOLDER + "/");
    }

    private static String nativeBuildArgs() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(RESOURCES.resolve("application.properties"))) {
            properties.load(in);
        }
        String args = properties.getProperty("quarkus.native.additional-build-args", "");
        assertTrue(args.contains("-H:+UnlockExperimentalVMOptions"), "the -H: options are unlocked");
        return args;
    }

    private static Set<String> configurationFiles() throws IOException {
        try (Stream<Path> files = Files.list(CONFIG)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json"))
                    .collect(TreeSet::new, Set::add, Set::addAll);
        }
    }

    private static Element nativeProfile() throws Exception {
        var pom = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(Path.of("pom.xml").toFile());
        NodeList profiles = pom.getElementsByTagName("profile");
        for (int i = 0; i < profiles.getLength(); i++) {
            Element profile = (Element) profiles.item(i);
            if (text(profile, "id").equals("native")) {
                return profile;
            }
        }
        throw new AssertionError("pom.xml has no profile \"native\"");
    }

    private static String text(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagName(tag);
        return nodes.getLength() == 0 ? "" : nodes.item(0).getTextContent().trim();
    }

    /** Every resource name under src/main/resources and in every directory or jar of the test classpath. */
    private static List<String> availableResources() {
        List<String> names = new ArrayList<>();
        collect(RESOURCES, names);
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Arrays.stream(classpath.split(File.pathSeparator))
                .filter(entry -> !entry.isBlank())
                .map(Path::of)
                .forEach(entry -> collect(entry, names));
        return names;
    }

    private static void collect(Path entry, List<String> names) {
        try {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> files = Files.walk(entry)) {
                    files.filter(Files::isRegularFile)
                            .forEach(file ->
                                    names.add(entry.relativize(file).toString().replace(File.separatorChar, '/')));
                }
            } else if (entry.toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                try (JarFile jar = new JarFile(entry.toFile())) {
                    jar.stream()
                            .filter(e -> !e.isDirectory())
                            .map(ZipEntry::getName)
                            .forEach(names::add);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(entry + " cannot be read", e);
        }
    }
}
