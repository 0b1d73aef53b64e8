/**
 * Alerts on saved views: more or fewer conversations started in a sliding window than a
 * threshold, evaluated by one instance at a time, told once per breach in the app and to
 * webhooks.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.alerts;
