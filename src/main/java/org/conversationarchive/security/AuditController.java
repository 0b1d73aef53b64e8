package org.conversationarchive.security;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The org's audit log, newest first, for its admins.
 */
@RestController
@RequestMapping("/api/v1/audit")
class AuditController {

	private final AuditLog log;

	AuditController(AuditLog log) {
		this.log = log;
	}

	@GetMapping
	Map<String, List<AuditLog.Entry>> entries(@AuthenticationPrincipal ArchivePrincipal caller,
			@RequestParam(required = false) @Nullable String action,
			@RequestParam(required = false) @Nullable String from, @RequestParam(required = false) @Nullable String to,
			@RequestParam(defaultValue = "100") int size) {
		if (size < 1 || size > 1000) {
			throw new InvalidInputException("parameter size: " + size + " is not between 1 and 1000");
		}
		return Map.of("items", this.log.entries(caller.org(), action, instant("from", from), instant("to", to), size));
	}

	private static @Nullable Instant instant(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeParseException ex) {
			throw new InvalidInputException("parameter " + name + ": '" + value + "' is not an ISO-8601 instant");
		}
	}

}
