package org.conversationarchive.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.conversationarchive.security.CurrentOrg;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs schedules when their time comes. Every instance looks; the one that claims a
 * firing in the database runs it, so a schedule never runs twice for the same time. A
 * firing missed while no instance ran is not made up later; the next one comes as
 * planned.
 */
@Component
class ScheduleRunner {

	private static final Logger logger = LoggerFactory.getLogger(ScheduleRunner.class);

	private final Schedules schedules;

	private final Exports exports;

	private final ExportSettings settings;

	private final JsonMapper json;

	private Instant lastLook = Instant.now();

	ScheduleRunner(Schedules schedules, Exports exports, ExportSettings settings, JsonMapper json) {
		this.schedules = schedules;
		this.exports = exports;
		this.settings = settings;
		this.json = json;
	}

	@Scheduled(initialDelayString = "${archive.exports.schedule-check:15s}",
			fixedDelayString = "${archive.exports.schedule-check:15s}")
	void runDue() {
		Instant now = Instant.now();
		Instant since = this.lastLook;
		this.lastLook = now;
		for (Schedules.Schedule schedule : this.schedules.enabled()) {
			Instant due = lastFiring(schedule, since, now);
			if (due != null) {
				run(schedule, due);
			}
		}
	}

	/**
	 * Runs a schedule now, outside its times (the API's "run now").
	 */
	ExportJob runNow(Schedules.Schedule schedule) throws IOException {
		return start(schedule, UUID.randomUUID().toString());
	}

	private void run(Schedules.Schedule schedule, Instant fireTime) {
		String exportId = UUID.randomUUID().toString();
		if (!this.schedules.claim(schedule.org(), schedule.id(), fireTime, exportId)) {
			return;
		}
		try {
			start(schedule, exportId);
			logger.info("Schedule {} of org {} fired for {}: export {}", schedule.id(), schedule.org(), fireTime,
					exportId);
		}
		catch (IOException | RuntimeException ex) {
			logger.error("Schedule {} of org {} could not start its export: {}", schedule.id(), schedule.org(),
					ex.toString());
		}
	}

	private ExportJob start(Schedules.Schedule schedule, String exportId) throws IOException {
		return this.exports.startScheduled(exportId, schedule.org(), schedule.owner(), schedule.id(), schedule.viewId(),
				schedule.columns(), schedule.destination(),
				(this.settings.publicUrl() != null) ? this.settings.publicUrl().replaceAll("/+$", "") : "");
	}

	private static @Nullable Instant lastFiring(Schedules.Schedule schedule, Instant since, Instant now) {
		Instant last = null;
		Instant next = Schedules.next(schedule, since);
		while (next != null && !next.isAfter(now)) {
			last = next;
			next = Schedules.next(schedule, next);
		}
		return last;
	}

	/**
	 * Reads the schedules declared under {@code batch-jobs/schedules/} (one JSON file a
	 * schedule, its name the id) and makes them the declared schedules of their orgs.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void loadDeclared() {
		Path folder = this.settings.schedules();
		if (!Files.isDirectory(folder)) {
			return;
		}
		Map<String, List<Schedules.ScheduleRequest>> byOrg = new LinkedHashMap<>();
		try (Stream<Path> files = Files.list(folder)) {
			for (Path file : files.filter(Schedules::isDeclaration).sorted().toList()) {
				try {
					JsonNode node = this.json.readTree(file.toFile());
					String id = file.getFileName().toString().replaceFirst("\\.json$", "");
					String org = node.path("org").isString() ? node.path("org").asString() : CurrentOrg.DEFAULT;
					Schedules.ScheduleRequest request = this.json.treeToValue(node, Schedules.ScheduleRequest.class);
					byOrg.computeIfAbsent(org, (key) -> new ArrayList<>())
						.add(new Schedules.ScheduleRequest(id, request.name(), request.viewId(), request.cron(),
								request.timeZone(), request.columns(), request.destination(), request.enabled()));
				}
				catch (RuntimeException ex) {
					logger.error("Declared schedule {} is not readable and is ignored: {}", file, ex.getMessage());
				}
			}
			for (Map.Entry<String, List<Schedules.ScheduleRequest>> org : byOrg.entrySet()) {
				try {
					this.schedules.declare(org.getKey(), org.getValue());
				}
				catch (IOException | RuntimeException ex) {
					logger.error("Declared schedules of org {} are not valid and are ignored: {}", org.getKey(),
							ex.getMessage());
				}
			}
		}
		catch (IOException ex) {
			logger.error("Could not read declared schedules under {}: {}", folder, ex.toString());
		}
	}

}
