package org.conversationarchive.search;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * An AI agent of an org, as the agents page lists it: who, how many conversations, and
 * the years it had them in (the years a history export can be asked for).
 *
 * @param id the agent's id
 * @param name its display name, if any conversation gave one
 * @param conversations how many conversations it handled
 * @param years the calendar years (UTC) of its conversations, newest first
 */
public record AgentActivity(String id, @Nullable String name, long conversations, List<Integer> years) {

}
