package io.stagewatch.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** JSON patches built op by op: pointers escaped once, ops kept in order, values written as JSON. */
class JsonPatchTest {

    @ParameterizedTest(name = "{0} is the segment {1}")
    @CsvSource({
        "stagewatch.io/held, stagewatch.io~1held",
        "a~b, a~0b",
        // ~ is escaped before /, so the ~ that escapes a / is not escaped again
        "a~/b, a~0~1b",
        "~1, ~01",
        "plain, plain"
    })
    void aPointerEscapesTildeAndSlashInEachSegment(String key, String escaped) {
        assertEquals("/metadata/labels/" + escaped, JsonPatch.path("metadata", "labels", key));
    }

    @Test
    void anArrayIndexIsASegmentLikeAnyOther() {
        assertEquals("/metadata/finalizers/2", JsonPatch.path("metadata", "finalizers", 2));
        assertEquals("/metadata/finalizers/-", JsonPatch.path("metadata", "finalizers", "-"));
    }

    @Test
    void opsAreWrittenInTheOrderTheyWereAdded() {
        String patch = new JsonPatch()
                .test("/metadata/uid", "u-1")
                .remove("/metadata/finalizers/0")
                .add("/metadata/labels/a", "b")
                .toJson();

        assertEquals(
                "[{\"op\":\"test\",\"path\":\"/metadata/uid\",\"value\":\"u-1\"},"
                        + "{\"op\":\"remove\",\"path\":\"/metadata/finalizers/0\"},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels/a\",\"value\":\"b\"}]",
                patch);
    }

    @Test
    void valuesAreJsonWhateverTheyHoldArraysAndObjectsIncluded() {
        String patch = new JsonPatch()
                .add("/metadata/finalizers", List.of("a/b"))
                .add("/metadata/labels", Map.of("k", "v"))
                .test("/metadata/name", "quote\" and \\ backslash")
                .toJson();

        assertEquals(
                "[{\"op\":\"add\",\"path\":\"/metadata/finalizers\",\"value\":[\"a/b\"]},"
                        + "{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"k\":\"v\"}},"
                        + "{\"op\":\"test\",\"path\":\"/metadata/name\",\"value\":\"quote\\\" and \\\\ backslash\"}]",
                patch);
    }

    @Test
    void anEmptyPatchIsAnEmptyArray() {
        assertEquals("[]", new JsonPatch().toJson());
    }
}
