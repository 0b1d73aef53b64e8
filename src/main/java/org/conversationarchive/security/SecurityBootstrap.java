package org.conversationarchive.security;

import java.security.SecureRandom;
import java.util.Base64;

import org.conversationarchive.elasticsearch.ElasticsearchMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Makes sure someone can administer the archive: {@code ARCHIVE_SECURITY_BOOTSTRAP_KEY}
 * becomes the system-admin key of org {@code default}; on the embedded default without
 * one, a key is generated at the first start and printed once.
 */
@Component
class SecurityBootstrap implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(SecurityBootstrap.class);

	static final int MINIMUM_LENGTH = 16;

	private final SecuritySettings settings;

	private final ApiKeys keys;

	private final ElasticsearchMode mode;

	SecurityBootstrap(SecuritySettings settings, ApiKeys keys, ElasticsearchMode mode) {
		this.settings = settings;
		this.keys = keys;
		this.mode = mode;
	}

	@Override
	public void afterSingletonsInstantiated() {
		String key = this.settings.bootstrapKey();
		if (key != null && !key.isBlank()) {
			if (key.length() < MINIMUM_LENGTH) {
				throw new IllegalStateException("ARCHIVE_SECURITY_BOOTSTRAP_KEY is " + key.length()
						+ " characters long; use at least " + MINIMUM_LENGTH + " random characters");
			}
			this.keys.bootstrap(key);
			return;
		}
		if (this.keys.hasBootstrapKey()) {
			return;
		}
		if (this.mode.embedded()) {
			byte[] random = new byte[30];
			new SecureRandom().nextBytes(random);
			String generated = "bootstrap-" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			this.keys.bootstrap(generated);
			logger.warn("""

					==========================================================================
					Administrator API key of org 'default' (shown this once, stored hashed):

					    {}

					Use it as: Authorization: Bearer <key>   (and to sign in to the pages).
					To choose your own, set ARCHIVE_SECURITY_BOOTSTRAP_KEY.
					==========================================================================""", generated);
		}
		else {
			logger.warn("No administrator API key exists: set ARCHIVE_SECURITY_BOOTSTRAP_KEY to create one");
		}
	}

}
