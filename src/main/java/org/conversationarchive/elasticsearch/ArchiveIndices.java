package org.conversationarchive.elasticsearch;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Names of the archive's indices and aliases. Conversations are partitioned by the year
 * (UTC) they started in, so that a year's export reads one index and retention drops
 * whole indices; searches go through the alias over all of them.
 */
public final class ArchiveIndices {

	private final String prefix;

	public ArchiveIndices(String prefix) {
		if (!prefix.matches("[a-z0-9][a-z0-9_-]*")) {
			throw new IllegalArgumentException("archive.elasticsearch.index-prefix must be lower-case letters, digits, "
					+ "'-' or '_' and start with a letter or digit, not '" + prefix + "'");
		}
		this.prefix = prefix;
	}

	public String prefix() {
		return this.prefix;
	}

	/**
	 * The alias over every conversation index, for reads.
	 * @return the alias name
	 */
	public String conversations() {
		return this.prefix + "-conversations";
	}

	/**
	 * The index of contacts: how many conversations each has, and which need recounting.
	 * @return the index name
	 */
	public String contacts() {
		return this.prefix + "-contacts";
	}

	/**
	 * The index of saved views and each org's default view.
	 * @return the index name
	 */
	public String views() {
		return this.prefix + "-views";
	}

	/**
	 * The index holding the conversations that started in a year.
	 * @param year the calendar year (UTC)
	 * @return the index name
	 */
	public String conversations(int year) {
		return conversations() + "-" + year;
	}

	/**
	 * A new index a yearly index is rebuilt into. Its name is outside the template's
	 * pattern (which would add the read alias to it while it is half full); once whole it
	 * takes the yearly index's place under the yearly name, as an alias.
	 * @param year the calendar year (UTC)
	 * @param millis when the rebuild started
	 * @return the index name
	 */
	public String rebuiltConversations(int year, long millis) {
		return this.prefix + "-rebuilt-conversations-" + year + "-" + millis;
	}

	/**
	 * The name a yearly index is addressed by: itself, or for a rebuilt one (an index
	 * behind the yearly name, an alias since the rebuild) the yearly name.
	 * @param index a concrete index name, as Elasticsearch answers it
	 * @return the name to address it by
	 */
	public String addressed(String index) {
		String rebuilt = this.prefix + "-rebuilt-conversations-";
		if (index.startsWith(rebuilt)) {
			String rest = index.substring(rebuilt.length());
			int dash = rest.indexOf('-');
			if (dash > 0) {
				return conversations() + "-" + rest.substring(0, dash);
			}
		}
		return index;
	}

	/**
	 * The index a conversation that started at this instant is written to.
	 * @param startedAt when the conversation started
	 * @return the index name
	 */
	public String conversationsFor(Instant startedAt) {
		return conversations(startedAt.atOffset(ZoneOffset.UTC).getYear());
	}

}
