/*
 * The review rules pages. The list (/rules): every rule of the org, switched on and off,
 * deleted, applied to history with its progress followed. The editor (/rules/new,
 * /rules/{id}): the name, the filter brought from the table, the actions, a backtest (a
 * chart per day with its table, the overlap, a sample with its hits), and saving. All of
 * it through the rules API with the session (Archive.api); its problems are shown as the
 * API gives them. Days are this computer's, sent with its time zone.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, number } = window.Archive;
	const main = document.getElementById('main');
	const $ = (id) => document.getElementById(id);
	const labels = JSON.parse(main.dataset.labels || '{}');
	const manager = main.dataset.manager === 'true';
	const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
	document.querySelectorAll('.zone').forEach((span) => {
		span.textContent = zone;
	});

	const element = (tag, attributes = {}, ...children) => {
		const node = document.createElement(tag);
		Object.entries(attributes).forEach(([name, value]) => {
			if (value != null && value !== false) {
				node.setAttribute(name, value === true ? '' : value);
			}
		});
		node.append(...children.filter((child) => child != null && child !== false));
		return node;
	};
	const showProblem = (area, result) => area.replaceChildren(...(result ? [problem(result)] : []));
	const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
	const rulePath = (id) => `/api/v1/rules/${encodeURIComponent(id)}`;

	// ---- Days of this computer's calendar, and their midnights as the API's instants.
	const pad = (value) => String(value).padStart(2, '0');
	const dayOf = (date) => `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
	const midnight = (day, plus = 0) => {
		const [year, month, date] = day.split('-').map(Number);
		return new Date(year, month - 1, date + plus);
	};
	const instant = (date) => date.toISOString().replace('.000Z', 'Z');
	/** The last 30 days, today included. */
	const lastDays = () => [dayOf(midnight(dayOf(new Date()), -29)), dayOf(new Date())];

	// ---- A filter (its JSON form) in words, and as the table's query string (as
	// FilterParameters reads and writes it).
	const label = (kind, value) => labels[kind]?.[value] ?? value;
	const pairs = (list) => (list || []).map((pair) => `${pair.key}: ${pair.value}`).join(', ');
	function summary(filter) {
		const f = filter || {};
		const parts = [];
		const list = (name, values, kind) => values?.length && parts.push(`${name}: ${values.map((value) => (kind ? label(kind, value) : value)).join(', ')}`);
		list('ID', f.ids);
		list('Status', f.statuses, 'status');
		if (f.from || f.to) {
			parts.push(`Started: ${f.from ? f.from.slice(0, 10) : '…'} to ${f.to ? f.to.slice(0, 10) : '…'} (UTC)`);
		}
		list('Platform', f.platforms, 'platform');
		list('Flow', f.flows);
		list('Direction', f.directions, 'direction');
		list('Used For', f.environments, 'environment');
		if (f.flagged != null) {
			parts.push(f.flagged ? 'Flagged' : 'Not flagged');
		}
		const range = (name, bounds) => {
			if (bounds && (bounds.min != null || bounds.max != null)) {
				parts.push(`${name}: ` + (bounds.min != null && bounds.max != null ? `${bounds.min}–${bounds.max}`
					: bounds.min != null ? `at least ${bounds.min}` : `at most ${bounds.max}`));
			}
		};
		range('Repeat contacts', f.repeatContacts);
		list('Contact', f.contacts);
		if (f.content?.query) {
			parts.push(`Said${f.content.speaker ? ` (${label('speaker', f.content.speaker).toLowerCase()})` : ''}: ${f.content.query}`);
		}
		list('Function', f.functions);
		if (f.tags?.pairs?.length) {
			parts.push(`Tags (${f.tags.match === 'any' ? 'any' : 'all'}): ${pairs(f.tags.pairs)}`);
		}
		if (f.parameters?.length) {
			parts.push(`Parameters: ${pairs(f.parameters)}`);
		}
		list('Agent', f.agents);
		if (f.liveAgentHandled != null) {
			parts.push(f.liveAgentHandled ? 'Handled by a live agent' : 'AI only');
		}
		list('Flagged by', f.flagSources);
		list('Emotions', (f.emotions || []).map((e) => `${e.emotion} ≥ ${e.min}`));
		const s = f.signals || {};
		range('Turns', s.turns);
		range('Longest silence (s)', s.longestSilenceSeconds);
		if (s.functionFailed != null) {
			parts.push(s.functionFailed ? 'A function call failed' : 'No function call failed');
		}
		list('Failed function', s.failedFunctions);
		if (s.customerRepeated != null) {
			parts.push(s.customerRepeated ? 'Customer repeated themselves' : 'Customer never repeated');
		}
		range("Contact's conversations that day", s.contactDailyRank);
		list('Passed node', f.flowNodes);
		list('Exit node', f.exitNodes);
		return parts.join(' · ');
	}
	function query(filter) {
		const f = filter || {};
		const parameters = new URLSearchParams();
		const add = (name, values) => (values || []).forEach((value) => parameters.append(name, String(value)));
		const one = (name, value) => value != null && parameters.append(name, String(value));
		add('id', f.ids);
		add('status', f.statuses);
		one('from', f.from);
		one('to', f.to);
		add('platform', f.platforms);
		add('flow', f.flows);
		add('direction', f.directions);
		add('env', f.environments);
		one('flagged', f.flagged);
		one('repeatMin', f.repeatContacts?.min);
		one('repeatMax', f.repeatContacts?.max);
		add('contact', f.contacts);
		one('q', f.content?.query);
		one('speaker', f.content?.speaker);
		add('function', f.functions);
		add('tag', (f.tags?.pairs || []).map((pair) => `${pair.key}:${pair.value}`));
		one('tagMatch', f.tags?.match);
		add('param', (f.parameters || []).map((pair) => `${pair.key}:${pair.value}`));
		add('agent', f.agents);
		one('liveAgent', f.liveAgentHandled);
		add('flagSource', f.flagSources);
		add('emotion', (f.emotions || []).map((e) => `${e.emotion}:${e.min}`));
		const s = f.signals || {};
		one('turnsMin', s.turns?.min);
		one('turnsMax', s.turns?.max);
		one('silenceMin', s.longestSilenceSeconds?.min);
		one('silenceMax', s.longestSilenceSeconds?.max);
		one('functionFailed', s.functionFailed);
		add('failedFunction', s.failedFunctions);
		one('customerRepeated', s.customerRepeated);
		one('dailyRankMin', s.contactDailyRank?.min);
		one('dailyRankMax', s.contactDailyRank?.max);
		add('flowNode', f.flowNodes);
		add('exitNode', f.exitNodes);
		return parameters;
	}
	/** The table of a filter over a window of days. */
	const tableUrl = (filter, [from, to], more = {}) => {
		const parameters = query({ ...filter, from: instant(midnight(from)), to: instant(midnight(to, 1)) });
		Object.entries(more).forEach(([name, value]) => parameters.set(name, value));
		return '/?' + parameters;
	};
	function actionsText(actions) {
		const flag = actions?.flag || {};
		return [`Flag “${flag.reason}” (${flag.severity})`, actions?.tag ? `Tag ${actions.tag.key}: ${actions.tag.value}` : null,
			actions?.notify ? 'Notify' : null].filter(Boolean).join(' · ');
	}

	// ---- A run of a rule over history (apply, or remove its flags), followed about once a
	// second until it completes or fails, shown in an area as it goes.
	const followers = new WeakMap();
	/** Stops showing what an area follows (the run goes on on the server). */
	const stopFollowing = (area) => {
		const mine = (followers.get(area) || 0) + 1;
		followers.set(area, mine);
		return mine;
	};
	async function follow(ruleId, run, area, name) {
		const mine = stopFollowing(area);
		const following = () => followers.get(area) === mine;
		let current = run;
		for (;;) {
			if (!following()) {
				return;
			}
			area.replaceChildren(runView(current, name));
			if (current.status === 'completed' || current.status === 'failed') {
				return;
			}
			await sleep(1000);
			const result = await api('GET', `${rulePath(ruleId)}/runs/${encodeURIComponent(current.id)}`);
			if (!result.ok) {
				if (following()) {
					showProblem(area, result);
				}
				return;
			}
			current = result.data;
		}
	}
	function runView(run, name) {
		const removing = run.kind === 'remove';
		if (run.status === 'failed') {
			return problem({ status: 'failed', data: { title: removing ? 'Removing its flags failed' : 'Applying the rule failed', detail: run.error } });
		}
		if (run.status === 'completed') {
			return element('p', { class: 'notice run-done' }, removing
				? `Done: its flags are removed from ${number(run.done)} ${run.done === 1 ? 'conversation' : 'conversations'}.`
				: `Done: ${number(run.done)} ${run.done === 1 ? 'conversation' : 'conversations'} checked and flagged.`);
		}
		const known = run.status === 'running' && run.total != null;
		const bar = element('progress', { 'aria-label': `${removing ? 'Removing the flags of' : 'Applying'} “${name}”`, max: known ? Math.max(run.total, 1) : null, value: known ? run.done : null });
		return element('div', { class: 'run-progress' }, bar, element('span', {}, run.status === 'queued' ? 'Queued…'
			: `${removing ? 'Removing its flags' : 'Flagging'}: ${number(run.done)} of ${number(run.total)}`));
	}
	/** The newest run of a kind, if the runs API has one that is not finished. */
	async function unfinished(ruleId, kind) {
		const result = await api('GET', `${rulePath(ruleId)}/runs`);
		const runs = result.ok ? (result.data?.items || []) : [];
		return runs.filter((run) => (!kind || run.kind === kind))
			.sort((a, b) => String(b.createdAt).localeCompare(String(a.createdAt)))
			.find((run) => run.status === 'queued' || run.status === 'running');
	}

	// ================= The list =================
	function listPage() {
		const status = $('rules-status');
		const say = (text) => {
			status.textContent = text;
			status.hidden = !text;
		};
		let rules = [];

		async function load() {
			const result = await api('GET', '/api/v1/rules');
			$('rules-loading').hidden = true;
			if (!result.ok) {
				showProblem($('rules-problems'), result);
				return;
			}
			rules = result.data?.items || [];
			$('rules-empty').hidden = rules.length > 0;
			$('rules-wrap').hidden = rules.length === 0;
			$('rules-list').replaceChildren(...rules.map(row));
		}

		function row(rule) {
			const name = element('span', { class: 'visually-hidden' }, ` of ${rule.name}`);
			const flagged = query(rule.filter);
			flagged.set('flagged', 'true');
			const toggle = manager
				? element('button', { type: 'button', role: 'switch', class: 'toggle', 'aria-checked': String(rule.enabled), 'data-command': 'switch' },
					element('span', { class: 'track', 'aria-hidden': 'true' }), element('span', {}, rule.enabled ? 'On' : 'Off'),
					element('span', { class: 'visually-hidden' }, `: ${rule.name}`))
				: element('span', { class: rule.enabled ? 'pill pill-on' : 'pill' }, rule.enabled ? 'On' : 'Off');
			return element('tr', { id: `rule-${rule.id}`, 'data-rule-id': rule.id },
				element('th', { scope: 'row' }, element('a', { href: `/rules/${encodeURIComponent(rule.id)}`, class: 'rule-name' }, rule.name),
					element('span', { class: 'muted owner' }, `by ${rule.owner}`)),
				element('td', {}, element('span', { class: 'rule-filter' }, summary(rule.filter)),
					element('a', { href: '/?' + flagged, class: 'table-link' }, 'Flagged ones in the table', name.cloneNode(true))),
				element('td', { class: 'rule-actions' }, actionsText(rule.actions)),
				element('td', {}, toggle),
				element('td', { class: 'commands' },
					element('a', { href: `/rules/${encodeURIComponent(rule.id)}#backtest`, class: 'button' }, 'Backtest', name.cloneNode(true)),
					manager && element('button', { type: 'button', 'data-command': 'apply' }, 'Apply to history…', name.cloneNode(true)),
					manager && element('button', { type: 'button', class: 'danger', 'data-command': 'delete' }, 'Delete', name.cloneNode(true)),
					element('div', { class: 'run-status', 'aria-live': 'polite' })));
		}

		const ruleOf = (button) => rules.find((rule) => rule.id === button.closest('tr')?.dataset.ruleId);
		function replace(rule) {
			rules = rules.map((each) => (each.id === rule.id ? rule : each));
			const fresh = row(rule);
			$(`rule-${rule.id}`).replaceWith(fresh);
			fresh.querySelector('[data-command=switch]')?.focus();
			return fresh;
		}

		main.addEventListener('click', async (event) => {
			const button = event.target.closest('button[data-command]');
			const rule = button && ruleOf(button);
			if (!rule) {
				return;
			}
			showProblem($('rules-problems'), null);
			switch (button.dataset.command) {
				case 'switch':
					if (rule.enabled) {
						confirm(rule, 'disable');
					}
					else {
						button.disabled = true;
						const result = await api('POST', `${rulePath(rule.id)}/enable`);
						button.disabled = false;
						if (!result.ok) {
							showProblem($('rules-problems'), result);
							return;
						}
						replace(result.data);
						say(`“${rule.name}” is on: it flags the conversations its filter finds as they are written.`);
					}
					break;
				case 'delete': confirm(rule, 'delete'); break;
				case 'apply': openApply(rule); break;
				default:
			}
		});

		// ---- Switching off and deleting ask about the flags the rule set.
		let confirming = null;
		function confirm(rule, action) {
			confirming = { rule, action };
			const deleting = action === 'delete';
			$('confirm-title').textContent = deleting ? `Delete “${rule.name}”?` : `Switch off “${rule.name}”?`;
			$('confirm-text').textContent = deleting ? 'The rule is gone for good; what it flagged stays flagged unless you say otherwise.'
				: 'It stops flagging new conversations; what it flagged stays flagged unless you say otherwise.';
			$('confirm-submit').textContent = deleting ? 'Delete' : 'Switch off';
			$('confirm-submit').className = deleting ? 'danger' : 'primary';
			$('remove-flags').checked = false;
			showProblem($('confirm-problems'), null);
			$('confirm-dialog').showModal();
		}
		$('confirm-cancel')?.addEventListener('click', () => $('confirm-dialog').close());
		$('confirm-form')?.addEventListener('submit', async (event) => {
			event.preventDefault();
			const { rule, action } = confirming;
			const removeFlags = $('remove-flags').checked;
			const suffix = removeFlags ? '?removeFlags=true' : '';
			$('confirm-submit').disabled = true;
			const result = action === 'delete' ? await api('DELETE', rulePath(rule.id) + suffix)
				: await api('POST', `${rulePath(rule.id)}/disable${suffix}`);
			$('confirm-submit').disabled = false;
			if (!result.ok) {
				showProblem($('confirm-problems'), result);
				return;
			}
			$('confirm-dialog').close();
			const flags = removeFlags ? ' Its flags are being removed in the background.' : '';
			if (action === 'delete') {
				rules = rules.filter((each) => each.id !== rule.id);
				$(`rule-${rule.id}`).remove();
				$('rules-empty').hidden = rules.length > 0;
				$('rules-wrap').hidden = rules.length === 0;
				say(`“${rule.name}” is deleted.${flags}`);
				$('new-rule')?.focus();
				return;
			}
			const fresh = replace(result.data);
			say(`“${rule.name}” is off.${flags}`);
			const run = removeFlags && await unfinished(rule.id, 'remove');
			if (run) {
				follow(rule.id, run, fresh.querySelector('.run-status'), rule.name);
			}
		});

		// ---- Applying a rule to some days of history, followed in the dialog.
		let applying = null;
		async function openApply(rule) {
			applying = rule;
			stopFollowing($('apply-status'));
			const [from, to] = lastDays();
			$('apply-title').textContent = `Apply “${rule.name}” to history`;
			$('apply-from').value = from;
			$('apply-to').value = to;
			$('apply-status').replaceChildren();
			$('apply-submit').disabled = false;
			$('apply-dialog').showModal();
			const run = await unfinished(rule.id, 'apply');
			if (run && applying === rule) {
				follow(rule.id, run, $('apply-status'), rule.name);
			}
		}
		$('apply-close')?.addEventListener('click', () => $('apply-dialog').close());
		$('apply-form')?.addEventListener('submit', async (event) => {
			event.preventDefault();
			const rule = applying;
			const from = $('apply-from').value;
			const to = $('apply-to').value;
			if (!from || !to) {
				showProblem($('apply-status'), { status: 400, data: { title: 'Choose the days', detail: `${from ? 'To' : 'From'}: a day is needed.` } });
				return;
			}
			$('apply-submit').disabled = true;
			const result = await api('POST', `${rulePath(rule.id)}/runs`, { kind: 'apply', from: instant(midnight(from)), to: instant(midnight(to, 1)) });
			$('apply-submit').disabled = false;
			if (!result.ok) {
				showProblem($('apply-status'), result);
				return;
			}
			follow(rule.id, result.data, $('apply-status'), rule.name);
		});

		load();
	}

	// ================= The editor =================
	function editorPage() {
		let ruleId = main.dataset.ruleId || null;
		let rule = null;
		// The filter being edited: the table's when the page came from it, else the rule's.
		const brought = main.dataset.filter ? JSON.parse(main.dataset.filter) : null;
		let filter = brought;
		const form = $('rule-form');
		const windowFrom = $('backtest-from');
		const windowTo = $('backtest-to');
		const [defaultFrom, defaultTo] = lastDays();
		windowFrom.value = main.dataset.from ? dayOf(new Date(main.dataset.from)) : defaultFrom;
		windowTo.value = main.dataset.to ? dayOf(new Date(Date.parse(main.dataset.to) - 1)) : defaultTo;
		const windowDays = () => [windowFrom.value || defaultFrom, windowTo.value || defaultTo];

		const actions = () => {
			const key = $('tag-key').value.trim();
			const value = $('tag-value').value.trim();
			return {
				flag: { reason: $('flag-reason').value.trim() || null, severity: $('flag-severity').value },
				tag: key || value ? { key, value } : undefined,
				notify: $('notify').checked,
			};
		};
		function show() {
			$('filter-summary').textContent = summary(filter) || 'No filter yet: a rule needs at least one condition. Choose “Change filters”.';
			const notes = [];
			if (brought && rule) {
				notes.push(`Brought from the table; saving replaces the rule's filter (${summary(rule.filter)}).`);
			}
			if (brought && (main.dataset.from || main.dataset.to)) {
				notes.push('The table\'s dates are not part of the rule, which looks at conversations as they are written: they are the backtest\'s days below.');
			}
			$('filter-note').textContent = notes.join(' ');
			$('filter-note').hidden = notes.length === 0;
			$('change-filters').href = tableUrl(filter, windowDays(), ruleId ? { rule: ruleId } : {});
			$('sample-table').href = tableUrl(filter, windowDays());
			const heading = rule ? rule.name : 'New rule';
			$('rule-heading').textContent = heading;
			document.title = `${heading} · Conversation Archive`;
			$('rule-state').hidden = !rule;
			$('rule-state').textContent = rule?.enabled ? 'On' : 'Off';
			$('rule-state').className = rule?.enabled ? 'pill pill-on' : 'pill';
			if ($('save')) {
				$('save').textContent = rule ? 'Save' : 'Save (off)';
				$('save-on').hidden = Boolean(rule?.enabled);
			}
		}
		function fill(saved) {
			$('rule-name').value = saved.name;
			$('flag-reason').value = saved.actions?.flag?.reason === saved.name ? '' : (saved.actions?.flag?.reason || '');
			$('flag-severity').value = saved.actions?.flag?.severity || 'medium';
			$('tag-key').value = saved.actions?.tag?.key || '';
			$('tag-value').value = saved.actions?.tag?.value || '';
			$('notify').checked = Boolean(saved.actions?.notify);
		}
		[windowFrom, windowTo].forEach((input) => input.addEventListener('change', show));

		// ---- Saving: off (or as it is), or switched on.
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			if (!manager) {
				return;
			}
			const enable = event.submitter?.id === 'save-on';
			const body = { name: $('rule-name').value, filter: filter || {}, actions: actions() };
			if (enable) {
				body.enabled = true;
			}
			form.querySelectorAll('.form-actions button').forEach((button) => {
				button.disabled = true;
			});
			$('save-status').textContent = 'Saving…';
			const result = ruleId ? await api('PUT', rulePath(ruleId), body) : await api('POST', '/api/v1/rules', body);
			form.querySelectorAll('.form-actions button').forEach((button) => {
				button.disabled = false;
			});
			showProblem($('rule-problems'), result.ok ? null : result);
			if (!result.ok) {
				$('save-status').textContent = '';
				$('rule-problems').scrollIntoView({ block: 'nearest' });
				return;
			}
			rule = result.data;
			ruleId = rule.id;
			filter = rule.filter;
			history.replaceState(null, '', `/rules/${encodeURIComponent(ruleId)}`);
			main.dataset.ruleId = ruleId;
			fill(rule);
			$('save-status').textContent = `Saved. ${rule.enabled ? 'It is on: it flags the conversations its filter finds as they are written.' : 'It is off.'}`;
			show();
		});

		// ---- The backtest of the rule as it stands in the form.
		const chartHolder = $('per-day-chart');
		let answer = null;
		$('backtest-button').addEventListener('click', backtest);
		async function backtest() {
			const [from, to] = [windowFrom.value, windowTo.value];
			const body = { filter: filter || {}, actions: actions(), timeZone: zone };
			if ($('rule-name').value.trim()) {
				body.name = $('rule-name').value;
			}
			if (from) {
				body.from = from;
			}
			if (to) {
				body.to = to;
			}
			$('backtest-button').disabled = true;
			$('backtest').setAttribute('aria-busy', 'true');
			const result = await api('POST', '/api/v1/rules/_backtest', body);
			$('backtest-button').disabled = false;
			$('backtest').removeAttribute('aria-busy');
			showProblem($('backtest-problems'), result.ok ? null : result);
			$('backtest-result').hidden = !result.ok;
			if (result.ok) {
				answer = result.data;
				drawBacktest(answer);
			}
		}

		// Colours from the stylesheet, so the chart follows the light and dark themes.
		const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
		function drawChart(days) {
			if (!window.echarts) {
				return;
			}
			const chart = window.echarts.getInstanceByDom(chartHolder) || window.echarts.init(chartHolder, null, { renderer: 'svg' });
			const axis = { axisLine: { lineStyle: { color: css('--muted') } }, axisTick: { lineStyle: { color: css('--muted') } },
				axisLabel: { color: css('--muted') }, splitLine: { lineStyle: { color: css('--line') } } };
			chart.setOption({
				animation: false,
				textStyle: { color: css('--text'), fontFamily: getComputedStyle(document.body).fontFamily },
				tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, backgroundColor: css('--panel'), borderColor: css('--line'), textStyle: { color: css('--text') } },
				grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
				xAxis: { type: 'category', data: days.map((day) => day.day), ...axis },
				yAxis: { type: 'value', minInterval: 1, ...axis },
				series: [{ name: 'Conversations', type: 'bar', barMaxWidth: 32, itemStyle: { color: css('--accent') }, data: days.map((day) => day.count) }],
			}, true);
		}
		new ResizeObserver(() => window.echarts?.getInstanceByDom(chartHolder)?.resize()).observe(chartHolder);
		matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => answer && drawChart(answer.perDay));

		const dataTable = (caption, headers, rows) => element('table', { class: 'data-table' }, element('caption', {}, caption),
			element('thead', {}, element('tr', {}, ...headers.map((header, i) => element('th', { scope: 'col', class: i > 0 ? 'num' : null }, header)))),
			element('tbody', {}, ...rows.map((cells) => element('tr', {}, element('th', { scope: 'row' }, cells[0]),
				...cells.slice(1).map((cell) => element('td', { class: 'num' }, number(cell)))))));
		const plural = (count, one, many) => `${number(count)} ${count === 1 ? one : many}`;

		function drawBacktest(result) {
			const first = result.perDay[0]?.day;
			const last = result.perDay[result.perDay.length - 1]?.day;
			$('backtest-total').replaceChildren(element('strong', { id: 'backtest-count' }, number(result.total)),
				` ${result.total === 1 ? 'conversation' : 'conversations'} from ${first} to ${last} (${result.timeZone})`);
			drawChart(result.perDay);
			$('per-day-table').replaceChildren(dataTable(`Per day (${result.timeZone})`, ['Day', 'Conversations', 'Notifications'],
				result.perDay.map((day, i) => [day.day, day.count, result.notificationsPerDay[i]?.count ?? 0])));
			const overlap = result.overlap || { flagged: 0, bySource: {} };
			const share = result.total ? ` (${Math.round((overlap.flagged / result.total) * 100)}%)` : '';
			$('overlap').replaceChildren(element('p', {}, `${number(overlap.flagged)} of ${number(result.total)}${share} are flagged already.`),
				dataTable('Flagged already, by who flagged them', ['Flagged by', 'Conversations'],
					Object.entries(overlap.bySource || {}).map(([source, count]) => [label('flagSource', source), count])));
			const busiest = Math.max(0, ...result.notificationsPerDay.map((day) => day.count));
			$('notifications').textContent = result.notifications === 0
				? (actions().notify ? 'None: it found nothing to notify about.' : 'None: it does not notify.')
				: `${plural(result.notifications, 'notification', 'notifications')}, at most ${number(busiest)} on one day.`;
			$('sample').replaceChildren(...(result.sample.length === 0 ? [element('li', { class: 'muted' }, 'None.')] : result.sample.map(sampleRow)));
			$('sample-table').href = tableUrl(filter, windowDays());
		}

		/** A conversation of the sample, with its hits as the table shows them. */
		function sampleRow(row) {
			const fragment = (html) => {
				// The highlighter's HTML: text, escaped, and <mark>; nothing else is kept.
				const template = document.createElement('template');
				template.innerHTML = html;
				return element('span', { class: 'fragment' }, ...[...template.content.childNodes]
					.map((node) => (node.nodeName === 'MARK' ? element('mark', {}, node.textContent) : node.textContent)));
			};
			return element('li', {},
				element('p', { class: 'sample-head' },
					element('a', { href: `/conversations/${encodeURIComponent(row.id)}`, class: 'conversation-link' }, row.id),
					element('span', {}, label('platform', row.platform)),
					row.status && element('span', { class: `status status-${row.status}` }, label('status', row.status)),
					element('time', { datetime: row.startedAt }, `${String(row.startedAt).slice(0, 16).replace('T', ' ')} UTC`),
					row.flagged && element('span', { class: 'flagged' }, 'Flagged')),
				row.highlights?.length && element('ol', { class: 'highlights', 'aria-label': `Matches in ${row.id}` },
					...row.highlights.map((hit) => element('li', {},
						hit.at && element('time', { datetime: hit.at }, String(hit.at).slice(0, 16).replace('T', ' ')),
						hit.senderType && element('span', { class: `sender sender-${hit.senderType}` }, label('speaker', hit.senderType)),
						...(hit.fragments || []).map(fragment)))));
		}

		async function start() {
			if (ruleId) {
				const result = await api('GET', rulePath(ruleId));
				if (!result.ok) {
					showProblem($('rule-problems'), result);
					form.hidden = true;
					return;
				}
				rule = result.data;
				filter = brought || rule.filter;
				fill(rule);
			}
			show();
			if (location.hash === '#backtest') {
				backtest();
			}
		}
		start();
	}

	labels.flagSource = { review_agent: 'The review agent', rule: 'Rules', user: 'People' };
	if (main.dataset.page === 'rules') {
		listPage();
	}
	else if (main.dataset.page === 'rule') {
		editorPage();
	}
});
