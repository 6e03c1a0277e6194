package io.stagewatch.platform;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The few fields stagewatch reads from Devtron's {@code CI_CD_EVENT} variable, the JSON Devtron hands its ci-runner.
 * That JSON also holds registry passwords, cloud keys, cluster credentials and Devtron's own API token, so it is read
 * with a streaming parser that keeps only whitelisted scalar fields and skips every other value unread into any
 * object; the raw value, and the parser's own messages (which quote the input), are never kept, logged or returned.
 * The fields travel on stagewatch's slim copy of the pod as annotations under {@value #PREFIX}, set only here.
 */
public final class DevtronEvent {

    /** The variable of Devtron's {@code main} container. */
    public static final String VARIABLE = "CI_CD_EVENT";

    public static final String PREFIX = "devtron-event.stagewatch.io/";
    /** {@code ok}, or {@code unreadable} when the value is not the JSON object Devtron writes. */
    public static final String READ = PREFIX + "read";

    public static final String TYPE = PREFIX + "type";
    public static final String STAGE_TYPE = PREFIX + "stage-type";
    public static final String PIPELINE_NAME = PREFIX + "pipeline-name";
    public static final String APP_NAME = PREFIX + "app-name";
    public static final String ENVIRONMENT_NAME = PREFIX + "environment-name";
    public static final String WORKFLOW_NAME_PREFIX = PREFIX + "workflow-name-prefix";

    private static final int MAX_VALUE_LENGTH = 253;
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    /** Where a whitelisted field sits: the top level, {@code commonWorkflowRequest}, or its system variables. */
    private static final Map<String, String> TOP = Map.of("type", TYPE);

    private static final Map<String, String> REQUEST = Map.of(
            "stageType", STAGE_TYPE,
            "pipelineName", PIPELINE_NAME,
            "appName", APP_NAME,
            "workflowNamePrefix", WORKFLOW_NAME_PREFIX);
    private static final Map<String, String> SYSTEM_VARIABLES = Map.of("CD_PIPELINE_ENV_NAME", ENVIRONMENT_NAME);

    private DevtronEvent() {}

    /** The whitelisted fields of the value as annotations, with {@link #READ}; never fails, never keeps the value. */
    public static Map<String, String> read(String value) {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = JSON.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Map.of(READ, "unreadable");
            }
            readObject(parser, TOP, fields);
            if (parser.nextToken() != null) {
                return Map.of(READ, "unreadable");
            }
        } catch (IOException | RuntimeException e) {
            // the exception's message quotes the input: dropped on purpose
            return Map.of(READ, "unreadable");
        }
        fields.put(READ, "ok");
        return fields;
    }

    /** Reads one object whose START_OBJECT was consumed, keeping the whitelisted scalars of {@code wanted}. */
    private static void readObject(JsonParser parser, Map<String, String> wanted, Map<String, String> fields)
            throws IOException {
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_OBJECT; token = parser.nextToken()) {
            if (token != JsonToken.FIELD_NAME) {
                throw new IOException("not an object");
            }
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT && wanted == TOP && "commonWorkflowRequest".equals(name)) {
                readObject(parser, REQUEST, fields);
            } else if (value == JsonToken.START_OBJECT
                    && wanted == REQUEST
                    && "systemEnvironmentVariables".equals(name)) {
                readObject(parser, SYSTEM_VARIABLES, fields);
            } else if (wanted.containsKey(name) && value.isScalarValue() && value != JsonToken.VALUE_NULL) {
                String text = parser.getText();
                if (text.length() <= MAX_VALUE_LENGTH && text.chars().noneMatch(Character::isISOControl)) {
                    fields.put(wanted.get(name), text);
                }
            } else {
                parser.skipChildren();
            }
        }
    }
}
