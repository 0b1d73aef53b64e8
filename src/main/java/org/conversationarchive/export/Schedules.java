package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.conversationarchive.conversation.Column;
import org.conversationarchive.search.SavedViews;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;

/**
 * Export schedules: a view exported on a cron, into a folder of the org's
 * ({@link ExportFolders}), for BI tools that pick files up. Created through the API or
 * declared as files under {@code batch-jobs/schedules/}; a declared schedule is changed
 * by changing its file.
 */
@Component
class Schedules {

	/** The longest destination, as the schedules table holds it. */
	private static final int MAX_DESTINATION = 1000;

	static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	/** A cron that matches no date this long is taken never to fire. */
	private static final int FIRES_WITHIN_YEARS = 8;

	private final JdbcTemplate jdbc;

	private final SavedViews views;

	private final ExportFolders folders;

	Schedules(JdbcTemplate jdbc, SavedViews views, ExportFolders folders) {
		this.jdbc = jdbc;
		this.views = views;
		this.folders = folders;
	}

	/**
	 * A schedule.
	 *
	 * @param org its org
	 * @param id its id
	 * @param name what it is for
	 * @param viewId the view it exports (what the view holds when each run starts)
	 * @param cron when: a cron expression, five fields (minute hour day month weekday) or
	 * six (with seconds first)
	 * @param timeZone the time zone the cron expression is read in
	 * @param columns the columns, or the view's when empty
	 * @param destination the folder, relative to the org's folder of scheduled exports
	 * ({@code exports/<org>/scheduled/} under the data directory)
	 * @param enabled whether it runs
	 * @param source {@code api}, or {@code file} for a declared schedule
	 * @param owner who created it (its view is read as this user sees it)
	 * @param nextRun when it runs next
	 * @param updatedAt when it was last changed
	 */
	record Schedule(String org, String id, String name, String viewId, String cron, String timeZone,
			List<Column> columns, String destination, boolean enabled, String source, String owner,
			@Nullable Instant nextRun, Instant updatedAt) {
	}

	/**
	 * What a client sends to create or change a schedule.
	 */
	record ScheduleRequest(@Nullable String id, @Nullable String name, @Nullable String viewId, @Nullable String cron,
			@Nullable String timeZone, @Nullable List<String> columns, @Nullable String destination,
			@Nullable Boolean enabled) {
	}

	List<Schedule> list(String org) {
		return this.jdbc.query("select * from archive_schedule where org = ? order by id", Schedules::schedule, org);
	}

	List<Schedule> enabled() {
		return this.jdbc.query("select * from archive_schedule where enabled = true", Schedules::schedule);
	}

	Optional<Schedule> find(String org, String id) {
		return this.jdbc.query("select * from archive_schedule where org = ? and id = ?", Schedules::schedule, org, id)
			.stream()
			.findFirst();
	}

	Schedule create(String org, String owner, ScheduleRequest request, String source) throws IOException {
		String id = (request.id() != null) ? request.id() : java.util.UUID.randomUUID().toString().substring(0, 8);
		if (!ID.matcher(id).matches()) {
			throw new InvalidInputException("id '" + id + "' must be 1 to 63 lower-case letters, digits or '-'");
		}
		Schedule schedule = validate(org, owner, id, request, null, source);
		try {
			this.jdbc
				.update("insert into archive_schedule (id, org, owner, name, view_id, cron, time_zone, columns_list, "
						+ "destination, enabled, source, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
						id, org, owner, schedule.name(), schedule.viewId(), schedule.cron(), schedule.timeZone(),
						columns(schedule.columns()), schedule.destination(), schedule.enabled(), source,
						Timestamp.from(Instant.now()), Timestamp.from(Instant.now()));
		}
		catch (DuplicateKeyException ex) {
			throw new InvalidInputException("schedule '" + id + "' already exists");
		}
		return find(org, id).orElseThrow();
	}

	Schedule update(String org, String owner, String id, ScheduleRequest request) throws IOException {
		Schedule current = find(org, id).orElseThrow(() -> new NotFoundException("no schedule '" + id + "'"));
		if (current.source().equals("file")) {
			throw new InvalidInputException("schedule '" + id + "' is declared in " + "batch-jobs/schedules/" + id
					+ ".json; change the file instead");
		}
		Schedule schedule = validate(org, owner, id, request, current, "api");
		this.jdbc.update(
				"update archive_schedule set name = ?, view_id = ?, cron = ?, time_zone = ?, columns_list = ?, "
						+ "destination = ?, enabled = ?, updated_at = ? where org = ? and id = ?",
				schedule.name(), schedule.viewId(), schedule.cron(), schedule.timeZone(), columns(schedule.columns()),
				schedule.destination(), schedule.enabled(), Timestamp.from(Instant.now()), org, id);
		return find(org, id).orElseThrow();
	}

	void delete(String org, String id) {
		Schedule current = find(org, id).orElseThrow(() -> new NotFoundException("no schedule '" + id + "'"));
		if (current.source().equals("file")) {
			throw new InvalidInputException("schedule '" + id + "' is declared in batch-jobs/schedules/" + id
					+ ".json; remove the file instead");
		}
		this.jdbc.update("delete from archive_schedule where org = ? and id = ?", org, id);
	}

	/**
	 * Makes the schedules declared as files the org's file schedules: new ones are added,
	 * changed ones updated, removed ones dropped.
	 */
	void declare(String org, List<ScheduleRequest> declared) throws IOException {
		List<String> ids = new ArrayList<>();
		for (ScheduleRequest request : declared) {
			String id = java.util.Objects.requireNonNull(request.id());
			ids.add(id);
			Optional<Schedule> existing = find(org, id);
			if (existing.isEmpty()) {
				create(org, "system", request, "file");
			}
			else if (existing.get().source().equals("file")) {
				Schedule schedule = validate(org, "system", id, request, null, "file");
				this.jdbc.update("update archive_schedule set name = ?, view_id = ?, cron = ?, time_zone = ?, "
						+ "columns_list = ?, destination = ?, enabled = ?, updated_at = ? where org = ? and id = ?",
						schedule.name(), schedule.viewId(), schedule.cron(), schedule.timeZone(),
						columns(schedule.columns()), schedule.destination(), schedule.enabled(),
						Timestamp.from(Instant.now()), org, id);
			}
		}
		for (Schedule schedule : list(org)) {
			if (schedule.source().equals("file") && !ids.contains(schedule.id())) {
				this.jdbc.update("delete from archive_schedule where org = ? and id = ?", org, schedule.id());
			}
		}
	}

	/**
	 * Claims one firing of a schedule for this instance: only one instance, ever, gets
	 * {@code true} for the same schedule and time.
	 */
	boolean claim(String org, String scheduleId, Instant fireTime, String exportId) {
		try {
			return this.jdbc.update(
					"insert into archive_schedule_run (org, schedule_id, fire_time, export_id) values (?, ?, ?, ?)",
					org, scheduleId, Timestamp.from(fireTime), exportId) == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	private Schedule validate(String org, String owner, String id, ScheduleRequest request, @Nullable Schedule current,
			String source) throws IOException {
		String name = (request.name() != null) ? request.name() : (current != null) ? current.name() : id;
		if (name.isBlank() || name.length() > 200) {
			throw new InvalidInputException("name must be 1 to 200 characters");
		}
		String viewId = (request.viewId() != null) ? request.viewId() : (current != null) ? current.viewId() : null;
		if (viewId == null || viewId.isBlank()) {
			throw new InvalidInputException("viewId is required: the view to export");
		}
		this.views.find(org, owner, viewId);
		String cron = (request.cron() != null) ? request.cron() : (current != null) ? current.cron() : null;
		if (cron == null) {
			throw new InvalidInputException("cron is required, e.g. \"0 6 * * *\" for 06:00 every day");
		}
		if (cron.length() > 100) {
			throw new InvalidInputException("cron: " + cron.length() + " characters; at most 100 are allowed");
		}
		firing(cron);
		String timeZone = (request.timeZone() != null) ? request.timeZone()
				: (current != null) ? current.timeZone() : "UTC";
		try {
			if (timeZone.length() > 64) {
				throw new DateTimeException("too long");
			}
			ZoneId.of(timeZone);
		}
		catch (DateTimeException ex) {
			throw new InvalidInputException("timeZone: unknown time zone '" + timeZone + "', e.g. UTC or Europe/Paris");
		}
		List<Column> columns = (request.columns() != null) ? parseColumns(request.columns())
				: (current != null) ? current.columns() : List.of();
		String destination = (request.destination() != null) ? request.destination()
				: (current != null) ? current.destination() : id;
		storable(destination);
		if (this.folders.destination(org, destination).isEmpty()) {
			throw new InvalidInputException("destination '" + destination + "' must be a folder inside the org's "
					+ "folder of scheduled exports (exports/" + org + "/" + ExportFolders.SCHEDULED
					+ "/ under the data directory), given relative to it, e.g. '" + id + "'");
		}
		boolean enabled = (request.enabled() != null) ? request.enabled() : (current == null || current.enabled());
		return new Schedule(org, id, name, viewId, cron.trim(), timeZone, columns,
				Path.of(destination).normalize().toString(), enabled, source, owner, null, Instant.now());
	}

	/**
	 * Reads a cron expression: five fields as Unix cron has them, or six with seconds.
	 */
	static CronExpression cron(String text) {
		String trimmed = text.trim();
		String expression = (trimmed.split("\\s+").length == 5) ? "0 " + trimmed : trimmed;
		try {
			return CronExpression.parse(expression);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidInputException("cron '" + text + "' is not a cron expression: " + ex.getMessage());
		}
	}

	/**
	 * Reads a cron expression that fires: one no time matches ({@code 0 0 30 2 *}, the
	 * 30th of February) would be accepted and never run. Every real schedule fires within
	 * a few years (the 29th of February at least every eight).
	 */
	static CronExpression firing(String text) {
		CronExpression cron = cron(text);
		ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
		ZonedDateTime next = cron.next(now);
		if (next == null || next.isAfter(now.plusYears(FIRES_WITHIN_YEARS))) {
			throw new InvalidInputException("cron '" + text + "' never fires: no date matches it within the next "
					+ FIRES_WITHIN_YEARS + " years (e.g. \"0 6 * * *\" is 06:00 every day)");
		}
		return cron;
	}

	static @Nullable Instant next(Schedule schedule, Instant after) {
		ZonedDateTime next = cron(schedule.cron()).next(after.atZone(ZoneId.of(schedule.timeZone())));
		return (next != null) ? next.toInstant() : null;
	}

	private static List<Column> parseColumns(List<String> names) {
		List<Column> columns = new ArrayList<>();
		for (int i = 0; i < names.size(); i++) {
			Column column;
			try {
				column = Column.of(names.get(i));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidInputException("columns[" + i + "]: " + ex.getMessage());
			}
			if (columns.contains(column)) {
				throw new InvalidInputException("columns[" + i + "]: '" + names.get(i) + "' is given twice");
			}
			columns.add(column);
		}
		return columns;
	}

	/**
	 * A destination the file system and the schedules table can hold: names of a folder
	 * are at most 255 bytes on the common file systems.
	 */
	private static void storable(String destination) {
		if (destination.length() > MAX_DESTINATION) {
			throw new InvalidInputException("destination: " + destination.length() + " characters; at most "
					+ MAX_DESTINATION + " are allowed");
		}
		for (String name : destination.split("[/\\\\]")) {
			if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
				throw new InvalidInputException(
						"destination: the folder name '" + name.substring(0, 40) + "…' is longer than 255 bytes");
			}
		}
	}

	private static String columns(List<Column> columns) {
		return columns.stream().map(Column::json).collect(Collectors.joining(","));
	}

	private static Schedule schedule(ResultSet row, int number) throws SQLException {
		String columns = row.getString("columns_list");
		List<Column> parsed = (columns == null || columns.isBlank()) ? List.of()
				: Arrays.stream(columns.split(",")).map(Column::of).toList();
		Schedule schedule = new Schedule(row.getString("org"), row.getString("id"), row.getString("name"),
				row.getString("view_id"), row.getString("cron"), row.getString("time_zone"), parsed,
				row.getString("destination"), row.getBoolean("enabled"), row.getString("source"),
				row.getString("owner"), null, row.getTimestamp("updated_at").toInstant());
		Instant next = schedule.enabled() ? next(schedule, Instant.now()) : null;
		return new Schedule(schedule.org(), schedule.id(), schedule.name(), schedule.viewId(), schedule.cron(),
				schedule.timeZone(), schedule.columns(), schedule.destination(), schedule.enabled(), schedule.source(),
				schedule.owner(), next, schedule.updatedAt());
	}

	static boolean isDeclaration(Path file) {
		return Files.isRegularFile(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json");
	}

}
