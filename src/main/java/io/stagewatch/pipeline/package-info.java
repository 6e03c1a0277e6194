/**
 * Service: the merged observation stream, classify, decide and persist in lanes, and the feed of committed
 * transitions.
 */
package io.stagewatch.pipeline;
