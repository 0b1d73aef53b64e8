/*
 * A flow's page: the graph (flowgraph.js), then the counts of the flows analytics for
 * the page's filter on its nodes, edges and funnel table. Without the counts (the API
 * refuses or cannot be reached) the graph stays, and the page says why.
 */
'use strict';

document.addEventListener('DOMContentLoaded', async () => {
	const { api, number } = window.Archive;
	const state = document.getElementById('flow-state');
	const status = document.getElementById('flow-status');
	const graph = JSON.parse(state.dataset.graph);
	const cy = window.FlowGraph.draw(document.getElementById('flow-graph'), graph);
	window.flowGraph = cy;

	const select = document.getElementById('version-select');
	select?.addEventListener('change', () => select.form.submit());

	const query = new URLSearchParams(state.dataset.query);
	// A version asked for counts its own conversations; else every version's, along the
	// latest graph (a platform may send no version at all).
	if (state.dataset.versionChosen === 'true') {
		query.set('version', graph.version);
	}
	const result = await api('GET', `/api/v1/analytics/flows/${encodeURIComponent(graph.id)}?${query}`);
	if (!result.ok || !result.data) {
		const why = result.data?.detail || result.data?.title || `the archive answered ${result.status}`;
		status.textContent = `The counts could not be had (${why}); the graph is shown without them.`;
		state.dataset.loaded = 'failed';
		return;
	}
	const counts = result.data;
	const format = (value) => (value == null ? '–' : number(value));
	const most = Math.max(1, ...(counts.edges || []).map((edge) => edge.passed || 0));
	(counts.nodes || []).forEach((node) => {
		const element = cy.getElementById(node.id);
		if (element.nonempty()) {
			element.data('display', `${element.data('label')}\n${format(node.passed)} passed · ${format(node.exited)} exited`);
			element.toggleClass('reached', (node.passed || 0) > 0);
		}
		const row = document.querySelector(`#funnel tr[data-node="${CSS.escape(node.id)}"]`);
		if (row) {
			const cell = (field, text) => {
				row.querySelector(`[data-field=${field}]`).textContent = text;
			};
			cell('passed', format(node.passed));
			cell('exited', format(node.exited));
			if (node.exited) {
				// The conversations that left here, in the table.
				const table = new URL(state.dataset.table, location.href);
				table.searchParams.append('exitNode', node.id);
				const link = document.createElement('a');
				link.href = table.pathname + table.search;
				link.textContent = format(node.exited);
				link.setAttribute('aria-label', `${format(node.exited)} left at ${element.data('label') || node.id}: show them`);
				row.querySelector('[data-field=exited]').replaceChildren(link);
			}
			cell('continued', format(node.continued));
			cell('dropOff', node.passed ? `${((100 * (node.exited || 0)) / node.passed).toFixed(1)}%` : '–');
		}
	});
	(counts.edges || []).forEach((edge) => {
		cy.edges()
			.filter((element) => element.data('source') === edge.from && element.data('target') === edge.to
				&& (element.data('label') || '') === (edge.label || ''))
			.forEach((element) => {
				// Width by how many took it, its count beside its own label.
				element.data('width', 1.5 + (8 * (edge.passed || 0)) / most);
				element.data('display', [element.data('label'), format(edge.passed)].filter(Boolean).join(' · '));
			});
	});
	const total = counts.total ?? 0;
	status.textContent = `${format(total)} ${total === 1 ? 'conversation' : 'conversations'}`
		+ (counts.unmarked ? `, ${format(counts.unmarked)} of them without flow nodes in their messages.` : '.');
	state.dataset.loaded = 'counts';
});
