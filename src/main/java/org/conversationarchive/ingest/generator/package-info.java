/**
 * Deterministic, realistic conversations for demos, tests and benchmarks, and the
 * {@code generate} command that writes them as NDJSON. A named interface of the ingest
 * module so that the application's {@code main} can run the command instead of starting
 * the service.
 */
@NamedInterface("generator")
@org.jspecify.annotations.NullMarked
package org.conversationarchive.ingest.generator;

import org.springframework.modulith.NamedInterface;
