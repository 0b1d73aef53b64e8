package org.conversationarchive.search;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
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
 * filter ({@code POST _search}); {@code view}, {@code sort}, {@code size} and
 * {@code cursor} as query parameters either way. With {@code view=ID} the view's filter
 * runs and the other filters narrow it; its sort applies unless {@code sort} is given.
 */
@RestController
@RequestMapping("/api/v1/conversations")
class ConversationSearchController {

	static final Set<String> PAGING = Set.of("view", "sort", "size", "cursor");

	private final ConversationSearch search;

	private final SavedViews views;

	private final CurrentUser user;

	private final JsonMapper json;

	ConversationSearchController(ConversationSearch search, SavedViews views, CurrentUser user, JsonMapper json) {
		this.search = search;
		this.views = views;
		this.user = user;
		this.json = json;
	}

	@GetMapping
	SearchPage search(@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, FilterParameters.NAMES);
		return page(FilterParameters.parse(parameters), parameters);
	}

	/**
	 * The Elasticsearch request a search with these parameters runs (administrators): for
	 * comparing with Elasticsearch itself.
	 */
	@GetMapping("/_explain")
	Map<String, Object> explain(@RequestParam MultiValueMap<String, String> parameters,
			@RequestParam(required = false) @Nullable Integer size) throws IOException {
		this.user.require(Role.ADMIN, "see the Elasticsearch requests of searches");
		checkNames(parameters, FilterParameters.NAMES);
		String sort = FilterParameters.single(parameters, "sort");
		return this.search.explain(this.user.id(), List.of(FilterParameters.parse(parameters)),
				(sort != null) ? SearchSort.parse(sort) : SearchSort.DEFAULT,
				(size != null) ? size : ConversationSearch.DEFAULT_SIZE);
	}

	@PostMapping(path = "/_search", consumes = MediaType.APPLICATION_JSON_VALUE)
	SearchPage search(@RequestBody(required = false) byte @Nullable [] body,
			@RequestParam MultiValueMap<String, String> parameters) throws IOException {
		checkNames(parameters, Set.of());
		Filter filter = (body != null && body.length > 0) ? Filter.read(this.json, body) : Filter.ALL;
		return page(filter, parameters);
	}

	private SearchPage page(Filter filter, MultiValueMap<String, String> parameters) throws IOException {
		String viewId = FilterParameters.single(parameters, "view");
		String sort = FilterParameters.single(parameters, "sort");
		String size = FilterParameters.single(parameters, "size");
		int pageSize = ConversationSearch.DEFAULT_SIZE;
		if (size != null) {
			try {
				pageSize = Integer.parseInt(size);
			}
			catch (NumberFormatException ex) {
				throw new InvalidInputException("parameter size: '" + size + "' is not a whole number");
			}
		}
		SavedView view = (viewId != null) ? this.views.find(this.user, viewId) : null;
		AppliedView applied = AppliedView.of(view, filter, (sort != null) ? SearchSort.parse(sort) : null, null);
		SearchPage page = this.search.search(this.user.id(), applied.filters(), applied.sort(), pageSize,
				parameters.getFirst("cursor"));
		return (view != null) ? page.withView(view) : page;
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
