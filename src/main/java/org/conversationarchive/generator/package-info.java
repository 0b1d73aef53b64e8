/**
 * Deterministic, realistic conversations for demos, tests and benchmarks, with the
 * recordings of their calls and the files their agents made, and the {@code generate}
 * command that writes them as NDJSON (run by the application's {@code main} instead of
 * starting the service).
 */
@org.jspecify.annotations.NullMarked
package org.conversationarchive.generator;
