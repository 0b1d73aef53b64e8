package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ExpandWildcard;
import co.elastic.clients.elasticsearch.indices.ResolveIndexResponse;
import co.elastic.clients.elasticsearch.indices.resolve_index.ResolveIndexAliasItem;
import co.elastic.clients.elasticsearch.indices.resolve_index.ResolveIndexItem;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.stereotype.Component;

/**
 * The yearly conversation indices that exist (by their yearly names: a rebuilt year's is
 * an alias), for reads by id (a get names its index), looked up at most every
 * {@link #FRESH_FOR}: a year's index is created once, so a list a few seconds old misses
 * at most one created by another instance in those seconds (this instance's writers add
 * the indices they write to at once).
 */
@Component
public class YearlyIndices {

	static final Duration FRESH_FOR = Duration.ofSeconds(2);

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	private volatile Known known = new Known(List.of(), System.nanoTime() - FRESH_FOR.toNanos());

	YearlyIndices(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	/**
	 * The yearly indices, as of at most a few seconds ago.
	 * @return their names, sorted
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	List<String> current() throws IOException {
		Known last = this.known;
		long now = System.nanoTime();
		if (now - last.readAt() < FRESH_FOR.toNanos()) {
			return last.names();
		}
		ResolveIndexResponse resolved = this.client.indices()
			// Closed ones too: reading a conversation there fails (503) rather than
			// taking it for absent.
			.resolveIndex((resolve) -> resolve.name(this.indices.conversations() + "-*")
				.expandWildcards(ExpandWildcard.Open, ExpandWildcard.Closed));
		// A rebuilt year is an alias of its yearly name over the rebuilt index.
		List<String> names = Stream
			.concat(resolved.indices().stream().map(ResolveIndexItem::name),
					resolved.aliases().stream().map(ResolveIndexAliasItem::name))
			.filter((name) -> !name.equals(this.indices.conversations()))
			.distinct()
			.sorted()
			.toList();
		this.known = new Known(names, now);
		return names;
	}

	/**
	 * Indices just written to, known from now on without a look-up.
	 * @param written index names
	 */
	public void written(Collection<String> written) {
		Known last = this.known;
		if (!last.names().containsAll(written)) {
			TreeSet<String> names = new TreeSet<>(last.names());
			names.addAll(written);
			this.known = new Known(List.copyOf(names), last.readAt());
		}
	}

	private record Known(List<String> names, long readAt) {
	}

}
