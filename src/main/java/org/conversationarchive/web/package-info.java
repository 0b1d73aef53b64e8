/**
 * The pages: the conversations table with its filters and views, a conversation's
 * transcript, the agents and their history exports, the review rules, rendered on the
 * server.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.web;
