/**
 * The gateway to an org's agent platform: where its actions on live calls go (the
 * platform's endpoint and secret, managed by administrators) and the client that sends
 * them, signed, with an idempotency key, retries and a breaker. The platform reports what
 * then happens through the ingest API. The contract: {@code docs/gateway-openapi.yaml}.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.gateway;
