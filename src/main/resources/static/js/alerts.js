/*
 * The alerts page: the org's alerts from the API with their state and the times they
 * triggered; managers add them, switch them on and off and delete them there.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, number } = window.Archive;
	const page = document.querySelector('.alerts-page');
	const manager = page.dataset.manager === 'true';
	const list = document.getElementById('alerts-list');
	const status = document.getElementById('alerts-status');
	const template = document.getElementById('alert-template');
	const form = document.getElementById('alert-form');
	const viewNames = new Map([...document.querySelectorAll('#view-names li')].map((item) => [item.dataset.id, item.textContent]));
	const when = (instant) => (instant ? new Date(instant).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '');
	const WINDOWS = { PT15M: '15 minutes', PT1H: 'hour', PT6H: '6 hours', PT24H: 'day', PT168H: '7 days' };
	const windowText = (window) => WINDOWS[window] || window;
	const conversations = (count) => `${number(count)} ${count === 1 ? 'conversation' : 'conversations'}`;

	async function events(item, alert) {
		const out = item.querySelector('.events-list');
		const note = item.querySelector('.events-status');
		const result = await api('GET', `/api/v1/alerts/${encodeURIComponent(alert.id)}/events?size=10`);
		if (!result.ok) {
			note.replaceChildren(problem(result));
			return;
		}
		const entries = result.data.items.map((event) => {
			const li = document.createElement('li');
			const time = document.createElement('time');
			time.dateTime = event.at;
			time.textContent = when(event.at);
			const link = document.createElement('a');
			link.href = event.link;
			link.textContent = `${event.kind === 'triggered' ? 'Triggered' : 'Resolved'}: ${conversations(event.count)}`;
			li.append(time, ' ', link);
			return li;
		});
		out.replaceChildren(...entries);
		note.textContent = entries.length ? '' : 'It has not triggered yet.';
		note.hidden = entries.length > 0;
	}

	function render(alert) {
		const item = template.content.firstElementChild.cloneNode(true);
		item.dataset.id = alert.id;
		item.querySelector('.alert-name').textContent = alert.name;
		const state = item.querySelector('.alert-state');
		state.textContent = !alert.enabled ? 'Disabled' : alert.state === 'breached' ? 'Triggered' : 'OK';
		state.classList.add(!alert.enabled ? 'pill-off' : alert.state === 'breached' ? 'pill-alarm' : 'pill-on');
		const view = viewNames.get(alert.viewId) || alert.viewId;
		item.querySelector('.alert-condition').textContent = `${alert.above != null ? 'More' : 'Fewer'} than `
			+ `${conversations(alert.above ?? alert.below)} of \u201c${view}\u201d started in the last ${windowText(alert.window)}`;
		item.querySelector('.alert-last').textContent = alert.lastError ? `Not evaluated: ${alert.lastError}`
			: alert.lastEvaluatedAt ? `Last count: ${number(alert.lastCount)} at ${when(alert.lastEvaluatedAt)}`
				: 'Not evaluated yet.';
		const actions = item.querySelector('[data-manager-only]');
		if (!manager) {
			actions.remove();
		}
		else {
			actions.querySelector('[data-action=toggle]').textContent = alert.enabled ? 'Disable' : 'Enable';
			const out = item.querySelector('.card-status');
			actions.addEventListener('click', async (event) => {
				const button = event.target.closest('button[data-action]');
				if (!button) {
					return;
				}
				const url = `/api/v1/alerts/${encodeURIComponent(alert.id)}`;
				if (button.dataset.action === 'delete' && !window.confirm(`Delete the alert \u201c${alert.name}\u201d?`)) {
					return;
				}
				button.disabled = true;
				const result = button.dataset.action === 'toggle' ? await api('PUT', url, { enabled: !alert.enabled })
					: await api('DELETE', url);
				button.disabled = false;
				if (!result.ok) {
					out.replaceChildren(problem(result));
					return;
				}
				load();
			});
		}
		item.querySelector('.alert-events').addEventListener('toggle', (event) => {
			if (event.target.open) {
				events(item, alert);
			}
		});
		return item;
	}

	async function load() {
		const result = await api('GET', '/api/v1/alerts');
		if (!result.ok) {
			status.replaceChildren(problem(result));
			return;
		}
		const items = result.data.items;
		status.textContent = items.length ? '' : 'No alerts yet.';
		status.hidden = items.length > 0;
		list.replaceChildren(...items.map(render));
	}

	if (form) {
		const formStatus = document.getElementById('alert-form-status');
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			// What the field holds goes as it is (the API names a value it cannot take).
			const threshold = form.elements.threshold.value.trim();
			const body = { name: form.elements.name.value.trim(), viewId: form.elements.viewId.value,
				window: form.elements.window.value };
			body[form.elements.comparison.value] = threshold === '' ? null
				: Number.isInteger(Number(threshold)) ? Number(threshold) : threshold;
			const button = form.querySelector('button[type=submit]');
			button.disabled = true;
			const result = await api('POST', '/api/v1/alerts', body);
			button.disabled = false;
			if (!result.ok) {
				formStatus.replaceChildren(problem(result));
				return;
			}
			form.reset();
			const done = document.createElement('p');
			done.className = 'notice';
			done.textContent = `The alert \u201c${result.data.name}\u201d was added; it is evaluated within a minute.`;
			formStatus.replaceChildren(done);
			load();
		});
	}

	load();
});
