/*
 * Conversation Archive: what every page shares. Calls to the JSON API with the session
 * and its CSRF token, problem details shown as the API gives them, export jobs followed
 * to their link, and the notifications area. Plain JavaScript, no build step.
 */
'use strict';

window.Archive = (() => {
	const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;

	/**
	 * Calls the API as the signed-in user. State-changing calls carry the CSRF token the
	 * page was rendered with. Answers {ok, status, data} and never throws for an HTTP error.
	 */
	async function api(method, url, body) {
		const headers = { Accept: 'application/json, application/problem+json' };
		if (body !== undefined) {
			headers['Content-Type'] = 'application/json';
		}
		if (!['GET', 'HEAD'].includes(method) && meta('_csrf')) {
			headers[meta('_csrf_header') || 'X-CSRF-TOKEN'] = meta('_csrf');
		}
		let response;
		try {
			response = await fetch(url, {
				method,
				headers,
				credentials: 'same-origin',
				body: body === undefined ? undefined : JSON.stringify(body),
			});
		}
		catch (error) {
			return { ok: false, status: 0, data: { title: 'The archive could not be reached', detail: error.message } };
		}
		let data = null;
		const type = response.headers.get('Content-Type') || '';
		if (type.includes('json')) {
			try {
				data = await response.json();
			}
			catch (error) {
				data = null;
			}
		}
		return { ok: response.ok, status: response.status, data };
	}

	// What to do about a failed call, by its status: the API's detail says what exactly.
	const ADVICE = {
		0: 'Check the connection and try again.',
		400: 'Change what it names and try again.',
		401: 'Your session has ended: reload the page and sign in again.',
		403: 'Ask an admin of your org for the role it needs.',
		404: 'It may have been deleted. Reload the page to see what is there now.',
		409: 'Someone changed it at the same time: reload the page and try again.',
		413: 'It is too large for the archive; try a smaller one.',
		429: 'Too many attempts: wait a minute and try again.',
		503: 'The archive is busy or its storage is unreachable: try again in a moment.',
	};

	/** An element that shows what went wrong in plain words: title, detail, what to do. */
	function problem(result) {
		const box = document.createElement('div');
		box.className = 'problem';
		box.setAttribute('role', 'alert');
		const data = result.data || {};
		const title = document.createElement('p');
		title.className = 'problem-title';
		const strong = document.createElement('strong');
		strong.textContent = data.title || 'That did not work';
		title.append(strong);
		const detail = document.createElement('p');
		detail.className = 'problem-detail';
		detail.textContent = data.detail || (result.status === 404 ? 'This service does not offer that yet.' : 'No reason was given.');
		box.append(title, detail);
		const status = typeof result.status === 'number' ? result.status : data.status;
		const advice = ADVICE[status] || (status >= 500 ? ADVICE[503] : null);
		if (advice) {
			const next = document.createElement('p');
			next.className = 'problem-advice';
			next.textContent = advice;
			box.append(next);
		}
		return box;
	}

	function bytes(count) {
		if (count == null) {
			return 'unknown size';
		}
		const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
		let value = count;
		let unit = 0;
		while (value >= 1000 && unit < units.length - 1) {
			value /= 1000;
			unit++;
		}
		return (unit === 0 ? value : value.toFixed(value < 10 ? 1 : 0)) + ' ' + units[unit];
	}

	function number(count) {
		return count == null ? '?' : Number(count).toLocaleString('en-US');
	}

	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

	/**
	 * Follows an export job until it completes or fails, about once a second, calling
	 * onUpdate(job) each time. Resolves {ok, job} or {ok: false, result} when the API
	 * answers with a problem.
	 */
	async function follow(job, onUpdate) {
		let current = job;
		onUpdate(current);
		while (current.status !== 'completed' && current.status !== 'failed') {
			await sleep(1000);
			const result = await api('GET', `/api/v1/exports/${encodeURIComponent(current.id)}`);
			if (!result.ok) {
				return { ok: false, result };
			}
			current = result.data;
			onUpdate(current);
		}
		return { ok: current.status === 'completed', job: current };
	}

	/** A link to a finished export, with when it expires. */
	function downloadLink(job) {
		const p = document.createElement('p');
		p.className = 'download';
		const link = document.createElement('a');
		link.href = job.downloadUrl;
		link.className = 'button primary download-link';
		link.textContent = 'Download';
		p.append(link);
		if (job.rowCount != null) {
			p.append(` ${number(job.rowCount)} ${job.rowCount === 1 ? 'row' : 'rows'}`);
		}
		if (job.expiresAt) {
			p.append(` · the link works until ${new Date(job.expiresAt).toISOString().replace('T', ' ').slice(0, 16)} UTC`);
		}
		return p;
	}

	// Notifications: the list once, then new ones as the server sends them. Where the
	// service does not have them (404), the area says so and nothing is retried.
	function notifications() {
		const button = document.getElementById('notifications-button');
		const panel = document.getElementById('notifications-panel');
		if (!button || !panel) {
			return;
		}
		const list = document.getElementById('notifications-list');
		const status = document.getElementById('notifications-status');
		const count = document.getElementById('notifications-count');
		let unread = 0;

		const showCount = () => {
			count.hidden = unread === 0;
			count.textContent = unread;
			button.setAttribute('aria-label', unread ? `Notifications, ${unread} unread` : 'Notifications');
		};
		const add = (item, first) => {
			const li = document.createElement('li');
			li.className = item.read ? 'read' : 'unread';
			const time = document.createElement('time');
			if (item.at) {
				time.dateTime = item.at;
				time.textContent = new Date(item.at).toISOString().replace('T', ' ').slice(0, 16);
			}
			const message = document.createElement('p');
			message.textContent = item.message || '';
			li.append(time, message);
			if (item.link) {
				const link = document.createElement('a');
				link.href = item.link;
				link.textContent = item.link.length > 60 ? 'Open the link' : item.link;
				li.append(link);
			}
			if (first) {
				list.prepend(li);
			}
			else {
				list.append(li);
			}
			if (!item.read) {
				unread++;
			}
			status.textContent = '';
			status.hidden = true;
			showCount();
		};

		button.addEventListener('click', () => {
			const open = panel.hidden;
			panel.hidden = !open;
			button.setAttribute('aria-expanded', String(open));
			if (open) {
				unread = 0;
				showCount();
			}
		});
		document.addEventListener('keydown', (event) => {
			if (event.key === 'Escape' && !panel.hidden) {
				panel.hidden = true;
				button.setAttribute('aria-expanded', 'false');
				button.focus();
			}
		});

		api('GET', '/api/v1/notifications').then((result) => {
			if (!result.ok) {
				status.textContent = result.status === 404 ? 'Notifications are not available on this server yet.'
					: 'Notifications could not be loaded (' + result.status + ').';
				return;
			}
			const items = (result.data && result.data.items) || [];
			status.textContent = items.length ? '' : 'No notifications.';
			status.hidden = items.length > 0;
			items.forEach((item) => add(item, false));
			if (window.EventSource) {
				const stream = new EventSource('/api/v1/notifications/stream');
				stream.addEventListener('notification', (event) => {
					try {
						add(JSON.parse(event.data), true);
					}
					catch (error) {
						// A malformed event is skipped; the next one may be fine.
					}
				});
				let failures = 0;
				stream.addEventListener('open', () => {
					failures = 0;
				});
				stream.addEventListener('error', () => {
					// EventSource reconnects by itself; a stream that keeps failing is closed.
					if (++failures > 5) {
						stream.close();
					}
				});
			}
		});
	}

	document.addEventListener('DOMContentLoaded', notifications);

	return { api, problem, bytes, number, follow, downloadLink };
})();
