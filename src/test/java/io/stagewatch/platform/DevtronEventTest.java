package io.stagewatch.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Only whitelisted fields leave Devtron's CI_CD_EVENT; everything else, secrets above all, is skipped unread. */
class DevtronEventTest {

    @Test
    void readsTheWhitelistedFieldsAndNothingElse() {
        String event = """
                {"type":"CD","commonWorkflowRequest":{
                  "workflowNamePrefix":"812-payments-deploy","pipelineName":"payments-deploy","appName":"payments-api",
                  "stageType":"POST","cdPipelineId":7,"dockerPassword":"SECRET-1","orchestratorToken":"SECRET-2",
                  "Env":{"Name":"prod","Cluster":{"Config":{"bearer_token":"SECRET-3"}}},
                  "ciProjectDetails":[{"gitOptions":{"password":"SECRET-4"}}],
                  "systemEnvironmentVariables":{"CD_PIPELINE_ENV_NAME":"prod","TOKEN":"SECRET-5"}},
                 "pipelineName":"not-at-this-level","appName":{"nested":"SECRET-6"}}""";

        assertEquals(
                Map.of(
                        DevtronEvent.READ, "ok",
                        DevtronEvent.TYPE, "CD",
                        DevtronEvent.WORKFLOW_NAME_PREFIX, "812-payments-deploy",
                        DevtronEvent.PIPELINE_NAME, "payments-deploy",
                        DevtronEvent.APP_NAME, "payments-api",
                        DevtronEvent.STAGE_TYPE, "POST",
                        DevtronEvent.ENVIRONMENT_NAME, "prod"),
                DevtronEvent.read(event));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "SECRET-plain",
                "[]",
                "\"SECRET\"",
                "{\"type\":\"CI\",\"x\":\"SECRET-cut",
                "{\"type\":\"CI\"} trailing SECRET",
                "{\"type\":\"CI\",}"
            })
    void aValueThatIsNotTheJsonObjectDevtronWritesIsUnreadableAndNothingOfItIsKept(String value) {
        assertEquals(Map.of(DevtronEvent.READ, "unreadable"), DevtronEvent.read(value));
    }

    @Test
    void overlongOrMultiLineValuesAreLeftOut() {
        String event = "{\"type\":\"CI\",\"commonWorkflowRequest\":{\"appName\":\"" + "a".repeat(300)
                + "\",\"pipelineName\":\"two\\nlines\"}}";
        assertEquals(Map.of(DevtronEvent.READ, "ok", DevtronEvent.TYPE, "CI"), DevtronEvent.read(event));
    }

    @Test
    void deepNestingIsUnreadableNotAStackOverflow() {
        String event = "{\"a\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}";
        assertEquals(Map.of(DevtronEvent.READ, "unreadable"), DevtronEvent.read(event));
    }
}
