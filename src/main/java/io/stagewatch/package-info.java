/**
 * Config: {@link io.stagewatch.StagewatchConfig}, every {@code stagewatch.*} setting in one {@code @ConfigMapping}
 * interface; any package may read it, and it uses no package of ours.
 */
package io.stagewatch;
