/**
 * Edge: the REST API, the server-sent-event feed, security and problem responses, the status page's routes; inbound
 * HTTP is here and nowhere else.
 */
package io.stagewatch.api;
