package org.conversationarchive.views;

import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.conversationarchive.conversation.Environment;
import org.conversationarchive.search.Filter;
import org.conversationarchive.search.FilterVersions;
import org.conversationarchive.search.SavedView;
import org.conversationarchive.search.SavedViews;
import org.conversationarchive.security.CurrentUser;
import org.conversationarchive.security.Role;
import org.conversationarchive.system.ForbiddenException;
import org.conversationarchive.system.InvalidInputException;
import org.conversationarchive.system.NotFoundException;
import org.conversationarchive.views.ViewStore.Stored;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.stereotype.Component;

/**
 * An org's saved views and its default, with who may do what: viewers read the org's
 * views and their own private ones; analysts also save, edit and delete private views;
 * managers also the org's views, and set the default. Another user's private view is
 * answered as missing, so that its id tells nothing. Three built-in views every org has,
 * and cannot change.
 * <p>
 * Exports and schedules take a view through {@link #find(CurrentUser, String)}.
 */
@Component
public class Views implements SavedViews {

	private static final Logger logger = LoggerFactory.getLogger(Views.class);

	static final String ALL = "all";

	static final String PRODUCTION = "production";

	static final String TEST = "test";

	static final List<View> BUILT_IN = List.of(View.builtIn(ALL, "All Conversations", Filter.ALL),
			View.builtIn(PRODUCTION, "Production Calls", environment(Environment.PRODUCTION)),
			View.builtIn(TEST, "Test Calls", environment(Environment.TEST)));

	/**
	 * What a view id can be: generated ids, the built-in ones; never an underscore, which
	 * keeps the default's document apart.
	 */
	private static final Pattern ID = Pattern.compile("[A-Za-z0-9.:-]{1,128}");

	private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";

	private static final int ATTEMPTS = 3;

	private final ViewStore store;

	private final ViewMapper mapper;

	private final JsonMapper json;

	private final SecureRandom random = new SecureRandom();

	private final Clock clock = Clock.systemUTC();

	Views(ViewStore store, ViewMapper mapper, JsonMapper json) {
		this.store = store;
		this.mapper = mapper;
		this.json = json;
	}

	/**
	 * A view the user may see, as a search or an export runs it.
	 * @param user who asks
	 * @param id the view's id
	 * @return the view
	 * @throws NotFoundException when the user's org has no such view, or it is another
	 * user's private view
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	@Override
	public SavedView find(CurrentUser user, String id) throws IOException {
		user.require(Role.VIEWER, "read views");
		return find(user.id(), user.userId(), id);
	}

	/**
	 * A view a user may see, for work done later on the user's behalf (a scheduled
	 * export).
	 * @param org the org
	 * @param userId the user
	 * @param id the view's id
	 * @return the view
	 * @throws NotFoundException when the org has no such view, or it is another user's
	 * private view
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public SavedView find(String org, String userId, String id) throws IOException {
		return visible(org, userId, id).saved();
	}

	/**
	 * The built-in views first, then the others by name.
	 */
	List<View> list(CurrentUser user) throws IOException {
		user.require(Role.VIEWER, "read views");
		String defaultId = defaultView(user.id()).id();
		List<View> views = new ArrayList<>();
		BUILT_IN.forEach((view) -> views.add(view.withDefault(view.id().equals(defaultId))));
		this.store.visible(user.id(), user.userId())
			.stream()
			.flatMap((document) -> readable(document, document.id().equals(defaultId)).stream())
			.sorted(Comparator.comparing((View view) -> view.name().toLowerCase(Locale.ROOT)).thenComparing(View::id))
			.forEach(views::add);
		return views;
	}

	/**
	 * The views a user may pick, as {@link #list(CurrentUser)} orders them, for the
	 * pages' view selector.
	 * @param user who asks
	 * @return the built-in views, then the others by name
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public List<ViewChoice> choices(CurrentUser user) throws IOException {
		return list(user).stream()
			.map((view) -> new ViewChoice(view.id(), view.name(), view.scope() == Scope.ORG, view.builtIn(),
					view.isDefault()))
			.toList();
	}

	/**
	 * The id of the org's default view, which the pages open when no filter is given.
	 * @param user who asks
	 * @return the view id
	 * @throws IOException when Elasticsearch cannot be reached
	 */
	public String defaultViewId(CurrentUser user) throws IOException {
		return defaultView(user).id();
	}

	View get(CurrentUser user, String id) throws IOException {
		user.require(Role.VIEWER, "read views");
		View view = visible(user.id(), user.userId(), id);
		return view.withDefault(view.id().equals(defaultView(user.id()).id()));
	}

	View create(CurrentUser user, ViewRequest.Valid request) throws IOException {
		user.require(Role.ANALYST, "save views");
		Scope scope = (request.scope() != null) ? request.scope() : Scope.PRIVATE;
		if (scope == Scope.ORG) {
			user.require(Role.MANAGER, "save views for the whole org");
		}
		Instant now = now();
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			ViewDocument document = document(user, newId(), request, scope, user.userId(), now, now);
			if (this.store.create(document)) {
				return toView(document, false);
			}
		}
		throw new IllegalStateException("no free view id in " + ATTEMPTS + " attempts");
	}

	View update(CurrentUser user, String id, ViewRequest.Valid request) throws IOException {
		refuseBuiltIn(user, id, "changed; save a new view with the changes instead");
		user.require(Role.ANALYST, "edit views");
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Stored<ViewDocument> stored = stored(user.id(), user.userId(), id);
			ViewDocument current = stored.document();
			Scope scope = (request.scope() != null) ? request.scope() : current.scope();
			if (current.scope() == Scope.ORG || scope == Scope.ORG) {
				user.require(Role.MANAGER, "edit the org's views");
			}
			boolean isDefault = id.equals(defaultView(user.id()).id());
			if (scope == Scope.PRIVATE && current.scope() == Scope.ORG) {
				if (!user.userId().equals(current.owner())) {
					throw new ForbiddenException("only the user who saved view '" + id + "' may make it private");
				}
				if (isDefault) {
					throw new InvalidInputException("scope: view '" + id
							+ "' is the org's default view and must stay an org view; set another default first");
				}
			}
			ViewDocument next = document(user, id, request, scope, current.owner(), current.createdAt(), now());
			if (this.store.replace(next, stored)) {
				return toView(next, isDefault);
			}
		}
		throw new IllegalStateException("view '" + id + "' kept changing while it was saved");
	}

	void delete(CurrentUser user, String id) throws IOException {
		refuseBuiltIn(user, id, "deleted");
		user.require(Role.ANALYST, "delete views");
		for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
			Stored<ViewDocument> stored = stored(user.id(), user.userId(), id);
			if (stored.document().scope() == Scope.ORG) {
				user.require(Role.MANAGER, "delete the org's views");
			}
			if (this.store.delete(user.id(), id, stored)) {
				// Reading the default falls back by itself; this only tidies up.
				Optional<Stored<DefaultViewDocument>> marker = this.store.defaultView(user.id());
				if (marker.isPresent() && marker.get().document().defaultViewId().equals(id)) {
					this.store.delete(user.id(), DefaultViewDocument.ID, marker.get());
				}
				return;
			}
		}
		throw new IllegalStateException("view '" + id + "' kept changing while it was deleted");
	}

	View defaultView(CurrentUser user) throws IOException {
		user.require(Role.VIEWER, "read views");
		return defaultView(user.id()).withDefault(true);
	}

	View setDefault(CurrentUser user, String viewId) throws IOException {
		user.require(Role.MANAGER, "set the org's default view");
		View view = visible(user.id(), user.userId(), viewId);
		if (view.scope() != Scope.ORG) {
			throw new InvalidInputException("viewId: view '" + viewId
					+ "' is private; only an org view or a built-in view can be the org's default");
		}
		this.store
			.setDefault(new DefaultViewDocument(user.id(), DefaultViewDocument.KIND, view.id(), now(), user.userId()));
		return view.withDefault(true);
	}

	/**
	 * The org's default: the view it was set to, or "All Conversations" when none was set
	 * or that view is gone (or no longer the org's).
	 */
	private View defaultView(String org) throws IOException {
		Optional<Stored<DefaultViewDocument>> marker = this.store.defaultView(org);
		if (marker.isEmpty()) {
			return BUILT_IN.get(0);
		}
		String id = marker.get().document().defaultViewId();
		Optional<View> builtIn = builtIn(id);
		if (builtIn.isPresent()) {
			return builtIn.get();
		}
		return this.store.view(org, id)
			.map(Stored::document)
			.filter((document) -> ViewDocument.KIND.equals(document.kind()) && document.scope() == Scope.ORG)
			.flatMap((document) -> readable(document, true))
			.orElse(BUILT_IN.get(0));
	}

	/**
	 * A stored view, unless its filter no longer reads: one damaged view must not take
	 * the list or the default down with it (it can still be deleted).
	 */
	private Optional<View> readable(ViewDocument document, boolean isDefault) {
		try {
			return Optional.of(toView(document, isDefault));
		}
		catch (IllegalStateException ex) {
			logger.error("View '{}' of org '{}' is left out: {}", document.id(), document.org(), ex.getMessage());
			return Optional.empty();
		}
	}

	private View visible(String org, String userId, String id) throws IOException {
		Optional<View> builtIn = builtIn(id);
		if (builtIn.isPresent()) {
			return builtIn.get();
		}
		return toView(stored(org, userId, id).document(), false);
	}

	/**
	 * A saved view the user may see; another user's private view is missing to them.
	 */
	private Stored<ViewDocument> stored(String org, String userId, String id) throws IOException {
		Optional<Stored<ViewDocument>> stored = ID.matcher(id).matches() ? this.store.view(org, id) : Optional.empty();
		return stored
			.filter((view) -> ViewDocument.KIND.equals(view.document().kind())
					&& (view.document().scope() == Scope.ORG || userId.equals(view.document().owner())))
			.orElseThrow(() -> new NotFoundException("no view '" + id + "'"));
	}

	private static Optional<View> builtIn(String id) {
		return BUILT_IN.stream().filter((view) -> view.id().equals(id)).findFirst();
	}

	private static void refuseBuiltIn(CurrentUser user, String id, String what) {
		user.require(Role.VIEWER, "read views");
		builtIn(id).ifPresent((view) -> {
			throw new InvalidInputException(
					"view '" + id + "' (" + view.name() + ") is built in and cannot be " + what);
		});
	}

	private View toView(ViewDocument document, boolean isDefault) {
		Filter filter = FilterVersions.read(this.json, document.filter(), document.version());
		return this.mapper.toView(document, filter, isDefault);
	}

	/**
	 * What is stored: the filter in the current version of the filter model.
	 */
	private ViewDocument document(CurrentUser user, String id, ViewRequest.Valid request, Scope scope, String owner,
			Instant createdAt, Instant updatedAt) {
		return new ViewDocument(user.id(), ViewDocument.KIND, id, request.name(),
				this.json.valueToTree(request.filter()), FilterVersions.FILTER_VERSION, request.columns(),
				request.sort().toString(), scope, owner, createdAt, updatedAt, user.userId());
	}

	private String newId() {
		StringBuilder id = new StringBuilder(12);
		for (int i = 0; i < 12; i++) {
			id.append(ID_ALPHABET.charAt(this.random.nextInt(ID_ALPHABET.length())));
		}
		return id.toString();
	}

	private Instant now() {
		return this.clock.instant().truncatedTo(ChronoUnit.MILLIS);
	}

	private static Filter environment(Environment environment) {
		return new Filter(null, null, null, null, null, null, null, List.of(environment), null, null, null, null, null,
				null, null, null, null, null, null, null);
	}

}
