package org.conversationarchive.search;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonpUtils;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import org.conversationarchive.conversation.Contacts;
import org.conversationarchive.conversation.ConversationSettings;
import org.conversationarchive.conversation.Direction;
import org.conversationarchive.conversation.Environment;
import org.conversationarchive.conversation.FlagSource;
import org.conversationarchive.conversation.Platform;
import org.conversationarchive.conversation.SenderType;
import org.conversationarchive.conversation.Status;
import org.conversationarchive.search.Filter.Pair;
import org.conversationarchive.search.Filter.RepeatContacts;
import org.conversationarchive.search.Filter.TagMatch;
import org.conversationarchive.search.Filter.Tags;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.StorageUnavailableException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * A filter as the Elasticsearch query it becomes: the org is always a filter of its own,
 * every filter narrows, content clauses look inside one message each. Asserted on the
 * query's JSON, as it is sent.
 */
class ConversationQueriesTests {

	private static final String ORG = "acme";

	private static final int EXACT_LIMIT = 10;

	private static final int MAX_STALE = 3;

	private final JsonMapper json = JsonMapper.builder().build();

	private final Jackson3JsonpMapper mapper = new Jackson3JsonpMapper(this.json);

	private final Contacts contacts = mock(Contacts.class);

	private final ConversationQueries queries = new ConversationQueries(this.contacts,
			new ConversationSettings(EXACT_LIMIT, MAX_STALE, 1970, 1));

	private final JsonNode orgTerm = json("{\"term\": {\"org\": {\"value\": \"acme\"}}}");

	@Test
	void noFilterIsTheOrgAlone() throws IOException {
		assertThat(query(Filter.ALL))
			.isEqualTo(json("{\"bool\": {\"filter\": [{\"term\": {\"org\": {\"value\": \"acme\"}}}]}}"));
	}

	@Test
	void theOrgIsAFilterNoOtherFilterCanWiden() throws IOException {
		givenStale(Map.of("c9", 7));
		given(this.contacts.withCountBetween(anyString(), anyInt(), any(), anyInt())).willReturn(List.of("c1"));
		Filter everything = new Filter(List.of("s1"), List.of(Status.COMPLETED), Instant.parse("2025-01-01T00:00:00Z"),
				Instant.parse("2025-02-01T00:00:00Z"), List.of(Platform.VOICE), List.of("billing"),
				List.of(Direction.INBOUND), List.of(Environment.PRODUCTION), false, new RepeatContacts(2, 40),
				List.of("c1"), new Filter.Content("refund OR voucher -coupon", SenderType.USER),
				List.of("issue_refund"),
				new Tags(TagMatch.ANY, List.of(new Pair("Call Reason", "billing"), new Pair("Issue", "*"))),
				List.of(new Pair("account", "A-1")), List.of("ava"), true, List.of(FlagSource.RULE),
				List.of(new Filter.EmotionScore("anger", 0.6)), null);
		for (JsonNode query : List.of(query(everything),
				json(this.queries.filter(ORG, List.of(everything, everything))))) {
			// A should at the top level would let a match outside the org through.
			assertThat(query.get("bool").propertyNames()).containsExactlyInAnyOrder("filter", "must_not");
			assertThat(query.get("bool").get("filter").get(0)).isEqualTo(this.orgTerm);
		}
	}

	@Test
	void theOrgIsTakenAsItIsWritten() throws IOException {
		JsonNode query = json(this.queries.filter("acme\" OR *", Filter.ALL));
		assertThat(query.at("/bool/filter/0/term/org/value").stringValue()).isEqualTo("acme\" OR *");
	}

	@Test
	void valuesOfOneFilterAreOneTermsQuery() throws IOException {
		Filter filter = filter().statuses(Status.COMPLETED, Status.HUMAN_HANDOFF, Status.COMPLETED)
			.platforms(Platform.HUMAN_PHONE, Platform.SMS)
			.directions(Direction.OUTBOUND)
			.environments(Environment.TEST)
			.build();
		assertThat(filters(query(filter))).containsExactly(this.orgTerm,
				json("{\"terms\": {\"status\": [\"completed\", \"human_handoff\"]}}"),
				json("{\"terms\": {\"platform\": [\"human_phone\", \"sms\"]}}"),
				json("{\"terms\": {\"direction\": [\"outbound\"]}}"),
				json("{\"terms\": {\"environment\": [\"test\"]}}"));
	}

	@Test
	void flagSourcesAreOneTermsQueryAndEachEmotionANestedClauseOfItsOwn() throws IOException {
		Filter filter = new Filter(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, List.of(FlagSource.RULE, FlagSource.REVIEW_AGENT),
				List.of(new Filter.EmotionScore("anger", 0.6), new Filter.EmotionScore("joy", 0.0)), null);
		assertThat(filters(query(filter))).containsExactly(this.orgTerm,
				json("{\"terms\": {\"flags.source\": [\"rule\", \"review_agent\"]}}"), json("""
						{"nested": {"path": "emotionScores", "score_mode": "none", "query": {"bool": {"filter": [
						  {"term": {"emotionScores.emotion": {"value": "anger"}}},
						  {"range": {"emotionScores.score": {"gte": 0.6}}}]}}}}"""), json("""
						{"nested": {"path": "emotionScores", "score_mode": "none", "query": {"bool": {"filter": [
						  {"term": {"emotionScores.emotion": {"value": "joy"}}},
						  {"range": {"emotionScores.score": {"gte": 0.0}}}]}}}}"""));
	}

	@Test
	void idFiltersAreTermsOnTheirOwnFields() throws IOException {
		Filter filter = new Filter(List.of("s1", "s2"), null, null, null, null, List.of("billing"), null, null, null,
				null, List.of("c1"), null, List.of("issue_refund", "issue_refund"), null, null, List.of("ava"), null,
				null, null, null);
		assertThat(filters(query(filter))).containsExactly(this.orgTerm,
				json("{\"terms\": {\"id\": [\"s1\", \"s2\"]}}"), json("{\"terms\": {\"flow.id\": [\"billing\"]}}"),
				json("{\"terms\": {\"contact.id\": [\"c1\"]}}"),
				json("{\"terms\": {\"functions\": [\"issue_refund\"]}}"),
				json("{\"terms\": {\"agent.id\": [\"ava\"]}}"));
	}

	@Test
	void anEmptyListFiltersNothing() throws IOException {
		Filter filter = new Filter(List.of(), List.of(), null, null, List.of(), List.of(), List.of(), List.of(), null,
				null, List.of(), null, List.of(), new Tags(TagMatch.ANY, List.of()), List.of(), List.of(), null,
				List.of(), List.of(), null);
		assertThat(query(filter)).isEqualTo(query(Filter.ALL));
	}

	@Test
	void flaggedIsATermAndNotFlaggedIsItsAbsence() throws IOException {
		JsonNode flagged = query(filter().flagged(true).liveAgentHandled(true).build());
		assertThat(filters(flagged)).containsExactly(this.orgTerm, json("{\"term\": {\"flagged\": {\"value\": true}}}"),
				json("{\"term\": {\"liveAgentHandled\": {\"value\": true}}}"));
		assertThat(flagged.at("/bool/must_not").isMissingNode()).isTrue();

		// Not set counts as false: a conversation without the field is not flagged.
		JsonNode notFlagged = query(filter().flagged(false).liveAgentHandled(false).build());
		assertThat(filters(notFlagged)).containsExactly(this.orgTerm);
		assertThat(notFlagged.at("/bool/must_not")).containsExactly(
				json("{\"term\": {\"flagged\": {\"value\": true}}}"),
				json("{\"term\": {\"liveAgentHandled\": {\"value\": true}}}"));
	}

	@Test
	void dateRangeIncludesFromAndExcludesTo() throws IOException {
		JsonNode query = query(filter().between("2025-01-01T00:00:00Z", "2025-02-01T00:00:00.500Z").build());
		assertThat(filters(query)).containsExactly(this.orgTerm, json(
				"{\"range\": {\"startedAt\": {\"gte\": \"2025-01-01T00:00:00Z\", \"lt\": \"2025-02-01T00:00:00.500Z\"}}}"));
	}

	@Test
	void dateRangeMayBeOpenOnEitherSide() throws IOException {
		assertThat(filters(query(filter().between("2025-01-01T00:00:00Z", null).build()))).containsExactly(this.orgTerm,
				json("{\"range\": {\"startedAt\": {\"gte\": \"2025-01-01T00:00:00Z\"}}}"));
		assertThat(filters(query(filter().between(null, "2025-01-01T00:00:00Z").build()))).containsExactly(this.orgTerm,
				json("{\"range\": {\"startedAt\": {\"lt\": \"2025-01-01T00:00:00Z\"}}}"));
	}

	@Test
	void boundsBeyondFourDigitYearsAreLeftOutNotSent() throws IOException {
		// Elasticsearch cannot read -0001 or +10000; such bounds say nothing about the
		// index.
		assertThat(query(filter().between("-0001-06-01T00:00:00Z", "+10000-01-01T00:00:00Z").build()))
			.isEqualTo(query(Filter.ALL));
		assertThat(query(filter().between("0000-01-01T00:00:00Z", null).build())).isEqualTo(query(Filter.ALL));
		assertThat(filters(query(filter().between("-5000-01-01T00:00:00Z", "9999-12-31T23:59:59Z").build())))
			.containsExactly(this.orgTerm, json("{\"range\": {\"startedAt\": {\"lt\": \"9999-12-31T23:59:59Z\"}}}"));
	}

	@Test
	void boundsThatExcludeEveryIndexedDateMatchNothing() throws IOException {
		JsonNode none = json("{\"match_none\": {}}");
		assertThat(filters(query(filter().between("+10000-01-01T00:00:00Z", null).build())))
			.containsExactly(this.orgTerm, none);
		assertThat(filters(query(filter().between(null, "0000-01-01T00:00:00Z").build()))).containsExactly(this.orgTerm,
				none);
	}

	@Test
	void allTagPairsMustHold() throws IOException {
		Tags tags = new Tags(null, List.of(new Pair("Call Reason", "billing"), new Pair("Language", "en")));
		assertThat(filters(query(filter().tags(tags).build()))).containsExactly(this.orgTerm,
				json("{\"term\": {\"tags.Call Reason\": {\"value\": \"billing\"}}}"),
				json("{\"term\": {\"tags.Language\": {\"value\": \"en\"}}}"));
		Tags all = new Tags(TagMatch.ALL, tags.pairs());
		assertThat(query(filter().tags(all).build())).isEqualTo(query(filter().tags(tags).build()));
	}

	@Test
	void anyTagPairIsOneClauseOfAlternatives() throws IOException {
		Tags tags = new Tags(TagMatch.ANY, List.of(new Pair("Call Reason", "billing"), new Pair("Issue", "*")));
		assertThat(filters(query(filter().tags(tags).build()))).containsExactly(this.orgTerm, json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"term": {"tags.Call Reason": {"value": "billing"}}},
				  {"exists": {"field": "tags.Issue"}}]}}"""));
	}

	@Test
	void parameterPairsMustAllHoldAndStarMeansAnyValue() throws IOException {
		Filter filter = new Filter(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				List.of(new Pair("account", "A-1"), new Pair("plan", "*")), null, null, null, null, null);
		assertThat(filters(query(filter))).containsExactly(this.orgTerm,
				json("{\"term\": {\"parameters.account\": {\"value\": \"A-1\"}}}"),
				json("{\"exists\": {\"field\": \"parameters.plan\"}}"));
	}

	@Test
	void repeatContactsWithinTheExactLimitAreAStoredRange() throws IOException {
		assertThat(repeatClause(2, 5)).isEqualTo(json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"range": {"contactConversationCount": {"gte": 2.0, "lte": 5.0}}}]}}"""));
		verify(this.contacts, never()).withCountBetween(anyString(), anyInt(), any(), anyInt());
	}

	@Test
	void repeatContactsFromUpAreTheStoredCountsAlone() throws IOException {
		// Above the limit documents store limit + 1, so "min or more" is a range up to
		// it.
		assertThat(repeatClause(3, null))
			.isEqualTo(json("{\"range\": {\"contactConversationCount\": {\"gte\": 3.0, \"lte\": 11.0}}}"));
		assertThat(repeatClause(null, null))
			.isEqualTo(json("{\"range\": {\"contactConversationCount\": {\"gte\": 0.0, \"lte\": 11.0}}}"));
		assertThat(repeatClause(EXACT_LIMIT + 1, null))
			.isEqualTo(json("{\"range\": {\"contactConversationCount\": {\"gte\": 11.0, \"lte\": 11.0}}}"));
		verify(this.contacts, never()).withCountBetween(anyString(), anyInt(), any(), anyInt());
	}

	@Test
	void repeatContactsBeyondTheLimitAskTheContactsIndex() throws IOException {
		given(this.contacts.withCountBetween(ORG, 11, 20, ConversationQueries.MAX_REPEAT_CONTACTS))
			.willReturn(List.of("c1", "c2"));
		assertThat(repeatClause(5, 20)).isEqualTo(json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"range": {"contactConversationCount": {"gte": 5.0, "lte": 10.0}}},
				  {"bool": {"filter": [
				    {"range": {"contactConversationCount": {"gte": 11.0, "lte": 11.0}}},
				    {"terms": {"contact.id": ["c1", "c2"]}}]}}]}}"""));
	}

	@Test
	void repeatContactsAllAboveTheLimitAreOnlyTheContactsFound() throws IOException {
		given(this.contacts.withCountBetween(ORG, 12, null, ConversationQueries.MAX_REPEAT_CONTACTS))
			.willReturn(List.of("c1"));
		assertThat(repeatClause(12, null)).isEqualTo(json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"bool": {"filter": [
				    {"range": {"contactConversationCount": {"gte": 11.0, "lte": 11.0}}},
				    {"terms": {"contact.id": ["c1"]}}]}}]}}"""));
	}

	@Test
	void aRepeatRangeNoContactHasMatchesNothing() throws IOException {
		assertThat(repeatClause(12, 20)).isEqualTo(json("{\"match_none\": {}}"));
		verify(this.contacts).withCountBetween(ORG, 12, 20, ConversationQueries.MAX_REPEAT_CONTACTS);
	}

	@Test
	void repeatContactsMatchingTooManyContactsIsRefused() throws IOException {
		List<String> tooMany = new ArrayList<>();
		for (int i = 0; i <= ConversationQueries.MAX_REPEAT_CONTACTS; i++) {
			tooMany.add("c" + i);
		}
		given(this.contacts.withCountBetween(ORG, 12, null, ConversationQueries.MAX_REPEAT_CONTACTS))
			.willReturn(tooMany);
		given(this.contacts.withCountBetween(ORG, 11, 30, ConversationQueries.MAX_REPEAT_CONTACTS)).willReturn(tooMany);
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> repeatClause(12, null))
			.withMessage("parameter repeatMin: the range 12.. matches more than 200000 contacts;"
					+ " narrow it or combine it with other filters");
		assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> repeatClause(3, 30))
			.withMessage("parameter repeatMin: the range 3..30 matches more than 200000 contacts;"
					+ " narrow it or combine it with other filters");
	}

	@Test
	void staleContactsAreCountedFromTheContactsIndex() throws IOException {
		Map<String, Integer> stale = new LinkedHashMap<>();
		stale.put("c1", 4);
		stale.put("c9", 1);
		givenStale(stale);
		// Their stored counts are set aside, and those whose current count is in range
		// added.
		assertThat(repeatClause(2, 5)).isEqualTo(json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"bool": {
				    "filter": [{"bool": {"minimum_should_match": "1", "should": [
				      {"range": {"contactConversationCount": {"gte": 2.0, "lte": 5.0}}}]}}],
				    "must_not": [{"terms": {"contact.id": ["c1", "c9"]}}]}},
				  {"terms": {"contact.id": ["c1"]}}]}}"""));
	}

	@Test
	void staleContactsNoneInRangeAreOnlySetAside() throws IOException {
		givenStale(Map.of("c9", 1));
		assertThat(repeatClause(3, null)).isEqualTo(json("""
				{"bool": {
				  "filter": [{"range": {"contactConversationCount": {"gte": 3.0, "lte": 11.0}}}],
				  "must_not": [{"terms": {"contact.id": ["c9"]}}]}}"""));
	}

	@Test
	void tooManyStaleContactsIsRetryLater() throws IOException {
		givenStale(Map.of("c1", 1, "c2", 2, "c3", 3, "c4", 4));
		assertThatExceptionOfType(StorageUnavailableException.class).isThrownBy(() -> repeatClause(2, 5))
			.withMessage("more than 3 contacts' counts are being written to their conversations;"
					+ " retry the Repeat contacts filter shortly");
	}

	@Test
	void eachContentClauseLooksInsideOneMessage() throws IOException {
		JsonNode query = query(filter().content("refund invoice", null).build());
		assertThat(filters(query)).containsExactly(this.orgTerm, inMessage(word("refund")), inMessage(word("invoice")));
	}

	@Test
	void phraseStaysOneMessage() throws IOException {
		JsonNode query = query(filter().content("\"refund my order\"~2 \"money back\"", null).build());
		assertThat(filters(query)).containsExactly(this.orgTerm,
				inMessage(
						"{\"match_phrase\": {\"messages.text.exact\": {\"query\": \"refund my order\", \"slop\": 2}}}"),
				inMessage("{\"match_phrase\": {\"messages.text.exact\": {\"query\": \"money back\", \"slop\": 0}}}"));
	}

	@Test
	void aWordIsMatchedAsAPhraseOfItsParts() throws IOException {
		// "e-mail" is analysed into two tokens that must stand together.
		assertThat(filters(query(filter().content("E-mail", null).build()))).containsExactly(this.orgTerm,
				inMessage(word("E-mail")));
	}

	@Test
	void prefixIsAPrefixQueryOnTheMessageText() throws IOException {
		assertThat(filters(query(filter().content("REFU*", null).build()))).containsExactly(this.orgTerm,
				inMessage("{\"prefix\": {\"messages.text\": {\"value\": \"refu\"}}}"));
		// The folded field holds words without accents.
		assertThat(filters(query(filter().content("Café*", null).build()))).containsExactly(this.orgTerm,
				inMessage("{\"prefix\": {\"messages.text\": {\"value\": \"cafe\"}}}"));
	}

	@Test
	void aWordWithATildeFindsItsTypos() throws IOException {
		assertThat(filters(query(filter().content("refnd~ refnd~1", null).build()))).containsExactly(this.orgTerm,
				inMessage(
						"{\"match\": {\"messages.text\": {\"query\": \"refnd\", \"fuzziness\": \"AUTO\", \"operator\": \"and\"}}}"),
				inMessage(
						"{\"match\": {\"messages.text\": {\"query\": \"refnd\", \"fuzziness\": \"1\", \"operator\": \"and\"}}}"));
	}

	@Test
	void aWindowLimitsEveryClauseToMessagesNearTheStartOrTheEnd() throws IOException {
		JsonNode first = query(
				filter().content(new Filter.Content("refund -voucher", null, Filter.Within.of("first:30s"))).build());
		String inFirst = "{\"range\": {\"messages.offsetSeconds\": {\"lte\": 30.0}}}";
		assertThat(filters(first)).containsExactly(this.orgTerm,
				inMessage("{\"bool\": {\"filter\": [" + word("refund") + ", " + inFirst + "]}}"));
		assertThat(first.at("/bool/must_not"))
			.containsExactly(inMessage("{\"bool\": {\"filter\": [" + word("voucher") + ", " + inFirst + "]}}"));
		JsonNode last = query(
				filter().content(new Filter.Content("refund", null, Filter.Within.of("last:2m"))).build());
		assertThat(filters(last)).containsExactly(this.orgTerm, inMessage("{\"bool\": {\"filter\": [" + word("refund")
				+ ", {\"range\": {\"messages.secondsToEnd\": {\"lte\": 120.0}}}]}}"));
	}

	@Test
	void languagesAreAFacetSelection() throws IOException {
		Filter filter = new Filter(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null, null, List.of("es", "de"));
		assertThat(json(this.queries.faceted(ORG, List.of(filter)).selections().get(Facet.LANGUAGE)))
			.isEqualTo(json("{\"bool\": {\"filter\": [{\"terms\": {\"language\": [\"es\", \"de\"]}}]}}"));
	}

	@Test
	void alternativesAreOneMessageQueryOfShoulds() throws IOException {
		assertThat(filters(query(filter().content("refund OR voucher", null).build()))).containsExactly(this.orgTerm,
				inMessage("{\"bool\": {\"minimum_should_match\": \"1\", \"should\": [" + word("refund") + ", "
						+ word("voucher") + "]}}"));
	}

	@Test
	void anExcludedClauseIsAMessageNoneMayHave() throws IOException {
		JsonNode query = query(filter().content("refund -voucher", null).build());
		assertThat(filters(query)).containsExactly(this.orgTerm, inMessage(word("refund")));
		assertThat(query.at("/bool/must_not")).containsExactly(inMessage(word("voucher")));
	}

	@Test
	void aGroupHoldsWithinOneMessage() throws IOException {
		JsonNode query = query(filter().content("(refund -voucher)", null).build());
		assertThat(filters(query)).containsExactly(this.orgTerm, inMessage(
				"{\"bool\": {\"filter\": [" + word("refund") + "], \"must_not\": [" + word("voucher") + "]}}"));
		assertThat(query.at("/bool/must_not").isMissingNode()).isTrue();
	}

	@Test
	void theSpeakerLimitsEveryClauseIncludingExcludedOnes() throws IOException {
		JsonNode query = query(filter().content("refund -voucher", SenderType.HUMAN_AGENT).build());
		String byHumanAgent = "{\"term\": {\"messages.senderType\": {\"value\": \"human_agent\"}}}";
		assertThat(filters(query)).containsExactly(this.orgTerm,
				inMessage("{\"bool\": {\"filter\": [" + word("refund") + ", " + byHumanAgent + "]}}"));
		// Excludes conversations where the human agent said it, not where anyone did.
		assertThat(query.at("/bool/must_not"))
			.containsExactly(inMessage("{\"bool\": {\"filter\": [" + word("voucher") + ", " + byHumanAgent + "]}}"));
	}

	@Test
	void aBlankContentQueryFiltersNothing() throws IOException {
		assertThat(query(filter().content("  ", null).build())).isEqualTo(query(Filter.ALL));
		assertThat(this.queries.relevance(filter().content(" ", null).build(), 3)).isNull();
	}

	@Test
	void severalFiltersNarrowEachOther() throws IOException {
		Filter view = filter().statuses(Status.COMPLETED).content("refund", null).build();
		Filter request = filter().statuses(Status.FAILED).content("voucher", null).build();
		assertThat(filters(json(this.queries.filter(ORG, List.of(view, request))))).containsExactly(this.orgTerm,
				json("{\"terms\": {\"status\": [\"completed\"]}}"), inMessage(word("refund")),
				json("{\"terms\": {\"status\": [\"failed\"]}}"), inMessage(word("voucher")));
	}

	@Test
	void noContentQueryNoRelevance() {
		assertThat(this.queries.relevance(Filter.ALL, 3)).isNull();
		assertThat(this.queries.relevance(List.of(Filter.ALL, filter().flagged(true).build()), 3)).isNull();
	}

	@Test
	void relevanceScoresAndHighlightsTheMatchingMessages() {
		JsonNode relevance = json(this.queries.relevance(filter().content("refund", null).build(), 3));
		assertThat(relevance).isEqualTo(
				json("""
						{"nested": {
						  "path": "messages", "score_mode": "sum",
						  "query": {"bool": {"minimum_should_match": "1", "should": [%s]}},
						  "inner_hits": {"name": "messages", "size": 3,
						    "_source": {"includes": ["messages.at", "messages.senderType", "messages.offsetSeconds"]},
						    "highlight": {"encoder": "html", "pre_tags": ["<mark>"], "post_tags": ["</mark>"],
						      "fields": [{"messages.text": {"number_of_fragments": 0}}, {"messages.text.exact": {"number_of_fragments": 0}},
						        {"messages.stems.en": {"number_of_fragments": 0}}, {"messages.stems.es": {"number_of_fragments": 0}},
						        {"messages.stems.fr": {"number_of_fragments": 0}}, {"messages.stems.de": {"number_of_fragments": 0}},
						        {"messages.stems.pt": {"number_of_fragments": 0}}, {"messages.stems.it": {"number_of_fragments": 0}},
						        {"messages.stems.nl": {"number_of_fragments": 0}}]}}}}"""
					.formatted(word("refund"))));
	}

	@Test
	void relevanceScoresOnlyWhatIsSoughtNotWhatIsExcluded() {
		Filter filter = filter().content("refund -voucher (invoice -coupon) late OR due -(x y)", SenderType.USER)
			.build();
		JsonNode scoring = json(this.queries.relevance(filter, 1)).at("/nested/query/bool");
		// Groups give their positive clauses; each is scored on its own.
		assertThat(scoring.get("should")).containsExactly(json(word("refund")), json(word("invoice")),
				json("{\"bool\": {\"minimum_should_match\": \"1\", \"should\": [" + word("late") + ", " + word("due")
						+ "]}}"));
		assertThat(scoring.get("filter"))
			.containsExactly(json("{\"term\": {\"messages.senderType\": {\"value\": \"user\"}}}"));
		assertThat(scoring.get("must_not")).isNull();
	}

	@Test
	void relevanceOfSeveralFiltersHighlightsTheMessagesOfEach() {
		Filter view = filter().content("refund", null).build();
		Filter request = filter().content("voucher", SenderType.AGENT).build();
		JsonNode query = json(this.queries.relevance(List.of(view, Filter.ALL, request), 2)).at("/nested/query");
		assertThat(query).isEqualTo(json("""
				{"bool": {"minimum_should_match": "1", "should": [
				  {"bool": {"minimum_should_match": "1", "should": [%s]}},
				  {"bool": {"minimum_should_match": "1", "should": [%s],
				    "filter": [{"term": {"messages.senderType": {"value": "agent"}}}]}}]}}""".formatted(word("refund"),
				word("voucher"))));
	}

	@Test
	void facetSelectionsStandApartFromTheRestOfTheFilter() throws IOException {
		Filter filter = new Filter(List.of("s1"), List.of(Status.FAILED), null, null, List.of(Platform.VOICE),
				List.of("billing"), List.of(Direction.INBOUND), List.of(Environment.TEST), false, null, List.of("c1"),
				new Filter.Content("refund", null), List.of("issue_refund"),
				new Tags(TagMatch.ANY, List.of(new Pair("Language", "en"), new Pair("Issue", "login"))),
				List.of(new Pair("account", "A-1")), List.of("ava"), true, List.of(FlagSource.USER),
				List.of(new Filter.EmotionScore("joy", 0.5)), null);
		ConversationQueries.Faceted faceted = this.queries.faceted(ORG, List.of(filter));
		assertThat(faceted.selections()).containsOnlyKeys(Facet.STATUS, Facet.PLATFORM, Facet.FLOW, Facet.DIRECTION,
				Facet.ENVIRONMENT, Facet.FLAGGED, Facet.FUNCTIONS, Facet.TAGS);
		assertThat(json(faceted.selections().get(Facet.STATUS)))
			.isEqualTo(json("{\"bool\": {\"filter\": [{\"terms\": {\"status\": [\"failed\"]}}]}}"));
		assertThat(json(faceted.selections().get(Facet.FLAGGED)))
			.isEqualTo(json("{\"bool\": {\"must_not\": [{\"term\": {\"flagged\": {\"value\": true}}}]}}"));
		assertThat(json(faceted.selections().get(Facet.TAGS)).at("/bool/filter/0/bool/should")).hasSize(2);
		// What selects no facet's values stays in the query: ids, contacts, agents,
		// parameters, who handled it, flag sources, emotions (which narrow the emotions
		// facet's counts, as all of several tag pairs do), the content.
		JsonNode rest = json(faceted.rest());
		assertThat(filters(rest)).containsExactly(this.orgTerm, json("{\"terms\": {\"id\": [\"s1\"]}}"),
				json("{\"terms\": {\"contact.id\": [\"c1\"]}}"), json("{\"terms\": {\"agent.id\": [\"ava\"]}}"),
				json("{\"term\": {\"liveAgentHandled\": {\"value\": true}}}"),
				json("{\"terms\": {\"flags.source\": [\"user\"]}}"),
				json("{\"nested\": {\"path\": \"emotionScores\", \"score_mode\": \"none\", \"query\": {\"bool\": {\"filter\": ["
						+ "{\"term\": {\"emotionScores.emotion\": {\"value\": \"joy\"}}},"
						+ "{\"range\": {\"emotionScores.score\": {\"gte\": 0.5}}}]}}}}"),
				json("{\"term\": {\"parameters.account\": {\"value\": \"A-1\"}}}"), inMessage(word("refund")));
		assertThat(rest.at("/bool/must_not").isMissingNode()).isTrue();
		assertThat(faceted.selectionsBut(Facet.STATUS)).hasSize(7);
		assertThat(faceted.selectionsBut(null)).hasSize(8);
	}

	@Test
	void tagPairsThatAllMustHoldOrThatAnyKeyStarStayInTheQuery() throws IOException {
		List<Pair> pairs = List.of(new Pair("Language", "en"), new Pair("Issue", "login"));
		for (Tags tags : List.of(new Tags(null, pairs), new Tags(TagMatch.ALL, pairs),
				new Tags(TagMatch.ANY, List.of(new Pair("Language", "en"), new Pair("Issue", "*"))))) {
			Filter filter = filter().tags(tags).build();
			ConversationQueries.Faceted faceted = this.queries.faceted(ORG, List.of(filter));
			assertThat(faceted.selections()).as(tags.toString()).isEmpty();
			assertThat(json(faceted.rest())).isEqualTo(query(filter));
		}
	}

	@Test
	void oneFacetSelectedByTwoFiltersIsOneSelectionOfBoth() throws IOException {
		Filter view = filter().statuses(Status.COMPLETED, Status.FAILED).environments(Environment.PRODUCTION).build();
		Filter asked = filter().statuses(Status.COMPLETED).between("2025-01-01T00:00:00Z", null).build();
		ConversationQueries.Faceted faceted = this.queries.faceted(ORG, List.of(view, asked));
		assertThat(faceted.selections()).containsOnlyKeys(Facet.STATUS, Facet.ENVIRONMENT);
		assertThat(json(faceted.selections().get(Facet.STATUS)).at("/bool/filter")).containsExactly(
				json("{\"terms\": {\"status\": [\"completed\", \"failed\"]}}"),
				json("{\"terms\": {\"status\": [\"completed\"]}}"));
		assertThat(faceted.selectionsBut(Facet.STATUS)).containsExactly(faceted.selections().get(Facet.ENVIRONMENT));
		assertThat(filters(json(faceted.rest()))).containsExactly(this.orgTerm,
				json("{\"range\": {\"startedAt\": {\"gte\": \"2025-01-01T00:00:00Z\"}}}"));
		// The plain filter keeps every clause in one query, as before.
		assertThat(filters(json(this.queries.filter(ORG, List.of(view, asked))))).hasSize(5);
	}

	private JsonNode repeatClause(Integer min, Integer max) throws IOException {
		JsonNode filters = filters(query(filter().repeatContacts(min, max).build()));
		assertThat(filters).hasSize(2);
		assertThat(filters.get(0)).isEqualTo(this.orgTerm);
		return filters.get(1);
	}

	private void givenStale(Map<String, Integer> stale) throws IOException {
		given(this.contacts.staleCounts(ORG, MAX_STALE)).willReturn(stale);
	}

	/**
	 * A bare word: its folded form, or its stem in any stemmed language's field.
	 */
	private static String word(String text) {
		StringBuilder forms = new StringBuilder(
				"{\"match_phrase\": {\"messages.text\": {\"query\": \"" + text + "\"}}}");
		for (String language : List.of("en", "es", "fr", "de", "pt", "it", "nl")) {
			forms.append(", {\"match_phrase\": {\"messages.stems.")
				.append(language)
				.append("\": {\"query\": \"")
				.append(text)
				.append("\"}}}");
		}
		return "{\"bool\": {\"minimum_should_match\": \"1\", \"should\": [" + forms + "]}}";
	}

	private JsonNode inMessage(String query) {
		return json("{\"nested\": {\"path\": \"messages\", \"score_mode\": \"none\", \"query\": " + query + "}}");
	}

	private JsonNode query(Filter filter) throws IOException {
		return json(this.queries.filter(ORG, filter));
	}

	private static JsonNode filters(JsonNode query) {
		return query.get("bool").get("filter");
	}

	private JsonNode json(Query query) {
		return json(JsonpUtils.toJsonString(query, this.mapper));
	}

	private JsonNode json(String text) {
		return this.json.readTree(text);
	}

	private static FilterBuilder filter() {
		return new FilterBuilder();
	}

	/**
	 * The parts of a filter these tests vary; the rest stays out.
	 */
	private static final class FilterBuilder {

		private List<Status> statuses;

		private Instant from;

		private Instant to;

		private List<Platform> platforms;

		private List<Direction> directions;

		private List<Environment> environments;

		private Boolean flagged;

		private RepeatContacts repeatContacts;

		private Filter.Content content;

		private Tags tags;

		private Boolean liveAgentHandled;

		FilterBuilder statuses(Status... statuses) {
			this.statuses = List.of(statuses);
			return this;
		}

		FilterBuilder platforms(Platform... platforms) {
			this.platforms = List.of(platforms);
			return this;
		}

		FilterBuilder directions(Direction... directions) {
			this.directions = List.of(directions);
			return this;
		}

		FilterBuilder environments(Environment... environments) {
			this.environments = List.of(environments);
			return this;
		}

		FilterBuilder between(String from, String to) {
			this.from = (from != null) ? Instant.parse(from) : null;
			this.to = (to != null) ? Instant.parse(to) : null;
			return this;
		}

		FilterBuilder flagged(boolean flagged) {
			this.flagged = flagged;
			return this;
		}

		FilterBuilder liveAgentHandled(boolean handled) {
			this.liveAgentHandled = handled;
			return this;
		}

		FilterBuilder repeatContacts(Integer min, Integer max) {
			this.repeatContacts = new RepeatContacts(min, max);
			return this;
		}

		FilterBuilder content(String query, SenderType speaker) {
			this.content = new Filter.Content(query, speaker);
			return this;
		}

		FilterBuilder content(Filter.Content content) {
			this.content = content;
			return this;
		}

		FilterBuilder tags(Tags tags) {
			this.tags = tags;
			return this;
		}

		Filter build() {
			return new Filter(null, this.statuses, this.from, this.to, this.platforms, null, this.directions,
					this.environments, this.flagged, this.repeatContacts, null, this.content, null, this.tags, null,
					null, this.liveAgentHandled, null, null, null);
		}

	}

}
