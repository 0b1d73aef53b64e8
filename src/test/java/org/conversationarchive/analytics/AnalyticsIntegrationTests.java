package org.conversationarchive.analytics;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.conversationarchive.ArchiveIntegrationTest;
import org.conversationarchive.TestElasticsearch;
import org.conversationarchive.TestUsers;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.EntityExchangeResult;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Analytics against the real engine on a fixture built for it ({@link AnalyticsFixture}):
 * exact figures for the range, every split, buckets in a time zone across the change to
 * summer time, empty ranges, the previous period, views, CSV and bad input. The fixture
 * lives in indices of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ArchiveIntegrationTest(properties = "archive.elasticsearch.index-prefix=analytics-test")
@Import(TestUsers.class)
class AnalyticsIntegrationTests {

	/** Paris, 28 March 00:00 to 2 April 00:00: the day clocks go forward is 23 hours. */
	static final String RANGE = "from=2025-03-27T23:00:00Z&to=2025-04-01T22:00:00Z";

	static final String PARIS = "tz=Europe/Paris";

	static final List<String> PARIS_DAYS = List.of("2025-03-27T23:00:00Z", "2025-03-28T23:00:00Z",
			"2025-03-29T23:00:00Z", "2025-03-30T22:00:00Z", "2025-03-31T22:00:00Z");

	@Autowired
	RestTestClient http;

	@Autowired
	JsonMapper json;

	@BeforeAll
	void fixture() {
		bulk(AnalyticsFixture.conversations(), null);
		bulk(AnalyticsFixture.otherOrgs(), AnalyticsFixture.OTHER_ORG);
	}

	private void bulk(List<String> conversations, @Nullable String org) {
		RestTestClient.RequestBodySpec request = this.http.post()
			.uri("/api/v1/conversations/_bulk?refresh=true")
			.contentType(MediaType.parseMediaType("application/x-ndjson"));
		if (org != null) {
			request.header(TestUsers.ORG, org);
		}
		request.body(String.join("\n", conversations) + "\n")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.errors")
			.isEqualTo(false);
	}

	@Test
	void everyFigureOfTheRangeInParis() {
		JsonNode answer = get(RANGE + "&" + PARIS);
		assertThat(answer.get("total").asLong()).isEqualTo(9);
		assertThat(answer.get("range").get("from").asString()).isEqualTo("2025-03-27T23:00:00Z");
		assertThat(answer.get("range").get("to").asString()).isEqualTo("2025-04-01T22:00:00Z");
		assertThat(answer.get("tz").asString()).isEqualTo("Europe/Paris");
		assertThat(answer.get("interval").asString()).isEqualTo("day");
		assertThat(answer.get("split").isNull()).isTrue();
		assertThat(starts(answer.get("volume"))).containsExactlyElementsOf(PARIS_DAYS);
		assertThat(volume(answer)).containsExactly("2", "1", "2", "2", "2");

		JsonNode duration = answer.get("duration");
		assertThat(bands(duration.get("histogram"))).containsExactly("0-30:1", "30-60:2", "60-120:2", "120-300:1",
				"300-600:0", "600-1200:1", "1200-1800:0", "1800-3600:0", "3600-:1");
		// Durations 20 30 45 60 90 200 700 4000, estimated.
		assertThat(duration.get("approximate").asBoolean()).isTrue();
		assertThat(duration.get("p50").asDouble()).isBetween(60.0, 90.0);
		assertThat(duration.get("p90").asDouble()).isBetween(700.0, 4000.0);
		assertThat(duration.get("p99").asDouble()).isBetween(700.0, 4000.0);

		JsonNode turns = answer.get("turns");
		assertThat(turns.get("average").asDouble()).isCloseTo(34.0 / 9, within(1e-9));
		assertThat(turns.get("approximate").asBoolean()).isTrue();
		// Turns 0 1 1 2 3 4 5 6 12.
		assertThat(turns.get("p50").asDouble()).isBetween(2.0, 4.0);
		assertThat(turns.get("p90").asDouble()).isBetween(6.0, 12.0);
		assertThat(bands(turns.get("histogram"))).containsExactly("0-1:1", "1-2:2", "2-3:1", "3-5:2", "5-10:2",
				"10-20:1", "20-50:0", "50-:0");

		assertThat(shares(answer.get("outcomes"), 9)).containsExactly("completed=5/9", "abandoned=1/9", "failed=1/9",
				"human_handoff=1/9", "no_answer=1/9");
		assertThat(share(answer.get("handoff"), 9)).isEqualTo("2/9");
		assertThat(share(answer.get("abandoned"), 9)).isEqualTo("1/9");
		assertThat(share(answer.get("resolvedWithoutHuman"), 9)).isEqualTo("4/9");

		JsonNode flags = answer.get("flags");
		assertThat(flags.get("count").asLong()).isEqualTo(2);
		assertThat(flags.get("rate").asDouble()).isEqualTo(2.0 / 9);
		assertThat(counted(flags.get("bySource"))).containsExactly("review_agent=1", "rule=1", "user=1");
		assertThat(counted(flags.get("byReason"))).containsExactly("refund promised=2", "rude=1");

		assertThat(counted(answer.get("functions"))).containsExactly("issue_refund=2", "lookup_order=1");
		JsonNode tags = answer.get("tags");
		assertThat(tags.propertyNames()).containsExactly("Call Reason", "Issue", "Language");
		assertThat(counted(tags.get("Call Reason"))).containsExactly("billing=2", "delivery=1");
		assertThat(counted(tags.get("Issue"))).containsExactly("login=1");
		assertThat(counted(tags.get("Language"))).containsExactly("en=1", "fr=1");
		assertThat(counted(answer.get("parameters"))).containsExactly("account=2", "plan=1");

		List<String> contacts = new ArrayList<>();
		answer.get("contacts")
			.forEach((contact) -> contacts.add(contact.get("value").asString() + "/"
					+ (contact.get("label").isNull() ? "null" : contact.get("label").asString()) + "="
					+ contact.get("count").asLong()));
		assertThat(contacts).containsExactly("c1/Ada Lovelace=4", "c2/Bo=2", "c3/null=1", "c4/null=1", "c5/null=1");
		assertThat(answer.get("contacts").get(2).get("label").isNull()).isTrue();
		assertThat(repeatContacts(answer)).containsExactly("1=3", "2=1", "3-5=1", "6-10=0", "11+=0");
		assertThat(answer.get("repeatContactsApproximate").asBoolean()).isFalse();

		JsonNode sentiment = answer.get("sentiment");
		assertThat(sentiment).hasSize(3);
		assertEmotion(sentiment.get(0), "frustration", 3, (0.2 + 0.9 + 0.5) / 3, 1, 1, 1, 0, 0);
		assertEmotion(sentiment.get(1), "gratitude", 2, 0.7, 2, 0, 0, 0, 0);
		assertEmotion(sentiment.get(2), "anger", 1, 0.7, 0, 0, 1, 0, 0);
		assertThat(starts(sentiment.get(0).get("trend"))).containsExactlyElementsOf(PARIS_DAYS);
	}

	@Test
	void thePreviousPeriodIsTheSameLengthJustBefore() {
		JsonNode previous = get(RANGE + "&" + PARIS).get("previous");
		assertThat(previous.get("range").get("from").asString()).isEqualTo("2025-03-23T00:00:00Z");
		assertThat(previous.get("range").get("to").asString()).isEqualTo("2025-03-27T23:00:00Z");
		assertThat(previous.get("total").asLong()).isEqualTo(2);
		assertThat(shares(previous.get("outcomes"), 2)).containsExactly("abandoned=1/2", "completed=1/2");
		assertThat(share(previous.get("handoff"), 2)).isEqualTo("0/2");
		assertThat(share(previous.get("abandoned"), 2)).isEqualTo("1/2");
		assertThat(share(previous.get("resolvedWithoutHuman"), 2)).isEqualTo("1/2");
		assertThat(previous.get("flags").get("count").asLong()).isEqualTo(1);
		assertThat(previous.get("flags").get("rate").asDouble()).isEqualTo(0.5);
		assertThat(counted(previous.get("flags").get("bySource"))).containsExactly("rule=1");
		assertThat(counted(previous.get("flags").get("byReason"))).containsExactly("rude=1");
		assertThat(bands(previous.get("duration").get("histogram"))).containsExactly("0-30:1", "30-60:0", "60-120:1",
				"120-300:0", "300-600:0", "600-1200:0", "1200-1800:0", "1800-3600:0", "3600-:0");
		assertThat(previous.get("turns").get("average").asDouble()).isEqualTo(1.5);
		// The request's filters apply to it too.
		assertThat(get(RANGE + "&platform=voice").get("previous").get("total").asLong()).isEqualTo(1);
	}

	@Test
	void theSameRangeInUtcHasUtcDays() {
		JsonNode answer = get(RANGE);
		assertThat(answer.get("tz").asString()).isEqualTo("UTC");
		assertThat(starts(answer.get("volume"))).containsExactly("2025-03-27T00:00:00Z", "2025-03-28T00:00:00Z",
				"2025-03-29T00:00:00Z", "2025-03-30T00:00:00Z", "2025-03-31T00:00:00Z", "2025-04-01T00:00:00Z");
		assertThat(volume(answer)).containsExactly("0", "2", "2", "2", "1", "2");
	}

	@Test
	void weeksStartOnMondayAndMonthsOnTheFirstInTheTimeZone() {
		JsonNode weeks = get(RANGE + "&" + PARIS + "&interval=week");
		assertThat(weeks.get("interval").asString()).isEqualTo("week");
		assertThat(starts(weeks.get("volume"))).containsExactly("2025-03-23T23:00:00Z", "2025-03-30T22:00:00Z");
		assertThat(volume(weeks)).containsExactly("5", "4");
		JsonNode months = get(RANGE + "&" + PARIS + "&interval=month");
		assertThat(starts(months.get("volume"))).containsExactly("2025-02-28T23:00:00Z", "2025-03-31T22:00:00Z");
		assertThat(volume(months)).containsExactly("7", "2");
	}

	@Test
	void everySplitCountsEachBucketExactly() {
		Map<String, List<String>> splits = Map.of("status",
				List.of("2 completed=2 abandoned=0 failed=0 human_handoff=0 no_answer=0",
						"1 completed=0 abandoned=1 failed=0 human_handoff=0 no_answer=0",
						"2 completed=0 abandoned=0 failed=1 human_handoff=1 no_answer=0",
						"2 completed=2 abandoned=0 failed=0 human_handoff=0 no_answer=0",
						"2 completed=1 abandoned=0 failed=0 human_handoff=0 no_answer=1"),
				"platform",
				List.of("2 voice=2 email=0 sms=0 web=0 whatsapp=0", "1 voice=0 email=0 sms=1 web=0 whatsapp=0",
						"2 voice=0 email=1 sms=0 web=1 whatsapp=0", "2 voice=1 email=0 sms=0 web=0 whatsapp=1",
						"2 voice=2 email=0 sms=0 web=0 whatsapp=0"),
				"flow",
				List.of("2 billing=2 support=0 orders=0 other=0", "1 billing=0 support=1 orders=0 other=0",
						"2 billing=0 support=2 orders=0 other=0", "2 billing=1 support=0 orders=0 other=1",
						"2 billing=0 support=0 orders=1 other=1"),
				"direction",
				List.of("2 inbound=2 outbound=0", "1 inbound=0 outbound=1", "2 inbound=2 outbound=0",
						"2 inbound=2 outbound=0", "2 inbound=1 outbound=1"),
				"environment",
				List.of("2 production=2 test=0", "1 production=1 test=0", "2 production=1 test=1",
						"2 production=2 test=0", "2 production=2 test=0"),
				"agent",
				List.of("2 ava=2 max=0 other=0", "1 ava=0 max=1 other=0", "2 ava=1 max=1 other=0",
						"2 ava=2 max=0 other=0", "2 ava=0 max=1 other=1"),
				"liveAgent",
				List.of("2 false=2 true=0", "1 false=1 true=0", "2 false=1 true=1", "2 false=1 true=1",
						"2 false=2 true=0"),
				"tag:Call Reason",
				List.of("2 billing=2 delivery=0 other=0", "1 billing=0 delivery=1 other=0",
						"2 billing=0 delivery=0 other=2", "2 billing=0 delivery=0 other=2",
						"2 billing=0 delivery=0 other=2"));
		splits.forEach((split, buckets) -> {
			JsonNode answer = get(RANGE + "&" + PARIS + "&split=" + split);
			assertThat(answer.get("split").asString()).isEqualTo(split);
			assertThat(volume(answer)).as(split).containsExactlyElementsOf(buckets);
		});
		// No split: no values.
		assertThat(get(RANGE).get("volume").get(0).get("split").isEmpty()).isTrue();
	}

	@Test
	void withoutARangeTheRangeIsTheDatasFirstToLastStart() {
		JsonNode calls = get("contact=c9");
		assertThat(calls.get("total").asLong()).isEqualTo(11);
		assertThat(calls.get("range").get("from").asString()).isEqualTo("2024-06-03T08:00:00Z");
		assertThat(calls.get("range").get("to").asString()).isEqualTo("2024-06-03T18:00:00.001Z");
		assertThat(calls.get("interval").asString()).isEqualTo("hour");
		assertThat(starts(calls.get("volume"))).hasSize(11)
			.startsWith("2024-06-03T08:00:00Z")
			.endsWith("2024-06-03T18:00:00Z");
		assertThat(volume(calls)).containsOnly("1");
		assertThat(calls.get("previous").isNull()).isTrue();

		JsonNode all = get("");
		assertThat(all.get("total").asLong()).isEqualTo(24);
		assertThat(all.get("range").get("from").asString()).isEqualTo("2024-06-03T08:00:00Z");
		assertThat(all.get("range").get("to").asString()).isEqualTo("2025-04-01T22:00:00.001Z");
		assertThat(all.get("interval").asString()).isEqualTo("week");
		assertThat(all.get("volume").get(0).get("start").asString()).isEqualTo("2024-06-03T00:00:00Z");
		long sum = 0;
		for (JsonNode bucket : all.get("volume")) {
			sum += bucket.get("count").asLong();
		}
		assertThat(sum).isEqualTo(24);
		assertThat(repeatContacts(all)).containsExactly("1=5", "2=1", "3-5=0", "6-10=1", "11+=1");
	}

	@Test
	void anEmptyRangeHasEveryBucketAtZero() {
		JsonNode answer = get("from=2025-06-01T00:00:00Z&to=2025-06-04T00:00:00Z&" + PARIS);
		assertThat(answer.get("total").asLong()).isZero();
		assertThat(answer.get("range").get("from").asString()).isEqualTo("2025-06-01T00:00:00Z");
		assertThat(answer.get("interval").asString()).isEqualTo("day");
		assertThat(starts(answer.get("volume"))).containsExactly("2025-05-31T22:00:00Z", "2025-06-01T22:00:00Z",
				"2025-06-02T22:00:00Z", "2025-06-03T22:00:00Z");
		assertThat(volume(answer)).containsOnly("0");
		assertThat(answer.get("duration").get("p50").isNull()).isTrue();
		assertThat(bands(answer.get("duration").get("histogram"))).hasSize(9).allMatch((band) -> band.endsWith(":0"));
		assertThat(answer.get("turns").get("average").isNull()).isTrue();
		assertThat(answer.get("outcomes")).isEmpty();
		assertThat(share(answer.get("handoff"), 0)).isEqualTo("0/0");
		assertThat(answer.get("tags").isEmpty()).isTrue();
		assertThat(answer.get("sentiment")).isEmpty();
		assertThat(repeatContacts(answer)).containsExactly("1=0", "2=0", "3-5=0", "6-10=0", "11+=0");
		assertThat(answer.get("previous").get("range").get("from").asString()).isEqualTo("2025-05-29T00:00:00Z");
		assertThat(answer.get("previous").get("total").asLong()).isZero();

		// Nothing matches and no range is given: no range, no buckets.
		JsonNode none = get("status=voicemail_message_left");
		assertThat(none.get("total").asLong()).isZero();
		assertThat(none.get("range").isNull()).isTrue();
		assertThat(none.get("volume")).isEmpty();
		assertThat(none.get("previous").isNull()).isTrue();
	}

	@Test
	void postTakesTheJsonFilter() {
		JsonNode answer = post("?" + PARIS, "{\"from\": \"2025-03-27T23:00:00Z\", \"to\": \"2025-04-01T22:00:00Z\", "
				+ "\"platforms\": [\"voice\"]}");
		assertThat(answer.get("total").asLong()).isEqualTo(5);
		assertThat(volume(answer)).containsExactly("2", "0", "0", "1", "2");
		assertThat(answer.get("previous").get("total").asLong()).isEqualTo(1);
	}

	@Test
	void aViewIsAndedWithTheRequest() {
		String view = this.json
			.readTree(this.http.post()
				.uri("/api/v1/views")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"name\": \"voice calls\", \"filter\": {\"platforms\": [\"voice\"]}}")
				.exchange()
				.expectStatus()
				.isCreated()
				.expectBody()
				.returnResult()
				.getResponseBody())
			.get("id")
			.asString();
		try {
			JsonNode answer = get("view=" + view + "&status=completed&" + RANGE + "&" + PARIS);
			assertThat(answer.get("total").asLong()).isEqualTo(4);
			assertThat(volume(answer)).containsExactly("2", "0", "0", "1", "1");
			assertThat(answer.get("previous").get("total").asLong()).isEqualTo(1);
			JsonNode posted = post("?view=" + view + "&" + PARIS, "{\"statuses\": [\"completed\"], "
					+ "\"from\": \"2025-03-27T23:00:00Z\", \"to\": \"2025-04-01T22:00:00Z\"}");
			assertThat(posted.get("total").asLong()).isEqualTo(4);
		}
		finally {
			this.http.delete().uri("/api/v1/views/{id}", view).exchange().expectStatus().isNoContent();
		}
	}

	@Test
	void anotherOrgsConversationsNeverCount() {
		JsonNode other = this.json.readTree(this.http.get()
			.uri(uri("/api/v1/analytics", RANGE))
			.header(TestUsers.ORG, AnalyticsFixture.OTHER_ORG)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(other.get("total").asLong()).isEqualTo(3);
		assertThat(counted(other.get("functions"))).containsExactly("issue_refund=1");
		assertThat(repeatContacts(other)).containsExactly("1=0", "2=0", "3-5=1", "6-10=0", "11+=0");
		// The fixture's org has the same contact and tags, counted without the other
		// org's.
		JsonNode own = get(RANGE);
		assertThat(own.get("total").asLong()).isEqualTo(9);
		assertThat(counted(own.get("tags").get("Call Reason"))).containsExactly("billing=2", "delivery=1");
		assertThat(own.get("contacts").get(0).get("count").asLong()).isEqualTo(4);
	}

	@Test
	void eachFigureAsCsv() {
		EntityExchangeResult<byte[]> outcomes = csv(RANGE + "&" + PARIS + "&format=csv&figure=outcomes");
		assertThat(outcomes.getResponseHeaders().getContentType().toString()).isEqualTo("text/csv;charset=UTF-8");
		assertThat(outcomes.getResponseHeaders().getContentDisposition().getFilename())
			.isEqualTo("analytics-outcomes.csv");
		assertThat(new String(outcomes.getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("value,count,share\r\ncompleted,5,0.5555555555555556\r\nabandoned,1,0.1111111111111111\r\n"
					+ "failed,1,0.1111111111111111\r\nhuman_handoff,1,0.1111111111111111\r\n"
					+ "no_answer,1,0.1111111111111111\r\n");
		EntityExchangeResult<byte[]> volume = csv(RANGE + "&" + PARIS + "&split=environment&format=csv&figure=volume");
		assertThat(new String(volume.getResponseBodyContent(), java.nio.charset.StandardCharsets.UTF_8))
			.isEqualTo("start,count,production,test\r\n2025-03-27T23:00:00Z,2,2,0\r\n2025-03-28T23:00:00Z,1,1,0\r\n"
					+ "2025-03-29T23:00:00Z,2,1,1\r\n2025-03-30T22:00:00Z,2,2,0\r\n2025-03-31T22:00:00Z,2,2,0\r\n");
	}

	@Test
	void badParametersAreRefusedNamingThem() {
		problem("tz=Mars/Olympus", "parameter tz: 'Mars/Olympus' is not a time zone");
		problem("interval=fortnight", "parameter interval: 'fortnight' is not one of hour, day, week, month");
		problem("split=colour", "parameter split: 'colour' is not one of status, platform, flow");
		problem("format=csv", "parameter figure: format=csv needs the figure, one of volume, duration, turns, "
				+ "outcomes, flags, functions, tags, parameters, contacts, repeatContacts, sentiment");
		problem("format=csv&figure=pie", "parameter figure: 'pie' is not one of volume");
		problem("figure=volume", "parameter figure: only with format=csv");
		problem("format=xml", "parameter format: 'xml' is not one of json, csv");
		problem("size=10", "unknown parameter 'size'");
		problem("interval=hour&from=2024-01-01T00:00:00Z&to=2025-01-01T00:00:00Z",
				"parameter interval: hour from 2024-01-01T00:00:00Z to 2025-01-01T00:00:00Z makes more than 1000");
		problem("status=finished", "parameter status:");
		this.http.post()
			.uri(uri("/api/v1/analytics", "platform=voice"))
			.contentType(MediaType.APPLICATION_JSON)
			.body("{}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.isEqualTo("unknown parameter 'platform'");
		this.http.post()
			.uri("/api/v1/analytics")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"platform\": \"voice\"}")
			.exchange()
			.expectStatus()
			.isBadRequest();
	}

	private static void assertEmotion(JsonNode emotion, String name, long count, double averageScore, long... trend) {
		assertThat(emotion.get("emotion").asString()).isEqualTo(name);
		assertThat(emotion.get("count").asLong()).isEqualTo(count);
		assertThat(emotion.get("share").asDouble()).isEqualTo(count / 9.0);
		assertThat(emotion.get("averageScore").asDouble()).isCloseTo(averageScore, within(1e-6));
		List<Long> counts = new ArrayList<>();
		emotion.get("trend").forEach((point) -> counts.add(point.get("count").asLong()));
		assertThat(counts).containsExactly(java.util.Arrays.stream(trend).boxed().toArray(Long[]::new));
	}

	private static List<String> starts(JsonNode buckets) {
		List<String> starts = new ArrayList<>();
		buckets.forEach((bucket) -> starts.add(bucket.get("start").asString()));
		return starts;
	}

	/**
	 * Each bucket as its count, then each split value's count in order.
	 */
	private static List<String> volume(JsonNode answer) {
		List<String> buckets = new ArrayList<>();
		for (JsonNode bucket : answer.get("volume")) {
			StringBuilder line = new StringBuilder().append(bucket.get("count").asLong());
			bucket.get("split")
				.properties()
				.forEach((value) -> line.append(' ')
					.append(value.getKey())
					.append('=')
					.append(value.getValue().asLong()));
			buckets.add(line.toString());
		}
		return buckets;
	}

	private static List<String> bands(JsonNode histogram) {
		List<String> bands = new ArrayList<>();
		histogram.forEach((band) -> bands.add(band.get("from").asLong() + "-"
				+ (band.get("to").isNull() ? "" : band.get("to").asLong()) + ":" + band.get("count").asLong()));
		return bands;
	}

	private static List<String> counted(JsonNode values) {
		List<String> counted = new ArrayList<>();
		values.forEach((value) -> counted.add(value.get("value").asString() + "=" + value.get("count").asLong()));
		return counted;
	}

	/**
	 * Values as {@code value=count/total}, checking that each share is count / total.
	 */
	private static List<String> shares(JsonNode values, long total) {
		List<String> shares = new ArrayList<>();
		values.forEach((value) -> shares.add(value.get("value").asString() + "=" + share(value, total)));
		return shares;
	}

	private static String share(JsonNode share, long total) {
		long count = share.get("count").asLong();
		assertThat(share.get("share").asDouble()).isEqualTo((total > 0) ? (double) count / total : 0);
		return count + "/" + total;
	}

	private static List<String> repeatContacts(JsonNode answer) {
		List<String> ranges = new ArrayList<>();
		answer.get("repeatContacts")
			.forEach((range) -> ranges.add(range.get("range").asString() + "=" + range.get("contacts").asLong()));
		return ranges;
	}

	/**
	 * The explained requests, sent to Elasticsearch itself, count what the answer counts:
	 * the first round trip the range's total (and the previous period's), the second the
	 * range's figures; with nothing to count there is no second.
	 */
	@Test
	void explainGivesTheElasticsearchRequestsThemselves() throws Exception {
		for (String query : List.of(RANGE + "&" + PARIS + "&split=status", "", "tag=Issue:login&split=tag:Issue")) {
			JsonNode answer = get(query);
			JsonNode roundTrips = explain(query).get("roundTrips");
			assertThat(roundTrips).hasSize(2);
			JsonNode first = direct(roundTrips.get(0));
			assertThat(first.at("/responses/0/hits/total/value").asLong()).isEqualTo(answer.get("total").asLong())
				.isPositive();
			if (query.startsWith(RANGE)) {
				assertThat(first.at("/responses/1/hits/total/value").asLong())
					.isEqualTo(answer.at("/previous/total").asLong())
					.isEqualTo(2);
			}
			else {
				assertThat(first.get("responses")).hasSize(1);
			}
			JsonNode second = direct(roundTrips.get(1));
			assertThat(second.get("responses")).hasSize(1);
			assertThat(second.at("/responses/0/hits/total/value").asLong()).isEqualTo(answer.get("total").asLong());
		}
		JsonNode nothing = explain("from=2030-01-01T00:00:00Z&to=2030-01-02T00:00:00Z").get("roundTrips");
		assertThat(nothing).hasSize(1);
		assertThat(direct(nothing.get(0)).at("/responses/0/hits/total/value").asLong()).isZero();
	}

	private JsonNode explain(String query) {
		return this.json.readTree(this.http.get()
			.uri(uri("/api/v1/analytics/_explain", query))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	/**
	 * An explained round trip sent to Elasticsearch as it is told: every search routed to
	 * the org, and every one answered.
	 */
	private JsonNode direct(JsonNode roundTrip) throws Exception {
		StringBuilder query = new StringBuilder();
		for (Map.Entry<String, JsonNode> parameter : roundTrip.get("parameters").properties()) {
			query.append((query.length() > 0) ? "&" : "")
				.append(parameter.getKey())
				.append('=')
				.append(URLEncoder.encode(parameter.getValue().asString(), StandardCharsets.UTF_8));
		}
		StringBuilder lines = new StringBuilder();
		JsonNode explained = roundTrip.get("lines");
		for (int i = 0; i < explained.size(); i++) {
			if (i % 2 == 0) {
				// The header names its indices and routing values as lists.
				assertThat(explained.get(i).get("index").valueStream().map(JsonNode::asString))
					.containsExactly(roundTrip.get("index").asString());
				assertThat(explained.get(i).get("routing").valueStream().map(JsonNode::asString))
					.containsExactly(roundTrip.get("routing").asString());
			}
			lines.append(explained.get(i).toString()).append('\n');
		}
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(TestElasticsearch.uri() + "/_msearch?" + query))
				.header("Content-Type", "application/x-ndjson")
				.POST(HttpRequest.BodyPublishers.ofString(lines.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(200);
		JsonNode found = this.json.readTree(answer.body());
		for (JsonNode each : found.get("responses")) {
			assertThat(each.get("status").asInt()).isEqualTo(200);
			assertThat(each.at("/_shards/failed").asInt()).isZero();
		}
		return found;
	}

	private JsonNode get(String query) {
		return this.json.readTree(this.http.get()
			.uri(uri("/api/v1/analytics", query))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private JsonNode post(String query, String body) {
		return this.json.readTree(this.http.post()
			.uri(uri("/api/v1/analytics", query.startsWith("?") ? query.substring(1) : query))
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private EntityExchangeResult<byte[]> csv(String query) {
		return this.http.get()
			.uri(uri("/api/v1/analytics", query))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
	}

	private void problem(String query, String detail) {
		this.http.get()
			.uri(uri("/api/v1/analytics", query))
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.detail")
			.value(String.class, (actual) -> assertThat(actual).startsWith(detail));
	}

	private static java.net.URI uri(String path, String query) {
		return UriComponentsBuilder.fromPath(path).query(query).encode().build().toUri();
	}

}
