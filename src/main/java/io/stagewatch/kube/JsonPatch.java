package io.stagewatch.kube;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSON patch (RFC 6902), written op by op and serialized by Jackson, so that no value is ever pasted into JSON text.
 * Paths are JSON pointers (RFC 6901) built from their segments by {@link #path}, which escapes {@code ~} and {@code /}
 * in each, as a label key such as {@code stagewatch.io/held} needs.
 */
public final class JsonPatch {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ArrayNode ops = JSON.createArrayNode();

    /** The patch fails, and changes nothing, unless the value at {@code path} equals {@code value}. */
    public JsonPatch test(String path, Object value) {
        op("test", path).set("value", JSON.valueToTree(value));
        return this;
    }

    /** Sets a member, or inserts into an array ({@code -} as the last segment appends). */
    public JsonPatch add(String path, Object value) {
        op("add", path).set("value", JSON.valueToTree(value));
        return this;
    }

    public JsonPatch remove(String path) {
        op("remove", path);
        return this;
    }

    /** The patch as JSON: its ops in the order they were added, the order the API server applies them in. */
    public String toJson() {
        return ops.toString(); // Jackson's own serialization of the tree
    }

    /** The JSON pointer to a member or an element: {@code path("metadata", "labels", "a/b")} is {@code /metadata/labels/a~1b}. */
    public static String path(Object... segments) {
        StringBuilder pointer = new StringBuilder();
        for (Object segment : segments) {
            // ~ first: the ~ of an escaped / must not be escaped again
            pointer.append('/').append(segment.toString().replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    private ObjectNode op(String op, String path) {
        return ops.addObject().put("op", op).put("path", path);
    }
}
