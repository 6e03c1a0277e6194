package io.stagewatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The configuration table of docs/configuration.md lists exactly the keys of {@link StagewatchConfig}, with the same defaults, so the
 * two cannot drift apart. The keys are read from the interface the way SmallRye Config maps it: the prefix, then one
 * segment per method, {@code @WithName} or the method name in kebab case, nested interfaces as groups.
 */
class ConfigurationTableTest {

    private static final Path PAGE = Path.of("docs/configuration.md");
    private static final String HEADING = "# Configuration";

    @Test
    void theConfigurationTableListsEveryKeyWithItsDefault() throws IOException {
        Map<String, Optional<String>> declared = new LinkedHashMap<>();
        walk(
                StagewatchConfig.class,
                StagewatchConfig.class.getAnnotation(ConfigMapping.class).prefix(),
                declared);
        Map<String, String> documented = configurationTable();

        assertEquals(
                List.of(),
                missing(declared.keySet(), documented.keySet()),
                "keys of StagewatchConfig missing from the table of " + PAGE);
        assertEquals(
                List.of(),
                missing(documented.keySet(), declared.keySet()),
                "keys in the table of " + PAGE + " that StagewatchConfig does not have");
        declared.forEach((key, value) -> {
            String cell = documented.get(key);
            if (value.isPresent()) {
                assertEquals("`" + value.get() + "`", cell, PAGE + ": default of " + key + " (@WithDefault)");
            } else {
                assertFalse(
                        cell.contains("`"),
                        PAGE + ": default of " + key + ": it has no @WithDefault, so the table says "
                                + "in words what happens without it, not a value: " + cell);
            }
        });
    }

    @Test
    void keysFollowTheMappingsNamingRules() {
        Map<String, Optional<String>> declared = new LinkedHashMap<>();
        walk(StagewatchConfig.class, "stagewatch", declared);
        assertEquals(Optional.of("30s"), declared.get("stagewatch.reconcile.interval"), "a nested group");
        assertEquals(Optional.of("15m"), declared.get("stagewatch.reconcile.pending-timeout"), "kebab case");
        assertEquals(Optional.of("stagewatch.io/notify"), declared.get("stagewatch.annotations.notify"), "@WithName");
        assertEquals(Optional.of("5s"), declared.get("stagewatch.outbox.backoff.initial"), "a group in a group");
        assertEquals(Optional.empty(), declared.get("stagewatch.ui.base-url"), "no default");
    }

    /** Adds every leaf key under {@code prefix} with its {@code @WithDefault}, if any. */
    private static void walk(Class<?> group, String prefix, Map<String, Optional<String>> keys) {
        Arrays.stream(group.getDeclaredMethods())
                .filter(m -> !m.isDefault() && !Modifier.isStatic(m.getModifiers()) && !m.isSynthetic())
                .sorted(Comparator.comparing(Method::getName))
                .forEach(method -> {
                    WithName named = method.getAnnotation(WithName.class);
                    String key = prefix + "." + (named != null ? named.value() : kebab(method.getName()));
                    Class<?> type = method.getReturnType();
                    if (type.isInterface() && type.getName().startsWith(StagewatchConfig.class.getName() + "$")) {
                        walk(type, key, keys);
                    } else {
                        WithDefault value = method.getAnnotation(WithDefault.class);
                        keys.put(key, Optional.ofNullable(value).map(WithDefault::value));
                    }
                });
    }

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Key to default cell of the table under the configuration heading. */
    private static Map<String, String> configurationTable() throws IOException {
        List<String> lines = Files.readAllLines(PAGE);
        int heading = lines.indexOf(HEADING);
        assertTrue(heading >= 0, PAGE + " has the heading '" + HEADING + "'");
        Map<String, String> rows = new LinkedHashMap<>();
        boolean inTable = false;
        for (String line : lines.subList(heading + 1, lines.size())) {
            if (line.startsWith("|")) {
                inTable = true;
                String[] cells = line.split("\\|", -1);
                String key = cells[1].trim();
                if (key.startsWith("`stagewatch.")) {
                    if (cells.length != 5 || cells[3].isBlank()) {
                        fail("a configuration row is | key | default | meaning |: " + line);
                    }
                    String previous = rows.put(key.substring(1, key.length() - 1), cells[2].trim());
                    assertEquals(null, previous, "listed once: " + key);
                }
            } else if (inTable) {
                break;
            }
        }
        return rows;
    }

    /** The keys of {@code expected} that {@code actual} lacks, sorted. */
    private static List<String> missing(Collection<String> expected, Collection<String> actual) {
        return expected.stream().filter(key -> !actual.contains(key)).sorted().toList();
    }
}
