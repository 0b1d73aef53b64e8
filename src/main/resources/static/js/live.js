/*
 * The Live page (the org's conversations in progress, from the live stream) and the
 * Inbox (those waiting for a human, claimed, released and assigned through the inbox
 * API). Both follow /api/v1/live/stream: the browser's EventSource reconnects by itself.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem } = window.Archive;
	const rows = new Map();

	function duration(seconds) {
		const s = Math.max(0, Math.floor(seconds));
		const h = Math.floor(s / 3600);
		const m = Math.floor((s % 3600) / 60);
		return (h > 0 ? `${h}h ` : '') + `${m}m ${s % 60}s`;
	}

	const since = (iso) => (Date.now() - Date.parse(iso)) / 1000;

	function cell(row, text, className) {
		const td = document.createElement('td');
		td.textContent = text ?? '';
		if (className) {
			td.className = className;
		}
		row.append(td);
		return td;
	}

	function link(id) {
		const a = document.createElement('a');
		a.href = `/conversations/${encodeURIComponent(id)}`;
		a.textContent = id;
		return a;
	}

	const STATES = { ai: 'With the AI agent', queued: 'Waiting for a human', held: 'Held', over: 'Ended' };

	function stateText(c) {
		return c.state === 'held' ? `Held by ${c.heldBy}` : (STATES[c.state] || c.state);
	}

	function lastText(c) {
		return c.lastMessage ? `${c.lastMessage.senderName || c.lastMessage.senderType || ''}: ${c.lastMessage.text || ''}` : '';
	}

	// --- Live -----------------------------------------------------------------------
	const liveRows = document.getElementById('live-rows');
	if (liveRows) {
		const status = document.getElementById('live-status');
		const empty = document.getElementById('live-empty');

		const render = (c) => {
			const row = document.createElement('tr');
			row.dataset.id = c.id;
			row.dataset.startedAt = c.startedAt;
			const first = document.createElement('td');
			first.append(link(c.id));
			row.append(first);
			cell(row, c.platform);
			cell(row, c.contact);
			cell(row, c.agent);
			cell(row, stateText(c), `live-state live-state-${c.state}`);
			cell(row, duration(since(c.startedAt)), 'live-duration');
			cell(row, lastText(c), 'live-last');
			cell(row, c.emotion ? `${c.emotion.emotion} ${Number(c.emotion.score).toFixed(2)}` : '');
			return row;
		};

		const show = (c) => {
			const old = rows.get(c.id);
			if (c.state === 'over') {
				old?.remove();
				rows.delete(c.id);
			}
			else {
				const row = render(c);
				if (old) {
					old.replaceWith(row);
				}
				else {
					liveRows.prepend(row);
				}
				rows.set(c.id, row);
			}
			empty.hidden = rows.size > 0;
		};

		const source = new EventSource('/api/v1/live/stream');
		source.addEventListener('conversations', (event) => {
			rows.clear();
			liveRows.replaceChildren();
			const list = JSON.parse(event.data);
			list.items.slice().reverse().forEach(show);
			empty.hidden = rows.size > 0;
			status.textContent = list.total > list.items.length
				? `Live: the ${list.items.length} latest of ${list.total}, updating as messages arrive.`
				: 'Live: updates as messages arrive.';
		});
		source.addEventListener('conversation', (event) => show(JSON.parse(event.data)));
		source.addEventListener('removed', (event) => show({ id: JSON.parse(event.data).id, state: 'over' }));
		source.addEventListener('error', () => {
			status.textContent = 'Reconnecting…';
		});
		setInterval(() => {
			for (const row of rows.values()) {
				row.querySelector('.live-duration').textContent = duration(since(row.dataset.startedAt));
			}
		}, 1000);
	}

	// --- Inbox ----------------------------------------------------------------------
	const inboxRows = document.getElementById('inbox-rows');
	if (inboxRows) {
		const main = document.querySelector('main');
		const me = main.dataset.user;
		const analyst = main.dataset.analyst === 'true';
		const manager = main.dataset.manager === 'true';
		const status = document.getElementById('inbox-status');
		const actionStatus = document.getElementById('inbox-action-status');
		const empty = document.getElementById('inbox-empty');
		const counts = document.getElementById('queue-counts');

		const button = (label, onClick, className) => {
			const b = document.createElement('button');
			b.type = 'button';
			b.textContent = label;
			if (className) {
				b.className = className;
			}
			b.addEventListener('click', onClick);
			return b;
		};

		const act = async (id, what, body) => {
			actionStatus.replaceChildren();
			const result = await api('POST', `/api/v1/inbox/${encodeURIComponent(id)}/${what}`, body);
			if (!result.ok) {
				actionStatus.replaceChildren(problem(result));
			}
			await load();
		};

		const render = (item) => {
			const c = item.conversation;
			const row = document.createElement('tr');
			row.dataset.id = c.id;
			row.dataset.waitingSince = c.waitingSince;
			cell(row, duration(item.waitingSeconds), 'inbox-waiting');
			cell(row, c.queue || '—');
			const first = document.createElement('td');
			first.append(link(c.id));
			row.append(first);
			cell(row, c.contact);
			cell(row, lastText(c), 'live-last');
			cell(row, c.heldBy || '', 'inbox-holder');
			const actions = document.createElement('td');
			actions.className = 'inbox-actions';
			if (!c.heldBy && analyst) {
				actions.append(button('Claim', () => act(c.id, 'claim'), 'primary'));
			}
			if (c.heldBy && (c.heldBy === me || manager)) {
				actions.append(button('Release', () => act(c.id, 'release')));
			}
			if (c.heldBy === me) {
				const open = document.createElement('a');
				open.className = 'button';
				open.href = `/conversations/${encodeURIComponent(c.id)}#reply`;
				open.textContent = 'Reply';
				actions.append(open);
			}
			if (manager) {
				actions.append(button('Assign…', () => {
					const to = window.prompt('Assign to (user id)');
					if (to) {
						act(c.id, 'assign', { to });
					}
				}));
			}
			row.append(actions);
			return row;
		};

		let loading = null;
		async function load() {
			const result = await api('GET', '/api/v1/inbox');
			if (!result.ok) {
				status.replaceChildren(problem(result));
				return;
			}
			inboxRows.replaceChildren(...result.data.items.map(render));
			empty.hidden = result.data.items.length > 0;
			counts.replaceChildren(...result.data.queues.map((queue) => {
				const li = document.createElement('li');
				li.textContent = `${queue.queue || 'No queue'}: ${queue.waiting} waiting, ${queue.claimed} claimed`;
				return li;
			}));
			status.textContent = `${result.data.items.length} waiting`
				+ (result.data.complete ? '' : ' among the earliest started of more live conversations than the inbox reads');
		}

		// Any change of a live conversation may change the inbox: read it again, at most
		// every half second.
		const later = () => {
			if (!loading) {
				loading = setTimeout(async () => {
					loading = null;
					await load();
				}, 500);
			}
		};
		load();
		const source = new EventSource('/api/v1/live/stream');
		source.addEventListener('conversation', later);
		source.addEventListener('removed', later);
		setInterval(() => {
			for (const row of inboxRows.children) {
				row.querySelector('.inbox-waiting').textContent = duration(since(row.dataset.waitingSince));
			}
		}, 1000);
	}
});
