package org.conversationarchive.conversation;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The yearly conversation indices for operators (system administrators: the indices hold
 * every org's conversations): which need a rebuild, starting rebuilds and following them.
 */
@RestController
@RequestMapping("/api/v1/conversation-indices")
class IndexRebuildController {

	private final IndexRebuilds rebuilds;

	IndexRebuildController(IndexRebuilds rebuilds) {
		this.rebuilds = rebuilds;
	}

	@GetMapping
	Map<String, List<IndexRebuilds.YearlyIndex>> list() throws IOException {
		return Map.of("items", this.rebuilds.list());
	}

	/**
	 * Starts a rebuild of one year's index, or ({@code stale=true}) of every index that
	 * needs one.
	 */
	@PostMapping("/rebuilds")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, List<IndexRebuilds.Rebuild>> start(@RequestParam(required = false) Integer year,
			@RequestParam(defaultValue = "false") boolean stale) throws IOException {
		if (year != null) {
			return Map.of("items", List.of(this.rebuilds.start(year)));
		}
		if (!stale) {
			throw new InvalidInputException(
					"say which: year=YYYY for one year's index, or stale=true for every index that needs a rebuild");
		}
		return Map.of("items", this.rebuilds.startStale());
	}

	@GetMapping("/rebuilds/{id}")
	IndexRebuilds.Rebuild rebuild(@PathVariable String id) {
		return this.rebuilds.find(id).orElseThrow(() -> new NotFoundException("no rebuild '" + id + "'"));
	}

	@PostMapping("/rebuilds/{id}/restart")
	@ResponseStatus(HttpStatus.ACCEPTED)
	IndexRebuilds.Rebuild restart(@PathVariable String id) {
		return this.rebuilds.restart(id);
	}

}
