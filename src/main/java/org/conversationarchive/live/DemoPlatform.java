package org.conversationarchive.live;

import java.security.SecureRandom;
import java.util.Base64;

import org.conversationarchive.gateway.OwnPlatform;
import org.conversationarchive.ingest.DemoLoaded;
import org.conversationarchive.ingest.DemoSettings;
import org.conversationarchive.platform.Player;
import org.conversationarchive.platform.ReferencePlatform;
import org.conversationarchive.security.ApiKeys;
import org.conversationarchive.security.CurrentOrg;
import org.conversationarchive.security.Role;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * The demo's live conversations: once the demo's history is loaded, the reference agent
 * platform plays a few conversations at a time into the default org, for as long as the
 * service runs, through the service's own ingest API, and is the org's agent platform so
 * that the actions on them work. An administrator's own platform is left alone: then
 * nothing is played (its actions would go to that platform, which knows none of them).
 * <p>
 * Stopped before the web server is (the highest phase stops first), so that the
 * conversations still going are written as ended.
 */
@Component
class DemoPlatform implements SmartLifecycle {

	private static final Logger logger = LoggerFactory.getLogger(DemoPlatform.class);

	static final String KEY_NAME = "demo platform";

	static final Player.Options PLAYING = new Player.Options(3, 1, 0, 1);

	private final DemoSettings settings;

	private final ApiKeys keys;

	private final OwnPlatform own;

	private final Environment environment;

	private @Nullable ReferencePlatform platform;

	private boolean running;

	/** Whether the demo's history was looked at: the platform plays only after. */
	private boolean loaded;

	DemoPlatform(DemoSettings settings, ApiKeys keys, OwnPlatform own, Environment environment) {
		this.settings = settings;
		this.keys = keys;
		this.own = own;
		this.environment = environment;
	}

	@EventListener
	synchronized void on(DemoLoaded loaded) {
		this.loaded = true;
		playIfReady();
	}

	private void playIfReady() {
		Integer port = this.environment.getProperty("local.server.port", Integer.class);
		if (!this.settings.live() || !this.loaded || !this.running || this.platform != null || port == null) {
			return;
		}
		try {
			play(port);
		}
		catch (RuntimeException ex) {
			// The demo's history is there all the same: the service goes on without this.
			logger.warn("The demo plays no live conversations: {}", ex.toString());
		}
	}

	private void play(int port) {
		if (this.own.anotherConfigured(CurrentOrg.DEFAULT)) {
			logger.info("The demo plays no live conversations: org {} has an agent platform of its own",
					CurrentOrg.DEFAULT);
			return;
		}
		String archive = "http://127.0.0.1:" + port + this.environment.getProperty("server.servlet.context-path", "");
		String key = this.keys.createForService(CurrentOrg.DEFAULT, KEY_NAME, Role.INGEST).secret();
		String secret = secret();
		ReferencePlatform platform = new ReferencePlatform(archive, key, secret, 0,
				(line) -> logger.info("Demo platform: {}", line));
		boolean connected = false;
		try {
			platform.start();
			// False when an administrator configured the org's platform in between.
			connected = this.own.connect(CurrentOrg.DEFAULT, platform.url(), secret);
		}
		finally {
			if (!connected) {
				platform.close();
			}
		}
		if (connected) {
			platform.play(PLAYING);
			this.platform = platform;
			logger.info(
					"The demo plays live conversations into org {}, {} at a time, from its own agent platform at {} "
							+ "(ARCHIVE_DEMO_LIVE=false turns this off)",
					CurrentOrg.DEFAULT, PLAYING.concurrent(), platform.url());
		}
	}

	/**
	 * A secret for this start only, shared with the platform in memory.
	 */
	private static String secret() {
		byte[] bytes = new byte[32];
		new SecureRandom().nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	@Override
	public synchronized void start() {
		this.running = true;
		// Started again after a stop (a context paused and resumed): plays again.
		playIfReady();
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		ReferencePlatform platform = this.platform;
		if (platform != null) {
			this.platform = null;
			String url = platform.url();
			platform.close();
			this.own.disconnect(CurrentOrg.DEFAULT, url);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.running;
	}

}
