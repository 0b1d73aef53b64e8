package org.conversationarchive.ingest;

import org.conversationarchive.conversation.ConversationSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.system.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.core.io.FileSystemResource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

class HistoryCsvImportReaderTests {

	static final String HEADER = "Sender type,Channel type,Sender name,Time in GMT,Message,Data\n";

	@TempDir
	Path temp;

	final ConversationValidator validator = new ConversationValidator(
			new IngestSettings(500, DataSize.ofMegabytes(10), 100000, 1024, 50000, 2),
			new ConversationSettings(10, 50000, 1970, 1));

	@Test
	void groupsRowsIntoConversationsByChannelCustomerAndQuietGaps() throws Exception {
		List<ImportRecord> records = read(
				HEADER + """
						User,WhatsApp,+15550001,2025-03-01 10:00:00,Hi I need a refund,
						Agent,WhatsApp,Sunny,2025-03-01 10:00:05,"Sure, which order?",
						User,WebChat,ana@example.com,2025-03-01 10:00:07,"Hello, ""quoted"" text",
						Function,WhatsApp,Sunny,2025-03-01 10:00:09,,"{""function"":{""name"":""lookup_order"",""arguments"":{""id"":7},""result"":{""ok"":true}}}"
						Live Agent,WebChat,Hana,2025-03-01 10:01:00,I'll take it from here,
						User,WhatsApp,+15550001,2025-03-01 12:00:00,Back again,
						Bot,Call,Sunny,2025-03-01 12:00:01,Thanks for calling,
						""",
				"agent-7");

		assertThat(records).hasSize(4).allSatisfy((record) -> assertThat(record.error()).isNull());
		var first = records.get(0).conversation();
		assertThat(records.get(0).line()).isEqualTo(2);
		assertThat(first.platform()).isEqualTo(Platform.WHATSAPP);
		assertThat(first.contact().id()).isEqualTo("+15550001");
		assertThat(first.agent().id()).isEqualTo("agent-7");
		assertThat(first.messages()).hasSize(3);
		assertThat(first.messages().get(2).function().name()).isEqualTo("lookup_order");
		assertThat(first.messages().get(2).senderType()).isEqualTo(SenderType.FUNCTION);
		assertThat(first.startedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:00Z"));
		assertThat(first.endedAt()).isEqualTo(Instant.parse("2025-03-01T10:00:09Z"));

		var web = records.get(1).conversation();
		assertThat(web.platform()).isEqualTo(Platform.WEB);
		assertThat(web.messages()).extracting((message) -> message.text())
			.containsExactly("Hello, \"quoted\" text", "I'll take it from here");
		assertThat(web.liveAgents()).extracting((agent) -> agent.name()).containsExactly("Hana");

		// Two hours later on the same channel is another conversation.
		assertThat(records.get(2).conversation().messages()).hasSize(1);
		assertThat(records.get(2).conversation().id()).isNotEqualTo(first.id());
		assertThat(records.get(3).conversation().platform()).isEqualTo(Platform.VOICE);
	}

	@Test
	void aConversationIdInDataGroupsRowsAndNamesTheConversation() throws Exception {
		List<ImportRecord> records = read(HEADER + """
				User,SMS,+1555,2025-01-01 00:00:00,a,"{""conversationId"":""c-1""}"
				User,SMS,+1555,2025-01-01 00:00:01,b,"{""conversationId"":""c-2"",""channelMessageId"":9}"
				Agent,SMS,bot,2025-01-01 00:00:02,c,"{""conversationId"":""c-1""}"
				""", null);
		assertThat(records).extracting((record) -> record.conversation().id()).containsExactly("c-1", "c-2");
		assertThat(records.get(0).conversation().messages()).hasSize(2);
		assertThat(records.get(1).conversation().messages().get(0).data())
			.isEqualTo(java.util.Map.of("channelMessageId", 9));
	}

	@Test
	void aFlowNodeInDataIsTheMessagesNodeAsTheHistoryExportWritesIt() throws Exception {
		List<ImportRecord> records = read(
				HEADER + """
						User,SMS,+1555,2025-01-01 00:00:00,a,"{""flowNode"":""greet""}"
						Function,SMS,bot,2025-01-01 00:00:01,,"{""function"":{""name"":""lookup""},""flowNode"":""lookup"",""k"":1}"
						Agent,SMS,bot,2025-01-01 00:00:02,c,
						""",
				null);
		var messages = records.get(0).conversation().messages();
		assertThat(messages).extracting((message) -> message.flowNode()).containsExactly("greet", "lookup", null);
		assertThat(messages.get(0).data()).isNull();
		assertThat(messages.get(1).data()).isEqualTo(java.util.Map.of("k", 1));
		assertThat(messages.get(1).function().name()).isEqualTo("lookup");
	}

	@Test
	void badRowsAreReportedWithTheirLine() throws Exception {
		List<ImportRecord> records = read(HEADER + """
				Robot,SMS,x,2025-01-01 00:00:00,a,
				User,Pigeon,x,2025-01-01 00:00:00,a,
				User,SMS,x,yesterday,a,
				User,SMS,x,2025-01-01 00:00:00,fine,
				""", null);
		assertThat(records).extracting(ImportRecord::line).containsExactly(2L, 3L, 4L, 5L);
		assertThat(records.get(0).error()).startsWith("unknown Sender type 'Robot'");
		assertThat(records.get(1).error()).startsWith("unknown Channel type 'Pigeon'");
		assertThat(records.get(2).error()).startsWith("Time in GMT 'yesterday' is not a time");
		assertThat(records.get(3).conversation()).isNotNull();
	}

	@Test
	void aFileWithoutTheHistoryColumnsIsRefused() throws IOException {
		Path file = Files.writeString(this.temp.resolve("wrong.csv"), "id,text\n1,a\n");
		HistoryCsvImportReader reader = new HistoryCsvImportReader(new FileSystemResource(file), null, this.validator,
				JsonMapper.builder().build());
		assertThatException().isThrownBy(() -> reader.open(new ExecutionContext()))
			.havingRootCause()
			.isInstanceOf(InvalidInputException.class)
			.withMessageContaining("no 'Sender type' column");
	}

	@Test
	void aRestartSkipsTheConversationsAlreadyCommitted() throws Exception {
		String csv = HEADER + """
				User,SMS,a,2025-01-01 00:00:00,1,
				User,SMS,b,2025-01-01 01:00:00,2,
				User,SMS,c,2025-01-01 02:00:00,3,
				""";
		Path file = Files.writeString(this.temp.resolve("h.csv"), csv);
		HistoryCsvImportReader reader = new HistoryCsvImportReader(new FileSystemResource(file), null, this.validator,
				JsonMapper.builder().build());
		ExecutionContext context = new ExecutionContext();
		reader.open(context);
		reader.read();
		reader.update(context);
		reader.close();

		HistoryCsvImportReader restarted = new HistoryCsvImportReader(new FileSystemResource(file), null,
				this.validator, JsonMapper.builder().build());
		restarted.open(context);
		assertThat(restarted.read().conversation().contact().id()).isEqualTo("b");
		assertThat(restarted.read().conversation().contact().id()).isEqualTo("c");
		assertThat(restarted.read()).isNull();
		restarted.close();
	}

	private List<ImportRecord> read(String csv, String agentId) throws Exception {
		Path file = Files.writeString(this.temp.resolve("history.csv"), csv);
		HistoryCsvImportReader reader = new HistoryCsvImportReader(new FileSystemResource(file), agentId,
				this.validator, JsonMapper.builder().build());
		reader.open(new ExecutionContext());
		List<ImportRecord> records = new ArrayList<>();
		ImportRecord record;
		while ((record = reader.read()) != null) {
			records.add(record);
		}
		reader.close();
		return records;
	}

}
