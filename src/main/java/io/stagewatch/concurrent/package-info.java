/**
 * Concurrent, a layer of its own below the others: small concurrency helpers ({@code SingleFlight}) that use no
 * package of ours.
 */
package io.stagewatch.concurrent;
