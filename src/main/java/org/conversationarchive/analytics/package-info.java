/**
 * What the conversations add up to, for any filter or view: volume over time, durations,
 * turns, outcomes, flags, functions, tags, parameters, contacts and sentiment, with the
 * previous period's figures, and a flow's funnel (where its conversations went and left),
 * all counted by Elasticsearch aggregations.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.analytics;
