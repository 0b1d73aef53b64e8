package org.conversationarchive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ConversationArchiveApplication {

	public static void main(String[] args) {
		SpringApplication.run(ConversationArchiveApplication.class, args);
	}

}
