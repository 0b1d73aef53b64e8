package org.conversationarchive.generator;

import java.util.List;

import org.conversationarchive.conversation.Conversation.Ref;

/**
 * The fixed vocabulary of the generated archive: one fictional company with its AI
 * agents, live agents, customers' names, places and products. Every address and number is
 * fictional (example domains, 555-01xx and Ofcom drama numbers).
 */
final class Catalog {

	static final String COMPANY = "Brightwave";

	static final List<Ref> AGENTS = List.of(new Ref("agent-ava", "Ava (Customer Care)"),
			new Ref("agent-max", "Max (Billing Assistant)"), new Ref("agent-nova", "Nova (Tech Support)"),
			new Ref("agent-iris", "Iris (Scheduling)"), new Ref("agent-leo", "Leo (Orders & Delivery)"),
			new Ref("agent-sage", "Sage (Claims Assistant)"), new Ref("agent-juno", "Juno (Card Services)"),
			new Ref("agent-atlas", "Atlas (Travel Concierge)"));

	static final List<Ref> LIVE_AGENTS = List.of(new Ref("la-1001", "Maria Gonzalez"),
			new Ref("la-1002", "James Carter"), new Ref("la-1003", "Priya Raman"), new Ref("la-1004", "Tom Becker"),
			new Ref("la-1005", "Aisha Bello"), new Ref("la-1006", "Kenji Watanabe"), new Ref("la-1007", "Sofia Rossi"),
			new Ref("la-1008", "Daniel Okafor"), new Ref("la-1009", "Emma Larsen"), new Ref("la-1010", "Lucas Martin"),
			new Ref("la-1011", "Hannah Kim"), new Ref("la-1012", "Omar Haddad"), new Ref("la-1013", "Chloe Dubois"),
			new Ref("la-1014", "Ravi Patel"), new Ref("la-1015", "Grace Mensah"));

	static final String[] VOICES = { "en-US-Neural-Ava", "en-US-Neural-Andrew", "en-US-Neural-Emma",
			"en-GB-Neural-Sonia", "en-GB-Neural-Ryan", "en-AU-Neural-Natasha", "es-US-Neural-Paloma",
			"en-US-Studio-Olivia" };

	static final String[] COMPANY_PHONES = { "+18005550100", "+18005550117", "+18005550142", "+18885550163",
			"+442079460958" };

	static final String[] SUPPORT_EMAILS = { "support@brightwave.example", "billing@brightwave.example",
			"help@brightwave.example" };

	static final String[] WEB_WIDGETS = { "Website chat widget", "Help Center widget", "Checkout chat",
			"Mobile app chat" };

	static final String[] SLACK_CHANNELS = { "#brightwave-support", "#it-helpdesk", "#partner-escalations",
			"#ext-acme-brightwave" };

	static final String[] FIRST_NAMES = { "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "James",
			"Isabella", "William", "Mia", "Benjamin", "Charlotte", "Lucas", "Amelia", "Henry", "Harper", "Alexander",
			"Evelyn", "Daniel", "Abigail", "Michael", "Emily", "Mateo", "Sofia", "Jackson", "Camila", "Sebastian",
			"Aria", "Jack", "Scarlett", "Owen", "Chloe", "Samuel", "Layla", "Wei", "Mei", "Arjun", "Ananya", "Mohammed",
			"Fatima", "Yusuf", "Amara", "Kwame", "Chidi", "Nkechi", "Hiroshi", "Yuki", "Jin", "Seo-yeon", "Carlos",
			"Lucia", "Diego", "Valentina", "Javier", "Gabriela", "Andrei", "Olga", "Pierre", "Claire", "Lars", "Ingrid",
			"Patrick", "Siobhan", "Ravi", "Deepa", "Tyrone", "Keisha", "Marcus", "Rosa" };

	static final String[] LAST_NAMES = { "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
			"Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
			"Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez",
			"Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill",
			"Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter",
			"Roberts", "Chen", "Wang", "Patel", "Shah", "Kim", "Park", "Tanaka", "Sato", "Okafor", "Mensah", "Novak",
			"Kowalski", "Schmidt", "Dubois", "O'Brien", "Murphy", "Silva", "Costa", "Haddad", "Ivanova" };

	static final String[] EMAIL_DOMAINS = { "example.com", "example.net", "example.org", "mail.example",
			"inbox.example" };

	static final String[] AREA_CODES = { "212", "310", "312", "415", "512", "617", "702", "206", "303", "404", "503",
			"602", "713", "786", "917", "646", "971", "214" };

	static final String[] CITIES = { "Austin", "Denver", "Seattle", "Chicago", "Boston", "Miami", "Phoenix", "Portland",
			"Atlanta", "San Diego", "Nashville", "Minneapolis", "Toronto", "Vancouver", "London", "Dublin", "Lisbon",
			"Madrid", "Barcelona", "Paris", "Amsterdam", "Berlin", "Rome", "Tokyo", "Mexico City", "New York",
			"Los Angeles", "San Francisco", "Honolulu", "Cancun" };

	static final String[] PRODUCTS = { "wireless earbuds", "running shoes", "espresso machine", "standing desk",
			"winter jacket", "smart watch", "air fryer", "yoga mat", "Bluetooth speaker", "office chair",
			"robot vacuum", "noise-cancelling headphones", "backpack", "blender", "electric toothbrush", "phone case",
			"desk lamp", "cast iron skillet", "rain boots", "sunglasses", "gaming mouse", "mechanical keyboard",
			"bed sheets", "coffee grinder", "kids' bike", "tablet stand", "hiking boots", "duvet cover", "water bottle",
			"4K monitor" };

	static final String[] SIZES_COLORS = { "size M", "size 10", "size L", "in black", "in navy", "in white", "in red",
			"size 8", "in grey", "size XL" };

	static final String[] CARRIERS = { "UPS", "FedEx", "USPS", "DHL" };

	static final String[] PLANS = { "Basic", "Plus", "Premium", "Family", "Business" };

	static final String[] PLAN_PRICES = { "$9.99", "$14.99", "$24.99", "$29.99", "$49.00" };

	static final String[] TIMES = { "8:30 AM", "9:00 AM", "9:45 AM", "10:15 AM", "11:00 AM", "11:30 AM", "1:00 PM",
			"1:45 PM", "2:30 PM", "3:15 PM", "4:00 PM", "4:45 PM", "5:30 PM" };

	static final String[] APPOINTMENT_TYPES = { "annual checkup", "dental cleaning", "eye exam",
			"physiotherapy session", "vaccination", "consultation", "follow-up visit", "blood test" };

	static final String[] CLINICS = { "Downtown Clinic", "Riverside Health Center", "Northgate Medical",
			"Lakeview Family Practice", "Westside Dental" };

	static final String[] DEVICES = { "router", "laptop", "mobile app", "smart TV", "printer", "home Wi-Fi",
			"set-top box", "email client" };

	static final String[] ERROR_CODES = { "E-102", "ERR_CONNECTION_RESET", "0x80070005", "503", "AUTH-17", "NET-404",
			"E-7" };

	static final String[] CLAIM_TYPES = { "car accident", "water leak", "stolen bike", "broken windshield",
			"storm-damaged roof", "lost suitcase", "burst pipe" };

	static final String[] AIRLINES = { "Skyline Air", "Bluejet", "Northern Wings", "Coastal Airways" };

	static final String[] AIRLINE_CODES = { "SK", "BJ", "NW", "CA" };

	static final String[] HOTELS = { "Harbor View Hotel", "The Grand Central", "Parkside Inn", "Sunset Resort",
			"Old Town Suites" };

	static final String[] MONTHS = { "January", "February", "March", "April", "May", "June", "July", "August",
			"September", "October", "November", "December" };

	static final String[] DAYS = { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday" };

	private Catalog() {
	}

}
