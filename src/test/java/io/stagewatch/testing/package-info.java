/**
 * Test support, outside the main layers: the shared test helpers, one of each (one pod builder, one mail sink, one
 * webhook receiver, one fixture loader, ...); a new test reuses them.
 */
package io.stagewatch.testing;
