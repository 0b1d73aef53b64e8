/**
 * The reference agent platform: plays generated conversations live into an archive
 * through its ingest API and takes the archive's actions on them, as the gateway contract
 * ({@code docs/gateway-openapi.yaml}) describes; {@code java -jar … simulate}. It talks
 * to the archive only over HTTP, as an org's own platform would, so it uses no beans.
 */
@org.springframework.modulith.ApplicationModule(allowedDependencies = { "generator", "conversation" })
@org.jspecify.annotations.NullMarked
package org.conversationarchive.platform;
