package org.conversationarchive.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.conversationarchive.analytics.Dashboard.Band;
import org.conversationarchive.analytics.Dashboard.ContactCount;
import org.conversationarchive.analytics.Dashboard.Counted;
import org.conversationarchive.analytics.Dashboard.Emotion;
import org.conversationarchive.analytics.Dashboard.Outcome;
import org.conversationarchive.analytics.Dashboard.RepeatRange;
import org.conversationarchive.analytics.Dashboard.VolumeBucket;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

/**
 * A figure of the answer as a table for BI tools ({@code format=csv&figure=…}): a header
 * row, then the figure's rows with the values the JSON gives. RFC 4180, UTF-8; a text
 * cell a spreadsheet would run as a formula (starting with {@code = + - @}, tab or CR) is
 * prefixed with {@code '}, as in exports.
 */
enum Figure {

	VOLUME("volume"), DURATION("duration"), TURNS("turns"), OUTCOMES("outcomes"), FLAGS("flags"),
	FUNCTIONS("functions"), TAGS("tags"), PARAMETERS("parameters"), CONTACTS("contacts"),
	REPEAT_CONTACTS("repeatContacts"), SENTIMENT("sentiment");

	final String name;

	Figure(String name) {
		this.name = name;
	}

	private static String names() {
		return Arrays.stream(values()).map((figure) -> figure.name).collect(Collectors.joining(", "));
	}

	/**
	 * Reads the {@code figure} parameter.
	 * @param value its value, or {@code null} when not given
	 * @return the figure
	 * @throws InvalidInputException naming the parameter and the figures there are
	 */
	static Figure of(@Nullable String value) {
		if (value == null) {
			throw new InvalidInputException("parameter figure: format=csv needs the figure, one of " + names());
		}
		for (Figure figure : values()) {
			if (figure.name.equals(value)) {
				return figure;
			}
		}
		throw new InvalidInputException("parameter figure: '" + value + "' is not one of " + names());
	}

	/**
	 * The figure's table.
	 * @param answer the answer
	 * @return the CSV
	 */
	String csv(Dashboard answer) {
		List<List<?>> rows = new ArrayList<>();
		switch (this) {
			case VOLUME -> {
				Set<String> values = new LinkedHashSet<>();
				answer.volume().forEach((bucket) -> values.addAll(bucket.split().keySet()));
				List<Object> header = new ArrayList<>(List.of("start", "count"));
				header.addAll(values);
				rows.add(header);
				for (VolumeBucket bucket : answer.volume()) {
					List<Object> row = new ArrayList<>(List.of(bucket.start(), bucket.count()));
					values.forEach((value) -> row.add(bucket.split().getOrDefault(value, 0L)));
					rows.add(row);
				}
			}
			case DURATION -> bands(rows, answer.duration().histogram());
			case TURNS -> bands(rows, answer.turns().histogram());
			case OUTCOMES -> {
				rows.add(List.of("value", "count", "share"));
				for (Outcome outcome : answer.outcomes()) {
					rows.add(List.of(outcome.value(), outcome.count(), outcome.share()));
				}
			}
			case FLAGS -> {
				rows.add(List.of("by", "value", "count"));
				rows.add(List.of("flagged", "true", answer.flags().count()));
				answer.flags()
					.bySource()
					.forEach((source) -> rows.add(List.of("source", source.value(), source.count())));
				answer.flags()
					.byReason()
					.forEach((reason) -> rows.add(List.of("reason", reason.value(), reason.count())));
			}
			case FUNCTIONS -> counted(rows, answer.functions());
			case TAGS -> {
				rows.add(List.of("key", "value", "count"));
				for (Map.Entry<String, List<Counted>> key : answer.tags().entrySet()) {
					key.getValue().forEach((value) -> rows.add(List.of(key.getKey(), value.value(), value.count())));
				}
			}
			case PARAMETERS -> counted(rows, answer.parameters());
			case CONTACTS -> {
				rows.add(List.of("value", "label", "count"));
				for (ContactCount contact : answer.contacts()) {
					rows.add(Arrays.asList(contact.value(), contact.label(), contact.count()));
				}
			}
			case REPEAT_CONTACTS -> {
				rows.add(List.of("range", "contacts"));
				for (RepeatRange range : answer.repeatContacts()) {
					rows.add(List.of(range.range(), range.contacts()));
				}
			}
			case SENTIMENT -> {
				rows.add(List.of("emotion", "count", "share", "averageScore"));
				for (Emotion emotion : answer.sentiment()) {
					rows.add(
							Arrays.asList(emotion.emotion(), emotion.count(), emotion.share(), emotion.averageScore()));
				}
			}
		}
		return print(rows);
	}

	private static void bands(List<List<?>> rows, List<Band> bands) {
		rows.add(List.of("from", "to", "count"));
		for (Band band : bands) {
			rows.add(Arrays.asList(band.from(), band.to(), band.count()));
		}
	}

	private static void counted(List<List<?>> rows, List<Counted> counted) {
		rows.add(List.of("value", "count"));
		counted.forEach((value) -> rows.add(List.of(value.value(), value.count())));
	}

	static String print(List<List<?>> rows) {
		StringBuilder csv = new StringBuilder();
		try (CSVPrinter printer = new CSVPrinter(csv, CSVFormat.RFC4180)) {
			for (List<?> row : rows) {
				printer.printRecord(row.stream().map(Figure::cell).toList());
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return csv.toString();
	}

	private static @Nullable Object cell(@Nullable Object value) {
		if (value instanceof String text && !text.isEmpty()) {
			char first = text.charAt(0);
			if (first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r') {
				return "'" + text;
			}
		}
		return value;
	}

}
