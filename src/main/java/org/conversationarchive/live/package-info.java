/**
 * Live operations: the org's conversations as they happen (a list and a transcript that
 * update as messages arrive, across instances), the actions people take on them through
 * the agent platform (listen, take over, hand back, transfer, enqueue, end, coach, reply)
 * with who holds each conversation, and the inbox of conversations waiting for a human.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.live;
