package org.conversationarchive.generator;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.conversationarchive.conversation.Conversation;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.generator.BarChart.Bar;
import org.conversationarchive.generator.Pdf.Font;
import org.jspecify.annotations.Nullable;

/**
 * An account's charges as the agent of a billing question sees them: the month of the
 * conversation billed at the plan's price plus a little usage (or, when the customer was
 * charged twice, at the balance its {@code lookup_account} found, charged twice; with a
 * fee and its credit when one was waived), the five months before alike. Shown as a chart
 * of the monthly charges and as the month's invoice.
 */
final class BillingHistory {

	private static final long SALT = 0xB111L;

	private static final int MONTHS = 6;

	private final Conversation conversation;

	private final Rng rng;

	private final String account;

	private final String customer;

	private final String plan;

	private final YearMonth month;

	private final List<Line> lines = new ArrayList<>();

	private final List<Bar> charges = new ArrayList<>();

	private final boolean chargedTwice;

	private final boolean refunded;

	private BillingHistory(Conversation conversation) {
		this.conversation = conversation;
		this.rng = AgentFile.rng(conversation, SALT);
		Map<?, ?> found = AgentFile.result(conversation, AgentFile.call(conversation, "lookup_account"));
		this.account = AgentFile.string(found, "accountId", "ACC-0000000");
		this.customer = AgentFile.string(found, "name",
				(conversation.contact() != null && conversation.contact().name() != null)
						? conversation.contact().name() : "Customer");
		this.plan = AgentFile.string(found, "plan", Catalog.PLANS[0]);
		this.month = YearMonth.from(conversation.startedAt().atZone(ZoneOffset.UTC));
		double planPrice = AgentFile
			.dollars(Catalog.PLAN_PRICES[Math.max(0, List.of(Catalog.PLANS).indexOf(this.plan))]);
		double balance = AgentFile.dollars(AgentFile.string(found, "balance", Catalog.PLAN_PRICES[0]));

		this.lines.add(new Line(
				this.plan + " plan, " + monthName(this.month, TextStyle.FULL) + " " + this.month.getYear(), planPrice));
		// Charged twice, the customer said how much: the month's bill. Else a little
		// usage on top of the plan.
		boolean doubleCharge = "double charge".equals(conversation.tags().get("Issue"));
		double usage = round(
				doubleCharge ? balance - planPrice : (this.rng.chance(0.6) ? Script.amount(this.rng, 0, 12) : 0));
		if (usage > 0) {
			this.lines.add(new Line("Add-ons and usage", usage));
		}
		else if (usage < 0) {
			this.lines.add(new Line("Loyalty discount", usage));
		}
		Map<?, ?> credit = arguments("apply_credit");
		if (credit != null) {
			double fee = AgentFile.dollars(AgentFile.string(credit, "amount", "$0.00"));
			this.lines.add(new Line("Service fee", fee));
			this.lines.add(new Line("Courtesy credit, fee waived", -fee));
		}
		this.chargedTwice = doubleCharge;
		this.refunded = AgentFile.call(conversation, "issue_refund") >= 0;

		for (int i = MONTHS - 1; i > 0; i--) {
			double charged = planPrice + ((this.rng.chance(0.6)) ? Script.amount(this.rng, 0, 12) : 0);
			this.charges.add(new Bar(monthName(this.month.minusMonths(i), TextStyle.SHORT), round(charged)));
		}
		this.charges.add(new Bar(monthName(this.month, TextStyle.SHORT), round(total() * (this.chargedTwice ? 2 : 1))));
	}

	static BillingHistory of(Conversation conversation) {
		return new BillingHistory(conversation);
	}

	double total() {
		return round(this.lines.stream().mapToDouble(Line::amount).sum());
	}

	List<Bar> charges() {
		return this.charges;
	}

	AgentFile chart() {
		byte[] png = BarChart.png("Monthly charges, " + this.account, "Charged (USD)", this.charges,
				BillingHistory::axisDollars);
		return new AgentFile("charges-" + this.account + ".png", "image/png",
				AgentFile.answer(this.conversation, AgentFile.call(this.conversation, "lookup_account")), png);
	}

	AgentFile invoice() {
		String number = "INV-" + this.month.getYear() + String.format(Locale.ROOT, "%02d", this.month.getMonthValue())
				+ "-" + Script.digits(this.rng, 5);
		String period = monthName(this.month, TextStyle.FULL) + " " + this.month.getYear();
		Pdf pdf = new Pdf();
		double left = 56;
		double right = Pdf.WIDTH - 56;
		pdf.text(left, 780, Font.BOLD, 22, Catalog.COMPANY)
			.text(left, 764, Font.REGULAR, 9, "brightwave.example  |  billing@brightwave.example")
			.text(right - 110, 780, Font.BOLD, 18, "Invoice")
			.text(right - 110, 762, Font.REGULAR, 10, number)
			.text(right - 110, 748, Font.REGULAR, 10,
					"Issued " + monthName(this.month, TextStyle.SHORT) + " 1, " + this.month.getYear())
			.text(right - 110, 734, Font.REGULAR, 10,
					"Due " + monthName(this.month, TextStyle.SHORT) + " 15, " + this.month.getYear());
		pdf.text(left, 700, Font.BOLD, 10, "Bill to")
			.text(left, 685, Font.REGULAR, 11, this.customer)
			.text(left, 671, Font.REGULAR, 10, "Account " + this.account)
			.text(left, 657, Font.REGULAR, 10, this.plan + " plan, billed monthly");
		if (this.conversation.contact() != null && this.conversation.contact().email() != null) {
			pdf.text(left, 643, Font.REGULAR, 10, this.conversation.contact().email());
		}
		double y = 600;
		pdf.fill(left, y - 6, right - left, 22, 0.9)
			.text(left + 8, y, Font.BOLD, 10, "Description")
			.text(right - 60, y, Font.BOLD, 10, "Amount");
		for (Line line : this.lines) {
			y -= 24;
			pdf.text(left + 8, y, Font.REGULAR, 10, line.description())
				.textRight(right - 8, y, Font.REGULAR, 10, dollars(line.amount()));
		}
		y -= 14;
		pdf.line(left, y, right, y, 0.75);
		y -= 20;
		pdf.text(left + 8, y, Font.BOLD, 11, "Total for " + period)
			.textRight(right - 8, y, Font.BOLD, 11, dollars(total()));
		y -= 40;
		if (this.chargedTwice) {
			pdf.text(left, y, Font.REGULAR, 10,
					"This invoice was charged twice. "
							+ (this.refunded ? "The duplicate charge of " + dollars(total()) + " has been refunded."
									: "The duplicate charge is under review."));
			y -= 16;
		}
		pdf.text(left, y, Font.REGULAR, 9, "Questions about this invoice? Reply to billing@brightwave.example.");
		return new AgentFile("invoice-" + number + ".pdf", "application/pdf", invoiceMessage(),
				pdf.bytes(Catalog.COMPANY + " invoice " + number));
	}

	/**
	 * Where the invoice belongs: where the agent sent it, else the agent's last word.
	 */
	private int invoiceMessage() {
		int sent = AgentFile.call(this.conversation, "send_invoice");
		if (sent >= 0) {
			return AgentFile.answer(this.conversation, sent);
		}
		int last = this.conversation.messages().size() - 1;
		for (int i = last; i >= 0; i--) {
			if (this.conversation.messages().get(i).senderType() == SenderType.AGENT) {
				return i;
			}
		}
		return last;
	}

	private @Nullable Map<?, ?> arguments(String function) {
		int index = AgentFile.call(this.conversation, function);
		if (index < 0) {
			return null;
		}
		Object arguments = this.conversation.messages().get(index).function().arguments();
		return (arguments instanceof Map<?, ?> map) ? map : null;
	}

	private static String monthName(YearMonth month, TextStyle style) {
		return month.getMonth().getDisplayName(style, Locale.ENGLISH);
	}

	static String dollars(double amount) {
		return ((amount < 0) ? "-" : "") + String.format(Locale.ROOT, "$%,.2f", Math.abs(amount));
	}

	private static String axisDollars(double amount) {
		return (amount == Math.rint(amount)) ? String.format(Locale.ROOT, "$%,.0f", amount) : dollars(amount);
	}

	private static double round(double amount) {
		return Math.round(amount * 100) / 100.0;
	}

	/**
	 * One line of the invoice.
	 */
	record Line(String description, double amount) {
	}

}
