package org.conversationarchive.conversation.index;

/**
 * A contact of an org, as the upkeep keeps track of it.
 *
 * @param org the org
 * @param contactId the contact's id
 */
record Touched(String org, String contactId) {
}
