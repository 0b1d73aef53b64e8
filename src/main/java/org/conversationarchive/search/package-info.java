/**
 * Finds conversations by what was said and by every facet of the conversations table.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.search;
