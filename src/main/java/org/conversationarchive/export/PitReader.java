package org.conversationarchive.export;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.ErrorCause;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.ShardFailure;
import co.elastic.clients.elasticsearch._types.ShardStatistics;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import co.elastic.clients.transport.TransportException;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.system.Futures;
import org.conversationarchive.system.StorageUnavailableException;
import org.conversationarchive.system.Heartbeat;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads every document a query finds at a point in time, page after page with
 * {@code search_after}, each document once. The order is total by the documents' own
 * fields (start, then conversation id), so the position saved with every committed chunk
 * means the same in any point in time.
 * <p>
 * That lets a read outlive its point in time: when a page fails (a restarted engine, a
 * lost node, a shard that did not answer) or a step restarts, the reader opens a fresh
 * point in time on the same query and continues after the position. Partial results are
 * refused, and a read that ends with other than the expected count (rows handed out plus
 * what is left after the position) fails ({@link ExportFailure}).
 * <p>
 * A large read is sliced: the slices are walked side by side, each fetching its next page
 * ahead, and merged by sort values, so documents come out in the unsliced order.
 *
 * @param <T> the document type
 */
class PitReader<T> implements ItemStreamReader<T> {

	private static final Logger logger = LoggerFactory.getLogger(PitReader.class);

	/**
	 * Newest first, as the table shows them.
	 */
	static final List<SortOptions> ORDER = order(SortOrder.Desc);

	/**
	 * Oldest first.
	 */
	static final List<SortOptions> ASCENDING = order(SortOrder.Asc);

	private static final Pattern ROOT_CAUSE = Pattern.compile("\"type\":\"([^\"]+)\",\"reason\":\"([^\"]*)\"");

	private static final ExecutorService PREFETCH = Executors.newVirtualThreadPerTaskExecutor();

	/**
	 * Opens a fresh point in time over what the read covers.
	 */
	@FunctionalInterface
	interface Opener {

		/**
		 * Opens one.
		 * @return its id
		 * @throws IOException when Elasticsearch cannot be reached
		 */
		String open() throws IOException;

	}

	private final ConversationWalks walks;

	private final JsonMapper json;

	private final Opener opener;

	private final Query query;

	private final List<String> fields;

	private final Class<T> type;

	private final String keepAlive;

	private final int pageSize;

	private final int sliceCount;

	private volatile String pit;

	private long expected;

	/**
	 * Points in time this read may have left open, to close once it is done with them.
	 */
	private final Set<String> replaced = new LinkedHashSet<>();

	/**
	 * Whether the next read opens a fresh point in time first (a restarted step).
	 */
	private boolean resume;

	/**
	 * How long a read keeps trying fresh points in time without handing out a document
	 * before it fails.
	 */
	private final Duration patience;

	/**
	 * Told at every document and while waiting, so that a read that takes long between
	 * commits (or a history written in one go) is not taken for a dead job.
	 */
	private final Heartbeat heartbeat;

	/**
	 * When the read last handed out a document or began, while it is failing; a failure
	 * this long after it fails the read.
	 */
	private long failingSince;

	private int attempts;

	private @Nullable List<Slice> slices;

	private @Nullable Comparator<List<FieldValue>> bySortValues;

	private @Nullable List<FieldValue> lastHandedOut;

	private long read;

	/**
	 * A reader of a point in time.
	 * @param walks the walks of the conversations
	 * @param json the mapper for the saved position
	 * @param pit the point in time to start on
	 * @param expected how many documents the query finds in it
	 * @param opener opens a fresh one over the same indices
	 * @param patience how long to keep trying fresh ones without progress (a lost node's
	 * shards take a few seconds to be served by their replicas, and the client may take
	 * the healthy nodes for dead meanwhile)
	 * @param heartbeat told that the read is alive, at every document and while it waits
	 * @param query what to read
	 * @param fields the source fields to read
	 * @param type the document type
	 * @param keepAlive how long the point in time is kept between pages
	 * @param pageSize documents per page
	 * @param slices slices read side by side
	 */
	PitReader(ConversationWalks walks, JsonMapper json, String pit, long expected, Opener opener, Duration patience,
			Heartbeat heartbeat, Query query, List<String> fields, Class<T> type, String keepAlive, int pageSize,
			int slices) {
		if (slices < 1) {
			throw new IllegalArgumentException("slices must be at least 1, not " + slices);
		}
		this.walks = walks;
		this.json = json;
		this.pit = pit;
		this.expected = expected;
		this.opener = opener;
		this.patience = patience;
		this.heartbeat = heartbeat;
		this.query = query;
		this.fields = fields;
		this.type = type;
		this.keepAlive = keepAlive;
		this.pageSize = pageSize;
		this.sliceCount = slices;
	}

	/**
	 * How many slices a read of this many documents is worth: one for a small read
	 * (slicing costs a request per slice), up to {@code most} for a large one.
	 * @param documents the documents to read
	 * @param pageSize documents per page
	 * @param most the most slices to use
	 * @return the slices
	 */
	static int slicesFor(long documents, int pageSize, int most) {
		return (documents >= 10L * pageSize) ? Math.max(1, most) : 1;
	}

	@Override
	public void open(ExecutionContext context) {
		if (context.containsKey("pit.read")) {
			// A restarted step: its point in time may be gone with the engine that held
			// it, and a saved position means the same in a fresh one.
			this.resume = true;
			this.read = context.getLong("pit.read");
			this.lastHandedOut = context.containsKey("pit.after") ? decode(context.getString("pit.after")) : null;
			this.replaced.add(this.pit);
			if (context.containsKey("pit.id")) {
				this.replaced.add(context.getString("pit.id"));
			}
		}
	}

	@Override
	public void update(ExecutionContext context) {
		if (this.lastHandedOut != null) {
			context.putString("pit.after", encode(this.lastHandedOut));
		}
		context.putLong("pit.read", this.read);
		context.putString("pit.id", this.pit);
	}

	@Override
	public @Nullable T read() throws IOException {
		while (true) {
			this.heartbeat.beat();
			try {
				if (this.resume) {
					reopen((this.attempts == 0) ? "the export was restarted" : "after a failed page");
					this.resume = false;
				}
				return next();
			}
			catch (PageFailure failure) {
				retryLater(failure);
			}
		}
	}

	/**
	 * Waits before the next fresh point in time, longer after each failure, or fails the
	 * read once it has made no progress for {@link #patience}.
	 */
	private void retryLater(PageFailure failure) {
		long now = System.nanoTime();
		if (this.attempts == 0) {
			this.failingSince = now;
		}
		long left = this.patience.toNanos() - (now - this.failingSince);
		if (left <= 0) {
			throw unreadable(failure.getMessage(), failure);
		}
		long pause = Math.min(Math.min(250_000_000L << Math.min(this.attempts, 6), 10_000_000_000L), left);
		logger.warn("A page of point in time failed after {} documents ({}); resuming on a fresh one in {} ms",
				this.read, failure.getMessage(), pause / 1_000_000);
		try {
			waitBeating(pause);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw unreadable("interrupted", failure);
		}
		this.attempts++;
		this.resume = true;
	}

	/**
	 * Waits, telling the heartbeat every second meanwhile.
	 */
	private void waitBeating(long nanos) throws InterruptedException {
		long until = System.nanoTime() + nanos;
		for (long left = nanos; left > 0; left = until - System.nanoTime()) {
			Thread.sleep(Duration.ofNanos(Math.min(left, 1_000_000_000L)));
			this.heartbeat.beat();
		}
	}

	private @Nullable T next() throws IOException {
		if (this.slices == null) {
			this.bySortValues = comparator(order());
			List<Slice> started = new ArrayList<>(this.sliceCount);
			for (int id = 0; id < this.sliceCount; id++) {
				started.add(new Slice(id, this.lastHandedOut));
			}
			this.slices = started;
		}
		Slice next = null;
		Hit<T> head = null;
		for (Slice slice : this.slices) {
			Hit<T> candidate = slice.head();
			if (candidate != null && (head == null || this.bySortValues.compare(candidate.sort(), head.sort()) < 0)) {
				next = slice;
				head = candidate;
			}
		}
		if (next == null) {
			if (this.read != this.expected) {
				throw new ExportFailure("Read " + this.read + " rows where the snapshot held " + this.expected
						+ "; nothing was published. Restart the export.");
			}
			return null;
		}
		Hit<T> hit = next.page.poll();
		this.lastHandedOut = position(hit.sort());
		this.read++;
		this.attempts = 0;
		return hit.source();
	}

	/**
	 * Opens a fresh point in time and resumes every slice after the last document handed
	 * out; the expected count becomes what was handed out plus what the fresh point in
	 * time holds after it.
	 */
	private void reopen(@Nullable String why) {
		closeSlices();
		this.replaced.add(this.pit);
		String fresh;
		try {
			fresh = this.opener.open();
			this.pit = fresh;
			this.expected = this.read + countAfter(this.lastHandedOut);
		}
		catch (ElasticsearchException | IOException ex) {
			throw pageFailure(ex);
		}
		this.replaced.remove(fresh);
		logger.info("Reading on a fresh point in time after {} documents ({}): {} expected in all", this.read, why,
				this.expected);
		closeReplaced();
	}

	private long countAfter(@Nullable List<FieldValue> position) throws IOException {
		Query counted = (position == null) ? this.query
				: Query.of((q) -> q.bool((bool) -> bool.filter(this.query).filter(after(order(), position))));
		String pitId = this.pit;
		SearchResponse<Void> response;
		try {
			response = this.walks.search(pitId, this.keepAlive,
					(search) -> search.query(counted).size(0).trackTotalHits((track) -> track.enabled(true)),
					Void.class);
		}
		catch (ElasticsearchException | IOException ex) {
			throw pageFailure(ex);
		}
		checkShards(response);
		return response.hits().total().value();
	}

	/**
	 * What comes after a position in an order: a field beyond its value, all the fields
	 * before it equal to theirs.
	 * @param order the order
	 * @param position sort values, one per field of the order
	 * @return the query
	 */
	static Query after(List<SortOptions> order, List<FieldValue> position) {
		List<Query> levels = new ArrayList<>();
		for (int level = 0; level < order.size() && level < position.size(); level++) {
			List<Query> conditions = new ArrayList<>();
			for (int before = 0; before < level; before++) {
				String field = order.get(before).field().field();
				FieldValue value = position.get(before);
				conditions.add(Query.of((q) -> q.term((term) -> term.field(field).value(value))));
			}
			String field = order.get(level).field().field();
			JsonData value = JsonData.of(position.get(level)._get());
			boolean descending = order.get(level).field().order() == SortOrder.Desc;
			conditions.add(Query.of((q) -> q.range((range) -> range
				.untyped((untyped) -> descending ? untyped.field(field).lt(value) : untyped.field(field).gt(value)))));
			levels.add(Query.of((q) -> q.bool((bool) -> bool.filter(conditions))));
		}
		return Query.of((q) -> q.bool((bool) -> bool.should(levels).minimumShouldMatch("1")));
	}

	/**
	 * The read failed for good: say why, in words for people, with the cause in the log.
	 */
	private ExportFailure unreadable(@Nullable String reason, Exception cause) {
		logger.warn("Could not read the export's point in time after {} documents", this.read, cause);
		ExportFailure failure = new ExportFailure("Elasticsearch could not read the whole snapshot after " + this.read
				+ " rows (" + reason + "); nothing was published. Restart the export once Elasticsearch is whole.");
		failure.addSuppressed(cause);
		return failure;
	}

	/**
	 * How many documents were handed out, over every run of the step.
	 * @return the count
	 */
	long handedOut() {
		return this.read;
	}

	/**
	 * How many documents the read is to hand out in all.
	 * @return the count
	 */
	long expected() {
		return this.expected;
	}

	/**
	 * The part of sort values that is the order's own fields: a point in time adds a
	 * tie-break of its own ({@code _shard_doc}) to the first page's, which means nothing
	 * in another one.
	 */
	private List<FieldValue> position(List<FieldValue> sortValues) {
		int fields = order().size();
		return (sortValues.size() > fields) ? List.copyOf(sortValues.subList(0, fields)) : sortValues;
	}

	/**
	 * A page of a slice, and the point in time as its answer renewed it.
	 */
	private record Page<T>(List<Hit<T>> hits, @Nullable String pit) {
	}

	/**
	 * One slice of the point in time, walked page after page.
	 */
	private final class Slice {

		private final int id;

		private final Deque<Hit<T>> page = new ArrayDeque<>();

		private @Nullable List<FieldValue> lastFetched;

		private boolean exhausted;

		private @Nullable Future<Page<T>> next;

		Slice(int id, @Nullable List<FieldValue> after) {
			this.id = id;
			this.lastFetched = after;
		}

		/**
		 * The slice's next document, fetching its next page if it has none left.
		 */
		@Nullable Hit<T> head() throws IOException {
			if (this.page.isEmpty() && !this.exhausted) {
				take();
			}
			return this.page.peek();
		}

		/**
		 * Takes the page fetched in the background (or fetches it now), and asks for the
		 * one after it right away, so Elasticsearch works on the next page while this one
		 * is written.
		 */
		private void take() throws IOException {
			Page<T> taken;
			if (this.next != null) {
				Future<Page<T>> fetched = this.next;
				this.next = null;
				taken = Futures.await(fetched);
			}
			else {
				taken = fetch(PitReader.this.pit, this.id, this.lastFetched);
			}
			if (taken.pit() != null) {
				PitReader.this.pit = taken.pit();
			}
			List<Hit<T>> hits = taken.hits();
			this.page.addAll(hits);
			if (hits.size() < PitReader.this.pageSize) {
				// Every shard answered (fetch checks): the slice holds no more.
				this.exhausted = true;
				return;
			}
			List<FieldValue> after = position(hits.get(hits.size() - 1).sort());
			this.lastFetched = after;
			String pitId = PitReader.this.pit;
			this.next = PREFETCH.submit(() -> fetch(pitId, this.id, after));
		}

		void close() {
			this.page.clear();
			if (this.next != null) {
				this.next.cancel(true);
				this.next = null;
			}
		}

	}

	private Page<T> fetch(String pitId, int slice, @Nullable List<FieldValue> after) throws IOException {
		SearchResponse<T> response;
		try {
			response = this.walks.search(pitId, this.keepAlive, (search) -> {
				search.query(this.query)
					.size(this.pageSize)
					.sort(order())
					.trackTotalHits((track) -> track.enabled(false));
				fetch(search);
				if (this.sliceCount > 1) {
					search.slice((sliced) -> sliced.id(String.valueOf(slice)).max(this.sliceCount));
				}
				if (after != null) {
					search.searchAfter(after);
				}
			}, this.type);
		}
		catch (ElasticsearchException | IOException ex) {
			// A shard that did not answer comes as a transport error when Elasticsearch
			// says 503; both mean the page did not come whole.
			throw pageFailure(ex);
		}
		checkShards(response);
		return new Page<>(complete(response.hits().hits(), pitId), response.pitId());
	}

	/**
	 * A failed request of Elasticsearch as a page failure, to resume from on a fresh
	 * point in time, when it may pass (Elasticsearch or a part of it out of reach, the
	 * point in time gone); any other refusal is a fault no retry mends, raised as it is.
	 */
	static PageFailure pageFailure(Exception failure) {
		if (failure instanceof ElasticsearchException refused
				&& !StorageUnavailableException.isUnavailability(refused)) {
			throw refused;
		}
		return new PageFailure(describe(failure), failure);
	}

	/**
	 * Refuses an answer that is not whole: a shard that failed or a search that timed out
	 * would make a short page look like the end of the read.
	 * @param response the answer
	 */
	static void checkShards(SearchResponse<?> response) {
		ShardStatistics shards = response.shards();
		if (response.timedOut()) {
			throw new PageFailure("the search timed out", null);
		}
		if (shards != null && shards.failed().intValue() > 0) {
			String reason = shards.failures()
				.stream()
				.map(ShardFailure::reason)
				.map(PitReader::describe)
				.findFirst()
				.orElse("no reason given");
			throw new PageFailure(shards.failed() + " of " + shards.total() + " shards failed: " + reason, null);
		}
	}

	/**
	 * What a failure of Elasticsearch says, briefly: its root cause's type and reason.
	 */
	static String describe(Exception failure) {
		if (failure instanceof PageFailure page) {
			return page.getMessage();
		}
		if (failure instanceof ElasticsearchException ex && ex.error() != null) {
			ErrorCause cause = ex.error().rootCause().isEmpty() ? ex.error() : ex.error().rootCause().get(0);
			return describe(cause);
		}
		Matcher cause = ROOT_CAUSE.matcher(String.valueOf(failure.getMessage()));
		if (failure instanceof TransportException && cause.find()) {
			// Elasticsearch's answer, as the transport quotes it.
			return cause.group(1) + ": " + cause.group(2);
		}
		return "Elasticsearch is not reachable: " + failure.getMessage();
	}

	private static String describe(ErrorCause cause) {
		return cause.type() + ((cause.reason() != null) ? ": " + cause.reason() : "");
	}

	/**
	 * The point in time read, as last renewed.
	 * @return its id
	 */
	String pit() {
		return this.pit;
	}

	/**
	 * What each page fetches of its documents: the fields from the source.
	 * @param search the page's request
	 */
	protected void fetch(SearchRequest.Builder search) {
		search.source((source) -> source.filter((filter) -> filter.includes(this.fields)));
	}

	/**
	 * A page's hits, their sources filled in if {@link #fetch} did not fetch them.
	 * @param hits the hits, in order
	 * @param pit the point in time they come from
	 * @return the hits with their sources, in the same order
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	protected List<Hit<T>> complete(List<Hit<T>> hits, String pit) throws IOException {
		return hits;
	}

	/**
	 * How long the point in time is kept between pages.
	 * @return the keep-alive, e.g. {@code 300s}
	 */
	protected String keepAlive() {
		return this.keepAlive;
	}

	/**
	 * The order documents are read in: total by the documents' own fields, so that a
	 * position means the same in any point in time.
	 * @return the sort
	 */
	protected List<SortOptions> order() {
		return ORDER;
	}

	private static List<SortOptions> order(SortOrder byStart) {
		// Conversation ids are unique in an org, and an export reads one org.
		return List.of(SortOptions.of((sort) -> sort.field((field) -> field.field("startedAt").order(byStart))),
				SortOptions.of((sort) -> sort.field((field) -> field.field("id").order(SortOrder.Asc))));
	}

	/**
	 * Compares sort values as Elasticsearch orders them: field by field, each ascending
	 * or descending as sorted, a missing value last, text by code point (the order of its
	 * UTF-8 bytes, as keywords sort).
	 */
	static Comparator<List<FieldValue>> comparator(List<SortOptions> order) {
		List<SortOrder> directions = order.stream()
			.map((option) -> (option.isField() && option.field().order() != null) ? option.field().order()
					: SortOrder.Asc)
			.toList();
		return (left, right) -> {
			for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
				int compared = compare(left.get(i), right.get(i));
				if (compared != 0) {
					boolean missing = left.get(i).isNull() || right.get(i).isNull();
					return (missing || i >= directions.size() || directions.get(i) == SortOrder.Asc) ? compared
							: -compared;
				}
			}
			return Integer.compare(left.size(), right.size());
		};
	}

	private static int compare(FieldValue left, FieldValue right) {
		if (left.isNull() || right.isNull()) {
			return Boolean.compare(left.isNull(), right.isNull());
		}
		if (left.isLong() && right.isLong()) {
			return Long.compare(left.longValue(), right.longValue());
		}
		if ((left.isLong() || left.isDouble()) && (right.isLong() || right.isDouble())) {
			return Double.compare(left.isLong() ? left.longValue() : left.doubleValue(),
					right.isLong() ? right.longValue() : right.doubleValue());
		}
		if (left.isBoolean() && right.isBoolean()) {
			return Boolean.compare(left.booleanValue(), right.booleanValue());
		}
		return byCodePoint(String.valueOf(left._get()), String.valueOf(right._get()));
	}

	private static int byCodePoint(String left, String right) {
		int i = 0;
		int j = 0;
		while (i < left.length() && j < right.length()) {
			int a = left.codePointAt(i);
			int b = right.codePointAt(j);
			if (a != b) {
				return Integer.compare(a, b);
			}
			i += Character.charCount(a);
			j += Character.charCount(b);
		}
		return Boolean.compare(i < left.length(), j < right.length());
	}

	private String encode(List<FieldValue> values) {
		List<Object> plain = new ArrayList<>();
		for (FieldValue value : values) {
			plain.add(value._get());
		}
		return this.json.writeValueAsString(plain);
	}

	private List<FieldValue> decode(String text) {
		try {
			List<FieldValue> values = new ArrayList<>();
			for (Object value : this.json.readValue(text, List.class)) {
				values.add(switch (value) {
					case Integer number -> FieldValue.of(number.longValue());
					case Long number -> FieldValue.of(number);
					case Number number -> FieldValue.of(number.doubleValue());
					case Boolean bool -> FieldValue.of(bool);
					case String string -> FieldValue.of(string);
					case null, default -> FieldValue.NULL;
				});
			}
			return position(values);
		}
		catch (RuntimeException ex) {
			throw new ItemStreamException("unreadable saved position: " + text, ex);
		}
	}

	private void closeSlices() {
		if (this.slices != null) {
			this.slices.forEach(Slice::close);
			this.slices = null;
		}
	}

	/**
	 * Closes the points in time this read moved away from; one that is gone already (with
	 * the engine that held it) is no matter.
	 */
	private void closeReplaced() {
		for (String old : List.copyOf(this.replaced)) {
			try {
				this.walks.close(old);
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not close a replaced point in time; it expires by itself: {}", ex.toString());
			}
			this.replaced.remove(old);
		}
	}

	@Override
	public void close() {
		closeSlices();
	}

	/**
	 * A page that is not whole, or did not come: the point in time may be gone.
	 */
	static final class PageFailure extends RuntimeException {

		PageFailure(String reason, @Nullable Throwable cause) {
			super(reason, cause);
		}

	}

}
