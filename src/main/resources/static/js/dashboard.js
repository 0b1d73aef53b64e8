/*
 * The dashboard. The server renders the filter panel (made live by filters.js) and the
 * frame of each figure; this script asks the analytics API for the figures of the state
 * shown, with the same filters and the dashboard's settings, and draws them with ECharts,
 * each with its table (for screen readers, the keyboard and exact numbers). A click on a
 * bar, a slice or a row opens the conversations table with that filter added. Colours
 * come from the stylesheet's custom properties, so the charts follow the light and dark
 * themes, and are drawn again when the system's setting changes.
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, number } = window.Archive;
	const { dayOf, midnight, addDays, offset } = window.ArchiveFilters;
	let filters = null;

	const stateElement = () => document.getElementById('dashboard-state');
	const figures = () => document.getElementById('figures');
	const form = () => document.getElementById('filters');
	/** The analytics API's query for the state shown ('?…'); undefined when the page has a problem. */
	const query = () => stateElement()?.dataset.query;
	const labels = () => JSON.parse(stateElement()?.dataset.labels || '{}');

	// ---- Colours, from the stylesheet: the charts are drawn in the page's theme.
	const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
	const theme = () => ({
		text: css('--text'),
		muted: css('--muted'),
		line: css('--line'),
		panel: css('--panel'),
		accent: css('--accent'),
		other: css('--chart-other'),
		palette: Array.from({ length: 10 }, (_, i) => css(`--chart-${i + 1}`)),
		font: getComputedStyle(document.body).fontFamily,
	});

	// ---- Words and numbers.
	const percent = (share) => (share == null ? '–' : `${(share * 100).toFixed(1)}%`);
	const seconds = (value) => {
		if (value == null) {
			return '–';
		}
		const total = Math.round(value);
		if (total < 60) {
			return `${total}s`;
		}
		if (total < 3600) {
			return `${Math.floor(total / 60)}m ${total % 60}s`;
		}
		if (total < 86400) {
			return `${Math.floor(total / 3600)}h ${Math.floor((total % 3600) / 60)}m`;
		}
		return `${Math.floor(total / 86400)}d ${Math.floor((total % 86400) / 3600)}h`;
	};
	const shortSeconds = (value) => (value < 60 ? `${value}s` : value < 3600 ? `${value / 60}m` : `${value / 3600}h`);
	const decimal = (value) => (value == null ? '–' : Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 }));
	const SPLIT_KINDS = { status: 'status', platform: 'platform', flow: 'flow', direction: 'direction', environment: 'environment', liveAgent: 'liveAgent' };
	/** How the page names a value of a split or a figure. */
	const named = (kind, value) => {
		if (value === 'other') {
			return 'Other';
		}
		return labels()[SPLIT_KINDS[kind]]?.[value] ?? String(value);
	};
	/** A change against the previous period: relative for counts, in points for shares. */
	const change = (now, before, kind) => {
		if (now == null || before == null) {
			return null;
		}
		if (kind === 'share') {
			const points = (now - before) * 100;
			return Math.abs(points) < 0.05 ? 'no change' : `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts`;
		}
		if (before === 0) {
			return now === 0 ? 'no change' : 'new';
		}
		const relative = ((now - before) / before) * 100;
		return Math.abs(relative) < 0.5 ? 'no change' : `${relative > 0 ? '+' : '−'}${Math.abs(relative).toFixed(0)}%`;
	};

	// ---- Time: the buckets' starts in the dashboard's zone, and their ends.
	const zoneOf = (answer) => {
		// The API may name UTC by its offset ("Z"), which is no zone to Intl.
		const zone = !answer.tz || answer.tz === 'Z' ? 'UTC' : answer.tz;
		try {
			Intl.DateTimeFormat('en-US', { timeZone: zone });
			return zone;
		}
		catch (error) {
			return 'UTC';
		}
	};
	const wall = (instant, zone) => new Date(instant + offset(instant, zone)).toISOString();
	const bucketLabel = (start, answer) => {
		const text = wall(Date.parse(start), zoneOf(answer));
		switch (answer.interval) {
			case 'hour': return text.slice(0, 10) + ' ' + text.slice(11, 16);
			case 'month': return text.slice(0, 7);
			default: return text.slice(0, 10);
		}
	};
	const nextStart = (start, answer) => {
		const zone = zoneOf(answer);
		const day = dayOf(start, zone);
		switch (answer.interval) {
			case 'hour': return start + 3600 * 1000;
			case 'day': return midnight(addDays(day, 1), zone);
			case 'week': return midnight(addDays(day, 7), zone);
			default: {
				const [year, month] = day.split('-').map(Number);
				return midnight(month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`, zone);
			}
		}
	};
	/** A bucket's from..to, within the range (the first and last may reach outside it). */
	const bucketRange = (index, answer) => {
		const start = Date.parse(answer.volume[index].start);
		const next = answer.volume[index + 1] ? Date.parse(answer.volume[index + 1].start) : nextStart(start, answer);
		const from = answer.range?.from ? Math.max(start, Date.parse(answer.range.from)) : start;
		const to = answer.range?.to ? Math.min(next, Date.parse(answer.range.to)) : next;
		return [from, to];
	};
	const iso = (instant) => new Date(instant).toISOString().replace('.000Z', 'Z');
	const period = (range, zone) => (range?.from && range?.to
		? `${dayOf(Date.parse(range.from), zone)} – ${dayOf(Date.parse(range.to) - 1, zone)}` : '');

	// ---- The conversations table with a filter added: the state shown (the view and its
	// filters), narrowed. A field with one value per conversation takes the clicked one in
	// place of its own (it is one of them); tags and parameters, which all must match, get
	// it added.
	const SPLIT_PARAMETERS = { status: 'status', platform: 'platform', flow: 'flow', direction: 'direction', environment: 'env', agent: 'agent', liveAgent: 'liveAgent' };
	const splitFilter = (split, value) => {
		if (!split || value === 'other') {
			return [];
		}
		return split.startsWith('tag:') ? [['tag', `${split.slice(4)}:${value}`]] : [[SPLIT_PARAMETERS[split], value]];
	};
	function tableUrl(additions) {
		const url = new URL(stateElement().dataset.table, location.origin);
		const parameters = url.searchParams;
		parameters.delete('unfiltered');
		for (const [name, value] of additions) {
			if (name === 'tag' && parameters.get('tagMatch') === 'any') {
				parameters.delete('tag');
				parameters.delete('tagMatch');
			}
			if (name === 'tag' || name === 'param') {
				if (!parameters.getAll(name).includes(value)) {
					parameters.append(name, value);
				}
			}
			else {
				parameters.set(name, value);
			}
		}
		return url.pathname + url.search;
	}
	const open = (url, event) => {
		if (event && (event.ctrlKey || event.metaKey || event.shiftKey)) {
			window.open(url, '_blank', 'noopener');
		}
		else {
			location.assign(url);
		}
	};

	// ---- Elements.
	const element = (tag, attributes = {}, ...children) => {
		const node = document.createElement(tag);
		Object.entries(attributes).forEach(([name, value]) => {
			if (value != null) {
				node.setAttribute(name, value);
			}
		});
		node.append(...children.filter((child) => child != null));
		return node;
	};
	/** A table of a figure: each cell a text, a number, or {text, href}. */
	function dataTable(caption, headers, rows) {
		const cell = (value, header) => {
			const node = element(header ? 'th' : 'td', header ? { scope: 'row' } : {});
			if (value && typeof value === 'object') {
				node.append(value.href ? element('a', { href: value.href }, value.text) : value.text);
			}
			else {
				node.append(typeof value === 'number' ? number(value) : String(value ?? ''));
			}
			if (typeof value === 'number' || (value && typeof value === 'object' && value.numeric)) {
				node.className = 'num';
			}
			return node;
		};
		return element('table', { class: 'data-table' },
			element('caption', {}, caption),
			element('thead', {}, element('tr', {}, ...headers.map((header, i) => element('th', { scope: 'col', class: i > 0 ? 'num' : null }, header)))),
			element('tbody', {}, ...(rows.length === 0
				? [element('tr', {}, element('td', { colspan: headers.length }, 'None.'))]
				: rows.map((row) => element('tr', {}, ...row.map((value, i) => cell(value, i === 0)))))));
	}
	const setTables = (figure, ...tables) => {
		document.querySelector(`[data-table-of="${figure}"]`)?.replaceChildren(...tables);
	};
	const setNote = (figure, ...parts) => {
		const note = document.querySelector(`[data-note="${figure}"]`);
		if (note) {
			note.replaceChildren(...parts.filter((part) => part != null && part !== '').flatMap((part, i) => (i === 0 ? [part] : [' · ', part])));
		}
	};
	const delta = (text) => (text ? element('span', { class: 'delta' }, `${text} vs the previous period`) : null);

	// ---- Charts: one ECharts instance per element, drawn again with each answer and
	// theme; an empty figure says so instead.
	const charts = new Map();
	const resizes = new ResizeObserver((entries) => entries.forEach((entry) => charts.get(entry.target)?.resize()));
	function chart(target, option, onClick, height) {
		const holder = typeof target === 'string' ? document.querySelector(`[data-chart="${target}"]`) : target;
		if (!holder) {
			return;
		}
		let empty = holder.nextElementSibling?.classList.contains('chart-empty') ? holder.nextElementSibling : null;
		if (!option) {
			charts.get(holder)?.dispose();
			charts.delete(holder);
			holder.hidden = true;
			if (!empty) {
				empty = element('p', { class: 'chart-empty' }, 'None in these conversations.');
				holder.after(empty);
			}
			return;
		}
		holder.hidden = false;
		empty?.remove();
		if (height) {
			holder.style.height = `${height}px`;
		}
		if (!window.echarts) {
			return;
		}
		let instance = charts.get(holder);
		if (!instance) {
			instance = window.echarts.init(holder, null, { renderer: 'svg' });
			charts.set(holder, instance);
			resizes.observe(holder);
		}
		else {
			instance.resize();
		}
		instance.off('click');
		if (onClick) {
			instance.on('click', (params) => {
				const url = onClick(params);
				if (url) {
					open(url, params.event?.event);
				}
			});
		}
		instance.setOption(option, true);
	}
	function forgetCharts() {
		charts.forEach((instance, holder) => {
			if (!document.contains(holder)) {
				instance.dispose();
				resizes.unobserve(holder);
				charts.delete(holder);
			}
		});
	}

	const base = (t) => ({
		animation: false,
		color: t.palette,
		textStyle: { color: t.text, fontFamily: t.font },
		tooltip: { backgroundColor: t.panel, borderColor: t.line, textStyle: { color: t.text }, confine: true },
		grid: { left: 8, right: 24, top: 16, bottom: 8, containLabel: true },
	});
	const axis = (t) => ({
		axisLine: { lineStyle: { color: t.muted } },
		axisTick: { lineStyle: { color: t.muted } },
		axisLabel: { color: t.muted },
		splitLine: { lineStyle: { color: t.line } },
		nameTextStyle: { color: t.muted },
	});
	/** Horizontal bars, the largest first: items [{label, value}]. */
	const bars = (t, items, color, clickable, format) => ({
		...base(t),
		// Room to the left: the labels are measured a little narrower than they are drawn.
		grid: { ...base(t).grid, left: 20 },
		tooltip: { ...base(t).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: format },
		xAxis: { type: 'value', minInterval: format ? 0 : 1, splitNumber: 4, ...axis(t),
			axisLabel: { color: t.muted, formatter: format ? (value) => `${Math.round(value * 1000) / 10}%` : undefined } },
		// Long names cut here: ECharts' own truncation leaves them out of the grid's room.
		yAxis: { type: 'category', inverse: true, data: items.map((item) => item.label), ...axis(t),
			axisLabel: { color: t.text, formatter: (name) => (name.length > 28 ? name.slice(0, 27) + '…' : name) } },
		series: [{ type: 'bar', data: items.map((item) => item.value), itemStyle: { color }, cursor: clickable ? 'pointer' : 'default',
			label: { show: true, position: 'right', color: t.text, formatter: format ? (params) => format(params.value) : undefined }, barMaxWidth: 22 }],
	});
	const barsHeight = (count) => 48 + count * 30;
	/** Vertical bars over categories (a histogram). */
	const columns = (t, names, values, color) => ({
		...base(t),
		tooltip: { ...base(t).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
		xAxis: { type: 'category', data: names, ...axis(t), axisLabel: { color: t.muted, interval: 0, hideOverlap: false } },
		yAxis: { type: 'value', minInterval: 1, ...axis(t) },
		series: [{ type: 'bar', data: values, itemStyle: { color }, cursor: 'default', barMaxWidth: 48 }],
	});

	// ---- The figures.
	function draw(answer) {
		const t = theme();
		const previous = answer.previous;
		const zone = zoneOf(answer);
		const view = stateElement()?.dataset.view;
		const total = document.getElementById('total');
		total.replaceChildren(element('strong', {}, number(answer.total)), ` ${answer.total === 1 ? 'conversation' : 'conversations'}`,
			view ? element('span', { class: 'muted' }, ` in ${view}`) : null,
			answer.range ? ` · ${period(answer.range, zone)} (${zone})` : '',
			answer.interval ? ` · by ${answer.interval}` : '');
		kpis(answer, t);
		volume(answer, t);
		outcomes(answer, t);
		duration(answer, t);
		turns(answer, t);
		flags(answer, t);
		sentiment(answer, t);
		topList('functions', answer.functions, t, t.palette[2], 'Function', (value) => [['function', value]]);
		topList('parameters', answer.parameters, t, t.palette[5], 'Parameter key', (value) => [['param', `${value}:*`]]);
		topList('contacts', (answer.contacts || []).map((contact) => ({ ...contact, label: contact.label ? `${contact.label} (${contact.value})` : contact.value })),
			t, t.palette[3], 'Contact', (value) => [['contact', value]]);
		tags(answer, t);
		repeatContacts(answer, t);
		setNote('volume', `${number(answer.total)} ${answer.total === 1 ? 'conversation' : 'conversations'}`,
			previous ? delta(change(answer.total, previous.total)) : null,
			answer.split ? 'a click on a bar opens its conversations of that kind' : 'a click on a bar opens its conversations');
		if (previous) {
			figures().dataset.previous = period(previous.range, zone);
		}
	}

	function kpis(answer, t) {
		const previous = answer.previous;
		const kpi = (id, name, value, deltaText, href) => element(href ? 'a' : 'div', { class: 'kpi', id: `kpi-${id}`, href },
			element('span', { class: 'kpi-name' }, name),
			element('strong', { class: 'kpi-value' }, value),
			element('span', { class: 'delta' }, deltaText ? `${deltaText} vs the previous period` : '\u00a0'));
		const share = (name) => answer[name]?.share;
		document.getElementById('kpis').replaceChildren(
			kpi('total', 'Conversations', number(answer.total), previous && change(answer.total, previous.total), tableUrl([])),
			kpi('resolved', 'Resolved without a human', percent(share('resolvedWithoutHuman')),
				previous && change(share('resolvedWithoutHuman'), previous.resolvedWithoutHuman?.share, 'share'),
				tableUrl([['status', 'completed'], ['liveAgent', 'false']])),
			kpi('handoff', 'Handed to a human', percent(share('handoff')),
				previous && change(share('handoff'), previous.handoff?.share, 'share'), tableUrl([['liveAgent', 'true']])),
			kpi('abandoned', 'Abandoned', percent(share('abandoned')),
				previous && change(share('abandoned'), previous.abandoned?.share, 'share'), tableUrl([['status', 'abandoned']])),
			kpi('flagged', 'Flagged', percent(answer.flags?.rate),
				previous && change(answer.flags?.rate, previous.flags?.rate, 'share'), tableUrl([['flagged', 'true']])),
			kpi('duration', 'Median duration', `${answer.duration?.approximate ? '≈ ' : ''}${seconds(answer.duration?.p50)}`,
				previous && change(answer.duration?.p50, previous.duration?.p50)));
	}

	function volume(answer, t) {
		const buckets = answer.volume || [];
		const split = answer.split;
		// The split's values, the largest first, "other" last.
		const totals = new Map();
		buckets.forEach((bucket) => Object.entries(bucket.split || {}).forEach(([value, count]) => totals.set(value, (totals.get(value) || 0) + count)));
		const values = [...totals.keys()].sort((a, b) => (a === 'other') - (b === 'other') || totals.get(b) - totals.get(a));
		const names = buckets.map((bucket) => bucketLabel(bucket.start, answer));
		const colour = (value, i) => (value === 'other' ? t.other : t.palette[i % t.palette.length]);
		const series = split
			? values.map((value, i) => ({ name: named(split, value), type: 'bar', stack: 'volume', cursor: 'pointer', barMaxWidth: 48,
				itemStyle: { color: colour(value, i) }, data: buckets.map((bucket) => bucket.split?.[value] || 0) }))
			: [{ name: 'Conversations', type: 'bar', cursor: 'pointer', barMaxWidth: 48, itemStyle: { color: t.accent }, data: buckets.map((bucket) => bucket.count) }];
		const clicked = (index, value) => {
			const [from, to] = bucketRange(index, answer);
			return tableUrl([['from', iso(from)], ['to', iso(to)], ...splitFilter(split, value)]);
		};
		chart('volume', buckets.length === 0 || answer.total === 0 ? null : {
			...base(t),
			grid: { ...base(t).grid, top: split ? 40 : 16 },
			legend: split ? { top: 0, type: 'scroll', textStyle: { color: t.text }, pageTextStyle: { color: t.muted }, pageIconColor: t.accent, pageIconInactiveColor: t.line } : undefined,
			tooltip: { ...base(t).tooltip, trigger: 'axis', axisPointer: { type: 'shadow' } },
			xAxis: { type: 'category', data: names, ...axis(t) },
			yAxis: { type: 'value', minInterval: 1, ...axis(t) },
			series,
		}, (params) => clicked(params.dataIndex, split ? values[params.seriesIndex] : null));
		const headers = ['Start', ...(split ? values.map((value) => named(split, value)) : []), 'Conversations'];
		setTables('volume', dataTable(`Conversations per ${answer.interval || 'interval'}${split ? ', by ' + split : ''} (${zoneOf(answer)})`, headers,
			buckets.map((bucket, index) => [{ text: names[index], href: clicked(index, null) },
				...(split ? values.map((value) => bucket.split?.[value] || 0) : []), bucket.count])));
	}

	function outcomes(answer, t) {
		const items = answer.outcomes || [];
		const order = Object.keys(labels().status || {});
		const colour = (value) => t.palette[Math.max(order.indexOf(value), 0) % t.palette.length];
		const previous = answer.previous?.outcomes;
		const before = (value) => previous?.find((item) => item.value === value)?.share ?? (previous ? 0 : null);
		chart('outcomes', items.length === 0 ? null : {
			...base(t),
			tooltip: { ...base(t).tooltip, trigger: 'item', formatter: (params) => `${params.name}: ${number(params.value)} (${params.percent}%)` },
			legend: { orient: 'vertical', right: 0, top: 'middle', textStyle: { color: t.text } },
			series: [{ type: 'pie', radius: ['42%', '72%'], center: ['36%', '50%'], cursor: 'pointer', avoidLabelOverlap: true,
				itemStyle: { borderColor: t.panel, borderWidth: 2 },
				label: { color: t.text, formatter: (params) => `${params.percent}%` },
				labelLine: { lineStyle: { color: t.muted } },
				data: items.map((item) => ({ name: named('status', item.value), value: item.count, itemStyle: { color: colour(item.value) } })) }],
		}, (params) => tableUrl([['status', items[params.dataIndex].value]]));
		const outcome = (name, figure, additions) => [{ text: name, href: tableUrl(additions) }, figure?.count ?? 0, percent(figure?.share),
			answer.previous ? change(figure?.share, answer.previous[figureName(name)]?.share, 'share') ?? '' : ''];
		const figureName = (name) => ({ 'Handed to a human': 'handoff', Abandoned: 'abandoned', 'Resolved without a human': 'resolvedWithoutHuman' })[name];
		setTables('outcomes',
			dataTable('Conversations by status', ['Status', 'Conversations', 'Share', 'Change vs the previous period'],
				items.map((item) => [{ text: named('status', item.value), href: tableUrl([['status', item.value]]) }, item.count, percent(item.share),
					previous ? change(item.share, before(item.value), 'share') : ''])),
			dataTable('Handoff, abandoned, resolved', ['Outcome', 'Conversations', 'Share', 'Change vs the previous period'], [
				outcome('Resolved without a human', answer.resolvedWithoutHuman, [['status', 'completed'], ['liveAgent', 'false']]),
				outcome('Handed to a human', answer.handoff, [['liveAgent', 'true']]),
				outcome('Abandoned', answer.abandoned, [['status', 'abandoned']]),
			]));
		setNote('outcomes', 'Share of each status', 'a click on a slice opens those conversations');
	}

	function histogram(figure, data, t, colour, name) {
		const rows = data?.histogram || [];
		chart(figure, rows.every((row) => !row.count) ? null : columns(t, rows.map(name), rows.map((row) => row.count), colour));
		return rows;
	}

	function duration(answer, t) {
		const d = answer.duration;
		const before = answer.previous?.duration;
		const name = (row) => (row.to == null ? `${shortSeconds(row.from)}+` : `${shortSeconds(row.from)}–${shortSeconds(row.to)}`);
		const rows = histogram('duration', d, t, t.palette[0], name);
		const approx = d?.approximate ? '≈ ' : '';
		const stat = (label, key) => element('span', {}, `${label} ${approx}${seconds(d?.[key])}`,
			before && d?.[key] != null ? element('span', { class: 'delta' }, ` (${change(d[key], before[key])})`) : null);
		setNote('duration', d?.p50 == null ? 'No durations' : stat('p50', 'p50'), d?.p50 == null ? null : stat('p90', 'p90'),
			d?.p50 == null ? null : stat('p99', 'p99'), before && d?.p50 != null ? 'changes vs the previous period' : null);
		setTables('duration',
			dataTable('Conversations by duration', ['Duration', 'Conversations'], rows.map((row) => [name(row), row.count])),
			dataTable('Percentiles' + (d?.approximate ? ' (approximate)' : ''), ['Percentile', 'Seconds', 'Change vs the previous period'],
				['p50', 'p90', 'p99'].map((key) => [key, d?.[key] == null ? '–' : { text: seconds(d[key]), numeric: true }, before ? change(d?.[key], before[key]) ?? '' : ''])));
	}

	function turns(answer, t) {
		const d = answer.turns;
		const before = answer.previous?.turns;
		const name = (row) => (row.to == null ? `${row.from}+` : row.to - row.from === 1 ? String(row.from) : `${row.from}–${row.to - 1}`);
		const rows = histogram('turns', d, t, t.palette[4], name);
		const approx = d?.approximate ? '≈ ' : '';
		setNote('turns', d?.average == null ? 'No messages' : element('span', {}, `Average ${decimal(d.average)}`,
			before ? element('span', { class: 'delta' }, ` (${change(d.average, before.average)} vs the previous period)`) : null),
		d?.p50 == null ? null : `p50 ${approx}${decimal(d.p50)}`, d?.p90 == null ? null : `p90 ${approx}${decimal(d.p90)}`);
		setTables('turns',
			dataTable('Conversations by number of messages', ['Messages', 'Conversations'], rows.map((row) => [name(row), row.count])),
			dataTable('Messages per conversation' + (d?.approximate ? ' (percentiles approximate)' : ''), ['Figure', 'Messages', 'Change vs the previous period'],
				[['Average', d?.average], ['p50', d?.p50], ['p90', d?.p90]].map(([label, value]) => [label, { text: decimal(value), numeric: true },
					before && label === 'Average' ? change(value, before.average) ?? '' : ''])));
	}

	function flags(answer, t) {
		const f = answer.flags || {};
		const before = answer.previous?.flags;
		const link = tableUrl([['flagged', 'true']]);
		const list = (items) => (items || []).map((item) => ({ label: item.value, value: item.count }));
		chart('flagSources', (f.bySource || []).length === 0 ? null : bars(t, list(f.bySource), t.palette[4], true), () => link, barsHeight((f.bySource || []).length));
		chart('flagReasons', (f.byReason || []).length === 0 ? null : bars(t, list(f.byReason), t.palette[1], true), () => link, barsHeight((f.byReason || []).length));
		setNote('flags', `${percent(f.rate)} flagged (${number(f.count ?? 0)})`, before ? delta(change(f.rate, before.rate, 'share')) : null,
			'by source and by reason; a click opens the flagged conversations');
		const rows = (items) => (items || []).map((item) => [{ text: item.value, href: link }, item.count]);
		setTables('flags',
			dataTable('Flagged conversations by source', ['Source', 'Conversations'], rows(f.bySource)),
			dataTable('Flagged conversations by reason', ['Reason', 'Conversations'], rows(f.byReason)));
	}

	function topList(figure, items, t, colour, header, additions) {
		const list = items || [];
		chart(figure, list.length === 0 ? null : bars(t, list.map((item) => ({ label: item.label ?? item.value, value: item.count })), colour, true),
			(params) => tableUrl(additions(list[params.dataIndex].value)), barsHeight(list.length));
		setTables(figure, dataTable(`Conversations by ${header.toLowerCase()}`, [header, 'Conversations'],
			list.map((item) => [{ text: item.label ?? item.value, href: tableUrl(additions(item.value)) }, item.count])));
		setNote(figure, list.length ? 'a click on a bar opens those conversations' : null);
	}

	function tags(answer, t) {
		const holder = document.querySelector('[data-charts="tags"]');
		const keys = Object.keys(answer.tags || {});
		// One small chart per key, made again for the keys of this answer.
		holder.querySelectorAll('.chart').forEach((old) => {
			charts.get(old)?.dispose();
			charts.delete(old);
			resizes.unobserve(old);
		});
		holder.replaceChildren(...keys.map((key, i) => {
			const id = `tag-key-${i}`;
			return element('div', { class: 'tag-key' }, element('h4', { id }, key),
				element('div', { class: 'chart', role: 'img', 'data-tag-key': key,
					'aria-label': `Tag ${key}: conversations with each value; the data table below has the figures` }));
		}));
		if (keys.length === 0) {
			holder.append(element('p', { class: 'chart-empty' }, 'None in these conversations.'));
		}
		keys.forEach((key, i) => {
			const values = answer.tags[key];
			chart(holder.querySelector(`[data-tag-key="${CSS.escape(key)}"]`),
				bars(t, values.map((item) => ({ label: item.value, value: item.count })), t.palette[(i + 6) % t.palette.length], true),
				(params) => tableUrl([['tag', `${key}:${values[params.dataIndex].value}`]]), barsHeight(values.length));
		});
		setTables('tags', ...keys.map((key) => dataTable(`Tag ${key}`, ['Value', 'Conversations'],
			answer.tags[key].map((item) => [{ text: item.value, href: tableUrl([['tag', `${key}:${item.value}`]]) }, item.count]))));
		setNote('tags', keys.length ? 'the most used values of the most used keys; a click on a bar opens those conversations' : null);
	}

	function repeatContacts(answer, t) {
		const rows = answer.repeatContacts || [];
		chart('repeatContacts', rows.every((row) => !row.contacts) ? null
			: columns(t, rows.map((row) => row.range), rows.map((row) => row.contacts), t.palette[6]));
		setNote('repeatContacts', 'Contacts by their number of conversations here', answer.repeatContactsApproximate ? 'approximate' : null);
		setTables('repeatContacts', dataTable('Contacts by their number of conversations' + (answer.repeatContactsApproximate ? ' (approximate)' : ''),
			['Conversations', 'Contacts'], rows.map((row) => [row.range, row.contacts])));
	}

	function sentiment(answer, t) {
		const items = answer.sentiment || [];
		chart('sentiment', items.length === 0 ? null : bars(t, items.map((item) => ({ label: item.emotion, value: item.share })),
			t.palette[8], false, (value) => percent(value)), null, Math.max(220, barsHeight(items.length)));
		const starts = (answer.volume || []).map((bucket) => Date.parse(bucket.start));
		const names = (answer.volume || []).map((bucket) => bucketLabel(bucket.start, answer));
		// Each emotion's count per bucket of the volume, matched by the bucket's start.
		const trend = (item, index) => item.trend?.find((point) => Date.parse(point.start) === starts[index])?.count ?? 0;
		chart('sentimentTrend', items.length === 0 || names.length === 0 ? null : {
			...base(t),
			grid: { ...base(t).grid, top: 40 },
			legend: { top: 0, type: 'scroll', textStyle: { color: t.text }, pageTextStyle: { color: t.muted }, pageIconColor: t.accent, pageIconInactiveColor: t.line },
			tooltip: { ...base(t).tooltip, trigger: 'axis' },
			xAxis: { type: 'category', data: names, ...axis(t) },
			yAxis: { type: 'value', minInterval: 1, ...axis(t) },
			series: items.map((item, i) => ({ name: item.emotion, type: 'line', cursor: 'default', showSymbol: names.length < 60,
				itemStyle: { color: t.palette[i % t.palette.length] }, lineStyle: { width: 2 },
				data: names.map((_, index) => trend(item, index)) })),
		}, null, Math.max(220, barsHeight(items.length)));
		setNote('sentiment', items.length ? 'Share of conversations with each emotion, and its trend' : null);
		setTables('sentiment',
			dataTable('Conversations by emotion', ['Emotion', 'Conversations', 'Share', 'Average score'],
				items.map((item) => [item.emotion, item.count, percent(item.share), { text: decimal(item.averageScore), numeric: true }])),
			dataTable(`Trend per ${answer.interval || 'interval'}`, ['Start', ...items.map((item) => item.emotion)],
				names.map((name, index) => [name, ...items.map((item) => trend(item, index))])));
	}

	// ---- The answer for the state shown: asked again when the state changes.
	let answer = null;
	let asked = null;
	let sequence = 0;
	async function refresh() {
		const current = query();
		csvLinks(current);
		markRange();
		if (current === undefined) {
			figures().hidden = true;
			asked = null;
			return;
		}
		if (current === asked) {
			return;
		}
		asked = current;
		const mine = ++sequence;
		figures().hidden = false;
		figures().setAttribute('aria-busy', 'true');
		const result = await api('GET', '/api/v1/analytics' + current);
		if (mine !== sequence) {
			return;
		}
		figures().removeAttribute('aria-busy');
		const problems = document.getElementById('dashboard-problems');
		problems.querySelector('.problem')?.remove();
		if (!result.ok || !result.data) {
			figures().hidden = true;
			problems.prepend(problem(inPageWords(result)));
			figures().dataset.drawn = current;
			return;
		}
		answer = result.data;
		if (!window.echarts) {
			problems.prepend(problem({ status: 503, data: { title: 'The charts could not be drawn', detail: 'The charting library did not load; the data tables below have the figures.' } }));
		}
		draw(answer);
		figures().dataset.drawn = current;
	}

	/**
	 * The API's refusal of a setting, in the page's words (the server checked the rest
	 * before: what is left is mostly an interval too fine for the range).
	 */
	const SETTINGS = { tz: 'Time zone', interval: 'Interval', split: 'Split by' };
	function inPageWords(result) {
		const match = /^parameter (\w+): (.*)$/s.exec(result.data?.detail || '');
		if (result.status !== 400 || !match || !SETTINGS[match[1]]) {
			return result;
		}
		const detail = match[2].replace(/\(from, to\)/, '(the Range above)');
		return { ...result, data: { ...result.data, title: 'The figures cannot be drawn as the page is set',
			detail: `${SETTINGS[match[1]]}: ${detail}` } };
	}

		/** Each figure's CSV: the API's table of it for the state shown. */
	function csvLinks(current) {
		document.querySelectorAll('a.csv').forEach((link) => {
			if (current === undefined) {
				link.removeAttribute('href');
				return;
			}
			link.href = `/api/v1/analytics${current === '?' ? '?' : current + '&'}format=csv&figure=${encodeURIComponent(link.dataset.figure)}`;
		});
	}

	// ---- The range picker: presets in the dashboard's zone, or any days.
	function presets(zone) {
		const today = dayOf(Date.now(), zone);
		const end = midnight(addDays(today, 1), zone);
		const [year, month] = today.split('-').map(Number);
		const quarter = `${year}-${String(Math.floor((month - 1) / 3) * 3 + 1).padStart(2, '0')}-01`;
		return {
			today: [midnight(today, zone), end],
			'7d': [midnight(addDays(today, -6), zone), end],
			'30d': [midnight(addDays(today, -29), zone), end],
			quarter: [midnight(quarter, zone), end],
		};
	}
	function currentPreset(zone) {
		const { from, to } = filters.range();
		if (!from && !to) {
			return 'all';
		}
		const match = Object.entries(presets(zone))
			.find(([, [start, end]]) => Date.parse(from) === start && Date.parse(to) === end);
		return match ? match[0] : 'custom';
	}
	let customOpen = false;
	function markRange() {
		const preset = currentPreset(filters.zone());
		document.querySelectorAll('[data-preset]').forEach((button) => {
			button.setAttribute('aria-pressed', String(button.dataset.preset === preset));
		});
		const custom = preset === 'custom' || customOpen;
		document.getElementById('custom-range').hidden = !custom;
		document.querySelector('[data-preset="custom"]').setAttribute('aria-expanded', String(custom));
	}
	document.addEventListener('click', (event) => {
		const button = event.target.closest('[data-preset]');
		if (!button) {
			return;
		}
		const preset = button.dataset.preset;
		if (preset === 'custom') {
			customOpen = true;
			markRange();
			document.querySelector('#custom-range .date-input').focus();
			return;
		}
		customOpen = false;
		if (preset === 'all') {
			filters.setRange(null, null);
		}
		else {
			const [from, to] = presets(filters.zone())[preset];
			filters.setRange(from, to);
		}
		markRange();
	});

	/** A new time zone keeps the days of the range: their midnights move to the zone's. */
	function zoneChanged(select) {
		const before = filters.zone();
		const after = select.value || 'UTC';
		const preset = currentPreset(before);
		const { from, to } = filters.range();
		form().dataset.tz = select.value;
		if (preset !== 'all' && preset !== 'custom') {
			const [start, end] = presets(after)[preset];
			filters.setRange(start, end, true);
		}
		else if (from || to) {
			filters.setRange(from ? midnight(dayOf(Date.parse(from), before), after) : null,
				to ? midnight(addDays(dayOf(Date.parse(to) - 1, before), 1), after) : null, true);
		}
	}

	/** The time zones to choose from: UTC, the browser's, the one shown, then all. */
	function fillZones() {
		const select = document.getElementById('tz');
		if (!select || select.dataset.filled) {
			return;
		}
		const shown = new Set([...select.options].map((option) => option.value || 'UTC'));
		const browser = Intl.DateTimeFormat().resolvedOptions().timeZone;
		const zones = [browser, ...(Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : [])];
		zones.forEach((zone, i) => {
			if (zone && !shown.has(zone)) {
				shown.add(zone);
				select.append(new Option(i === 0 ? `${zone} (this computer)` : zone, zone));
			}
		});
		select.dataset.filled = 'true';
	}

	// ---- Drawn again in the other theme when the system's setting changes, and to the
	// new size of the window or of the results (the filter panel opens beside them).
	matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
		if (answer && !figures().hidden) {
			draw(answer);
		}
	});

	filters = window.ArchiveFilters.live({
		path: '/dashboard',
		keep: ['tz', 'interval', 'split'],
		problems: '#dashboard-problems',
		ready: () => {
			forgetCharts();
			fillZones();
			customOpen = false;
			asked = null;
			refresh();
		},
		swapped: () => refresh(),
		change: (target) => {
			if (target.id === 'tz') {
				zoneChanged(target);
			}
		},
	});
});
