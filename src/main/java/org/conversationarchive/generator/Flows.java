package org.conversationarchive.generator;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

import static org.conversationarchive.generator.Dialog.json;

/**
 * The twelve flows of the generated company, each with its words: several phrasings per
 * turn, filled with the conversation's names, amounts, dates and numbers, so that a
 * search for "refund" or "cancel my subscription" finds them where a customer would have
 * said them.
 */
final class Flows {

	static final int AVA = 0;

	static final int MAX = 1;

	static final int NOVA = 2;

	static final int IRIS = 3;

	static final int LEO = 4;

	static final int SAGE = 5;

	static final int JUNO = 6;

	static final int ATLAS = 7;

	static final List<Script> ALL = List.of(new Billing(), new Appointments(), new OrderStatus(), new TechSupport(),
			new Returns(), new PasswordReset(), new Delivery(), new InsuranceClaim(), new LostCard(), new Travel(),
			new CancelSubscription(), new Faq());

	/** How often each flow happens, in the order of {@link #ALL}. */
	static final int[] WEIGHTS = { 14, 9, 14, 11, 12, 9, 9, 5, 4, 5, 6, 10 };

	private Flows() {
	}

	static final class Billing extends Script {

		private static final String[] ISSUES = { "double charge", "unexpected fee", "update payment method",
				"invoice copy" };

		/**
		 * Billing's second version reads the request back before asking for the account.
		 */
		private static final Instant REVISED = Instant.parse("2025-07-01T00:00:00Z");

		Billing() {
			super("flow-billing", "Billing", "billing", "lookup_account", "your overdue balance of {amount}", MAX, AVA);
			exchange((d) -> {
				d.user("When is my next payment due?", "By the way, when's my next bill?",
						"And when will I be charged next?");
				d.agent("Your next payment of {planPrice} is due on {date}.",
						"The next charge of {planPrice} will go through on {date}.");
			});
			exchange((d) -> {
				d.user("Can I switch to paperless billing while we're at it?",
						"Also, can you stop sending paper bills? I'd rather get them by email.");
				d.agent("Done. From now on your invoices go to {email}.",
						"Sure, I've switched you to paperless billing; invoices will be emailed to {email}.");
				d.call("update_billing_preferences", json("accountId", d.get("account"), "paperless", true),
						json("updated", true));
			});
			exchange((d) -> {
				d.user("Is autopay on for my account?", "Do I have automatic payments set up?");
				d.agent("Autopay is on: we charge the card ending in {last4} on the due date.",
						"Yes, autopay is active with the card ending in {last4}.");
			});
			exchange((d) -> {
				d.user("Why did my bill go up this month?", "My bill is higher than usual, what changed?");
				d.agent("The {plan} plan price changed on {pastDate}; you were notified by email in advance.",
						"Your promotional discount ended last month, so the {plan} plan is now billed at {planPrice}.");
				d.frustration++;
			});
			exchange((d) -> {
				d.user("Can I get a receipt for my last payment?", "Could you send me a receipt for the last payment?");
				d.agent("Sure, I've emailed the receipt for your {planPrice} payment on {pastDate} to {email}.",
						"Done. The receipt is on its way to {email}.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		Instant revised() {
			return REVISED;
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("account", "ACC-" + digits(d.rng, 7));
			d.put("last4", digits(d.rng, 4));
			int plan = d.rng.nextInt(Catalog.PLANS.length);
			d.put("plan", Catalog.PLANS[plan]);
			d.put("planPrice", Catalog.PLAN_PRICES[plan]);
			d.put("amount", dollars(amount(d.rng, 9, 180)));
			d.put("fee", d.rng.pick("$5.00", "$7.50", "$10.00", "$15.00", "$25.00"));
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Plan", d.get("plan"));
			d.param("accountId", d.get("account"));
			d.param("plan", d.get("plan").toLowerCase(Locale.ROOT));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I was charged twice for my {month} bill.",
						"Hi, I see two charges of {amount} on my card this month.",
						"Why did you bill me twice? There are two payments of {amount} on my statement.",
						"I think I've been double charged. My bank shows {amount} taken two times.");
				case 1 -> d.user("There's a late fee of {fee} on my bill and I paid on time.",
						"What is this {fee} service fee on my invoice?",
						"I got charged a {fee} fee that nobody told me about.");
				case 2 -> d.user("I need to update the credit card on my account.",
						"My card expired, how do I change my payment method?",
						"I want to pay with a different card from now on.");
				default -> d.user("Can you send me a copy of my {month} invoice?",
						"I need an invoice for my expense report, the one from {month}.",
						"Where can I download my invoices? I need the {month} one.");
			}
		}

		@Override
		void identify(Dialog d) {
			d.agent("I can help with that. What's your account number? It starts with ACC.",
					"Sure. To pull up your account, can I have the account number or the email on file?",
					"Happy to look into it. Could you give me your account number, please?");
			if (d.rng.chance(0.7)) {
				d.user("It's {account}.", "{account}", "Sure, it's {account}.", "Account number {account}.");
			}
			else {
				d.user("I don't have it handy. My email is {email}.", "Use my email, {email}.");
			}
			d.call("lookup_account", json("accountId", d.get("account"), "email", d.get("email")),
					json("accountId", d.get("account"), "name", d.get("name"), "plan", d.get("plan"), "status",
							"active", "balance", d.get("amount"), "autopay", d.rng.chance(0.6), "cardLast4",
							d.get("last4")));
			d.agent("Thanks, {first}. I found your account on the {plan} plan.",
					"Got it, {first}, I have your account in front of me.",
					"Thank you. I can see your {plan} plan account.");
			d.tag("Customer Tier", d.rng.pick("standard", "standard", "gold", "platinum"));
		}

		@Override
		void resolve(Dialog d) {
			switch (d.issue) {
				case 0 -> {
					d.agent("I can see both charges of {amount} from {pastDate}. One of them is a duplicate, so I'll refund it now.",
							"You're right, the payment went through twice. I'm refunding the duplicate charge of {amount}.");
					d.call("issue_refund",
							json("accountId", d.get("account"), "amount", d.get("amount"), "reason",
									"duplicate_charge"),
							json("refundId", "rf_" + alphanumeric(d.rng, 12), "status", "processed", "eta",
									"3-5 business days"));
					d.agent("Done. The refund of {amount} will be back on your card ending in {last4} within 3 to 5 business days.",
							"The refund is processed. You should see {amount} back on your card in 3 to 5 business days.");
				}
				case 1 -> {
					d.agent("I'm sorry about that. Since your payments have been on time, I've waived the {fee} fee as a one-time courtesy.",
							"I've removed the {fee} fee from your bill. It was applied by mistake.");
					d.call("apply_credit",
							json("accountId", d.get("account"), "amount", d.get("fee"), "reason", "fee_waiver"),
							json("creditId", "cr_" + alphanumeric(d.rng, 10), "applied", true));
				}
				case 2 -> {
					d.call("send_payment_link",
							json("accountId", d.get("account"), "channel", d.rng.pick("email", "sms")),
							json("sent", true, "expiresInMinutes", 30));
					d.agent("I've sent you a secure link to update your card. For your security I can't take card numbers in this conversation.",
							"You'll get a secure link in a moment; the new card will be used from your next bill on {date}.");
				}
				default -> {
					d.call("send_invoice",
							json("accountId", d.get("account"), "month", d.get("month"), "format", "pdf"),
							json("sent", true, "to", d.get("email")));
					d.agent("I've emailed the {month} invoice to {email}. You can also download all invoices under Billing in your account.",
							"The {month} invoice is on its way to {email} as a PDF.");
				}
			}
			d.user("Great, thank you.", "Perfect, thanks for sorting that out.", "OK, thanks.", "Thank you so much!");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {company}. I'm reaching out about a balance of {amount} on your account that was due on {pastDate}.",
					"Hello {first}, {agent} from {company} here. Your payment of {amount} didn't go through; do you have a minute to update it?");
		}

		@Override
		String reason(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "Customer reported being charged twice ({amount}) for the {month} bill.";
				case 1 -> "Customer disputed a {fee} fee on their invoice.";
				case 2 -> "Customer wanted to change the card used for payments.";
				default -> "Customer asked for a copy of the {month} invoice.";
			});
		}

		@Override
		String request(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "{name} contacted billing about a duplicate charge of {amount} on account {account}.";
				case 1 -> "{name} asked why a {fee} fee appeared on the {plan} plan bill.";
				case 2 -> "{name} wanted to update the payment method on account {account}.";
				default -> "{name} needed a copy of the {month} invoice for account {account}.";
			});
		}

		@Override
		String resolution(Dialog d) {
			return switch (d.issue) {
				case 0 -> "refund issued";
				case 1 -> "fee waived";
				case 2 -> "payment link sent";
				default -> "invoice sent";
			};
		}

		@Override
		String outcome(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "The duplicate charge was refunded to the card ending in {last4}; 3-5 business days.";
				case 1 -> "The fee was waived as a one-time courtesy.";
				case 2 -> "A secure payment link was sent to update the card.";
				default -> "The invoice was emailed to {email}.";
			});
		}

	}

	static final class Appointments extends Script {

		private static final String[] ISSUES = { "new appointment", "reschedule", "cancel appointment" };

		Appointments() {
			super("flow-appointments", "Appointment Booking", "appointment", "find_patient",
					"your {apptType} on {soonDate}", IRIS, AVA);
			exchange((d) -> {
				d.user("Do I need to bring anything?", "Is there anything I should bring with me?");
				d.agent("Please bring a photo ID and your insurance card, and arrive 10 minutes early.",
						"Just your ID and insurance card. If you have recent test results, bring those too.");
			});
			exchange((d) -> {
				d.user("Is there parking at {clinic}?", "Where do I park?");
				d.agent("Yes, there's free parking behind the building; the entrance is on the left.",
						"There's a parking garage next door, and we validate tickets at reception.");
			});
			exchange((d) -> {
				d.user("Can I see Dr. {doctor} specifically?", "I'd prefer Dr. {doctor} if possible.");
				d.agent("Dr. {doctor} is available on {date} at {time}, so that works.",
						"Let me check... yes, Dr. {doctor} has that slot open.");
			});
			exchange((d) -> {
				d.user("How long will the {apptType} take?", "About how long is the appointment?");
				d.agent("Plan for about 30 to 45 minutes.", "It usually takes around half an hour.");
			});
			exchange((d) -> {
				d.user("Do you have anything earlier in the day?", "Is there a morning slot instead?");
				d.call("check_availability",
						json("clinic", d.get("clinic"), "date", d.get("isoDate"), "partOfDay", "morning"),
						List.of(json("time", "08:30", "provider", "Dr. " + d.get("doctor")),
								json("time", "09:45", "provider", "Dr. " + d.get("doctor2"))));
				d.agent("I have 8:30 AM with Dr. {doctor} or 9:45 AM with Dr. {doctor2}.",
						"The earliest is 8:30 AM on {date}.");
				d.user("8:30 works.", "Let's do the earlier one.", "9:45 is better for me.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("apptType", d.rng.pick(Catalog.APPOINTMENT_TYPES));
			d.put("clinic", d.rng.pick(Catalog.CLINICS));
			d.put("doctor", d.rng.pick(Catalog.LAST_NAMES));
			d.put("doctor2", d.rng.pick(Catalog.LAST_NAMES));
			d.put("patientId", "PT-" + digits(d.rng, 6));
			d.put("confirmation", "APT-" + digits(d.rng, 6));
			LocalDate born = LocalDate.of(d.rng.between(1940, 2006), d.rng.between(1, 12), d.rng.between(1, 28));
			d.put("dob", Catalog.MONTHS[born.getMonthValue() - 1] + " " + born.getDayOfMonth() + ", " + born.getYear());
			d.put("isoDob", born.toString());
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Appointment Type", d.get("apptType"));
			d.param("patientId", d.get("patientId"));
			d.param("location", d.get("clinic"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I'd like to book an appointment for {a:apptType}.",
						"Hi, I need to schedule {a:apptType} at {clinic}.",
						"Can I make an appointment for next week? It's for {a:apptType}.",
						"I want to book {a:apptType}, whatever's available soonest.");
				case 1 -> d.user("I need to reschedule my appointment on {soonDate}.",
						"Something came up and I can't make my {apptType} on {soonDate}. Can we move it?",
						"Can I change my appointment to a different day?");
				default -> d.user("I need to cancel my appointment.",
						"Please cancel my {apptType} on {soonDate}, I won't be able to come.",
						"Hi, I'd like to cancel an appointment.");
			}
		}

		@Override
		void identify(Dialog d) {
			d.agent("Sure. Can I have your full name and date of birth?",
					"I can help. What's your name and date of birth so I can find your file?",
					"Of course. Could you confirm your full name and date of birth?");
			d.user("{name}, born {dob}.", "It's {name}. Date of birth {dob}.", "{name}, {dob}.");
			d.call("find_patient", json("name", d.get("name"), "dateOfBirth", d.get("isoDob")),
					json("patientId", d.get("patientId"), "preferredClinic", d.get("clinic"), "upcoming",
							(d.issue == 0) ? List.of() : List.of(json("confirmation", d.get("confirmation"), "type",
									d.get("apptType"), "date", d.get("isoDate")))));
			d.agent("Thank you, {first}. I found your file.", "Thanks {first}, I have you here.",
					"Got it. I see you're registered at {clinic}.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.issue == 2) {
				d.call("cancel_appointment", json("confirmation", d.get("confirmation"), "reason", "patient_request"),
						json("status", "cancelled", "fee", 0));
				d.agent("Your {apptType} on {soonDate} is cancelled. There's no fee since it's more than 24 hours away.",
						"Done, the appointment is cancelled. Would you like to book another time later?");
				d.user("Not right now, thanks.", "No, that's all. Thanks.", "I'll call back when I know my schedule.");
				return;
			}
			d.call("check_availability",
					json("clinic", d.get("clinic"), "type", d.get("apptType"), "from", d.get("isoDate")),
					List.of(json("date", d.get("isoDate"), "time", d.get("time")),
							json("date", d.get("isoDate"), "time", d.get("altTime"))));
			d.agent("I have {date} at {time} or at {altTime}. Which works better?",
					"The next openings are on {date}: {time} or {altTime}.");
			d.user("{time} please.", "Let's do {time}.", "{time} on {date} works.");
			d.call((d.issue == 0) ? "book_appointment" : "reschedule_appointment",
					json("patientId", d.get("patientId"), "clinic", d.get("clinic"), "date", d.get("isoDate"), "time",
							d.get("time"), "type", d.get("apptType")),
					json("confirmation", d.get("confirmation"), "status", "booked"));
			d.agent("You're booked for {date} at {time} at {clinic}. Your confirmation number is {confirmation}.",
					"All set: {apptType} on {date} at {time}. You'll get a text reminder the day before.");
			d.user("Great, thanks!", "Perfect, thank you.", "Thanks, see you then.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {clinic}, calling to remind you of your {apptType} on {soonDate} at {time}. Would you like to confirm or reschedule?",
					"Hello {first}! {agent} from {clinic} here. Just a reminder about your {apptType} on {soonDate}. Reply C to confirm or R to reschedule.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "Patient wanted to book {a:apptType} at {clinic}.";
				case 1 -> "Patient needed to reschedule {a:apptType} planned for {soonDate}.";
				default -> "Patient asked to cancel {a:apptType} on {soonDate}.";
			});
		}

		@Override
		String request(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "{name} called to book {a:apptType} at {clinic}.";
				case 1 -> "{name} asked to move {a:apptType} from {soonDate}.";
				default -> "{name} asked to cancel the {apptType} on {soonDate}.";
			});
		}

		@Override
		String resolution(Dialog d) {
			return switch (d.issue) {
				case 0 -> "appointment booked";
				case 1 -> "appointment rescheduled";
				default -> "appointment cancelled";
			};
		}

		@Override
		String outcome(Dialog d) {
			return d.fill((d.issue == 2) ? "The appointment was cancelled without a fee."
					: "{A:apptType} was booked for {date} at {time} (confirmation {confirmation}).");
		}

	}

	static final class OrderStatus extends Script {

		private static final String[] STATUSES = { "processing", "shipped", "out for delivery", "delayed",
				"delivered" };

		private static final String[] ISSUES = { "order not shipped yet", "order tracking", "delivery today",
				"delayed order", "delivered order" };

		OrderStatus() {
			super("flow-order-status", "Order Status", "order status", "lookup_order", null, LEO, AVA);
			exchange((d) -> {
				d.user("Can I still change the shipping address?", "Is it too late to change where it's going?");
				d.agent("Since it has already left our warehouse I can't change it here, but you can redirect it with {carrier} using the tracking number.",
						"Once an order has shipped the address can't be changed by us, but {carrier} offers delivery changes online.");
			});
			exchange((d) -> {
				d.user("Can you send me the tracking link?", "Could you text me the tracking number?");
				d.agent("Sure, your tracking number is {tracking}. I've also sent the link to {email}.",
						"Here it is: {carrier} tracking number {tracking}.");
			});
			exchange((d) -> {
				d.user("Why is it taking so long?", "It's been over a week, this is ridiculous.",
						"I paid for express shipping, why is it late?");
				d.agent("I'm sorry about the wait. There was a backlog at the {city} sorting center.",
						"I understand the frustration. The carrier reported weather delays in the {city} area.");
				d.frustration++;
			});
			exchange((d) -> {
				d.user("Did everything ship together?", "Is the {product2} in the same box?");
				d.agent("The {product} shipped first; the {product2} ships separately from another warehouse.",
						"Yes, both items are in one package.");
			});
			exchange((d) -> {
				d.user("Will I need to sign for it?", "Do I have to be home for the delivery?");
				d.agent("No signature is required; it will be left at your door.",
						"Yes, this one needs a signature since it's over $300.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.weighted(new int[] { 15, 35, 15, 20, 15 });
			putOrder(d);
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Order Status", STATUSES[d.issue]);
			d.param("orderNumber", d.get("order"));
		}

		@Override
		void intent(Dialog d) {
			d.user("Where is my order?", "Hi, I'm checking on the status of my order.",
					"I ordered {a:product} on {pastDate} and haven't received it yet.",
					"Can you tell me when my {product} will arrive?", "What's the status of order {order}?",
					"My order still says processing, what's going on?");
		}

		@Override
		void identify(Dialog d) {
			askOrder(d);
			d.call("lookup_order", json("orderNumber", d.get("order")),
					json("orderNumber", d.get("order"), "status", STATUSES[d.issue].replace(' ', '_'), "items",
							List.of(json("sku", d.get("sku"), "name", d.get("product"), "quantity", 1)), "total",
							d.get("amount"), "carrier", d.get("carrier"), "trackingNumber", d.get("tracking"),
							"estimatedDelivery", d.get("isoDate")));
			d.agent("Thanks! I found order {order} for the {product}.", "Got it, order {order}, placed on {pastDate}.",
					"Thank you. I see your order for the {product}.");
		}

		@Override
		void resolve(Dialog d) {
			switch (d.issue) {
				case 0 -> d.agent(
						"Your order is still being packed at our warehouse. It should ship within 1 to 2 business days, and you'll get an email with tracking.",
						"It's being processed and will ship by {soonDate}.");
				case 1 -> d.agent("It shipped with {carrier} and is expected on {date}.",
						"Good news: it's on its way with {carrier}, estimated delivery {date}.");
				case 2 -> d.agent("It's out for delivery today and should arrive by 8 PM.",
						"It's on the truck! {carrier} expects to deliver it today.");
				case 3 -> d.agent("I'm sorry, the shipment is delayed. The new estimated delivery is {date}.",
						"The carrier has it marked as delayed; the new delivery date is {date}. I've added a {credit} credit for the trouble.");
				default -> d.agent("{carrier} shows it was delivered on {pastDate} at the front door.",
						"It was delivered on {pastDate}. If you can't find it, check with neighbors or reply here and we'll open a claim.");
			}
			d.user("OK, thanks for checking.", "Great, thank you.", "Alright. Thanks.", "Good to know, thanks!");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {agent} from {company} with an update on order {order}.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Customer asked about the status of order {order} ({product}).");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} asked where order {order} for {a:product} was.");
		}

		@Override
		String resolution(Dialog d) {
			return "status provided";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill(switch (d.issue) {
				case 0 -> "The order was still processing; it was expected to ship by {soonDate}.";
				case 1 -> "The order had shipped with {carrier} and was expected on {date}.";
				case 2 -> "The order was out for delivery that day.";
				case 3 -> "The order was delayed; the new delivery date is {date}.";
				default -> "The order had been delivered on {pastDate}.";
			});
		}

	}

	static void putOrder(Dialog d) {
		Rng rng = d.rng;
		d.put("order", "BW-" + Script.digits(rng, 8));
		d.put("sku", "SKU-" + Script.digits(rng, 5));
		d.put("product", rng.pick(Catalog.PRODUCTS));
		d.put("product2", rng.pick(Catalog.PRODUCTS));
		d.put("variant", rng.pick(Catalog.SIZES_COLORS));
		d.put("amount", Script.dollars(Script.amount(rng, 12, 450)));
		d.put("credit", rng.pick("$5", "$10", "$15"));
		String carrier = rng.pick(Catalog.CARRIERS);
		d.put("carrier", carrier);
		d.put("tracking", switch (carrier) {
			case "UPS" -> "1Z" + Script.letters(rng, 3) + Script.digits(rng, 13);
			case "FedEx" -> Script.digits(rng, 12);
			case "USPS" -> "9400" + Script.digits(rng, 18);
			default -> Script.digits(rng, 10);
		});
	}

	static void askOrder(Dialog d) {
		d.agent("I can check that for you. What's your order number? It starts with BW.",
				"Sure! Could you share the order number from your confirmation email?",
				"Happy to help. What's the order number?");
		if (d.rng.chance(0.8)) {
			d.user("{order}", "It's {order}.", "Order number is {order}.", "Sure, {order}");
		}
		else {
			d.user("I can't find the email. Can you look it up with {email}?", "I don't have it, my email is {email}.");
			d.call("find_orders", json("email", d.get("email"), "limit", 3),
					List.of(json("orderNumber", d.get("order"), "placedOn", d.get("isoPastDate"))));
		}
	}

	static final class TechSupport extends Script {

		private static final String[] ISSUES = { "no internet", "app crashing", "device won't connect", "error code",
				"slow speeds" };

		TechSupport() {
			super("flow-tech-support", "Technical Support", "technical support", "run_diagnostics", null, NOVA);
			exchange((d) -> {
				d.agent("Can you try restarting the {device}? Unplug it for 30 seconds, then plug it back in.",
						"Let's start simple: please power the {device} off and on again.");
				d.user("OK, doing that now... it's restarting.", "I already tried that twice.",
						"Done. Still the same.");
			});
			exchange((d) -> {
				d.agent("What lights do you see on the front of the router?",
						"Is the status light solid green, blinking, or red?");
				d.user("The internet light is blinking orange.", "It's solid red.", "Everything looks green to me.");
			});
			exchange((d) -> {
				d.agent("Which version of the app do you have? You can see it under Settings, About.",
						"Are you on the latest version of the app?");
				d.user("It says version {appVersion}.", "I think so, it updated last week.", "How do I check that?");
				d.confused = d.rng.chance(0.3);
			});
			exchange((d) -> {
				d.user("This is the third time this month.", "I work from home, I really need this fixed today.");
				d.agent("I completely understand, and I'm sorry for the repeated trouble.",
						"I hear you. Let's get this resolved as quickly as possible.");
				d.frustration++;
			});
			exchange((d) -> {
				d.userWithData(
						json("attachments",
								List.of(json("name", "screenshot.png", "contentType", "image/png", "size", 184_213))),
						"Here's a screenshot of the error.", "I attached a screenshot.");
				d.agent("Thanks, that helps. The screenshot shows error {errorCode}.",
						"Got it, I can see the error {errorCode} in your screenshot.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("device", d.rng.pick(Catalog.DEVICES));
			d.put("errorCode", d.rng.pick(Catalog.ERROR_CODES));
			d.put("account", "ACC-" + digits(d.rng, 7));
			d.put("ticket", "TCK-" + digits(d.rng, 6));
			d.put("appVersion", d.rng.between(3, 6) + "." + d.rng.between(0, 19) + "." + d.rng.between(0, 9));
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Device", d.get("device"));
			d.param("accountId", d.get("account"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("My internet is down.", "I have no internet since this morning.",
						"The Wi-Fi isn't working at all, nothing loads.");
				case 1 -> d.user("Your app keeps crashing when I open it.",
						"The app closes every time I try to log in.", "The mobile app crashes on startup.");
				case 2 -> d.user("My {device} won't connect.", "I can't get my {device} to connect to the network.",
						"The {device} says it's offline.");
				case 3 -> d.user("I keep getting error {errorCode}.", "What does error {errorCode} mean?",
						"There's an error {errorCode} on my {device}.");
				default -> d.user("My internet is really slow.", "Speeds are terrible tonight, videos keep buffering.",
						"I'm paying for 500 megs and getting like 20.");
			}
		}

		@Override
		void identify(Dialog d) {
			if (d.rng.chance(0.6)) {
				d.agent("Sorry to hear that. Can I have your account number?",
						"Let's get that fixed. What's your account number?");
				d.user("{account}", "It's {account}.", "Account {account}.");
			}
			else {
				d.agent("I can help troubleshoot. First, what's the phone number on your account?",
						"Sorry to hear that. What's the phone number on the account?");
				d.user("It's {phone}.", "{phone}");
			}
			d.call("run_diagnostics", json("accountId", d.get("account"), "device", d.get("device")),
					json("lineStatus", d.rng.pick("up", "degraded", "down"), "lastSeen", d.clock().toString(),
							"signalDbm", -d.rng.between(40, 80), "issues",
							List.of(d.rng.pick("packet_loss", "firmware_outdated", "auth_failures", "none"))));
			d.agent("Thanks. I'm running a quick diagnostic on your {device}... I can see some problems on the line.",
					"I've checked your connection from our side and I see the {device} dropping in and out.",
					"The diagnostic is done. Your {device} is reachable, but there are errors.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.rng.chance(0.55)) {
				d.call("push_firmware_update", json("accountId", d.get("account"), "device", d.get("device")),
						json("status", "applied", "version", d.get("appVersion")));
				d.agent("I've pushed an update and reset the connection. Can you check now?",
						"I just refreshed your connection from our side. Please try again.");
				d.user("Yes! It's working now.", "It's back, thank you!", "Looks good now.");
			}
			else {
				d.put("technician", "true");
				d.param("ticketId", d.get("ticket"));
				d.call("create_ticket",
						json("accountId", d.get("account"), "priority", "high", "summary",
								d.fill("{device}: " + d.tags.get("Issue"))),
						json("ticketId", d.get("ticket"), "technicianVisit", d.get("isoDate")));
				d.agent("I've opened ticket {ticket} and booked a technician for {date}, between 8 AM and noon.",
						"This needs a technician. Ticket {ticket} is open and someone will visit on {date}.");
				d.user("OK, thank you.", "Fine, as long as it gets fixed.", "Alright, I'll be home.");
			}
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {company} support following up on your ticket.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Technical problem: " + d.tags.get("Issue") + " ({device}).");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} reported " + d.tags.get("Issue") + " on their {device}.");
		}

		@Override
		String resolution(Dialog d) {
			return d.has("technician") ? "technician booked" : "resolved remotely";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill(d.has("technician")
					? "Diagnostics found a fault; ticket {ticket} was opened and a technician booked for {date}."
					: "Diagnostics found a fault, which was fixed remotely with a reset and update.");
		}

	}

	static final class Returns extends Script {

		private static final String[] ISSUES = { "damaged item", "wrong item", "doesn't fit", "changed mind",
				"never arrived" };

		Returns() {
			super("flow-returns", "Returns & Refunds", "returns", "lookup_order", null, LEO, AVA);
			exchange((d) -> {
				d.user("Do I have to pay for the return shipping?", "Is the return free?");
				d.agent("No, returns are free. The label is prepaid.",
						"The return is free of charge for {reasonShort} items.");
			});
			exchange((d) -> {
				d.user("How long does the refund take?", "When will I get my money back?");
				d.agent("Refunds are issued within 2 business days of the item reaching us, then your bank takes 3 to 5 days.",
						"Once we receive it, the refund usually shows up within a week.");
			});
			exchange((d) -> {
				d.user("Can I exchange it instead?", "Could I swap it for a different size?");
				d.agent("I can set up an exchange for the {product} {variant}. It's in stock.",
						"Exchanges are possible; we'll ship the new one as soon as the return is scanned.");
				d.user("No, I'd rather just get a refund.", "Actually I just want my money back.",
						"Hmm, no, a refund is better.");
			});
			exchange((d) -> {
				d.userWithData(
						json("attachments",
								List.of(json("name", "damage-photo.jpg", "contentType", "image/jpeg", "size",
										1_482_133))),
						"I took a photo of the damage.", "Here's a picture of the box it came in.");
				d.agent("Thank you, I've added the photo to your return.", "Got the photo, thanks.");
			});
			exchange((d) -> {
				d.user("I've already waited two weeks for this.", "This is the second time this happened.",
						"Honestly I'm really disappointed.");
				d.agent("I'm really sorry. Let me make this right.",
						"I'm sorry for the trouble, I'll get this sorted for you now.");
				d.frustration++;
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			putOrder(d);
			d.put("reasonShort", ISSUES[d.issue]);
			d.put("reasonShort2", (d.issue == 0) ? "arrived damaged" : "never arrived");
			d.put("rma", "RMA-" + digits(d.rng, 6));
			d.tag("Issue", ISSUES[d.issue]);
			d.param("orderNumber", d.get("order"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("My {product} arrived broken and I want a refund.",
						"The {product} came damaged. I want a refund, please.",
						"I received a damaged {product}. How do I return it?",
						"The box was crushed and the {product} is cracked. I'd like my money back.");
				case 1 -> d.user("You sent me the wrong item. I ordered {a:product} and got something else.",
						"I want a refund, the item I received isn't what I ordered.",
						"Wrong product in my package. Can I return it?");
				case 2 -> d.user("The {product} doesn't fit. I'd like to return it.",
						"I need to return the {product} {variant}, it's too small.",
						"How do returns work? The {product} doesn't fit.");
				case 3 -> d.user("I want to return the {product} I bought last week.",
						"I changed my mind about the {product}. Can I get a refund?",
						"I'd like to return an item, I don't need it anymore.", "I want a refund for my order.");
				default -> d.user("My order never arrived and I want a refund.",
						"I never got my {product}. I'd like a refund.",
						"The package says delivered but it's not here. I want my money back.");
			}
		}

		@Override
		void identify(Dialog d) {
			askOrder(d);
			d.call("lookup_order", json("orderNumber", d.get("order")), json("orderNumber", d.get("order"), "status",
					"delivered", "deliveredOn", d.get("isoPastDate"), "items", List.of(json("sku", d.get("sku"), "name",
							d.get("product"), "quantity", 1, "price", d.get("amount"))),
					"returnEligible", true, "returnWindowDays", 30));
			d.agent("Thanks. I found order {order} with the {product} for {amount}. It's within the 30-day return window.",
					"I see the {product} from order {order}, delivered on {pastDate}.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.issue == 4 || d.issue == 0) {
				d.agent("You won't need to send anything back. I'm issuing a full refund of {amount} now.",
						"Since it {reasonShort2}, I'll refund the {amount} right away.");
				d.call("issue_refund",
						json("orderNumber", d.get("order"), "amount", d.get("amount"), "method", "original_payment",
								"reason", d.get("reasonShort")),
						json("refundId", "rf_" + alphanumeric(d.rng, 12), "status", "processed", "eta",
								"3-5 business days"));
				d.agent("The refund of {amount} is processed to your original payment method. Expect it in 3 to 5 business days.",
						"Done! Your refund of {amount} is on its way; it can take a few days to show up.");
			}
			else {
				d.call("create_return",
						json("orderNumber", d.get("order"), "items", List.of(d.get("sku")), "reason",
								d.get("reasonShort")),
						json("rmaNumber", d.get("rma"), "labelUrl",
								"https://returns.brightwave.example/label/" + d.get("rma"), "dropOff",
								List.of(d.get("carrier") + " store", "Brightwave store")));
				d.agent("I've created return {rma}. The prepaid label is in your email; drop the package at any {carrier} location. Your refund of {amount} is issued once it arrives.",
						"Your return {rma} is set up. Print the label we emailed you, and you'll get your {amount} refund when we receive it.");
			}
			d.user("Thank you, that's great.", "OK, thanks for the help.", "Perfect. Thanks!",
					"Thanks, appreciate it.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {agent} from {company} here about your return of the {product}.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Refund request for order {order}: {reasonShort} ({product}).");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} wanted a refund for the {product} on order {order} ({reasonShort}).");
		}

		@Override
		String resolution(Dialog d) {
			return (d.issue == 4 || d.issue == 0) ? "refund issued" : "return created";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill((d.issue == 4 || d.issue == 0)
					? "A full refund of {amount} was issued to the original payment method."
					: "Return {rma} was created with a prepaid label; the refund of {amount} follows on receipt.");
		}

	}

	static final class PasswordReset extends Script {

		private static final String[] ISSUES = { "forgot password", "account locked", "reset email not received",
				"two-factor problem" };

		PasswordReset() {
			super("flow-password-reset", "Password Reset", "account access", "verify_identity", null, NOVA, AVA);
			exchange((d) -> {
				d.user("What are the password requirements?", "Does the new password need special characters?");
				d.agent("At least 12 characters, with a number and a symbol. It can't match your last 5 passwords.",
						"It needs 12 or more characters, including a number and a special character.");
			});
			exchange((d) -> {
				d.user("I didn't get the code.", "The code hasn't arrived yet.");
				d.agent("It can take a minute. I've sent a new code to the number ending in {phoneLast4}.",
						"Let me resend it. Check your texts from a number ending in 0142.");
			});
			exchange((d) -> {
				d.user("Will I be logged out on my other devices?", "Does this sign me out of the app too?");
				d.agent("Yes, changing the password signs you out everywhere, for security.",
						"You'll need to log in again on your phone and tablet.");
			});
			exchange((d) -> {
				d.user("Why did my account get locked in the first place?", "I don't understand why I can't log in.");
				d.agent("After 5 failed sign-in attempts we lock the account for 30 minutes to protect it.",
						"There were several failed password attempts, so the account was locked as a precaution.");
				d.confused = true;
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("username", d.get("email"));
			d.put("account", "ACC-" + digits(d.rng, 7));
			d.tag("Issue", ISSUES[d.issue]);
			d.param("accountId", d.get("account"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I forgot my password.", "I can't log in, my password isn't working.",
						"I need to reset my password.", "How do I change my password? I forgot the old one.");
				case 1 -> d.user("My account is locked.", "It says my account is locked after too many attempts.",
						"I'm locked out of my account.");
				case 2 -> d.user("I asked for a password reset but never got the email.",
						"The reset password email isn't coming through.");
				default -> d.user("I got a new phone and can't get the two-factor code.",
						"The verification code isn't working, I can't log in.");
			}
		}

		@Override
		void identify(Dialog d) {
			d.agent("I can help you get back in. What's the email address on your account?",
					"No problem. Which email do you use to sign in?",
					"Let's verify it's you first. What's your login email?");
			d.user("{email}", "It's {email}.", "My email is {email}.");
			d.call("verify_identity", json("email", d.get("email"), "method", "sms_code"),
					json("verified", true, "attempts", d.rng.between(1, 2)));
			d.agent("I've sent a 6-digit code to the phone ending in {phoneLast4}. Can you read it to me?",
					"Please enter the verification code we just texted you.");
			d.user("It's " + digits(d.rng, 6) + ".", digits(d.rng, 3) + " " + digits(d.rng, 3),
					"Got it: " + digits(d.rng, 6));
			d.agent("Thanks, you're verified.", "Perfect, that's verified.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.issue == 1) {
				d.call("unlock_account", json("accountId", d.get("account")), json("unlocked", true));
			}
			d.call("reset_password", json("accountId", d.get("account"), "delivery", "email"),
					json("resetLinkSent", true, "expiresInMinutes", 30));
			d.agent("I've unlocked your account and sent a password reset link to {email}. It expires in 30 minutes.",
					"A password reset link is on its way to {email}. Choose a new password and you're all set.",
					"Done. Check {email} for the reset link, and check your spam folder if you don't see it.");
			d.user("Got it, I'm in. Thanks!", "Thanks, that worked.", "OK, resetting it now. Thank you.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {agent} from {company}. We noticed several failed sign-in attempts on your account.");
		}

		@Override
		String reason(Dialog d) {
			return "Account access: " + d.tags.get("Issue") + ".";
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} could not sign in (" + d.tags.get("Issue") + ") and needed a password reset.");
		}

		@Override
		String resolution(Dialog d) {
			return "password reset";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill("Identity was verified by SMS code and a password reset link was sent to {email}.");
		}

	}

	static final class Delivery extends Script {

		private static final String[] ISSUES = { "late delivery", "marked delivered, not received",
				"change delivery address", "delivery window" };

		Delivery() {
			super("flow-delivery", "Delivery Tracking", "delivery", "track_shipment", "the delivery of order {order}",
					LEO);
			exchange((d) -> {
				d.user("Can they leave it with my neighbor?", "Can the driver leave it at the back door?");
				d.agent("I've added a delivery note asking the driver to leave it with your neighbor.",
						"Sure, I've added that instruction for the driver.");
				d.call("add_delivery_instructions",
						json("trackingNumber", d.get("tracking"), "note", "Leave at back door or with neighbor"),
						json("saved", true));
			});
			exchange((d) -> {
				d.user("What time will it come?", "Is there a delivery window?");
				d.agent("The driver's window is between 2 and 6 PM.", "{carrier} estimates delivery before 8 PM.");
			});
			exchange((d) -> {
				d.user("The tracking hasn't updated in days.", "It's been stuck in {city} since {pastDate}.");
				d.agent("I see the last scan was in {city}. That happens when a package is transferred between hubs.",
						"You're right, there's been no scan since {pastDate}. I've asked {carrier} to trace it.");
				d.frustration++;
			});
			exchange((d) -> {
				d.user("Is it insured?", "What if it's lost?");
				d.agent("Every shipment is insured. If it doesn't arrive by {date}, we'll send a replacement.",
						"If it's lost, we'll replace it or refund you, your choice.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			putOrder(d);
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Carrier", d.get("carrier"));
			d.param("trackingNumber", d.get("tracking"));
			d.param("orderNumber", d.get("order"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("My package is late.", "Where is my delivery? It was supposed to come on {pastDate}.",
						"Can you track my package? It's overdue.");
				case 1 -> d.user("It says my package was delivered but I don't have it.",
						"Tracking shows delivered, but there's nothing at my door.",
						"My parcel was marked as delivered and it's not here.");
				case 2 -> d.user("I need to change the delivery address for my package.",
						"Can I have my package delivered to my office instead?");
				default -> d.user("When will my package be delivered?", "What's the delivery window for my parcel?");
			}
		}

		@Override
		void identify(Dialog d) {
			if (d.rng.chance(0.5)) {
				d.agent("Let me track it. Do you have the tracking number?", "Sure. What's the tracking number?");
				d.user("Tracking number {tracking}.", "{tracking}", "It's {tracking}.");
			}
			else {
				d.agent("I'll look it up. Can I have the order number?", "Sure. What's your order number?");
				d.user("The order is {order}.", "{order}", "Order {order}.");
			}
			d.call("track_shipment", json("trackingNumber", d.get("tracking"), "carrier", d.get("carrier")),
					json("status", (d.issue == 1) ? "delivered" : "in_transit", "lastScan",
							json("city", d.get("city"), "at",
									d.clock().minusSeconds(d.rng.between(3600, 200_000)).toString()),
							"estimatedDelivery", d.get("isoDate")));
			d.agent("I found it. The last scan was in {city}.", "Thanks. It's with {carrier}, last seen in {city}.");
		}

		@Override
		void resolve(Dialog d) {
			switch (d.issue) {
				case 1 -> {
					d.call("open_carrier_claim", json("trackingNumber", d.get("tracking"), "type", "not_received"),
							json("claimId", "CC-" + digits(d.rng, 7), "replacementOrder", "BW-" + digits(d.rng, 8)));
					d.agent("I've opened a claim with {carrier} and we're sending a replacement {product} today at no cost.",
							"Sorry about that. A replacement ships today, and you don't need to do anything else.");
				}
				case 2 -> {
					d.call("redirect_shipment",
							json("trackingNumber", d.get("tracking"), "newAddress", d.fill("1200 Market St, {city}")),
							json("redirected", true, "newEta", d.get("isoDate")));
					d.agent("Done, the package is redirected to your office address. New delivery date: {date}.",
							"I've updated the address. It should arrive there on {date}.");
				}
				default -> d.agent("It's on schedule for {date}. You'll get a text when it's out for delivery.",
						"It's expected on {date}. I've turned on delivery notifications for you.");
			}
			d.user("Thanks.", "Great, thanks a lot.", "OK, thank you.", "Appreciate it!");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {company}. Your package {tracking} is out for delivery today. Reply 1 to add delivery instructions.",
					"Hello {first}, {company} delivery update: your {product} is delayed and now expected on {date}. We're sorry for the wait.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Delivery question (" + d.tags.get("Issue") + ") for {carrier} tracking {tracking}.");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} asked about a {carrier} delivery: " + d.tags.get("Issue") + ".");
		}

		@Override
		String resolution(Dialog d) {
			return switch (d.issue) {
				case 1 -> "replacement sent";
				case 2 -> "shipment redirected";
				default -> "status provided";
			};
		}

		@Override
		String outcome(Dialog d) {
			return d.fill(switch (d.issue) {
				case 1 -> "A carrier claim was opened and a replacement {product} shipped.";
				case 2 -> "The shipment was redirected; new delivery date {date}.";
				default -> "The package was on schedule for {date}.";
			});
		}

	}

	static final class InsuranceClaim extends Script {

		private static final String[] ISSUES = { "new claim", "claim status", "documents" };

		InsuranceClaim() {
			super("flow-insurance-claim", "Insurance Claim", "claims", "lookup_policy", "your claim {claim}", SAGE);
			exchange((d) -> {
				d.user("Will my premium go up?", "Is this going to raise my rates?");
				d.agent("One claim doesn't automatically change your premium; it's reviewed at renewal.",
						"I can't say for sure, but a single {claimType} claim usually has little effect at renewal.");
			});
			exchange((d) -> {
				d.user("How much is my deductible?", "What will I have to pay myself?");
				d.agent("Your deductible is {deductible}.", "You have a {deductible} deductible on this policy.");
			});
			exchange((d) -> {
				d.userWithData(
						json("attachments",
								List.of(json("name", "photo-1.jpg", "contentType", "image/jpeg", "size", 2_301_455),
										json("name", "photo-2.jpg", "contentType", "image/jpeg", "size", 1_877_020))),
						"I've uploaded photos of the damage.", "Here are two pictures.");
				d.agent("Thank you, the photos are attached to the claim.", "Got them, they're on file now.");
			});
			exchange((d) -> {
				d.user("Do I need a police report?", "Should I file a police report?");
				d.agent("For {a:claimType}, yes, please get a report number and send it to us.",
						"It helps. If you have a report number, add it to the claim online.");
			});
			exchange((d) -> {
				d.user("This is stressful, I don't even know where to start.",
						"I've never done this before, sorry if I'm confused.");
				d.agent("That's completely understandable. I'll walk you through it step by step.",
						"No need to apologize, that's what I'm here for.");
				d.confused = true;
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("policy", "POL-" + digits(d.rng, 8));
			d.put("claim", "CLM-" + digits(d.rng, 7));
			d.put("claimType", d.rng.pick(Catalog.CLAIM_TYPES));
			d.put("deductible", d.rng.pick("$250", "$500", "$1,000"));
			d.put("adjuster", d.rng.pick(Catalog.FIRST_NAMES) + " " + d.rng.pick(Catalog.LAST_NAMES));
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Claim Type", d.get("claimType"));
			putIncident(d);
			d.param("policyNumber", d.get("policy"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I need to file a claim. I had {a:claimType}.",
						"Hi, I want to report {a:claimType} and start a claim.",
						"I'd like to open an insurance claim for {a:claimType} on {pastDate}.");
				case 1 -> d.user("What's the status of my claim?", "I filed a claim two weeks ago and heard nothing.",
						"Any update on claim {claim}?");
				default -> d.user("How do I send documents for my claim?",
						"I have the repair estimate for my claim, where do I send it?");
			}
		}

		@Override
		void identify(Dialog d) {
			d.agent("I'm sorry to hear that. What's your policy number?",
					"I can help. Can you give me your policy number, please?",
					"Let's find your policy first. What's the policy number?");
			d.user("{policy}", "It's {policy}.", "Policy {policy}.");
			d.call("lookup_policy", json("policyNumber", d.get("policy")),
					json("policyNumber", d.get("policy"), "holder", d.get("name"), "type",
							d.rng.pick("auto", "home", "renters", "travel"), "active", true, "deductible",
							d.get("deductible")));
			d.agent("Thanks, {first}. Your policy is active.", "I found your policy, {first}.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.issue == 0) {
				d.agent("When did the {claimType} happen, and can you briefly describe it?",
						"Please tell me what happened and when.");
				d.user("It happened on {pastDate}. {incident}", "{incident} That was on {pastDate}.");
				d.call("file_claim",
						json("policyNumber", d.get("policy"), "incidentType", d.get("claimType"), "incidentDate",
								d.get("isoPastDate"), "description", d.get("incident")),
						json("claimNumber", d.get("claim"), "adjuster", d.get("adjuster"), "nextSteps",
								List.of("upload_photos", "adjuster_call")));
				d.agent("Your claim {claim} is filed. {adjuster} will be your adjuster and will call you within 2 business days.",
						"I've opened claim {claim}. An adjuster, {adjuster}, will contact you soon.");
			}
			else {
				int status = d.rng.nextInt(3);
				d.call("get_claim_status", json("claimNumber", d.get("claim")),
						json("claimNumber", d.get("claim"), "status",
								new String[] { "under_review", "approved", "awaiting_documents" }[status], "adjuster",
								d.get("adjuster")));
				switch (status) {
					case 0 -> d.agent(
							"Claim {claim} is under review with {adjuster}. You can upload documents in the app under Claims.",
							"Your claim is being reviewed by {adjuster}; expect an update within 5 business days.");
					case 1 ->
						d.agent("Good news: claim {claim} is approved. The payment goes out within 3 business days.",
								"Your claim was approved by {adjuster}; you'll receive the payment by {date}.");
					default -> d.agent(
							"Claim {claim} is waiting for documents: please upload the repair estimate at brightwave.example/claims.",
							"{adjuster} still needs photos and the repair estimate before the claim can move forward.");
				}
			}
			d.user("Thank you.", "OK, thanks for your help.", "That's a relief, thanks.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {company} Insurance about claim {claim}. We still need a few documents.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill((d.issue == 0) ? "New claim for {a:claimType} under policy {policy}."
					: "Question about claim {claim} on policy {policy}.");
		}

		@Override
		String request(Dialog d) {
			return d.fill((d.issue == 0) ? "{name} reported {a:claimType} on {pastDate}."
					: "{name} asked about claim {claim}.");
		}

		@Override
		String resolution(Dialog d) {
			return (d.issue == 0) ? "claim filed" : "status provided";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill((d.issue == 0) ? "Claim {claim} was filed and assigned to adjuster {adjuster}."
					: "The claim status was shared; adjuster {adjuster} is handling it.");
		}

		private static void putIncident(Dialog d) {
			d.put("incident", switch (d.get("claimType")) {
				case "car accident" -> "Someone rear-ended me at a red light.";
				case "water leak", "burst pipe" -> "A pipe burst in the kitchen and flooded the floor.";
				case "stolen bike" -> "My bike was stolen from outside the gym.";
				case "broken windshield" -> "A rock hit the windshield on the highway and cracked it.";
				case "lost suitcase" -> "The airline lost my suitcase on the way back.";
				default -> "A storm tore off part of the roof.";
			});
		}

	}

	static final class LostCard extends Script {

		private static final String[] ISSUES = { "lost card", "stolen card", "unrecognized transaction" };

		LostCard() {
			super("flow-lost-card", "Lost or Stolen Card", "card services", "verify_identity", null, JUNO);
			exchange((d) -> {
				d.user("Can I still use Apple Pay?", "Will my digital wallet still work?");
				d.agent("Your new card will be added to your wallet automatically once it's activated.",
						"You can use a temporary virtual card in the app until the new one arrives.");
			});
			exchange((d) -> {
				d.user("Were there any charges I didn't make?", "Can you check for any strange transactions?");
				d.call("list_transactions", json("cardLast4", d.get("last4"), "days", 7),
						List.of(json("merchant", "Coffee House", "amount", 4.75, "date", d.get("isoPastDate")),
								json("merchant", d.get("merchant"), "amount", Double.parseDouble(d.get("amountValue")),
										"date", d.get("isoPastDate"))));
				d.agent("I see a charge of {amount} at {merchant}. Was that you?",
						"The last charge is {amount} at {merchant}. Do you recognize it?");
				d.user("No, that wasn't me.", "Yes, that one's mine.", "I don't think so.");
			});
			exchange((d) -> {
				d.user("How long until I get the new card?", "When will the replacement arrive?");
				d.agent("Standard delivery is 5 to 7 business days, or 2 days expedited at no cost.",
						"It should arrive by {date}.");
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("last4", digits(d.rng, 4));
			d.put("merchant",
					d.rng.pick("Online Electronics Ltd", "QuickMart", "TravelNow", "GameStore", "Fuel Express"));
			double amount = amount(d.rng, 20, 900);
			d.put("amount", dollars(amount));
			d.put("amountValue", Double.toString(amount));
			d.tag("Issue", ISSUES[d.issue]);
			d.param("cardLast4", d.get("last4"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I lost my debit card.", "I can't find my credit card anywhere.",
						"I think I left my card at a restaurant. Can you block it?");
				case 1 ->
					d.user("My wallet was stolen and my card was in it.", "Someone stole my card, please freeze it.");
				default -> d.user("There's a charge of {amount} from {merchant} I don't recognize.",
						"I see a transaction at {merchant} that I didn't make.");
			}
		}

		@Override
		void identify(Dialog d) {
			d.agent("I'll help you secure your account right away. What are the last four digits of the card?",
					"Let's protect your account. Which card is it? The last four digits, please.");
			d.user("{last4}", "It ends in {last4}.", "The last four are {last4}.");
			d.call("verify_identity", json("cardLast4", d.get("last4"), "method", "security_questions"),
					json("verified", true));
			d.agent("Thanks, you're verified.", "Thank you, {first}, I've confirmed your identity.");
		}

		@Override
		void resolve(Dialog d) {
			d.call("block_card", json("cardLast4", d.get("last4"), "reason", ISSUES[d.issue].replace(' ', '_')),
					json("blocked", true, "blockedAt", d.clock().toString()));
			d.agent("Your card ending in {last4} is now blocked. Nobody can use it.",
					"I've frozen the card ending in {last4}.");
			d.call("order_replacement_card", json("cardLast4", d.get("last4"), "expedite", d.rng.chance(0.5)),
					json("ordered", true, "estimatedArrival", d.get("isoDate")));
			d.agent("A replacement card is on its way and should arrive by {date}.",
					"I've ordered a new card; it will arrive by {date}. If there are charges you didn't make, we'll dispute them for you.");
			d.user("Thank you, that's a relief.", "Thanks so much.", "Great, thank you.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {company} card services. Did you make a purchase of {amount} at {merchant}?");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Card ending in {last4}: " + d.tags.get("Issue") + ".");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} reported " + Dialog.withArticle((String) d.tags.get("Issue"))
					+ " (card ending in {last4}).");
		}

		@Override
		String resolution(Dialog d) {
			return "card blocked and replaced";
		}

		@Override
		String outcome(Dialog d) {
			return d.fill("The card was blocked and a replacement ordered for {date}.");
		}

	}

	static final class Travel extends Script {

		private static final String[] ISSUES = { "book flight", "change flight", "hotel booking", "cancel trip" };

		Travel() {
			super("flow-travel", "Travel Booking", "travel", "lookup_booking",
					"a schedule change to your flight {flightNo}", ATLAS);
			exchange((d) -> {
				d.user("How much luggage can I bring?", "Is a checked bag included?");
				d.agent("One carry-on is included; a checked bag is $35 each way.",
						"The fare includes one checked bag up to 23 kg.");
			});
			exchange((d) -> {
				d.user("Can I pick my seat?", "Can I get a window seat?");
				d.agent("I've reserved seat 14A, a window seat.", "Seat selection opens 24 hours before departure.");
			});
			exchange((d) -> {
				d.user("Is there a cheaper option?", "That's more than I wanted to spend.");
				d.agent("There's a flight with one stop for {cheaper}.", "If you fly on a weekday it's {cheaper}.");
			});
			exchange((d) -> {
				d.user("Do I need a visa for {destination}?", "What documents do I need?");
				d.agent("I can't give legal advice, but please check the official entry requirements for {destination} before you travel.",
						"Please check entry requirements on the government website; a valid passport is always required.");
			});
		}

		@Override
		String lookupLabel() {
			return "lookup_booking, or search_flights / search_hotels for a new trip";
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			d.put("destination", d.rng.pick(Catalog.CITIES));
			int airline = d.rng.nextInt(Catalog.AIRLINES.length);
			d.put("airline", Catalog.AIRLINES[airline]);
			d.put("hotel", d.rng.pick(Catalog.HOTELS));
			d.put("booking", letters(d.rng, 6));
			d.put("flightNo", Catalog.AIRLINE_CODES[airline] + d.rng.between(100, 2999));
			d.put("fare", dollars(amount(d.rng, 120, 1400)));
			d.put("cheaper", dollars(amount(d.rng, 90, 300)));
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Destination", d.get("destination"));
			d.param("bookingRef", d.get("booking"));
		}

		@Override
		void intent(Dialog d) {
			switch (d.issue) {
				case 0 -> d.user("I'd like to book a flight from {city} to {destination} on {date}.",
						"I need a round trip to {destination}, leaving {date}.",
						"Can you find me a flight to {destination}?");
				case 1 -> d.user("I need to change my flight to {destination}.",
						"Can I move my flight to a later date?", "I want to change booking {booking}.");
				case 2 -> d.user("I need a hotel in {destination} for three nights.",
						"Can you book me a room in {destination} from {date}?");
				default -> d.user("I have to cancel my trip to {destination}.",
						"Please cancel booking {booking}, I can't travel anymore.");
			}
		}

		@Override
		void identify(Dialog d) {
			if (d.issue == 0 || d.issue == 2) {
				d.agent("Happy to help! How many travelers?", "Sure. Is it just you traveling?");
				d.user("Just me.", "Two adults.", "Me and my partner.", "Two adults and a child.");
				d.call((d.issue == 0) ? "search_flights" : "search_hotels",
						json("from", d.get("city"), "to", d.get("destination"), "date", d.get("isoDate")),
						List.of(json("optionId", "opt_1", "carrier", d.get("airline"), "price", d.get("fare")),
								json("optionId", "opt_2", "carrier", d.get("airline"), "price", d.get("cheaper"))));
				d.agent((d.issue == 0) ? "I found a nonstop {airline} flight {flightNo} on {date} for {fare}."
						: "The {hotel} has rooms from {date} for {fare} in total.",
						"The best option is {fare} on {airline}.");
			}
			else {
				d.agent("What's your booking reference?", "Could you give me the 6-letter booking code?");
				d.user("{booking}", "It's {booking}.");
				d.call("lookup_booking", json("bookingRef", d.get("booking")), json("bookingRef", d.get("booking"),
						"flight", d.get("flightNo"), "date", d.get("isoDate"), "refundable", d.rng.chance(0.4)));
				d.agent("I see your {airline} flight {flightNo} to {destination} on {date}.",
						"Found it: flight {flightNo} to {destination}.");
			}
		}

		@Override
		void resolve(Dialog d) {
			switch (d.issue) {
				case 3 -> {
					d.call("cancel_booking", json("bookingRef", d.get("booking")),
							json("cancelled", true, "refund", d.get("fare"), "travelCredit", false));
					d.agent("Your booking {booking} is cancelled. The refund of {fare} goes back to your card.",
							"Cancelled. You'll receive a travel credit of {fare} valid for 12 months.");
				}
				case 1 -> {
					d.call("change_booking", json("bookingRef", d.get("booking"), "newDate", d.get("isoDate")),
							json("changed", true, "fareDifference", d.get("cheaper")));
					d.agent("I've moved you to {date}. The fare difference is {cheaper}.",
							"Your flight is changed to {date}, same time. New e-ticket sent to {email}.");
				}
				default -> {
					d.call("book_trip", json("optionId", "opt_1", "travelerEmail", d.get("email")),
							json("bookingRef", d.get("booking"), "total", d.get("fare"), "status", "confirmed"));
					d.agent("You're booked! Reference {booking}, total {fare}. Confirmation sent to {email}.",
							"All done. Your booking code is {booking}.");
				}
			}
			d.user("Thanks!", "Great, thank you!", "Perfect, thanks so much.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, this is {agent} from {company} Travel. Your {airline} flight {flightNo} on {date} has a schedule change.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Travel: " + d.tags.get("Issue") + " ({destination}).");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} wanted to " + d.tags.get("Issue") + " for a trip to {destination}.");
		}

		@Override
		String resolution(Dialog d) {
			return switch (d.issue) {
				case 1 -> "booking changed";
				case 3 -> "booking cancelled";
				default -> "booking confirmed";
			};
		}

		@Override
		String outcome(Dialog d) {
			return d.fill(switch (d.issue) {
				case 1 -> "The flight was moved to {date}.";
				case 3 -> "Booking {booking} was cancelled.";
				default -> "Booking {booking} was confirmed for {fare}.";
			});
		}

	}

	static final class CancelSubscription extends Script {

		private static final String[] ISSUES = { "too expensive", "not using it", "switching provider",
				"moving abroad" };

		CancelSubscription() {
			super("flow-cancel-subscription", "Subscription Cancellation", "cancellation", "lookup_subscription",
					"the renewal of your {plan} subscription on {date}", MAX, AVA);
			exchange((d) -> {
				d.user("Will I lose my saved data?", "What happens to my account after I cancel?");
				d.agent("Your data is kept for 90 days, so you can come back anytime.",
						"You keep access until {date}; after that your data is stored for 90 days.");
			});
			exchange((d) -> {
				d.user("Do I get a refund for this month?", "Can I get a refund for the unused days?");
				d.agent("Cancellations take effect at the end of the billing period, so there's no partial refund, but you keep access until {date}.",
						"Since you were charged on {pastDate}, I can refund the unused part, {amount}.");
			});
			exchange((d) -> {
				d.user("I've been trying to cancel online for ages.", "Why is it so hard to cancel?",
						"I couldn't find the cancel button anywhere.");
				d.agent("I'm sorry it was hard to find. I'll take care of it right here.",
						"Apologies for that. You can always cancel under Account, Subscription, too.");
				d.frustration++;
			});
		}

		@Override
		List<String> branches() {
			return List.of(ISSUES);
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(ISSUES.length);
			int plan = d.rng.nextInt(Catalog.PLANS.length);
			d.put("plan", Catalog.PLANS[plan]);
			d.put("planPrice", Catalog.PLAN_PRICES[plan]);
			d.put("account", "ACC-" + digits(d.rng, 7));
			d.put("subscription", "sub_" + alphanumeric(d.rng, 14));
			d.put("amount", dollars(amount(d.rng, 3, 20)));
			d.put("reasonText", ISSUES[d.issue]);
			putReasons(d);
			d.tag("Issue", ISSUES[d.issue]);
			d.tag("Plan", d.get("plan"));
			d.param("subscriptionId", d.get("subscription"));
			d.param("plan", d.get("plan").toLowerCase(Locale.ROOT));
		}

		@Override
		void intent(Dialog d) {
			d.user("I want to cancel my subscription.", "Please cancel my subscription.",
					"How do I cancel my subscription? It's {reasonText2}.", "I'd like to cancel my {plan} plan.",
					"Cancel my subscription, please. {reasonSentence}", "Hi, I need to cancel my membership.");
		}

		@Override
		void identify(Dialog d) {
			d.agent("I can help with that. Can you confirm the email on the account?",
					"Sorry to see you go! Which email is the subscription under?");
			d.user("{email}", "It's {email}.");
			d.call("lookup_subscription", json("email", d.get("email")),
					json("subscriptionId", d.get("subscription"), "plan", d.get("plan"), "price", d.get("planPrice"),
							"renewsOn", d.get("isoDate"), "memberSince", "20" + d.rng.between(18, 23)));
			d.agent("Thanks. I see your {plan} plan at {planPrice} a month, renewing on {date}. May I ask why you'd like to cancel?",
					"Found it: the {plan} plan. Before I cancel, could you tell me why you're leaving?");
			d.user("{reasonSentence}", "It's just {reasonText2}.");
		}

		@Override
		void resolve(Dialog d) {
			if (d.rng.chance(0.3)) {
				d.agent("I understand. Before you go, I can offer you 50% off for the next 3 months. Would you like that instead?",
						"If you stay, I can give you 3 months at half price. Interested?");
				d.user("OK, I'll take the discount.", "Sure, that works. Let's keep it then.");
				d.call("apply_retention_offer",
						json("subscriptionId", d.get("subscription"), "offer", "50_percent_3_months"),
						json("applied", true, "newPrice", "half price until " + d.get("date")));
				d.agent("Done! Your discount is applied starting with the next bill.",
						"Great, the discount is active. Thanks for staying with us!");
				d.put("retained", "true");
			}
			else {
				d.agent("I understand. Before you go, would a discount change your mind?",
						"I can offer a lower price if you'd like to stay. No?");
				d.user("No thanks, just cancel it.", "No, please go ahead and cancel my subscription.",
						"I'm sure, cancel it please.");
				d.call("cancel_subscription", json("subscriptionId", d.get("subscription"), "effective", "end_of_term",
						"reason", d.get("reasonText")), json("status", "cancelled", "accessUntil", d.get("isoDate")));
				d.agent("Your subscription is cancelled. You'll keep access until {date} and won't be charged again.",
						"Done. Your {plan} subscription ends on {date}; no further charges. A confirmation is on its way to {email}.");
			}
			d.user("Thanks.", "Thank you.", "Great, thanks for making it easy.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {agent} from {company}. Your {plan} subscription renews on {date} at {planPrice}. Reply to manage or cancel it.");
		}

		@Override
		String reason(Dialog d) {
			return d.fill("Cancellation request for the {plan} subscription ({reasonText}).");
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} asked to cancel the {plan} subscription because of {reasonText}.");
		}

		@Override
		String resolution(Dialog d) {
			return d.has("retained") ? "retained with offer" : "subscription cancelled";
		}

		@Override
		String outcome(Dialog d) {
			return d.has("retained") ? "The customer accepted a 50% discount for 3 months and stayed."
					: d.fill("The subscription was cancelled at the end of the term; access continues until {date}.");
		}

		private static void putReasons(Dialog d) {
			d.put("reasonText2", switch (d.issue) {
				case 0 -> "too expensive for me";
				case 1 -> "that I don't use it anymore";
				case 2 -> "that I'm switching to another service";
				default -> "that I'm moving abroad";
			});
			d.put("reasonSentence", switch (d.issue) {
				case 0 -> "Honestly it's too expensive.";
				case 1 -> "I'm not really using it anymore.";
				case 2 -> "I found a cheaper service.";
				default -> "I'm moving to another country.";
			});
		}

	}

	static final class Faq extends Script {

		private static final String[][] QUESTIONS = {
				{ "store hours", "What are your opening hours?", "When is the {city} store open?",
						"Our {city} store is open 9 AM to 8 PM Monday to Saturday, and 10 to 6 on Sundays." },
				{ "shipping costs", "How much is shipping?", "Do you have free shipping?",
						"Shipping is free on orders over $50; otherwise it's $5.99." },
				{ "international shipping", "Do you ship to {destination}?", "Can I order from abroad?",
						"Yes, we ship to over 40 countries, including {destination}. Duties are calculated at checkout." },
				{ "warranty", "What's the warranty on the {product}?", "How long is the warranty?",
						"All electronics come with a 2-year warranty; you can extend it to 4 years at checkout." },
				{ "gift cards", "Do you sell gift cards?", "Can I pay with a gift card online?",
						"Yes, gift cards from $10 to $500 are available online and in stores, and they never expire." },
				{ "price match", "Do you price match?", "I saw the {product} cheaper elsewhere, will you match it?",
						"We match prices from major retailers within 14 days of purchase." },
				{ "student discount", "Is there a student discount?", "Do you offer discounts for students?",
						"Students get 10% off with a verified school email." },
				{ "payment options", "Can I pay in installments?", "Do you accept PayPal?",
						"We accept all major cards, PayPal and Apple Pay, and installments on orders over $150." } };

		Faq() {
			super("flow-faq", "General FAQ", "general question", "search_knowledge_base", null, AVA);
			exchange((d) -> ask(d, QUESTIONS[(d.issue + d.rng.between(1, 3)) % QUESTIONS.length]));
			exchange((d) -> ask(d, QUESTIONS[(d.issue + d.rng.between(4, 7)) % QUESTIONS.length]));
			exchange((d) -> {
				d.user("And is the {product} in stock in {city}?", "Do you have the {product} in stock?");
				d.call("check_inventory", json("product", d.get("product"), "store", d.get("city")),
						json("inStock", d.rng.chance(0.7), "quantity", d.rng.between(0, 25)));
				d.agent("Yes, the {city} store has it in stock.", "It's available online and ships in 1-2 days.");
			});
		}

		private static void ask(Dialog d, String[] question) {
			d.user(question[1], question[2]);
			d.call("search_knowledge_base", json("query", question[0], "locale", "en-US"), json("articles", List
				.of(json("id", "kb-" + digits(d.rng, 4), "title", question[0], "score", d.rng.score(0.7, 0.99)))));
			d.agent(question[3]);
		}

		@Override
		List<String> branches() {
			return List.of("answer");
		}

		@Override
		void setup(Dialog d) {
			d.issue = d.rng.nextInt(QUESTIONS.length);
			d.put("product", d.rng.pick(Catalog.PRODUCTS));
			d.put("destination", d.rng.pick(Catalog.CITIES));
			d.tag("Issue", QUESTIONS[d.issue][0]);
			d.tag("Topic", List.of("faq", QUESTIONS[d.issue][0]));
		}

		@Override
		void intent(Dialog d) {
			String[] question = QUESTIONS[d.issue];
			d.user(question[1], question[2], "Quick question: " + question[1].toLowerCase(Locale.ROOT));
		}

		@Override
		void identify(Dialog d) {
			String[] question = QUESTIONS[d.issue];
			d.call("search_knowledge_base", json("query", question[0], "locale", "en-US"), json("articles", List
				.of(json("id", "kb-" + digits(d.rng, 4), "title", question[0], "score", d.rng.score(0.7, 0.99)))));
			d.agent(question[3]);
		}

		@Override
		void resolve(Dialog d) {
			d.user("Perfect, thanks.", "Great, that answers my question.", "OK, good to know.",
					"Thanks, that's helpful.");
		}

		@Override
		void outboundOpening(Dialog d) {
			d.agent("Hi {first}, {agent} from {company}.");
		}

		@Override
		String reason(Dialog d) {
			return "General question about " + QUESTIONS[d.issue][0] + ".";
		}

		@Override
		String request(Dialog d) {
			return d.fill("{name} asked about " + QUESTIONS[d.issue][0] + ".");
		}

		@Override
		String resolution(Dialog d) {
			return "answered";
		}

		@Override
		String outcome(Dialog d) {
			return "The agent answered from the knowledge base.";
		}

	}

}
