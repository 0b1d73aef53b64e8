/**
 * Cross-cutting set-up: where the archive keeps its files, JSON, errors as problem
 * details.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.system;
