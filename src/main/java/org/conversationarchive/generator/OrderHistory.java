package org.conversationarchive.generator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.conversationarchive.conversation.Conversation;
import org.jspecify.annotations.Nullable;

/**
 * The customer's recent orders, as the agent of a return or refund lists them: the order
 * the conversation is about (as its {@code lookup_order} found it, with what became of
 * it) and a few earlier ones.
 */
final class OrderHistory {

	static final String[] HEADER = { "order", "date", "sku", "product", "quantity", "price_usd", "status" };

	private static final long SALT = 0x0DE25L;

	private OrderHistory() {
	}

	/**
	 * The order the conversation looked up, if it has its item.
	 */
	static @Nullable Map<?, ?> lookup(Conversation conversation) {
		Map<?, ?> order = AgentFile.result(conversation, AgentFile.call(conversation, "lookup_order"));
		return (order != null && order.get("items") instanceof List<?> items && !items.isEmpty()
				&& items.get(0) instanceof Map<?, ?>) ? order : null;
	}

	static AgentFile csv(Conversation conversation) {
		Map<?, ?> order = lookup(conversation);
		if (order == null) {
			throw new IllegalArgumentException(conversation.id() + " looked up no order");
		}
		Map<?, ?> item = (Map<?, ?>) ((List<?>) order.get("items")).get(0);
		Object delivered = order.get("deliveredOn");
		LocalDate date = date((delivered != null) ? delivered.toString() : null, conversation);
		Rng rng = AgentFile.rng(conversation, SALT);
		StringWriter csv = new StringWriter();
		try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.DEFAULT.builder().setHeader(HEADER).get())) {
			String price = AgentFile.string(item, "price", "$0.00");
			printer.printRecord(AgentFile.string(order, "orderNumber", "BW-00000000"), date,
					AgentFile.string(item, "sku", ""), AgentFile.string(item, "name", ""),
					AgentFile.string(item, "quantity", "1"), usd(AgentFile.dollars(price)), outcome(conversation));
			int earlier = rng.between(3, 5);
			for (int i = 0; i < earlier; i++) {
				date = date.minusDays(rng.between(9, 60));
				printer.printRecord("BW-" + Script.digits(rng, 8), date, "SKU-" + Script.digits(rng, 5),
						rng.pick(Catalog.PRODUCTS), rng.chance(0.8) ? 1 : 2, usd(Script.amount(rng, 12, 450)),
						"delivered");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return new AgentFile("recent-orders.csv", "text/csv",
				AgentFile.answer(conversation, AgentFile.call(conversation, "lookup_order")),
				csv.toString().getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * What the conversation did with the order: refunded, returned, or nothing yet.
	 */
	private static String outcome(Conversation conversation) {
		Map<?, ?> refund = AgentFile.result(conversation, AgentFile.call(conversation, "issue_refund"));
		if (refund != null) {
			return "refunded " + AgentFile.string(refund, "refundId", "");
		}
		Map<?, ?> returned = AgentFile.result(conversation, AgentFile.call(conversation, "create_return"));
		if (returned != null) {
			return "return " + AgentFile.string(returned, "rmaNumber", "");
		}
		return "delivered";
	}

	private static LocalDate date(@Nullable String iso, Conversation conversation) {
		if (iso != null) {
			try {
				return LocalDate.parse(iso);
			}
			catch (DateTimeParseException ex) {
				// Taken from the conversation's start below.
			}
		}
		return LocalDate.ofInstant(conversation.startedAt(), ZoneOffset.UTC).minusDays(7);
	}

	private static String usd(double amount) {
		return String.format(Locale.ROOT, "%.2f", amount);
	}

}
