package org.conversationarchive.export;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOptions;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
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

	private volatile String pit;

	private final Deque<Hit<T>> page = new ArrayDeque<>();

	private @Nullable List<FieldValue> lastHandedOut;

	private @Nullable List<FieldValue> lastFetched;

	private long read;

	private boolean exhausted;

	private @Nullable Future<List<Hit<T>>> next;

	PitReader(ElasticsearchClient client, JsonMapper json, String pit, Query query, List<String> fields, Class<T> type,
			String keepAlive, int pageSize) {
		this.client = client;
		this.json = json;
		this.pit = pit;
		this.query = query;
		this.fields = fields;
		this.type = type;
		this.keepAlive = keepAlive;
		this.pageSize = pageSize;
	}

	@Override
	public void open(ExecutionContext context) {
		if (context.containsKey("pit.after")) {
			this.lastHandedOut = decode(context.getString("pit.after"));
			this.lastFetched = this.lastHandedOut;
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
		if (this.page.isEmpty() && !this.exhausted) {
			take();
		}
		Hit<T> hit = this.page.poll();
		if (hit == null) {
			return null;
		}
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
	 * Takes the page fetched in the background (or fetches it now), and asks for the one
	 * after it right away, so Elasticsearch works on the next page while this one is
	 * written.
	 */
	private void take() throws IOException {
		List<Hit<T>> hits;
		if (this.next != null) {
			hits = await(this.next);
			this.next = null;
		}
		else {
			hits = fetch(this.lastFetched);
		}
		this.page.addAll(hits);
		if (hits.size() < this.pageSize) {
			this.exhausted = true;
			return;
		}
		List<FieldValue> after = hits.get(hits.size() - 1).sort();
		this.lastFetched = after;
		this.next = PREFETCH.submit(() -> fetch(after));
	}

	private List<Hit<T>> fetch(@Nullable List<FieldValue> after) throws IOException {
		String pitId = this.pit;
		SearchResponse<T> response = this.client.search((search) -> {
			search.pit((pit) -> pit.id(pitId).keepAlive((time) -> time.time(this.keepAlive)))
				.query(this.query)
				.size(this.pageSize)
				.sort(order())
				.trackTotalHits((track) -> track.enabled(false))
				.source((source) -> source.filter((filter) -> filter.includes(this.fields)));
			return (after != null) ? search.searchAfter(after) : search;
		}, this.type);
		if (response.pitId() != null) {
			this.pit = response.pitId();
		}
		return response.hits().hits();
	}

	private static <V> V await(Future<V> future) throws IOException {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while reading", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			if (ex.getCause() instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IOException(ex.getCause());
		}
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
		this.page.clear();
		if (this.next != null) {
			this.next.cancel(true);
			this.next = null;
		}
	}

}
