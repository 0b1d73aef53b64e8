package org.conversationarchive;

import java.util.Arrays;

import org.conversationarchive.generator.GenerateCommand;
import org.conversationarchive.platform.SimulateCommand;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class ConversationArchiveApplication {

	public static void main(String[] args) {
		if (args.length > 0 && args[0].equals("generate")) {
			// A command line tool: no Spring, no Elasticsearch.
			GenerateCommand.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		if (args.length > 0 && args[0].equals("simulate")) {
			// The reference agent platform, an outside client of the archive: no Spring.
			SimulateCommand.main(Arrays.copyOfRange(args, 1, args.length));
			return;
		}
		SpringApplication.run(ConversationArchiveApplication.class, args);
	}

}
