package org.conversationarchive.ingest;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Demo data for a first look at an empty archive.
 *
 * @param enabled whether to load it ({@code ARCHIVE_DEMO_ENABLED}); by default on for the
 * embedded default and off against an external cluster
 * @param conversations how many generated conversations to load
 * @param days they start within this many days before the first start
 * @param live whether, once they are loaded, the demo also plays live conversations into
 * the default org from an agent platform of its own, which takes the actions on them
 * ({@code ARCHIVE_DEMO_LIVE})
 */
@ConfigurationProperties("archive.demo")
public record DemoSettings(@Nullable Boolean enabled, @DefaultValue("3000") int conversations,
		@DefaultValue("120") int days, @DefaultValue("true") boolean live) {
}
