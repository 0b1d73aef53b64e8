package org.conversationarchive.system;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Cross-cutting beans.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SystemConfiguration {

	/**
	 * Until requests are authenticated, everything belongs to the default org.
	 * @return the org of every request
	 */
	@Bean
	CurrentOrg currentOrg() {
		return () -> CurrentOrg.DEFAULT;
	}

}
