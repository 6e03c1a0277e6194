/**
 * Service: the outbox processor and its channels (mail, signed webhooks, Slack); outbound delivery happens here and
 * nowhere else.
 */
package io.stagewatch.delivery;
