package org.conversationarchive.export;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.conversationarchive.conversation.Column;
import org.conversationarchive.conversation.ExportRows.Cells;
import org.jspecify.annotations.Nullable;

/**
 * Rows of the table CSV: RFC 4180 (CRLF, quotes doubled), UTF-8; durations in seconds,
 * instants ISO-8601 UTC, functions {@code ;}-joined, parameters and tags compact JSON. A
 * cell a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) is
 * prefixed with {@code '}, so opening an export never runs anything.
 */
final class CsvRows {

	static final CSVFormat FORMAT = CSVFormat.RFC4180;

	private final List<Column> columns;

	CsvRows(List<Column> columns) {
		this.columns = columns;
	}

	String header() {
		return line(this.columns.stream().map(Column::header).toArray());
	}

	/**
	 * A row of the export's columns.
	 * @param cells a conversation's cells
	 * @return the CSV line
	 */
	String row(Cells cells) {
		Object[] values = new Object[this.columns.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = cell(cells.get(this.columns.get(i)));
		}
		return line(values);
	}

	static @Nullable String cell(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return value;
		}
		char first = value.charAt(0);
		if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
			return "'" + value;
		}
		return value;
	}

	static String line(Object... values) {
		try {
			StringBuilder line = new StringBuilder(256);
			FORMAT.printRecord(line, values);
			// The writer adds the record separator itself.
			line.setLength(line.length() - FORMAT.getRecordSeparator().length());
			return line.toString();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
