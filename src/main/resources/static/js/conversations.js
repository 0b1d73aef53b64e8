/*
 * The conversations page. The server renders everything; filters.js makes its filter
 * panel live (the URL follows, only what changed is swapped in). This script adds what is
 * the table's own: views (save, save as), one-click export, the chip popover, row density,
 * and the keyboard (rows, menus).
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, bytes, number, follow, downloadLink } = window.Archive;
	const main = () => document.getElementById('main');
	let filters = null;

	// ---- Row density, remembered for the signed-in user.
	const densityKey = () => 'archive.density:' + (main().dataset.user || '');
	const setDensity = (density) => {
		main().dataset.density = density;
		document.querySelectorAll('.density button').forEach((button) => {
			button.setAttribute('aria-pressed', String(button.dataset.density === density));
		});
	};

	// ---- Buttons of the page, by delegation: they are swapped in and out.
	document.addEventListener('click', (event) => {
		const button = event.target.closest('button');
		if (!button) {
			return;
		}
		switch (button.id) {
			case 'columns-apply': applyColumns(); break;
			case 'save-view-button': case 'save-view-as': openSaveDialog(button); break;
			case 'save-view-cancel': document.getElementById('save-view-dialog').close(); break;
			case 'save-view-changes': saveChanges(button); break;
			case 'set-default-button': setDefault(button); break;
			case 'export-button': startExport(button); break;
			default:
				if (button.dataset.density) {
					setDensity(button.dataset.density);
					localStorage.setItem(densityKey(), button.dataset.density);
				}
		}
	});

	// Columns: the choice goes into the URL (columns=…), on the first page.
	function applyColumns() {
		const boxes = [...document.querySelectorAll('.column-choice')];
		const chosen = boxes.filter((box) => box.checked).map((box) => box.value);
		if (boxes.every((box) => box.checked === box.defaultChecked)) {
			// The same columns: their order stays.
			document.querySelector('.columns-menu')?.removeAttribute('open');
			return;
		}
		const url = new URL(location.href);
		url.searchParams.delete('cursor');
		if (chosen.length === 0) {
			url.searchParams.delete('columns');
		}
		else {
			url.searchParams.set('columns', chosen.join(','));
		}
		filters.go(url.pathname + url.search);
	}

	// ---- Views: save as a new one, save changes to this one, make it the org's default.
	function openSaveDialog(button) {
		button.closest('details')?.removeAttribute('open');
		document.getElementById('save-view-status').replaceChildren();
		document.getElementById('save-view-dialog').showModal();
		document.getElementById('view-name').focus();
	}
	document.addEventListener('submit', async (event) => {
		if (event.target.id !== 'save-view-form') {
			return;
		}
		event.preventDefault();
		const status = document.getElementById('save-view-status');
		const request = JSON.parse(document.getElementById('view-requests').dataset.save);
		request.name = document.getElementById('view-name').value;
		request.scope = event.target.querySelector('input[name=scope]:checked').value;
		status.textContent = 'Saving…';
		const result = await api('POST', '/api/v1/views', request);
		if (!result.ok) {
			status.replaceChildren(problem(result));
			return;
		}
		// The new view's URL reproduces the page (its filter, columns and order).
		location.assign('/?view=' + encodeURIComponent(result.data.id));
	});
	async function saveChanges(button) {
		const message = document.getElementById('view-message');
		const result = await api('PUT', '/api/v1/views/' + encodeURIComponent(button.dataset.viewId),
			JSON.parse(button.dataset.request));
		if (!result.ok) {
			message.hidden = false;
			message.replaceChildren(problem(result));
			return;
		}
		location.assign('/?view=' + encodeURIComponent(result.data.id));
	}
	async function setDefault(button) {
		const message = document.getElementById('view-message');
		const result = await api('PUT', '/api/v1/views/default', { viewId: button.dataset.viewId });
		message.hidden = false;
		if (!result.ok) {
			message.replaceChildren(problem(result));
			return;
		}
		message.textContent = `“${result.data.name}” is now the org's default view.`;
		button.disabled = true;
		document.querySelectorAll('#view-select option').forEach((option) => {
			option.textContent = option.textContent.replace(' (default)', '')
				+ (option.value === result.data.id ? ' (default)' : '');
		});
		button.closest('details')?.removeAttribute('open');
	}

	// ---- Export in one click: the button says how many rows and about how large, from a
	// preview of the same request; a click starts it and follows it to its link.
	let exporting = false;
	async function prepareExport() {
		const button = document.getElementById('export-button');
		if (!button) {
			return;
		}
		const size = document.getElementById('export-size');
		const total = button.dataset.total;
		size.textContent = total !== '' && total !== undefined ? ` · ${number(total)} ${total === '1' ? 'row' : 'rows'}` : '';
		button.disabled = exporting;
		const preview = await api('POST', '/api/v1/exports?preview=true', JSON.parse(button.dataset.request));
		if (preview.ok && document.getElementById('export-button') === button) {
			const rows = preview.data.rowCount;
			size.textContent = ` · ${number(rows)} ${rows === 1 ? 'row' : 'rows'}, about ${bytes(preview.data.estimatedBytes)}`;
		}
	}
	async function startExport(button) {
		const status = document.getElementById('export-status');
		status.hidden = false;
		exporting = true;
		button.disabled = true;
		status.textContent = 'Starting the export…';
		const done = () => {
			exporting = false;
			const current = document.getElementById('export-button');
			if (current) {
				current.disabled = false;
			}
		};
		const created = await api('POST', '/api/v1/exports', JSON.parse(button.dataset.request));
		if (!created.ok) {
			done();
			status.replaceChildren(problem(created));
			return;
		}
		const text = document.createElement('span');
		const progress = document.createElement('progress');
		progress.max = 1;
		progress.value = 0;
		status.replaceChildren(text, progress);
		const outcome = await follow(created.data, (job) => {
			const count = job.progress?.done ?? 0;
			const total = job.progress?.total ?? job.rowCount ?? 0;
			progress.max = Math.max(total, 1);
			progress.value = count;
			text.textContent = job.status === 'queued' ? 'Export queued… '
				: `Export ${job.status === 'completed' ? 'done' : 'running'}: ${number(count)} of ${number(total)} rows `;
		});
		done();
		if (outcome.job && outcome.ok) {
			status.replaceChildren(downloadLink(outcome.job));
			status.querySelector('a')?.focus();
		}
		else if (outcome.job) {
			status.replaceChildren(problem({ status: 500, data: { title: 'The export failed', detail: outcome.job.error } }));
		}
		else {
			status.replaceChildren(problem(outcome.result));
		}
	}

	// ---- Rows: a click anywhere opens the conversation (a modified click in a new tab),
	// not on a control of its own nor at the end of a text selection; the arrow keys move
	// between rows and Enter opens one.
	const rows = () => [...document.querySelectorAll('#conversations tr.main')];
	const open = (row, newTab) => {
		if (newTab) {
			window.open(row.dataset.href, '_blank', 'noopener');
		}
		else {
			location.assign(row.dataset.href);
		}
	};
	const activate = (row, focus) => {
		rows().forEach((other) => {
			const active = other === row;
			other.tabIndex = active ? 0 : -1;
			other.querySelectorAll('button.more, a.view-flow').forEach((more) => {
				more.tabIndex = active ? 0 : -1;
			});
		});
		if (focus) {
			row.focus();
		}
	};
	function tableReady() {
		const all = rows();
		if (all.length > 0 && !all.some((row) => row.tabIndex === 0)) {
			activate(all[0], false);
		}
	}
	document.addEventListener('click', (event) => {
		const body = event.target.closest('#conversations tbody.row');
		if (!body || event.target.closest('a, button, input, select, label, summary') || window.getSelection().toString()) {
			return;
		}
		open(body.querySelector('tr.main'), event.ctrlKey || event.metaKey || event.shiftKey);
	});
	document.addEventListener('focusin', (event) => {
		const row = event.target.closest?.('#conversations tr.main');
		if (row && row.tabIndex !== 0) {
			activate(row, false);
		}
	});
	document.addEventListener('keydown', (event) => {
		const row = event.target.closest?.('#conversations tr.main');
		if (row && event.target === row) {
			const all = rows();
			const index = all.indexOf(row);
			const next = { ArrowDown: all[index + 1], ArrowUp: all[index - 1], Home: all[0], End: all[all.length - 1] }[event.key];
			if (event.key === 'Enter') {
				event.preventDefault();
				open(row, event.ctrlKey || event.metaKey || event.shiftKey);
			}
			else if (next) {
				event.preventDefault();
				activate(next, true);
			}
			return;
		}
		if (event.key === 'Escape') {
			hideChips();
			const menu = event.target.closest?.('details.menu[open]');
			if (menu) {
				menu.removeAttribute('open');
				menu.querySelector('summary').focus();
			}
			return;
		}
		menuKeys(event);
	});

	// ---- Menus: the arrow keys move through their items, Escape closes (above), and a
	// click elsewhere closes them.
	function menuKeys(event) {
		if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') {
			return;
		}
		const menu = event.target.closest?.('details.menu');
		if (!menu) {
			return;
		}
		event.preventDefault();
		menu.open = true;
		const items = [...menu.querySelectorAll('.menu-items button:not(:disabled), .menu-items input')];
		const index = items.indexOf(document.activeElement);
		const step = event.key === 'ArrowDown' ? 1 : -1;
		items[index === -1 ? (step === 1 ? 0 : items.length - 1) : (index + step + items.length) % items.length]?.focus();
	}
	document.addEventListener('click', (event) => {
		document.querySelectorAll('details.menu[open]').forEach((menu) => {
			if (!menu.contains(event.target)) {
				menu.removeAttribute('open');
			}
		});
	});

	// ---- "+N" chips: the whole list on hover or focus, above everything (the table scrolls).
	let chipsFor = null;
	function showChips(more) {
		const popover = document.getElementById('chip-popover');
		const list = more.parentElement.querySelector('ul.all').cloneNode(true);
		list.hidden = false;
		popover.replaceChildren(list);
		const box = more.getBoundingClientRect();
		popover.style.left = `${Math.max(8, Math.min(box.left, window.innerWidth - 328))}px`;
		popover.style.top = `${box.bottom + 4}px`;
		if (!popover.matches(':popover-open')) {
			popover.showPopover();
		}
		more.setAttribute('aria-describedby', 'chip-popover');
		chipsFor = more;
	}
	function hideChips() {
		const popover = document.getElementById('chip-popover');
		if (popover?.matches(':popover-open')) {
			popover.hidePopover();
		}
		chipsFor?.removeAttribute('aria-describedby');
		chipsFor = null;
	}
	document.addEventListener('mouseover', (event) => {
		const more = event.target.closest?.('button.more');
		if (more && more !== chipsFor) {
			showChips(more);
		}
		else if (!more && chipsFor && document.activeElement !== chipsFor) {
			hideChips();
		}
	});
	document.addEventListener('focusin', (event) => {
		const more = event.target.closest?.('button.more');
		if (more) {
			showChips(more);
		}
		else {
			hideChips();
		}
	});
	document.addEventListener('scroll', () => hideChips(), true);

	// ---- The filter panel, live; what depends on the page's markup, again after
	// Back/Forward, and what follows a new state.
	filters = window.ArchiveFilters.live({
		path: '/',
		problems: '#results',
		ready: () => {
			setDensity(localStorage.getItem(densityKey()) || 'comfortable');
			tableReady();
			prepareExport();
		},
		swapped: () => {
			tableReady();
			prepareExport();
		},
	});
});
