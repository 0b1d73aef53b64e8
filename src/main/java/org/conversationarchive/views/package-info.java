/**
 * Saved views: a manager's filters, columns and order, saved privately or for the org,
 * and the org's default view.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.views;
