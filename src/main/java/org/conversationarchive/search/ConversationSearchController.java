package org.conversationarchive.search;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

import org.conversationarchive.system.CurrentOrg;
import org.conversationarchive.system.InvalidInputException;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Searching conversations: the filters as query parameters ({@code GET}) or as the JSON
 * filter ({@code POST _search}); {@code sort}, {@code size} and {@code cursor} as query
 * parameters either way.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationSearchController {

	static final Set<String> PAGING = Set.of("sort", "size", "cursor");

	private final ConversationSearch search;

	private final CurrentOrg org;

	private final JsonMapper json;

	ConversationSearchController(ConversationSearch search, CurrentOrg org, JsonMapper json) {
		this.search = search;
		this.org = org;
		this.json = json;
	}

	@GetMapping
	SearchPage search(@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, FilterParameters.NAMES);
		return page(FilterParameters.parse(parameters), parameters);
	}

	@PostMapping(path = "/_search", consumes = MediaType.APPLICATION_JSON_VALUE)
	SearchPage search(@RequestBody(required = false) byte @Nullable [] body,
			@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, Set.of());
		Filter filter = (body != null && body.length > 0) ? Filter.read(this.json, body) : Filter.ALL;
		return page(filter, parameters);
	}

	private SearchPage page(Filter filter, MultiValueMap<String, String> parameters) throws IOException {
		String sort = parameters.getFirst("sort");
		String size = parameters.getFirst("size");
		int pageSize = ConversationSearch.DEFAULT_SIZE;
		if (size != null && !size.isBlank()) {
			try {
				pageSize = Integer.parseInt(size.trim());
			}
			catch (NumberFormatException ex) {
				throw new InvalidInputException("parameter size: '" + size + "' is not a whole number");
			}
		}
		return this.search.search(this.org.id(), filter,
				(sort != null && !sort.isBlank()) ? SearchSort.parse(sort) : SearchSort.DEFAULT, pageSize,
				parameters.getFirst("cursor"));
	}

	/**
	 * A misspelt filter would silently match too much: unknown parameters are refused.
	 */
	private static void checkNames(MultiValueMap<String, String> parameters, Set<String> filters) {
		Set<String> known = new HashSet<>(filters);
		known.addAll(PAGING);
		for (String name : parameters.keySet()) {
			if (!known.contains(name)) {
				throw new InvalidInputException("unknown parameter '" + name + "'");
			}
		}
	}

}
