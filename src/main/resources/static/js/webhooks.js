/*
 * The webhooks page: the org's endpoints from the API, added, tested, switched on and off,
 * given a new secret (shown once) and deleted there; each with its last deliveries.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem } = window.Archive;
	const list = document.getElementById('webhooks-list');
	const status = document.getElementById('webhooks-status');
	const template = document.getElementById('webhook-template');
	const form = document.getElementById('webhook-form');
	const formStatus = document.getElementById('webhook-form-status');
	const when = (instant) => (instant ? new Date(instant).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '');

	// A secret is shown once, right after it was made: the API never gives it again.
	function secretNotice(secret, what) {
		const notice = document.createElement('div');
		notice.className = 'notice secret';
		const text = document.createElement('p');
		text.textContent = `${what} Copy its signing secret now; it is not shown again:`;
		const code = document.createElement('code');
		code.className = 'secret-value';
		code.textContent = secret;
		notice.append(text, code);
		return notice;
	}

	function answer(attempt) {
		if (!attempt || !attempt.length) {
			return 'none yet';
		}
		const last = attempt[attempt.length - 1];
		return last.error || `answered ${last.statusCode}`;
	}

	async function deliveries(item, webhook) {
		const body = item.querySelector('.deliveries tbody');
		const note = item.querySelector('.deliveries-status');
		const result = await api('GET', `/api/v1/webhooks/${encodeURIComponent(webhook.id)}/deliveries?size=10`);
		if (!result.ok) {
			note.replaceChildren(problem(result));
			return;
		}
		const rows = result.data.items.map((delivery) => {
			const row = document.createElement('tr');
			const cells = [delivery.event, when(delivery.createdAt), delivery.status,
				String(delivery.attempts.length), answer(delivery.attempts)];
			cells.forEach((text) => {
				const cell = document.createElement('td');
				cell.textContent = text;
				row.append(cell);
			});
			return row;
		});
		body.replaceChildren(...rows);
		note.textContent = rows.length ? '' : 'No deliveries yet.';
		note.hidden = rows.length > 0;
		item.querySelector('.deliveries .table-wrap').hidden = rows.length === 0;
	}

	function render(webhook) {
		const item = template.content.firstElementChild.cloneNode(true);
		item.dataset.id = webhook.id;
		item.querySelector('.webhook-url').textContent = webhook.url;
		const state = item.querySelector('.webhook-state');
		state.textContent = webhook.enabled ? 'Enabled' : 'Disabled';
		state.classList.add(webhook.enabled ? 'pill-on' : 'pill-off');
		const description = item.querySelector('.webhook-description');
		description.textContent = webhook.description || '';
		description.hidden = !webhook.description;
		item.querySelector('.webhook-events').textContent = webhook.events.includes('*') ? 'Every event'
			: 'Events: ' + webhook.events.join(', ');
		const last = webhook.lastDelivery;
		item.querySelector('.webhook-last').textContent = last
			? `Latest delivery: ${last.event}, ${last.status}, ${when(last.at)}` : 'No deliveries yet.';
		const toggle = item.querySelector('[data-action=toggle]');
		toggle.textContent = webhook.enabled ? 'Disable' : 'Enable';
		const out = item.querySelector('.card-status');
		const url = `/api/v1/webhooks/${encodeURIComponent(webhook.id)}`;
		item.querySelector('.deliveries').addEventListener('toggle', (event) => {
			if (event.target.open) {
				deliveries(item, webhook);
			}
		});
		item.querySelector('.card-actions').addEventListener('click', async (event) => {
			const button = event.target.closest('button[data-action]');
			if (!button) {
				return;
			}
			const action = button.dataset.action;
			if (action === 'delete' && !window.confirm(`Delete the webhook to ${webhook.url}?`)) {
				return;
			}
			button.disabled = true;
			out.textContent = action === 'test' ? 'Sending…' : '';
			const result = action === 'test' ? await api('POST', `${url}/test`)
				: action === 'toggle' ? await api('PUT', url, { enabled: !webhook.enabled })
					: action === 'secret' ? await api('POST', `${url}/secret`)
						: await api('DELETE', url);
			button.disabled = false;
			if (!result.ok) {
				out.replaceChildren(problem(result));
				return;
			}
			if (action === 'test') {
				const test = result.data;
				const message = document.createElement('p');
				message.className = test.delivered ? 'test-result notice' : 'test-result problem';
				message.textContent = test.delivered
					? `Delivered: the endpoint answered ${test.statusCode} in ${test.durationMs} ms.`
					: `Not delivered: ${test.error} (${test.durationMs} ms).`;
				out.replaceChildren(message);
				const details = item.querySelector('.deliveries');
				if (details.open) {
					deliveries(item, webhook);
				}
				else {
					details.open = true;
				}
				return;
			}
			if (action === 'secret') {
				out.replaceChildren(secretNotice(result.data.secret, 'The webhook has a new secret; the old one signs beside it for a day.'));
				return;
			}
			load();
		});
		return item;
	}

	async function load() {
		const result = await api('GET', '/api/v1/webhooks');
		if (!result.ok) {
			status.replaceChildren(problem(result));
			return;
		}
		const items = result.data.items;
		status.textContent = items.length ? '' : 'No webhooks yet.';
		status.hidden = items.length > 0;
		list.replaceChildren(...items.map(render));
	}

	form.addEventListener('submit', async (event) => {
		event.preventDefault();
		const body = { url: form.elements.url.value.trim() };
		if (form.elements.description.value.trim()) {
			body.description = form.elements.description.value.trim();
		}
		if (form.elements.scope.value === 'chosen') {
			body.events = [...form.querySelectorAll('input[name=events]:checked')].map((box) => box.value);
		}
		const button = form.querySelector('button[type=submit]');
		button.disabled = true;
		const result = await api('POST', '/api/v1/webhooks', body);
		button.disabled = false;
		if (!result.ok) {
			formStatus.replaceChildren(problem(result));
			return;
		}
		form.reset();
		formStatus.replaceChildren(secretNotice(result.data.secret, `The webhook to ${result.data.url} was added.`));
		load();
	});

	load();
});
