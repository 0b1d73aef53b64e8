/**
 * The pages: the conversations table with its filters and views, a conversation's
 * transcript, the agents and their history exports, rendered on the server.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.web;
