/**
 * Exports: the filtered table as CSV, an agent's yearly history as a zip, scheduled
 * exports for BI, their signed download links and "export ready" notifications.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.export;
