/*
 * A conversation's page: deleting it (admins), after a confirmation, through the API.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem } = window.Archive;
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
