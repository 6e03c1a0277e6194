/**
 * Store: all SQL, through the reactive PostgreSQL client: runs and their transitions as compare-and-set statements
 * with their outbox rows, the outbox, rules, statistics, LISTEN/NOTIFY. No other package writes SQL.
 */
package io.stagewatch.store;
