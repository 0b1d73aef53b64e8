package org.conversationarchive.views;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.OpType;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.GetResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import org.conversationarchive.elasticsearch.ArchiveIndices;

import org.springframework.stereotype.Component;

/**
 * The views index: an org's views and its default, by org-qualified id and routed to the
 * org, so that nothing here can reach another org's. Writes refresh the index, so that a
 * view just saved is in the next list at once (views are saved by people, a few a day, so
 * the refresh costs nothing); changes are conditional on what was read, so that two edits
 * at once cannot undo a delete.
 */
@Component
class ViewStore {

	/**
	 * Most views listed for one user: an org has dozens.
	 */
	static final int MAX_VIEWS = 10_000;

	private final ElasticsearchClient client;

	private final ArchiveIndices indices;

	ViewStore(ElasticsearchClient client, ArchiveIndices indices) {
		this.client = client;
		this.indices = indices;
	}

	static String documentId(String org, String id) {
		return org + ":" + id;
	}

	Optional<Stored<ViewDocument>> view(String org, String id) throws IOException {
		return get(org, id, ViewDocument.class);
	}

	Optional<Stored<DefaultViewDocument>> defaultView(String org) throws IOException {
		return get(org, DefaultViewDocument.ID, DefaultViewDocument.class);
	}

	/**
	 * The org's views and the user's private ones, in no particular order.
	 */
	List<ViewDocument> visible(String org, String userId) throws IOException {
		Query query = Query.of((q) -> q.bool((bool) -> bool.filter(term("org", org))
			.filter(term("kind", ViewDocument.KIND))
			.should(term("scope", Scope.ORG.json()))
			.should(Query.of((mine) -> mine
				.bool((own) -> own.filter(term("scope", Scope.PRIVATE.json())).filter(term("owner", userId)))))
			.minimumShouldMatch("1")));
		var response = this.client.search((search) -> search.index(this.indices.views())
			.ignoreUnavailable(true)
			.allowNoIndices(true)
			.routing(org)
			.size(MAX_VIEWS)
			.query(query), ViewDocument.class);
		List<ViewDocument> views = new ArrayList<>();
		for (Hit<ViewDocument> hit : response.hits().hits()) {
			if (hit.source() != null) {
				views.add(hit.source());
			}
		}
		return views;
	}

	/**
	 * Saves a new view.
	 * @return {@code false} when the id is taken
	 */
	boolean create(ViewDocument view) throws IOException {
		try {
			this.client.index((index) -> index.index(this.indices.views())
				.id(documentId(view.org(), view.id()))
				.routing(view.org())
				.opType(OpType.Create)
				.refresh(Refresh.True)
				.document(view));
			return true;
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 409) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Replaces a view, unless it changed since it was read.
	 * @return {@code false} when it changed or is gone
	 */
	boolean replace(ViewDocument view, Stored<ViewDocument> read) throws IOException {
		try {
			this.client.index((index) -> index.index(this.indices.views())
				.id(documentId(view.org(), view.id()))
				.routing(view.org())
				.ifSeqNo(read.seqNo())
				.ifPrimaryTerm(read.primaryTerm())
				.refresh(Refresh.True)
				.document(view));
			return true;
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 409 || ex.status() == 404) {
				return false;
			}
			throw ex;
		}
	}

	/**
	 * Deletes a view, or the default, unless it changed since it was read.
	 * @return {@code false} when it changed or is gone
	 */
	boolean delete(String org, String id, Stored<?> read) throws IOException {
		try {
			var response = this.client.delete((delete) -> delete.index(this.indices.views())
				.id(documentId(org, id))
				.routing(org)
				.ifSeqNo(read.seqNo())
				.ifPrimaryTerm(read.primaryTerm())
				.refresh(Refresh.True));
			return response.result() == co.elastic.clients.elasticsearch._types.Result.Deleted;
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 409 || ex.status() == 404) {
				return false;
			}
			throw ex;
		}
	}

	void setDefault(DefaultViewDocument marker) throws IOException {
		this.client.index((index) -> index.index(this.indices.views())
			.id(documentId(marker.org(), DefaultViewDocument.ID))
			.routing(marker.org())
			.refresh(Refresh.True)
			.document(marker));
	}

	private <T> Optional<Stored<T>> get(String org, String id, Class<T> type) throws IOException {
		GetResponse<T> response;
		try {
			response = this.client.get((get) -> get.index(this.indices.views()).id(documentId(org, id)).routing(org),
					type);
		}
		catch (ElasticsearchException ex) {
			if (ex.status() == 404) {
				// No views index yet: nobody has saved a view.
				return Optional.empty();
			}
			throw ex;
		}
		if (!response.found() || response.source() == null || response.seqNo() == null
				|| response.primaryTerm() == null) {
			return Optional.empty();
		}
		return Optional.of(new Stored<>(response.source(), response.seqNo(), response.primaryTerm()));
	}

	private static Query term(String field, String value) {
		return Query.of((query) -> query.term((term) -> term.field(field).value(value)));
	}

	/**
	 * A document as read, with what a conditional write needs.
	 *
	 * @param document the document
	 * @param seqNo its sequence number
	 * @param primaryTerm its primary term
	 */
	record Stored<T>(T document, long seqNo, long primaryTerm) {
	}

}
