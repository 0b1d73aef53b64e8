/*
 * The filter panel and the view selector, live, for the pages that have them (the
 * conversations table and the dashboard). The server renders everything; this makes it
 * live: a filter applies as it changes (typing after a pause), the URL follows (Back and
 * Forward too), and only the parts that changed (marked data-live) are swapped in, so the
 * field being typed in keeps its text and focus. Each page says what else to do when its
 * markup is new or swapped: ArchiveFilters.live({...}).
 */
'use strict';

document.documentElement.classList.add('js');

window.ArchiveFilters = (() => {
	const PANEL_OPEN = 'archive.filters.open';
	const TYPING_PAUSE = 400;
	const DAY = 24 * 60 * 60 * 1000;

	// ---- Days in a time zone. The page shows days; the URL holds instants, as the API
	// takes them: a day is its local midnight to the next one, in the page's zone (UTC
	// unless the page says otherwise).

	/** How far the zone's clock is ahead of UTC at an instant, in milliseconds. */
	function offset(instant, zone) {
		const parts = new Intl.DateTimeFormat('en-US', {
			timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
			hour: '2-digit', minute: '2-digit', second: '2-digit',
		}).formatToParts(new Date(instant));
		const part = (type) => Number(parts.find((p) => p.type === type).value);
		const wall = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
		return wall - Math.floor(instant / 1000) * 1000;
	}

	/** The instant a day ('2025-01-31') starts in a zone. */
	function midnight(day, zone) {
		const wall = Date.parse(day + 'T00:00:00Z');
		// Twice: the offset at the first guess may be the other side of a change of time.
		const guess = wall - offset(wall, zone);
		return wall - offset(guess, zone);
	}

	/** The day ('2025-01-31') an instant falls on in a zone. */
	function dayOf(instant, zone) {
		return new Date(instant + offset(instant, zone)).toISOString().slice(0, 10);
	}

	/** The day some days after (or before) another. */
	function addDays(day, days) {
		return new Date(Date.parse(day + 'T00:00:00Z') + days * DAY).toISOString().slice(0, 10);
	}

	const iso = (instant) => new Date(instant).toISOString().replace('.000Z', 'Z');

	/**
	 * Makes the page's filter panel live.
	 * options.path: the page's path ('/' or '/dashboard'); links to it load in place.
	 * options.keep: the page's settings a change of view keeps.
	 * options.problems: where a failure to load is shown.
	 * options.ready(): the page's markup is new (at the start, after Back/Forward).
	 * options.swapped(fresh): the live parts of a newly loaded state are in.
	 * options.change(target): a field of the form changed, before it applies.
	 */
	function live(options) {
		const path = options.path;
		const main = () => document.getElementById('main');
		const form = () => document.getElementById('filters');
		const panel = () => document.getElementById('filter-panel');
		const filterNames = new Set((form().dataset.filterNames || '').split(','));
		const zone = () => form().dataset.tz || 'UTC';

		// ---- The filter panel: open or closed as it was, across pages.
		const setPanel = (open, focus) => {
			panel().hidden = !open;
			document.getElementById('filters-button').setAttribute('aria-expanded', String(open));
			sessionStorage.setItem(PANEL_OPEN, open ? '1' : '');
			if (open && focus) {
				panel().querySelector('input:not([type=hidden]), select, button')?.focus();
			}
		};

		// ---- Dates: every date field of the form (the panel's, a page's own) shows the day
		// of its instant ("to" is exclusive, so the last day shown is the day before).
		const instantField = (name) => form().querySelector(`input[type=hidden][name="${name}"]`);
		const dateInputs = () => document.querySelectorAll('.date-input');
		const showDates = () => {
			dateInputs().forEach((input) => {
				const instant = Date.parse(instantField(input.dataset.instant).value);
				input.value = Number.isNaN(instant) ? ''
					: dayOf(input.dataset.end === 'true' ? instant - 1 : instant, zone());
			});
		};
		const dateChanged = (input) => {
			const day = input.value;
			instantField(input.dataset.instant).value = !/^\d{4}-\d\d-\d\d$/.test(day) ? ''
				: iso(midnight(input.dataset.end === 'true' ? addDays(day, 1) : day, zone()));
			useFilterOf(instantField(input.dataset.instant));
		};
		// A field outside its filter's fieldset (a page's own range picker) switches it on.
		const useFilterOf = (field) => {
			const fieldset = field.closest('fieldset.filter');
			if (fieldset?.disabled) {
				fieldset.disabled = false;
				fieldset.querySelector('input.activate').checked = true;
			}
		};

		/** The range from..to (instants, or null for none), applied at once unless later. */
		const setRange = (from, to, later) => {
			clearTimeout(typingTimer);
			instantField('from').value = from ? iso(from) : '';
			instantField('to').value = to ? iso(to) : '';
			const fieldset = instantField('from').closest('fieldset.filter');
			fieldset.disabled = !from && !to;
			fieldset.querySelector('input.activate').checked = !fieldset.disabled;
			showDates();
			if (!later) {
				apply(null);
			}
		};
		const range = () => ({
			from: form().querySelector('fieldset.filter:not(:disabled) input[type=hidden][name=from]')?.value || null,
			to: form().querySelector('fieldset.filter:not(:disabled) input[type=hidden][name=to]')?.value || null,
		});

		// ---- The URL of what the form says: empty fields left out, so it says only what
		// filters.
		const formUrl = () => {
			const parameters = new URLSearchParams();
			for (const [name, value] of new FormData(form())) {
				if (typeof value === 'string' && value.trim() !== '') {
					parameters.append(name, value.trim());
				}
			}
			// "Content said by" narrows the words of the search box; without words it says
			// nothing.
			if (!parameters.has('q')) {
				parameters.delete('speaker');
			}
			// Every filter switched off shows everything: not the view's filter, nor the
			// default view.
			if (![...parameters.keys()].some((name) => filterNames.has(name))
				&& (!parameters.has('view') || form().dataset.viewFiltered === 'true')) {
				parameters.set('unfiltered', 'true');
			}
			return path + '?' + parameters.toString();
		};
		const sameUrl = (a, b) => {
			const sorted = (url) => {
				const parsed = new URL(url, location.origin);
				return parsed.pathname + '?' + [...parsed.searchParams].map((pair) => pair.join('=')).sort().join('&');
			};
			return sorted(a) === sorted(b);
		};

		// ---- Loading another state of the page and swapping in what changed.
		let loading = null;
		let lastTyped = null;
		let typingTimer = null;
		const apply = (typed) => {
			const url = formUrl();
			if (sameUrl(url, location.href)) {
				return;
			}
			// Typing on in one field replaces its history entry rather than adding one per
			// pause.
			if (typed && typed === lastTyped) {
				history.replaceState(null, '', url);
			}
			else {
				history.pushState(null, '', url);
			}
			lastTyped = typed;
			load(url, false);
		};
		const go = (url) => {
			clearTimeout(typingTimer);
			lastTyped = null;
			history.pushState(null, '', url);
			load(url, true);
		};

		async function load(url, whole) {
			loading?.abort();
			const controller = new AbortController();
			loading = controller;
			main().setAttribute('aria-busy', 'true');
			let html;
			try {
				const response = await fetch(url, { signal: controller.signal, credentials: 'same-origin', headers: { Accept: 'text/html' } });
				if (response.redirected && new URL(response.url).pathname !== path) {
					// Signed out meanwhile, or sent elsewhere: let the browser follow.
					location.assign(url);
					return;
				}
				html = await response.text();
			}
			catch (error) {
				if (error.name !== 'AbortError') {
					main().removeAttribute('aria-busy');
					showProblem({ ok: false, status: 0, data: { title: 'The archive could not be reached', detail: error.message } });
				}
				return;
			}
			if (loading !== controller) {
				return;
			}
			const fresh = new DOMParser().parseFromString(html, 'text/html');
			if (!fresh.getElementById('filters')) {
				location.assign(url);
				return;
			}
			document.title = fresh.title;
			if (whole) {
				const focused = document.activeElement?.id;
				main().replaceWith(document.importNode(fresh.getElementById('main'), true));
				ready();
				if (focused && document.getElementById(focused)) {
					document.getElementById(focused).focus();
				}
				else {
					document.getElementById('total')?.setAttribute('tabindex', '-1');
					document.getElementById('total')?.focus();
				}
			}
			else {
				swap(fresh);
			}
			main().removeAttribute('aria-busy');
		}

		// The parts marked data-live are replaced, unless the user is in one: then only its
		// counts follow. Facet counts anywhere follow.
		function swap(fresh) {
			fresh.querySelectorAll('[data-live]').forEach((part) => {
				const current = document.getElementById(part.id);
				if (!current) {
					return;
				}
				if (current.contains(document.activeElement)) {
					// Kept as it is for the user, but what its buttons send is the new state's.
					[part, ...part.querySelectorAll('[id]')].forEach((freshPart) => {
						const shown = freshPart === part ? current : current.querySelector('#' + CSS.escape(freshPart.id));
						Object.keys(freshPart.dataset).forEach((key) => {
							if (shown) {
								shown.dataset[key] = freshPart.dataset[key];
							}
						});
					});
					return;
				}
				current.replaceWith(document.importNode(part, true));
			});
			fresh.querySelectorAll('[data-count]').forEach((count) => {
				document.querySelectorAll(`[data-count="${CSS.escape(count.dataset.count)}"]`).forEach((shown) => {
					shown.textContent = count.textContent;
				});
			});
			const freshSelect = fresh.getElementById('view-select');
			if (freshSelect) {
				document.getElementById('view-select').value = freshSelect.value;
			}
			options.swapped?.(fresh);
		}

		function showProblem(result) {
			const area = document.querySelector(options.problems);
			area.querySelector('.problem')?.remove();
			area.prepend(window.Archive.problem(result));
		}

		// ---- Filters: choices apply at once, typing after a pause, Enter at once.
		document.addEventListener('change', (event) => {
			const target = event.target;
			if (target.id === 'view-select') {
				const url = new URL(path, location.origin);
				url.searchParams.set('view', target.value);
				const current = new URL(location.href).searchParams;
				(options.keep || []).forEach((name) => current.getAll(name).forEach((value) => url.searchParams.append(name, value)));
				location.assign(url.pathname + url.search);
				return;
			}
			if (target.form !== form() && !form().contains(target)) {
				return;
			}
			options.change?.(target);
			const fieldset = target.closest('fieldset.filter');
			if (target.classList.contains('activate')) {
				fieldset.disabled = !target.checked;
			}
			else if (target.id === 'tag-match-all') {
				document.getElementById('tag-match-any').disabled = target.checked;
			}
			else if (target.classList.contains('date-input')) {
				// A date is typed in parts: it applies once they pause, as typing does.
				dateChanged(target);
				clearTimeout(typingTimer);
				typingTimer = setTimeout(() => apply(target.dataset.instant), TYPING_PAUSE);
				return;
			}
			else if (target.type === 'text' || target.type === 'search' || target.type === 'number') {
				// Typing applies by itself; a change event after it has nothing new.
				clearTimeout(typingTimer);
			}
			apply(null);
			if ('another' in target.dataset) {
				// The value comes back as a ticked choice of its own. Not at once: Enter
				// changes the field and then submits the form, which must see it too.
				setTimeout(() => {
					target.value = '';
				});
			}
		});
		document.addEventListener('input', (event) => {
			const target = event.target;
			// A value added to a list (another flow, tag, parameter…) applies with Enter,
			// not while it is typed: half of one is not a value.
			if ((target.form === form() || form().contains(target)) && !('another' in target.dataset)
				&& !('onEnter' in target.dataset) && ['text', 'search', 'number'].includes(target.type)) {
				clearTimeout(typingTimer);
				typingTimer = setTimeout(() => apply(target.id || target.name), TYPING_PAUSE);
			}
		});
		document.addEventListener('submit', (event) => {
			if (event.target === form()) {
				event.preventDefault();
				clearTimeout(typingTimer);
				apply(null);
				form().querySelectorAll('[data-another]').forEach((field) => {
					field.value = '';
				});
			}
		});
		window.addEventListener('popstate', () => {
			clearTimeout(typingTimer);
			lastTyped = null;
			load(location.href, true);
		});

		// ---- Links to other states of this page (sorting, paging, the switch) load in
		// place.
		document.addEventListener('click', (event) => {
			const link = event.target.closest(`a[href^="${path}?"]`);
			if (!link || !main().contains(link) || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) {
				return;
			}
			event.preventDefault();
			go(link.getAttribute('href'));
		});

		document.addEventListener('click', (event) => {
			const button = event.target.closest('button');
			if (button?.id === 'filters-button') {
				setPanel(panel().hidden, true);
			}
			else if (button?.id === 'filters-close') {
				setPanel(false);
				document.getElementById('filters-button').focus();
			}
		});

		// ---- Everything that depends on the page's markup, again after Back/Forward.
		function ready() {
			setPanel(sessionStorage.getItem(PANEL_OPEN) === '1', false);
			showDates();
			options.ready?.();
		}
		history.replaceState(null, '', location.href);
		// Once the page's script has what this returns.
		queueMicrotask(ready);
		return { go, apply, setRange, range, showDates, zone };
	}

	return { live, offset, midnight, dayOf, addDays, iso };
})();
