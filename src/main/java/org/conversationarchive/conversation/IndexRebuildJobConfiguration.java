package org.conversationarchive.conversation;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.MgetResponse;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.elasticsearch.core.mget.MultiGetResponseItem;
import org.conversationarchive.conversation.index.BulkBody;
import org.conversationarchive.conversation.index.DocumentJson;
import org.conversationarchive.elasticsearch.ArchiveIndices;
import org.conversationarchive.system.ExplainedFailure;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The job that rebuilds one yearly conversation index into a new one, while it is written
 * to ({@link IndexRebuilds}). The minimal distribution has no {@code _reindex}, so it
 * copies: a point in time over the index, read in {@code _shard_doc} order with
 * {@code search_after}, each document derived again as a write derives it and indexed
 * into the new index. Then catch-up passes copy again what was written since the last
 * pass began (a small margin before), until one finds few; then the index takes no writes
 * (a write block: writers are told to retry, 503) for a last pass, the deletions made
 * since the job began, a count of both and the swap: one {@code _aliases} request removes
 * the old index and gives the new one the yearly name and the read alias.
 * <p>
 * One step, a chunk per call: the phase, the pass, the point in time and the position in
 * it are saved in the step's execution context with every chunk, so a restart goes on
 * from the last chunk committed (a point in time gone meanwhile is opened again and its
 * pass walked again from the start: copying twice writes the same). A failure takes the
 * block away.
 */
@Configuration(proxyBeanMethods = false)
class IndexRebuildJobConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(IndexRebuildJobConfiguration.class);

	static final String JOB = "conversationIndexRebuild";

	/**
	 * Documents per chunk.
	 */
	static final int CHUNK = 200;

	/**
	 * A catch-up pass that copies no more than this blocks writes for the last one.
	 */
	static final int FEW = 200;

	/**
	 * Catch-up passes before the writes are blocked whatever the last one found: a stream
	 * of writes would otherwise keep it going for ever.
	 */
	static final int MAX_CATCH_UPS = 10;

	/**
	 * What the last catch-up pass copied, in the execution context.
	 */
	private static final String LAST_PASS_COPIED = "lastPassCopied";

	/** The step execution that set the block of the last pass (another: a restart). */
	private static final String BLOCKED_BY = "blockedBy";

	/**
	 * How long before a pass began the next one looks: a write is stamped just before it
	 * is sent, and instances' clocks differ a little.
	 */
	static final Duration MARGIN = Duration.ofSeconds(60);

	/**
	 * How long searches that resolved the old index are given before it is removed.
	 */
	static final Duration SEARCHES_DRAIN = Duration.ofSeconds(2);

	static final Duration DELETIONS_KEPT = Duration.ofDays(7);

	private static final String KEEP_ALIVE = "10m";

	/**
	 * The job. {@code rebuilds} is lazy: it needs the job operator, whose registry of
	 * jobs (which a restart looks the job up in) is filled with the jobs that can be made
	 * when the operator is, and this one could not be while the operator was being made
	 * for {@code rebuilds}.
	 */
	@Bean
	Job indexRebuildJob(JobRepository jobs, PlatformTransactionManager transactions, @Lazy IndexRebuilds rebuilds,
			ElasticsearchClient client, ArchiveIndices indices, ConversationDocuments documents,
			ConversationMapper mapper, DocumentJson documentJson, ConversationDeletions deletions) {
		Copier copier = new Copier(rebuilds, client, indices, documents, mapper, documentJson, deletions);
		Step step = new StepBuilder("indexRebuild", jobs).tasklet((contribution, context) -> {
			String rebuildId = (String) context.getStepContext().getJobParameters().get("rebuildId");
			return copier.next(rebuildId, contribution.getStepExecution());
		}, transactions).build();
		return new JobBuilder(JOB, jobs).start(step).listener(new JobExecutionListener() {

			@Override
			public void afterJob(JobExecution execution) {
				if (execution.getStatus() != BatchStatus.COMPLETED) {
					String rebuildId = execution.getJobParameters().getString("rebuildId");
					for (StepExecution step : execution.getStepExecutions()) {
						copier.unblock(rebuildId, step.getExecutionContext());
					}
				}
			}

		}).build();
	}

	/**
	 * Where a rebuild is, as saved with each chunk.
	 *
	 * @param source the concrete index copied
	 * @param target the index copied into
	 * @param phase {@code copy}, {@code catch-up} or {@code blocked}
	 * @param began when the job began (deletions since then are applied), epoch millis
	 * @param from the pass copies what was stamped from then on; {@code -1}: everything
	 * @param passBegan when the pass began
	 * @param catchUps catch-up passes done
	 * @param pit the pass's point in time, if open
	 * @param after the position in it (sort values), if any
	 * @param passCopied documents this pass copied
	 * @param copied documents copied in all
	 * @param total documents of the source when the copy began
	 */
	record Position(String source, String target, String phase, long began, long from, long passBegan, int catchUps,
			@Nullable String pit, @Nullable String after, long passCopied, long copied, long total) {

		static @Nullable Position of(ExecutionContext context) {
			if (!context.containsKey("target")) {
				return null;
			}
			return new Position(context.getString("source"), context.getString("target"), context.getString("phase"),
					context.getLong("began"), context.getLong("from"), context.getLong("passBegan"),
					context.getInt("catchUps"), context.getString("pit", null), context.getString("after", null),
					context.getLong("passCopied"), context.getLong("copied"), context.getLong("total"));
		}

		void save(ExecutionContext context) {
			context.putString("source", this.source);
			context.putString("target", this.target);
			context.putString("phase", this.phase);
			context.putLong("began", this.began);
			context.putLong("from", this.from);
			context.putLong("passBegan", this.passBegan);
			context.putInt("catchUps", this.catchUps);
			if (this.pit != null) {
				context.putString("pit", this.pit);
			}
			else {
				context.remove("pit");
			}
			if (this.after != null) {
				context.putString("after", this.after);
			}
			else {
				context.remove("after");
			}
			context.putLong("passCopied", this.passCopied);
			context.putLong("copied", this.copied);
			context.putLong("total", this.total);
		}

		Position pass(String phase, long from, int catchUps) {
			return new Position(this.source, this.target, phase, this.began, from, System.currentTimeMillis(), catchUps,
					null, null, 0, this.copied, this.total);
		}

	}

	/**
	 * The work of each call of the step.
	 */
	static final class Copier {

		private final IndexRebuilds rebuilds;

		private final ElasticsearchClient client;

		private final ArchiveIndices indices;

		private final ConversationDocuments documents;

		private final ConversationMapper mapper;

		private final DocumentJson documentJson;

		private final ConversationDeletions deletions;

		Copier(IndexRebuilds rebuilds, ElasticsearchClient client, ArchiveIndices indices,
				ConversationDocuments documents, ConversationMapper mapper, DocumentJson documentJson,
				ConversationDeletions deletions) {
			this.rebuilds = rebuilds;
			this.client = client;
			this.indices = indices;
			this.documents = documents;
			this.mapper = mapper;
			this.documentJson = documentJson;
			this.deletions = deletions;
		}

		/**
		 * One chunk of the rebuild: the context is changed only once its work is done, so
		 * a chunk that fails leaves the position of the last one.
		 */
		RepeatStatus next(String rebuildId, StepExecution step) throws IOException {
			ExecutionContext context = step.getExecutionContext();
			Position position = Position.of(context);
			int year = this.rebuilds.year(rebuildId);
			if (position == null) {
				position = begin(year);
				position.save(context);
				this.rebuilds.progress(rebuildId, position.source(), position.target(), position.phase(), 0,
						position.total(), null);
				return RepeatStatus.CONTINUABLE;
			}
			if (IndexRebuilds.BLOCKED.equals(position.phase()) && context.getLong(BLOCKED_BY, -1) != step.getId()) {
				// A restart: the failure took the block away and writes went on, which
				// the pass's point in time (older) does not have. Blocked again, the
				// last pass starts over.
				this.rebuilds.writeBlock(position.source(), true);
				context.putLong(BLOCKED_BY, step.getId());
				if (position.pit() != null && !position.pit().isEmpty()) {
					close(position.pit());
				}
				position = new Position(position.source(), position.target(), position.phase(), position.began(),
						position.from(), System.currentTimeMillis(), position.catchUps(), openless(), null, 0,
						position.copied(), position.total());
			}
			Position moved = copyChunk(position);
			if (moved.pit() != null) {
				moved.save(context);
				this.rebuilds.progress(rebuildId, moved.source(), moved.target(), moved.phase(), moved.copied(),
						moved.total(), null);
				return RepeatStatus.CONTINUABLE;
			}
			// The pass is done.
			Position then = switch (moved.phase()) {
				case IndexRebuilds.COPY -> moved.pass(IndexRebuilds.CATCH_UP, since(moved), 0);
				case IndexRebuilds.CATCH_UP -> {
					// Few left, or no fewer than the pass before (the writes keep pace
					// with the passes: another would not shorten the block), or enough.
					long before = context.getLong(LAST_PASS_COPIED, Long.MAX_VALUE);
					boolean block = moved.passCopied() <= FEW || (moved.catchUps() > 0 && moved.passCopied() >= before)
							|| moved.catchUps() + 1 >= MAX_CATCH_UPS;
					if (block) {
						this.rebuilds.writeBlock(moved.source(), true);
						context.putLong(BLOCKED_BY, step.getId());
					}
					context.putLong(LAST_PASS_COPIED, moved.passCopied());
					yield moved.pass(block ? IndexRebuilds.BLOCKED : IndexRebuilds.CATCH_UP, since(moved),
							moved.catchUps() + 1);
				}
				default -> null;
			};
			if (then != null) {
				logger.info("Rebuild {} of {}: a pass copied {}; next: {}", rebuildId, moved.source(),
						moved.passCopied(), then.phase());
				then.save(context);
				this.rebuilds.progress(rebuildId, then.source(), then.target(), then.phase(), then.copied(),
						then.total(), null);
				return RepeatStatus.CONTINUABLE;
			}
			finish(rebuildId, year, moved);
			return RepeatStatus.FINISHED;
		}

		private static long since(Position pass) {
			return pass.passBegan() - MARGIN.toMillis();
		}

		private Position begin(int year) throws IOException {
			String source = this.rebuilds.concrete().get(year);
			if (source == null) {
				throw new ExplainedFailure("there is no conversation index of year " + year + " any more");
			}
			long began = System.currentTimeMillis();
			String target = this.indices.rebuiltConversations(year, began);
			this.rebuilds.createLikeTemplate(target);
			long total = this.rebuilds.count(source);
			logger.info("Rebuilding {} ({} conversations) into {}", source, total, target);
			return new Position(source, target, IndexRebuilds.COPY, began, -1, began, 0, null, null, 0, 0, total);
		}

		/**
		 * Copies the next chunk of the pass; a position without a point in time is the
		 * end of the pass.
		 */
		private Position copyChunk(Position position) throws IOException {
			String pit = position.pit();
			String after = position.after();
			if (pit == null || pit.isEmpty()) {
				// What was written before the pass must be in it: searchable now.
				this.client.indices().refresh((refresh) -> refresh.index(position.source()));
				pit = this.client
					.openPointInTime((open) -> open.index(position.source()).keepAlive((time) -> time.time(KEEP_ALIVE)))
					.id();
				after = null;
			}
			SearchResponse<ConversationDocument> page;
			try {
				page = search(pit, after, position.from());
			}
			catch (ElasticsearchException ex) {
				if (ex.status() != 404) {
					throw ex;
				}
				// The point in time is gone (kept too long, or the node restarted): the
				// pass again, from its start.
				logger.info("Rebuild of {}: its point in time was gone; walking the pass again", position.source());
				return new Position(position.source(), position.target(), position.phase(), position.began(),
						position.from(), position.passBegan(), position.catchUps(), openless(), null, 0,
						position.copied(), position.total());
			}
			List<Hit<ConversationDocument>> hits = page.hits().hits();
			if (!hits.isEmpty()) {
				write(position.target(), hits);
			}
			String pitNow = (page.pitId() != null) ? page.pitId() : pit;
			long copied = position.copied() + hits.size();
			long passCopied = position.passCopied() + hits.size();
			if (hits.size() < CHUNK) {
				close(pitNow);
				return new Position(position.source(), position.target(), position.phase(), position.began(),
						position.from(), position.passBegan(), position.catchUps(), null, null, passCopied, copied,
						position.total());
			}
			String last = String.join(",",
					hits.get(hits.size() - 1)
						.sort()
						.stream()
						.map((value) -> String.valueOf(value.longValue()))
						.toList());
			return new Position(position.source(), position.target(), position.phase(), position.began(),
					position.from(), position.passBegan(), position.catchUps(), pitNow, last, passCopied, copied,
					position.total());
		}

		/**
		 * A point in time to be opened at the next chunk (an empty id: none yet), which
		 * is not the end of the pass.
		 */
		private static String openless() {
			return "";
		}

		private SearchResponse<ConversationDocument> search(String pit, @Nullable String after, long from)
				throws IOException {
			return this.client.search((search) -> {
				search.pit((p) -> p.id(pit).keepAlive((time) -> time.time(KEEP_ALIVE)))
					.allowPartialSearchResults(false)
					.size(CHUNK)
					.trackTotalHits((track) -> track.enabled(false))
					.sort((sort) -> sort.field((field) -> field.field("_shard_doc").order(SortOrder.Asc)));
				if (from >= 0) {
					search.query((query) -> query.range((range) -> range
						.date((date) -> date.field("updatedAt").gte(Instant.ofEpochMilli(from).toString()))));
				}
				if (after != null) {
					search.searchAfter(
							Arrays.stream(after.split(",")).map((v) -> FieldValue.of(Long.parseLong(v))).toList());
				}
				return search;
			}, ConversationDocument.class);
		}

		/**
		 * Writes documents into the new index as a write derives them today, keeping what
		 * the store keeps: the stored contact count, the daily rank, attachments, the
		 * flag history and when it was last written.
		 */
		private void write(String target, List<Hit<ConversationDocument>> hits) throws IOException {
			BulkBody bulk = new BulkBody(false);
			for (Hit<ConversationDocument> hit : hits) {
				ConversationDocument stored = hit.source();
				if (stored == null) {
					continue;
				}
				Conversation conversation = this.mapper.toConversation(stored, stored.contactConversationCount());
				ConversationDocument document = this.documents.of(stored.org(), conversation,
						stored.contactConversationCount(), stored.contactDailyRank(), stored.audio(),
						stored.artifacts(), stored.flagHistory(), stored.updatedAt(), stored.writeToken());
				bulk.index(target, hit.id(), (hit.routing() != null) ? hit.routing() : stored.org(),
						(out) -> this.documentJson.write(document, out));
			}
			failOnErrors(bulk.send(this.client), "copying");
		}

		private static void failOnErrors(BulkResponse response, String what) {
			for (BulkResponseItem item : response.items()) {
				if (item.error() != null && !(item.status() == 404)) {
					throw new IllegalStateException(
							what + " " + item.id() + " into " + item.index() + " failed: " + item.error().reason());
				}
			}
		}

		private void close(String pit) {
			try {
				this.client.closePointInTime((close) -> close.id(pit));
			}
			catch (IOException | ElasticsearchException ex) {
				// It expires on its own.
			}
		}

		/**
		 * The last moments, the source blocked and copied: the deletions made since the
		 * job began (of those no longer in the source: one deleted and written again is
		 * there), the counts compared, the swap.
		 */
		private void finish(String rebuildId, int year, Position position) throws IOException {
			String source = position.source();
			String target = position.target();
			String yearly = this.indices.conversations(year);
			List<String> deleted = this.deletions.since(yearly, Instant.ofEpochMilli(position.began()).minus(MARGIN));
			if (!deleted.isEmpty()) {
				applyDeletions(source, target, deleted);
			}
			this.client.indices().refresh((refresh) -> refresh.index(List.of(source, target)));
			long inSource = this.rebuilds.count(source);
			long inTarget = this.rebuilds.count(target);
			if (inSource != inTarget) {
				this.rebuilds.writeBlock(source, false);
				throw new ExplainedFailure("the rebuilt index " + target + " holds " + inTarget
						+ " conversations where " + source + " holds " + inSource
						+ "; the old index stays in use, the new one is kept to be looked at");
			}
			// Readers first, in one request: the read alias leaves the old index for the
			// new one, never over both, never over neither. The old index is removed a
			// moment later, once searches that resolved it before have answered (one
			// removed under a search fails it); meanwhile it answers reads by the yearly
			// name with what the new one holds, and refuses writes.
			String read = this.indices.conversations();
			// Not there any more when a restart swaps again.
			this.client.indices()
				.updateAliases((aliases) -> aliases
					.actions((action) -> action.remove((remove) -> remove.index(source).alias(read).mustExist(false)))
					.actions((action) -> action.add((add) -> add.index(target).alias(read))));
			pause(SEARCHES_DRAIN);
			// Then the yearly name, in one request: the old index goes and its name is
			// the
			// new one's alias, for every write and read by it.
			this.client.indices()
				.updateAliases(
						(aliases) -> aliases.actions((action) -> action.removeIndex((remove) -> remove.index(source)))
							.actions((action) -> action.add((add) -> add.index(target).alias(yearly))));
			this.deletions.prune(Instant.now().minus(DELETIONS_KEPT));
			this.rebuilds.progress(rebuildId, source, target, IndexRebuilds.SWAPPED, position.copied(), inTarget, null);
			logger.info("Rebuild {}: {} replaced by {} under {} ({} conversations)", rebuildId, source, target, yearly,
					inTarget);
		}

		private static void pause(Duration duration) {
			try {
				Thread.sleep(duration);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted before the old index was removed", ex);
			}
		}

		private void applyDeletions(String source, String target, List<String> deleted) throws IOException {
			for (int start = 0; start < deleted.size(); start += CHUNK) {
				List<String> ids = deleted.subList(start, Math.min(deleted.size(), start + CHUNK));
				MgetResponse<Void> found = this.client.mget((mget) -> {
					ids.forEach((id) -> mget.docs((doc) -> doc.index(source).id(id).routing(org(id))));
					return mget.source((s) -> s.fetch(false));
				}, Void.class);
				Set<String> there = new HashSet<>();
				for (MultiGetResponseItem<Void> item : found.docs()) {
					if (item.isResult() && item.result().found()) {
						there.add(item.result().id());
					}
				}
				BulkBody bulk = new BulkBody(false);
				int gone = 0;
				for (String id : ids) {
					if (!there.contains(id)) {
						bulk.delete(target, id, org(id));
						gone++;
					}
				}
				if (gone > 0) {
					failOnErrors(bulk.send(this.client), "deleting");
				}
			}
		}

		/**
		 * The org of a document id ({@code org:id}), its routing.
		 */
		private static String org(String documentId) {
			int colon = documentId.indexOf(':');
			return (colon > 0) ? documentId.substring(0, colon) : documentId;
		}

		/**
		 * Takes the write block away after a failure, and tells the rebuild failed.
		 */
		void unblock(@Nullable String rebuildId, ExecutionContext context) {
			Position position = Position.of(context);
			if (rebuildId != null) {
				this.rebuilds.failed(rebuildId, null);
			}
			if (position == null) {
				return;
			}
			try {
				if (this.rebuilds.readsFrom(position.target())) {
					// The searches read the new index already: writes must not go to the
					// old one, whose block stays until a restart finishes the swap.
					logger.error("Rebuild {} failed during the swap of {} for {}: the old index stays blocked; "
							+ "restart the rebuild to finish", rebuildId, position.source(), position.target());
					return;
				}
				this.rebuilds.writeBlock(position.source(), false);
			}
			catch (Exception ex) {
				// Already gone (swapped) or out of reach: logged, for an operator.
				logger.error("Could not take the write block off {} after rebuild {} failed", position.source(),
						rebuildId, ex);
			}
		}

	}

}
