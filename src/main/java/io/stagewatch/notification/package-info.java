/**
 * Domain: notification rules and their validation, addresses, webhook URLs, channels and the outbox record, pure;
 * sending them is {@code delivery}'s.
 */
package io.stagewatch.notification;
