package org.conversationarchive.generator;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.generator.ConversationGenerator.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AgentFileTests {

	private final List<Conversation> sample = new ConversationGenerator(20261122L, Options.of(400)).stream().toList();

	@Test
	void aReturnGetsTheCustomersRecentOrdersAsCsv() throws IOException {
		Conversation conversation = first(AgentFile.RETURNS);
		List<AgentFile> files = AgentFile.of(conversation);
		assertThat(files).hasSize(1);
		AgentFile csv = files.get(0);
		assertThat(csv.name()).isEqualTo("recent-orders.csv");
		assertThat(csv.contentType()).isEqualTo("text/csv");
		assertAnAgentsAnswer(conversation, csv);

		List<CSVRecord> rows = CSVFormat.DEFAULT.builder()
			.setHeader()
			.get()
			.parse(new StringReader(new String(csv.content(), StandardCharsets.UTF_8)))
			.getRecords();
		assertThat(rows).hasSizeBetween(4, 6);
		assertThat(rows.get(0).getParser().getHeaderNames()).containsExactly(OrderHistory.HEADER);
		Map<?, ?> order = OrderHistory.lookup(conversation);
		assertThat(rows.get(0).get("order")).isEqualTo(order.get("orderNumber"));
		assertThat(rows.get(0).get("product"))
			.isEqualTo(((Map<?, ?>) ((List<?>) order.get("items")).get(0)).get("name"));
		assertThat(rows).allSatisfy((row) -> {
			assertThat(row.get("order")).matches("BW-\\d{8}");
			assertThat(row.get("date")).matches("\\d{4}-\\d{2}-\\d{2}");
			assertThat(Double.parseDouble(row.get("price_usd"))).isPositive();
		});
		// Newest first.
		assertThat(rows.stream().map((row) -> row.get("date")).toList()).isSortedAccordingTo((a, b) -> b.compareTo(a));
	}

	@Test
	void aBillingQuestionGetsAChartOfTheChargesAndTheInvoice() throws IOException {
		Conversation conversation = first(AgentFile.BILLING);
		List<AgentFile> files = AgentFile.of(conversation);
		assertThat(files).extracting(AgentFile::contentType).containsExactly("image/png", "application/pdf");
		String account = conversation.parameters().get("accountId");

		AgentFile chart = files.get(0);
		assertThat(chart.name()).isEqualTo("charges-" + account + ".png");
		assertAnAgentsAnswer(conversation, chart);
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(chart.content()));
		assertThat(image.getWidth()).isEqualTo(BarChart.WIDTH);
		assertThat(image.getHeight()).isEqualTo(BarChart.HEIGHT);
		// Bars in both colors, and text (dark pixels) beside them.
		assertThat(countPixels(image, 0x4a78b0)).isGreaterThan(1000);
		assertThat(countPixels(image, 0xd05a3c)).isGreaterThan(200);
		assertThat(countPixels(image, 0x333333)).isGreaterThan(50);

		AgentFile invoice = files.get(1);
		assertThat(invoice.name()).matches("invoice-INV-\\d{6}-\\d{5}\\.pdf");
		assertAnAgentsAnswer(conversation, invoice);
		BillingHistory billing = BillingHistory.of(conversation);
		try (PDDocument pdf = Loader.loadPDF(invoice.content())) {
			assertThat(pdf.getNumberOfPages()).isEqualTo(1);
			assertThat(pdf.getDocumentInformation().getTitle()).startsWith("Brightwave invoice INV-");
			String text = new PDFTextStripper().getText(pdf);
			assertThat(text).contains("Brightwave", "Invoice", invoice.name().substring(8, 24), "Account " + account,
					(String) AgentFile.result(conversation, AgentFile.call(conversation, "lookup_account")).get("name"),
					"Description", "Amount", "Total for", BillingHistory.dollars(billing.total()));
		}
		// The chart's last month is the invoice's.
		assertThat(billing.charges()).hasSize(6);
		assertThat(billing.charges().get(5).value()).isIn(billing.total(), 2 * billing.total());
	}

	@Test
	void theSameConversationGivesTheSameFiles() {
		Conversation conversation = first(AgentFile.BILLING);
		List<AgentFile> once = AgentFile.of(conversation);
		List<AgentFile> again = AgentFile.of(conversation);
		for (int i = 0; i < once.size(); i++) {
			assertThat(again.get(i).content()).isEqualTo(once.get(i).content());
			assertThat(again.get(i).name()).isEqualTo(once.get(i).name());
		}
	}

	@Test
	void onlyReturnsAndBillingQuestionsMakeFiles() {
		assertThat(this.sample).filteredOn(AgentFile::madeIn)
			.isNotEmpty()
			.allSatisfy((c) -> assertThat(c.flow().id()).isIn(AgentFile.RETURNS, AgentFile.BILLING))
			.allSatisfy((c) -> assertThat(AgentFile.of(c)).isNotEmpty());
		assertThat(this.sample).filteredOn((c) -> !AgentFile.madeIn(c))
			.allSatisfy((c) -> assertThat(AgentFile.of(c)).isEmpty());
	}

	@Test
	void pdfOffsetsPointAtTheirObjects() {
		byte[] pdf = new Pdf().text(56, 780, Pdf.Font.BOLD, 12, "Caf\u00e9 (50% off) \\ \u2603").bytes("T");
		String text = new String(pdf, StandardCharsets.ISO_8859_1);
		int xref = Integer.parseInt(text.substring(text.indexOf("startxref\n") + 10, text.indexOf("\n%%EOF")));
		assertThat(text.substring(xref)).startsWith("xref\n0 8\n");
		String[] entries = text.substring(xref).split("\r\n");
		for (int object = 1; object <= 7; object++) {
			int offset = Integer.parseInt(entries[object].substring(0, 10));
			assertThat(text.substring(offset)).startsWith(object + " 0 obj\n");
		}
		assertThat(text).contains("(Caf\u00e9 \\(50% off\\) \\\\ ?) Tj");
	}

	private Conversation first(String flow) {
		return this.sample.stream()
			.filter((c) -> c.flow() != null && flow.equals(c.flow().id()) && AgentFile.madeIn(c))
			.findFirst()
			.orElseThrow();
	}

	private static void assertAnAgentsAnswer(Conversation conversation, AgentFile file) {
		assertThat(file.messageIndex()).isBetween(0, conversation.messages().size() - 1);
		assertThat(conversation.messages().get(file.messageIndex()).senderType()).isIn(SenderType.AGENT,
				SenderType.HUMAN_AGENT, SenderType.FUNCTION);
	}

	private static int countPixels(BufferedImage image, int rgb) {
		int count = 0;
		for (int y = 0; y < image.getHeight(); y++) {
			for (int x = 0; x < image.getWidth(); x++) {
				if ((image.getRGB(x, y) & 0xffffff) == rgb) {
					count++;
				}
			}
		}
		return count;
	}

}
