/*
 * The conversations page: the filter panel (each filter switched on by its toggle), the
 * column chooser, saving and defaulting views, and the CSV export. The table itself is
 * rendered by the server; every change here becomes a new URL, so that a link always
 * reproduces what is shown.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, bytes, number, follow, downloadLink } = window.Archive;
	const form = document.getElementById('filters');
	const panel = document.getElementById('filter-panel');
	const filtersButton = document.getElementById('filters-button');
	const PANEL_OPEN = 'archive.filters.open';
	const FOCUS = 'archive.filters.focus';

	// The filter panel: open or closed as it was, across the reloads its changes cause.
	const setPanel = (open, focus) => {
		panel.hidden = !open;
		filtersButton.setAttribute('aria-expanded', String(open));
		sessionStorage.setItem(PANEL_OPEN, open ? '1' : '');
		if (open && focus) {
			panel.querySelector('input, select, button')?.focus();
		}
	};
	filtersButton.addEventListener('click', () => setPanel(panel.hidden, true));
	document.getElementById('filters-close').addEventListener('click', () => {
		setPanel(false);
		filtersButton.focus();
	});
	setPanel(sessionStorage.getItem(PANEL_OPEN) === '1', false);
	const focused = sessionStorage.getItem(FOCUS);
	if (focused) {
		sessionStorage.removeItem(FOCUS);
		document.getElementById(focused)?.focus();
	}

	const submit = () => {
		if (document.activeElement && document.activeElement.id) {
			sessionStorage.setItem(FOCUS, document.activeElement.id);
		}
		form.requestSubmit();
	};

	// Dates: the page shows days; the URL holds instants, as the API takes them ("to" is
	// exclusive, so the last day shown is the day before).
	const day = 24 * 60 * 60 * 1000;
	form.querySelectorAll('.date-input').forEach((input) => {
		const hidden = form.querySelector(`input[type=hidden][name="${input.dataset.instant}"]`);
		const end = input.dataset.end === 'true';
		const instant = Date.parse(hidden.value);
		if (!Number.isNaN(instant)) {
			input.value = new Date(end ? instant - day : instant).toISOString().slice(0, 10);
		}
		input.addEventListener('change', () => {
			const date = Date.parse(input.value + 'T00:00:00Z');
			hidden.value = Number.isNaN(date) ? '' : new Date(end ? date + day : date).toISOString().replace('.000Z', 'Z');
		});
	});

	// "Match all tags" on is the API's default; off sends tagMatch=any.
	const matchAll = document.getElementById('tag-match-all');
	const matchAny = document.getElementById('tag-match-any');
	matchAll?.addEventListener('change', () => {
		matchAny.disabled = matchAll.checked;
	});

	// Each filter's toggle enables its fields (a disabled fieldset is not submitted).
	form.querySelectorAll('fieldset.filter').forEach((fieldset) => {
		const toggle = fieldset.querySelector('legend input.activate');
		toggle.addEventListener('change', () => {
			fieldset.disabled = !toggle.checked;
			if (!toggle.checked && hasValue(fieldset)) {
				// Switching a filter off that was in use shows the table without it.
				submit();
			}
		});
		fieldset.addEventListener('change', (event) => {
			const target = event.target;
			if (target === toggle || fieldset.disabled) {
				return;
			}
			// Choices apply at once; text applies with Enter or "Apply filters".
			if (target.type === 'checkbox' || target.type === 'radio' || target.tagName === 'SELECT') {
				submit();
			}
		});
	});

	function hasValue(fieldset) {
		return [...fieldset.querySelectorAll('input[name], select[name]')].some((input) => {
			if (input.type === 'checkbox' || input.type === 'radio') {
				return input.checked && input.defaultChecked;
			}
			return input.defaultValue !== '';
		});
	}

	// Empty fields are left out of the URL; it says only what filters.
	form.addEventListener('submit', () => {
		[...form.elements].forEach((element) => {
			if (element.name && !element.disabled && element.value === '' && element.type !== 'submit') {
				element.disabled = true;
				setTimeout(() => {
					element.disabled = false;
				});
			}
		});
	});

	// Columns: the choice goes into the URL (columns=…), on the first page.
	document.getElementById('columns-apply').addEventListener('click', () => {
		const chosen = [...document.querySelectorAll('.column-choice:checked')].map((box) => box.value);
		const url = new URL(window.location.href);
		url.searchParams.delete('cursor');
		if (chosen.length === 0) {
			url.searchParams.delete('columns');
		}
		else {
			url.searchParams.set('columns', chosen.join(','));
		}
		window.location.assign(url.toString());
	});

	// Views: save the page as a view, or make the current view the org's default.
	const viewMessage = document.getElementById('view-message');
	const saveButton = document.getElementById('save-view-button');
	const saveDialog = document.getElementById('save-view-dialog');
	if (saveButton && saveDialog) {
		const saveForm = document.getElementById('save-view-form');
		const saveStatus = document.getElementById('save-view-status');
		saveButton.addEventListener('click', () => {
			saveButton.closest('details')?.removeAttribute('open');
			saveStatus.replaceChildren();
			saveDialog.showModal();
			document.getElementById('view-name').focus();
		});
		document.getElementById('save-view-cancel').addEventListener('click', () => saveDialog.close());
		saveForm.addEventListener('submit', async (event) => {
			event.preventDefault();
			const request = JSON.parse(saveForm.dataset.request);
			request.name = document.getElementById('view-name').value;
			request.scope = saveForm.querySelector('input[name=scope]:checked').value;
			saveStatus.textContent = 'Saving…';
			const result = await api('POST', '/api/v1/views', request);
			if (!result.ok) {
				saveStatus.replaceChildren(problem(result));
				return;
			}
			// The new view's URL reproduces the page (its filter, columns and order).
			window.location.assign('/?view=' + encodeURIComponent(result.data.id));
		});
	}
	const defaultButton = document.getElementById('set-default-button');
	defaultButton?.addEventListener('click', async () => {
		const result = await api('PUT', '/api/v1/views/default', { viewId: defaultButton.dataset.viewId });
		viewMessage.hidden = false;
		if (!result.ok) {
			viewMessage.replaceChildren(problem(result));
			return;
		}
		viewMessage.textContent = `“${result.data.name}” is now the org's default view.`;
		defaultButton.disabled = true;
		const option = document.querySelector(`#view-select option[value="${CSS.escape(result.data.id)}"]`);
		document.querySelectorAll('#view-select option').forEach((other) => {
			other.textContent = other.textContent.replace(' (default)', '');
		});
		if (option) {
			option.textContent = option.textContent + ' (default)';
		}
		defaultButton.closest('details')?.removeAttribute('open');
	});

	// Export: what it would write first (so nobody starts a huge export by accident),
	// then the job, followed to its link.
	const exportButton = document.getElementById('export-button');
	const exportDialog = document.getElementById('export-dialog');
	if (exportButton && exportDialog) {
		const status = document.getElementById('export-status');
		const progress = document.getElementById('export-progress');
		const start = document.getElementById('export-start');
		const request = JSON.parse(exportButton.dataset.request);
		let running = false;
		document.getElementById('export-close').addEventListener('click', () => exportDialog.close());
		exportButton.addEventListener('click', async () => {
			if (running) {
				exportDialog.showModal();
				return;
			}
			start.disabled = true;
			progress.hidden = true;
			status.textContent = 'Counting what the export would write…';
			exportDialog.showModal();
			const preview = await api('POST', '/api/v1/exports?preview=true', request);
			if (!preview.ok) {
				status.replaceChildren(problem(preview));
				return;
			}
			status.textContent = `${number(preview.data.rowCount)} rows, about ${bytes(preview.data.estimatedBytes)} of CSV.`;
			start.disabled = false;
			start.focus();
		});
		start.addEventListener('click', async () => {
			start.disabled = true;
			running = true;
			status.textContent = 'Starting the export…';
			const created = await api('POST', '/api/v1/exports', request);
			if (!created.ok) {
				running = false;
				status.replaceChildren(problem(created));
				return;
			}
			progress.hidden = false;
			const outcome = await follow(created.data, (job) => {
				const done = job.progress?.done ?? 0;
				const total = job.progress?.total ?? job.rowCount ?? 0;
				progress.max = Math.max(total, 1);
				progress.value = done;
				status.textContent = job.status === 'queued' ? 'Queued…'
					: `${job.status === 'completed' ? 'Done' : 'Exporting'}: ${number(done)} of ${number(total)} rows`;
			});
			running = false;
			if (outcome.job && outcome.ok) {
				status.replaceChildren(downloadLink(outcome.job));
			}
			else if (outcome.job) {
				status.replaceChildren(problem({ status: 'failed', data: { title: 'Export failed', detail: outcome.job.error } }));
			}
			else {
				status.replaceChildren(problem(outcome.result));
			}
		});
	}

	// A click anywhere on a row opens its conversation as its link does (a modified click
	// in a new tab); not a click on a control of its own, nor the end of a text selection.
	document.getElementById('conversations')?.addEventListener('click', (event) => {
		const row = event.target.closest('tbody.row');
		const link = row?.querySelector('a[href^="/conversations/"]');
		if (!link || event.target.closest('a, button, input, select, label, summary')
			|| window.getSelection().toString()) {
			return;
		}
		if (event.ctrlKey || event.metaKey || event.shiftKey) {
			window.open(link.href, '_blank', 'noopener');
		}
		else {
			link.click();
		}
	});
});
