package org.conversationarchive.export;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.system.Futures;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

/**
 * Reads every document a query finds at one point in time, page after page with
 * {@code search_after}, so the walk sees one snapshot and each document once. Its
 * position (the last sort values handed out) is saved with every committed chunk: a
 * restart continues right after it.
 * <p>
 * A large read is sliced: each slice of the point in time is walked on its own (so
 * Elasticsearch works on several at once), every slice's next page is fetched while the
 * current one is handed out, and the slices' pages are merged by their sort values. The
 * documents come out in exactly the order an unsliced walk gives, and the saved position
 * means the same for any number of slices: every slice resumes after it.
 *
 * @param <T> the document type
 */
class PitReader<T> implements ItemStreamReader<T> {

	/**
	 * Newest first, as the table shows them.
	 */
	static final List<SortOptions> ORDER = order(SortOrder.Desc);

	/**
	 * Oldest first.
	 */
	static final List<SortOptions> ASCENDING = order(SortOrder.Asc);

	private static final ExecutorService PREFETCH = Executors.newVirtualThreadPerTaskExecutor();

	private final ElasticsearchClient client;

	private final JsonMapper json;

	private final Query query;

	private final List<String> fields;

	private final Class<T> type;

	private final String keepAlive;

	private final int pageSize;

	private final int sliceCount;

	private volatile String pit;

	private @Nullable List<Slice> slices;

	private @Nullable Comparator<List<FieldValue>> bySortValues;

	private @Nullable List<FieldValue> lastHandedOut;

	private long read;

	PitReader(ElasticsearchClient client, JsonMapper json, String pit, Query query, List<String> fields, Class<T> type,
			String keepAlive, int pageSize) {
		this(client, json, pit, query, fields, type, keepAlive, pageSize, 1);
	}

	PitReader(ElasticsearchClient client, JsonMapper json, String pit, Query query, List<String> fields, Class<T> type,
			String keepAlive, int pageSize, int slices) {
		if (slices < 1) {
			throw new IllegalArgumentException("slices must be at least 1, not " + slices);
		}
		this.client = client;
		this.json = json;
		this.pit = pit;
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
		if (context.containsKey("pit.after")) {
			this.lastHandedOut = decode(context.getString("pit.after"));
			this.read = context.getLong("pit.read");
			this.pit = context.getString("pit.id", this.pit);
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
			return null;
		}
		Hit<T> hit = next.page.poll();
		this.lastHandedOut = hit.sort();
		this.read++;
		return hit.source();
	}

	/**
	 * How many documents were handed out, over every run of the step.
	 * @return the count
	 */
	long handedOut() {
		return this.read;
	}

	/**
	 * One slice of the point in time, walked page after page.
	 */
	private final class Slice {

		private final int id;

		private final Deque<Hit<T>> page = new ArrayDeque<>();

		private @Nullable List<FieldValue> lastFetched;

		private boolean exhausted;

		private @Nullable Future<List<Hit<T>>> next;

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
			List<Hit<T>> hits;
			if (this.next != null) {
				hits = Futures.await(this.next);
				this.next = null;
			}
			else {
				hits = fetch(this.id, this.lastFetched);
			}
			this.page.addAll(hits);
			if (hits.size() < PitReader.this.pageSize) {
				this.exhausted = true;
				return;
			}
			List<FieldValue> after = hits.get(hits.size() - 1).sort();
			this.lastFetched = after;
			this.next = PREFETCH.submit(() -> fetch(this.id, after));
		}

		void close() {
			this.page.clear();
			if (this.next != null) {
				this.next.cancel(true);
				this.next = null;
			}
		}

	}

	private List<Hit<T>> fetch(int slice, @Nullable List<FieldValue> after) throws IOException {
		String pitId = this.pit;
		SearchResponse<T> response = this.client.search((search) -> {
			search.pit((pit) -> pit.id(pitId).keepAlive((time) -> time.time(this.keepAlive)))
				.query(this.query)
				.size(this.pageSize)
				.sort(order())
				.trackTotalHits((track) -> track.enabled(false));
			fetch(search);
			if (this.sliceCount > 1) {
				search.slice((sliced) -> sliced.id(String.valueOf(slice)).max(this.sliceCount));
			}
			return (after != null) ? search.searchAfter(after) : search;
		}, this.type);
		if (response.pitId() != null) {
			this.pit = response.pitId();
		}
		return complete(response.hits().hits());
	}

	/**
	 * The point in time read, as last renewed.
	 * @return its id
	 */
	protected String pit() {
		return this.pit;
	}

	/**
	 * How long the point in time is kept between pages.
	 * @return the keep-alive, e.g. {@code 300s}
	 */
	protected String keepAlive() {
		return this.keepAlive;
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
	 * @return the hits with their sources, in the same order
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	protected List<Hit<T>> complete(List<Hit<T>> hits) throws IOException {
		return hits;
	}

	/**
	 * The order documents are read in; ties in the point in time are broken by
	 * {@code _shard_doc}, which makes the order total.
	 * @return the sort
	 */
	protected List<SortOptions> order() {
		return ORDER;
	}

	private static List<SortOptions> order(SortOrder byStart) {
		return List.of(SortOptions.of((sort) -> sort.field((field) -> field.field("startedAt").order(byStart))),
				SortOptions.of((sort) -> sort.field((field) -> field.field("_shard_doc").order(SortOrder.Asc))));
	}

	/**
	 * Compares sort values as Elasticsearch orders them: field by field, each ascending
	 * or descending as sorted, a missing value last.
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
		return String.valueOf(left._get()).compareTo(String.valueOf(right._get()));
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
			return values;
		}
		catch (RuntimeException ex) {
			throw new ItemStreamException("unreadable saved position: " + text, ex);
		}
	}

	@Override
	public void close() {
		if (this.slices != null) {
			this.slices.forEach(Slice::close);
			this.slices = null;
		}
	}

}
