package org.conversationarchive.conversation;

import java.time.Instant;

import org.conversationarchive.conversation.index.Instants;
import tools.jackson.databind.module.SimpleModule;

import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ConversationConfiguration {

	/**
	 * The application's JSON reads instants as the codec does, so that a line the fast
	 * reader gives up on is read by binding the same way.
	 * @return the customizer
	 */
	@Bean
	JsonMapperBuilderCustomizer fastInstants() {
		return (builder) -> builder
			.addModule(new SimpleModule("archive-instants").addDeserializer(Instant.class, new Instants()));
	}

}
