package org.conversationarchive.review;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How review rules run ({@code archive.review.*}).
 *
 * @param sweepInterval how often the rules look at what was written since they last
 * looked
 * @param overlap how far back each look reaches before the last: a write still in flight,
 * not yet searchable, or stamped by an instance whose clock is behind is found by the
 * next look
 * @param lease how long the instance that runs the rules holds them without looking; then
 * another takes over
 * @param batch the most conversations one search of one rule flags at a time
 * @param maxRules the most rules an org may have
 * @param backtestWindow the window a backtest covers when it is not given
 */
@ConfigurationProperties("archive.review")
record ReviewSettings(@DefaultValue("1s") Duration sweepInterval, @DefaultValue("30s") Duration overlap,
		@DefaultValue("30s") Duration lease, @DefaultValue("500") int batch, @DefaultValue("100") int maxRules,
		@DefaultValue("30d") Duration backtestWindow) {
}
