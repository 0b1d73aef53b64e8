/*
 * A conversation's page: flagging it and removing its flags (analysts and above), and
 * deleting it (admins), after a confirmation, through the API.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem } = window.Archive;

	// A flag or its removal goes to the API; then the page's new Flags section takes the
	// place of this one (the server renders it, as on a load), and says what was done.
	document.addEventListener('submit', async (event) => {
		const form = event.target;
		if (form.id !== 'flag-form' && form.id !== 'unflag-form') {
			return;
		}
		event.preventDefault();
		const status = document.getElementById('flag-status');
		const button = form.querySelector('button[type=submit]');
		const flagging = form.id === 'flag-form';
		const body = { reason: form.elements.reason.value };
		if (flagging && form.elements.severity.value) {
			body.severity = form.elements.severity.value;
		}
		button.disabled = true;
		status.textContent = flagging ? 'Flagging…' : 'Removing the flags…';
		const url = `/api/v1/conversations/${encodeURIComponent(form.dataset.id)}/flags`;
		const result = await api(flagging ? 'POST' : 'DELETE', url, body);
		button.disabled = false;
		if (!result.ok) {
			status.replaceChildren(problem(result));
			return;
		}
		const done = flagging ? 'Flagged for review.'
			: `${result.data.removed} ${result.data.removed === 1 ? 'flag' : 'flags'} removed.`;
		try {
			const response = await fetch(location.href, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
			const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').getElementById('flags');
			if (!fresh) {
				throw new Error('the page has no flags');
			}
			document.getElementById('flags').replaceWith(document.importNode(fresh, true));
		}
		catch (error) {
			location.reload();
			return;
		}
		document.getElementById('flag-status').textContent = done;
		document.getElementById('flags-title').focus();
	});

	const button = document.getElementById('delete-button');
	const dialog = document.getElementById('delete-dialog');
	if (!button || !dialog) {
		return;
	}
	const status = document.getElementById('delete-status');
	const confirm = document.getElementById('delete-confirm');
	button.addEventListener('click', () => {
		status.replaceChildren();
		confirm.disabled = false;
		button.closest('details')?.removeAttribute('open');
		dialog.showModal();
		document.getElementById('delete-cancel').focus();
	});
	document.getElementById('delete-cancel').addEventListener('click', () => dialog.close());
	confirm.addEventListener('click', async () => {
		confirm.disabled = true;
		status.textContent = 'Deleting…';
		const result = await api('DELETE', `/api/v1/conversations/${encodeURIComponent(button.dataset.id)}`);
		if (!result.ok) {
			status.replaceChildren(problem(result));
			confirm.disabled = false;
			return;
		}
		window.location.assign('/');
	});
});
