/*
 * A flow's graph drawn by Cytoscape (its webjar), top to bottom by the built-in
 * breadthfirst layout from the flow's entries, in the page's theme: the colours are the
 * stylesheet's custom properties, read again when the theme changes. Pages decorate the
 * elements with classes (visited, taken, exit, selected, reached) and data (display,
 * width); the graph is an image for screen readers, each page lists the same in words.
 */
'use strict';

window.FlowGraph = (() => {
	const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

	const style = () => [
		{
			selector: 'node',
			style: {
				shape: 'round-rectangle', width: 136, height: 46, label: 'data(display)', 'text-wrap': 'wrap',
				'text-max-width': 128, 'text-valign': 'center', 'text-halign': 'center', 'font-size': 11,
				'font-family': getComputedStyle(document.body).fontFamily, color: css('--text'),
				'background-color': css('--flow-node-bg'), 'border-width': 1, 'border-color': css('--flow-node-line'),
			},
		},
		// Where a conversation starts or ends, rounder; a branch, dashed.
		{ selector: 'node[kind = "start"], node[kind = "end"], node[kind = "handoff"]', style: { shape: 'round-tag' } },
		{ selector: 'node[kind = "condition"]', style: { 'border-style': 'dashed' } },
		{
			selector: 'edge',
			style: {
				width: 'data(width)', 'curve-style': 'bezier', 'target-arrow-shape': 'triangle',
				'line-color': css('--flow-edge'), 'target-arrow-color': css('--flow-edge'), label: 'data(display)',
				'font-size': 10, color: css('--muted'), 'text-background-color': css('--panel'),
				'text-background-opacity': 1, 'text-background-padding': 2,
			},
		},
		{ selector: 'node.reached', style: { 'background-color': css('--flow-visited-bg') } },
		{
			selector: 'node.visited',
			style: { 'background-color': css('--flow-visited-bg'), 'border-color': css('--flow-visited'), 'border-width': 2 },
		},
		{
			selector: 'edge.taken',
			style: { 'line-color': css('--flow-visited'), 'target-arrow-color': css('--flow-visited'), width: 3 },
		},
		{ selector: 'node.exit', style: { 'border-color': css('--flow-exit'), 'border-width': 4, 'border-style': 'double' } },
		{ selector: 'node.selected', style: { 'border-color': css('--focus'), 'border-width': 4, 'border-style': 'solid' } },
	];

	/** The nodes to lay out from: the start nodes, else those no other node leads to. */
	function roots(graph) {
		const starts = graph.nodes.filter((node) => node.kind === 'start').map((node) => node.id);
		if (starts.length) {
			return starts;
		}
		const entered = new Set(graph.edges.filter((edge) => edge.from !== edge.to).map((edge) => edge.to));
		return graph.nodes.filter((node) => !entered.has(node.id)).map((node) => node.id);
	}

	/**
	 * Draws a graph ({nodes: [{id, label, kind}], edges: [{from, to, label}]}) into a
	 * container, which must have a height.
	 */
	function draw(container, graph) {
		const ids = new Set(graph.nodes.map((node) => node.id));
		const elements = [
			...graph.nodes.map((node) => ({
				group: 'nodes', data: { id: node.id, label: node.label, kind: node.kind, display: node.label },
			})),
			...graph.edges.filter((edge) => ids.has(edge.from) && ids.has(edge.to)).map((edge, i) => ({
				group: 'edges',
				// '>' is in no node id, so an edge's id never takes a node's.
				data: { id: `>${i}`, source: edge.from, target: edge.to, label: edge.label || '',
					display: edge.label || '', width: 1.5 },
			})),
		];
		const start = roots(graph);
		const cy = window.cytoscape({
			container, elements, style: style(), autoungrabify: true, boxSelectionEnabled: false, minZoom: 0.2,
			maxZoom: 2.5,
			layout: { name: 'breadthfirst', directed: true, roots: start.length ? start : undefined, padding: 12,
				spacingFactor: 1.05, avoidOverlap: true },
		});
		matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => cy.style(style()));
		return cy;
	}

	return { draw };
})();
