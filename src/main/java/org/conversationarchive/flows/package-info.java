/**
 * Flows: the graphs an org's agent platform publishes, versioned, for the pages to draw
 * beside a transcript and analytics to count a funnel by. {@link Flows} reads them.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.flows;
