package org.conversationarchive.live;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How live conversations reach those watching them.
 *
 * @param poll how often each instance reads the writes of live conversations (from any
 * instance) for its viewers
 * @param keepEvents how long those writes are kept for instances to read
 * @param streamTimeout how long a stream stays open before the browser reconnects
 * @param heartbeat how often an idle stream is sent a comment, so that a dead connection
 * is noticed and proxies keep it open
 * @param window how recent a conversation's start or last message must be for the live
 * list and the inbox: one in progress for longer is history a platform never ended
 */
@ConfigurationProperties("archive.live")
record LiveSettings(@DefaultValue("100ms") Duration poll, @DefaultValue("10m") Duration keepEvents,
		@DefaultValue("30m") Duration streamTimeout, @DefaultValue("15s") Duration heartbeat,
		@DefaultValue("7d") Duration window) {
}
