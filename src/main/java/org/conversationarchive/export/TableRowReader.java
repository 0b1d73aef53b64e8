package org.conversationarchive.export;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import org.conversationarchive.conversation.ConversationDocument;
import org.conversationarchive.conversation.ConversationWalks;
import org.conversationarchive.conversation.ExportRows;
import org.conversationarchive.conversation.ExportRows.Cells;
import org.conversationarchive.system.Heartbeat;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the cells of a table export from the documents' export rows (binary doc values),
 * neither loading nor parsing their sources: a page asks for no stored field at all. A
 * document written before export rows existed (or with a row of an older format) has
 * none; its fields are read from its source, in the same point in time, one request for
 * all such documents of a page.
 */
class TableRowReader extends PitReader<Cells> {

	private final ConversationWalks walks;

	private final ExportRows rows;

	private final String org;

	TableRowReader(ConversationWalks walks, JsonMapper json, ExportRows rows, String org, String pit, long expected,
			Opener opener, Duration patience, Heartbeat heartbeat, Query query, String keepAlive, int pageSize,
			int slices) {
		super(walks, json, pit, expected, opener, patience, heartbeat, query, ExportRows.FIELDS, Cells.class, keepAlive,
				pageSize, slices);
		this.walks = walks;
		this.rows = rows;
		this.org = org;
	}

	@Override
	protected void fetch(SearchRequest.Builder search) {
		search.source((source) -> source.fetch(false))
			.storedFields("_none_")
			.docvalueFields((field) -> field.field(ExportRows.FIELD))
			.docvalueFields((field) -> field.field("id"));
	}

	@Override
	protected List<Hit<@Nullable Cells>> complete(List<Hit<@Nullable Cells>> hits, String pit) throws IOException {
		List<Hit<@Nullable Cells>> completed = new ArrayList<>(hits.size());
		Map<Integer, String> withoutRow = new HashMap<>();
		for (Hit<@Nullable Cells> hit : hits) {
			String row = first(hit.fields().get(ExportRows.FIELD));
			@Nullable Cells cells = (row != null) ? this.rows.read(row) : null;
			if (cells == null) {
				withoutRow.put(completed.size(), hit.index());
			}
			completed.add(Hit.of((built) -> built.index(hit.index())
				.id(first(hit.fields().get("id")))
				.sort(hit.sort())
				.source(cells)));
		}
		if (!withoutRow.isEmpty()) {
			readSources(completed, withoutRow, pit);
		}
		return completed;
	}

	/**
	 * Reads the row fields of documents without an export row from their sources, in the
	 * same point in time (so a document deleted since it was opened is still read).
	 */
	private void readSources(List<Hit<@Nullable Cells>> hits, Map<Integer, String> positions, String pitId)
			throws IOException {
		Map<String, Integer> byDocumentId = new HashMap<>();
		positions.keySet()
			.forEach((position) -> byDocumentId.put(ConversationDocument.documentId(this.org, hits.get(position).id()),
					position));
		List<String> documentIds = new ArrayList<>(byDocumentId.keySet());
		SearchResponse<ConversationDocument> response;
		try {
			response = this.walks.search(pitId, keepAlive(),
					(search) -> search.query((query) -> query.ids((ids) -> ids.values(documentIds)))
						.size(documentIds.size())
						.source((source) -> source.filter((filter) -> filter.includes(ExportRows.FIELDS))),
					ConversationDocument.class);
		}
		catch (ElasticsearchException | IOException ex) {
			throw new PageFailure(describe(ex), ex);
		}
		checkShards(response);
		for (Hit<ConversationDocument> found : response.hits().hits()) {
			Integer position = byDocumentId.get(found.id());
			if (position != null) {
				Hit<@Nullable Cells> hit = hits.get(position);
				@Nullable Cells cells = (found.source() != null) ? this.rows.cells(found.source()) : null;
				hits.set(position,
						Hit.of((built) -> built.index(hit.index()).id(hit.id()).sort(hit.sort()).source(cells)));
			}
		}
		for (Integer position : positions.keySet()) {
			if (hits.get(position).source() == null) {
				// A row without cells would read as the end of the export.
				throw new PageFailure("the fields of conversation '" + hits.get(position).id() + "' could not be read",
						null);
			}
		}
	}

	private static @Nullable String first(@Nullable JsonData values) {
		return (values != null) ? values.toJson().asJsonArray().getString(0) : null;
	}

}
