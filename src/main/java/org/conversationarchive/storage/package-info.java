/**
 * Where the archive keeps its files (recordings, artifacts, exports, imports): the local
 * disk by default, or any S3-compatible object store.
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.storage;
