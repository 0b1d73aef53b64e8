/*
 * A conversation's page: flagging it and removing its flags (analysts and above), and
 * deleting it (admins), after a confirmation, through the API. A live conversation
 * follows its stream: new messages join the transcript, and the actions that apply now
 * (for this person's role, and whoever holds it) are offered and sent to the actions API.
 * Opened from a content search, it lists where the words were said; a match, like a
 * message's time, plays the recording from that second. Where the archive has the
 * conversation's flow, its graph shows the path taken; a node or a step of the path
 * scrolls the transcript to its first message and marks the node's messages.
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

	// A match or a message plays the recording from where it was said.
	document.addEventListener('click', (event) => {
		const seek = event.target.closest('button.seek');
		const audio = document.getElementById('audio');
		if (!seek || !audio) {
			return;
		}
		audio.currentTime = Number(seek.dataset.seek);
		audio.play().catch(() => {
			// Refused (no sound allowed yet): the player stands at the point to play.
		});
	});

	live();
	flowPath();

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

/**
 * The live panel: the conversation's stream (its state, messages from an index on, its
 * actions) and the actions it offers. An action is sent with an Idempotency-Key that is
 * kept until the archive has it, so sending it again after the platform was down is the
 * same action, done once.
 */
function live() {
	const { api, problem } = window.Archive;
	const panel = document.getElementById('live-panel');
	if (!panel) {
		return;
	}
	const id = panel.dataset.id;
	const me = panel.dataset.user;
	const analyst = panel.dataset.analyst === 'true';
	const manager = panel.dataset.manager === 'true';
	const transcript = document.querySelector('ol.transcript');
	const status = document.getElementById('live-action-status');
	const state = document.getElementById('live-state');
	const durationText = document.getElementById('live-duration');
	const keys = new Map();
	let startedAt = null;
	let over = false;

	const LABELS = { human_agent: 'Human agent' };
	const label = (type) => LABELS[type] || (type ? type.charAt(0).toUpperCase() + type.slice(1).replace(/_/g, ' ') : 'Unknown');

	// A message that arrives live is numbered and marked with its flow node as the page's
	// own are, so that the flow panel finds it.
	function messageItem(m, index) {
		const li = document.createElement('li');
		li.className = `message sender-${(m.senderType || 'unknown').replace(/_/g, '-')}`;
		li.id = `message-${index}`;
		if (m.flowNode) {
			li.dataset.flowNode = m.flowNode;
		}
		const head = document.createElement('div');
		head.className = 'message-head';
		const sender = document.createElement('span');
		sender.className = 'sender';
		sender.textContent = label(m.senderType);
		head.append(sender);
		if (m.senderName) {
			const name = document.createElement('span');
			name.className = 'sender-name';
			name.textContent = m.senderName;
			head.append(name);
		}
		if (m.flowNode) {
			const node = document.createElement('span');
			node.className = 'flow-node';
			node.title = `Flow node ${m.flowNode}`;
			const hidden = document.createElement('span');
			hidden.className = 'visually-hidden';
			hidden.textContent = 'Flow node ';
			const name = document.createElement('span');
			// Labelled as the graph beside the transcript labels it, when there is one.
			name.textContent = window.flowGraph?.getElementById(m.flowNode).data('label') || m.flowNode;
			node.append(hidden, name);
			head.append(node);
		}
		if (m.at) {
			const time = document.createElement('time');
			time.dateTime = m.at;
			time.title = m.at;
			time.textContent = new Date(m.at).toISOString().slice(11, 19);
			head.append(time);
		}
		li.append(head);
		if (m.text) {
			const text = document.createElement('p');
			text.className = 'text';
			text.textContent = m.text;
			li.append(text);
		}
		if (m.function) {
			const call = document.createElement('p');
			call.className = 'function-call';
			call.textContent = `Function call ${m.function.name || ''}`;
			li.append(call);
		}
		return li;
	}

	const shown = () => transcript.querySelectorAll(':scope > li.message > .message-head').length;

	function show(name, visible) {
		panel.querySelectorAll(`[data-action="${name}"]`).forEach((element) => {
			element.hidden = !visible;
		});
	}

	function update(c) {
		startedAt = c.startedAt;
		over = c.state === 'over';
		const mine = c.state === 'held' && c.heldBy === me;
		state.textContent = {
			ai: 'With the AI agent',
			queued: `Waiting for a human${c.queue ? ` in ${c.queue}` : ''}`,
			held: mine ? 'You hold this conversation' : `Held by ${c.heldBy}`,
			over: 'Ended',
		}[c.state] || c.state;
		const ai = c.state === 'ai';
		show('listen', ai && analyst);
		show('take_over', ai && manager);
		show('coach', ai && manager);
		show('transfer', ai && manager);
		show('enqueue', ai && manager);
		show('end', (ai && manager) || mine);
		show('hand_back', mine);
		show('reply', mine);
		show('claim', c.state === 'queued' && analyst);
		if (over) {
			durationText.textContent = '';
		}
		panel.querySelector('.live-badge').hidden = over;
	}

	function actionsList(items) {
		const list = document.getElementById('live-actions-list');
		list.replaceChildren(...items.map((a) => {
			const li = document.createElement('li');
			li.className = `live-action live-action-${a.state}`;
			const what = a.type.replace(/_/g, ' ') + (a.to ? ` to ${a.to}` : '') + (a.queue ? ` to ${a.queue}` : '')
				+ (a.text ? `: “${a.text}”` : '');
			li.textContent = `${new Date(a.requestedAt).toISOString().slice(11, 19)} ${a.requestedBy} — ${what} (${a.state}`
				+ (a.detail && ['failed', 'refused', 'unavailable'].includes(a.state) ? `: ${a.detail}` : '') + ')';
			return li;
		}));
	}

	async function send(action, body, form) {
		const signature = JSON.stringify(body);
		if (!keys.has(signature)) {
			keys.set(signature, crypto.randomUUID());
		}
		status.textContent = 'Sending…';
		const headers = { 'Idempotency-Key': keys.get(signature) };
		let result;
		if (action === 'claim') {
			result = await api('POST', `/api/v1/inbox/${encodeURIComponent(id)}/claim`);
		}
		else {
			result = await apiWith('POST', `/api/v1/conversations/${encodeURIComponent(id)}/actions`, body, headers);
		}
		if (!result.ok) {
			status.replaceChildren(problem(result));
			if (result.status !== 503) {
				keys.delete(signature);
			}
			return false;
		}
		keys.delete(signature);
		status.textContent = action === 'claim' ? 'Claimed: it is yours to answer.' : 'Sent to the agent platform.';
		form?.reset();
		if (action === 'listen') {
			const audio = document.getElementById('listen-audio');
			audio.src = `/api/v1/conversations/${encodeURIComponent(id)}/listen`;
			audio.hidden = false;
			audio.play().catch(() => {});
		}
		return true;
	}

	// The shared api() with extra headers: the idempotency key.
	async function apiWith(method, url, body, extra) {
		const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content;
		const headers = { Accept: 'application/json, application/problem+json', 'Content-Type': 'application/json', ...extra };
		if (meta('_csrf')) {
			headers[meta('_csrf_header') || 'X-CSRF-TOKEN'] = meta('_csrf');
		}
		try {
			const response = await fetch(url, { method, headers, credentials: 'same-origin', body: JSON.stringify(body) });
			const type = response.headers.get('Content-Type') || '';
			const data = type.includes('json') ? await response.json().catch(() => null) : null;
			return { ok: response.ok, status: response.status, data };
		}
		catch (error) {
			return { ok: false, status: 0, data: { title: 'The archive could not be reached', detail: error.message } };
		}
	}

	panel.querySelectorAll('button[data-action]').forEach((button) => {
		button.addEventListener('click', async () => {
			const action = button.dataset.action;
			if (action === 'end' && !window.confirm('End this call for everyone on it?')) {
				return;
			}
			button.disabled = true;
			await send(action, { type: action });
			button.disabled = false;
		});
	});
	panel.querySelectorAll('form[data-action]').forEach((form) => {
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			const body = { type: form.dataset.action };
			for (const element of form.elements) {
				if (element.name) {
					body[element.name] = element.value;
				}
			}
			const submit = form.querySelector('button[type=submit]');
			submit.disabled = true;
			await send(form.dataset.action, body, form);
			submit.disabled = false;
		});
	});

	const source = new EventSource(`/api/v1/conversations/${encodeURIComponent(id)}/stream`);
	source.addEventListener('conversation', (event) => update(JSON.parse(event.data)));
	source.addEventListener('actions', (event) => actionsList(JSON.parse(event.data).items));
	source.addEventListener('messages', (event) => {
		const data = JSON.parse(event.data);
		const have = shown();
		// Only what the page does not show yet; a transcript sent again whole (from 0)
		// that is longer than the page's adds its tail.
		const items = data.items.slice(Math.max(0, have - data.from));
		if (data.from > have) {
			location.reload();
			return;
		}
		const empty = document.querySelector('.transcript-column > .empty');
		empty?.remove();
		// Before the entry of the files of no message, if there is one.
		const last = Array.from(transcript.children).find((li) => !li.querySelector(':scope > .message-head')) || null;
		items.map((m, i) => messageItem(m, have + i)).forEach((li) => transcript.insertBefore(li, last));
	});
	setInterval(() => {
		if (startedAt && !over) {
			const s = Math.max(0, Math.floor((Date.now() - Date.parse(startedAt)) / 1000));
			durationText.textContent = `${Math.floor(s / 60)}m ${s % 60}s`;
		}
	}, 1000);
}

/** The conversation's path on its flow's graph (flowgraph.js), and the way to its messages. */
function flowPath() {
	const panel = document.getElementById('flow-panel');
	if (!panel || !window.cytoscape || !window.FlowGraph) {
		return;
	}
	const graph = JSON.parse(panel.dataset.graph);
	const cy = window.FlowGraph.draw(document.getElementById('flow-graph'), graph);
	window.flowGraph = cy;
	const numbers = new Map();
	graph.steps.forEach((step) => numbers.set(step.node, [...(numbers.get(step.node) || []), step.number]));
	numbers.forEach((taken, node) => {
		const element = cy.getElementById(node);
		// The order as the node's step numbers: "1, 4 · Greeting".
		element.addClass('visited').data('display', `${taken.join(', ')} · ${element.data('label')}`);
		element.data('order', taken[0]);
	});
	for (let i = 1; i < graph.steps.length; i++) {
		const [from, to] = [graph.steps[i - 1].node, graph.steps[i].node];
		cy.edges().filter((edge) => edge.data('source') === from && edge.data('target') === to).addClass('taken');
	}
	if (graph.exitNode) {
		cy.getElementById(graph.exitNode).addClass('exit');
	}
	const status = document.createElement('p');
	status.className = 'visually-hidden';
	status.setAttribute('aria-live', 'polite');
	panel.append(status);

	const show = (node, index) => {
		document.querySelectorAll('.message.flow-marked').forEach((message) => message.classList.remove('flow-marked'));
		const marked = document.querySelectorAll(`.message[data-flow-node="${CSS.escape(node)}"]`);
		marked.forEach((message) => message.classList.add('flow-marked'));
		document.querySelectorAll('#flow-path li').forEach((item) => {
			item.classList.toggle('current', item.querySelector('button')?.dataset.node === node);
		});
		cy.nodes().removeClass('selected');
		cy.getElementById(node).addClass('selected');
		const first = document.getElementById(`message-${index}`);
		if (first) {
			first.tabIndex = -1;
			first.scrollIntoView({ block: 'center' });
			first.focus({ preventScroll: true });
		}
		const label = cy.getElementById(node).data('label') || node;
		status.textContent = `${label}: ${marked.length} ${marked.length === 1 ? 'message' : 'messages'} marked.`;
	};
	cy.on('tap', 'node', (event) => {
		const node = event.target.id();
		const step = graph.steps.find((candidate) => candidate.node === node);
		if (step) {
			show(node, step.message);
		}
	});
	document.getElementById('flow-path')?.addEventListener('click', (event) => {
		const button = event.target.closest('button[data-node]');
		if (button) {
			show(button.dataset.node, Number(button.dataset.message));
		}
	});
	panel.dataset.drawn = 'true';
}
