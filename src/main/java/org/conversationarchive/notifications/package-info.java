/**
 * Telling people and machines that something happened: in-app notifications for a person
 * (a list and a stream), and signed webhooks for an org's endpoints.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.notifications;
