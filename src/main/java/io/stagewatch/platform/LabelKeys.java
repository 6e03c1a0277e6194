package io.stagewatch.platform;

/** The keys of stagewatch's own labels ({@code stagewatch.labels.*}), which any platform's pods may carry too. */
public record LabelKeys(String stage, String workflow, String pipeline, String app, String environment) {
}
