/*
 * The agents page: a year of an agent's conversations exported as a zip, followed to the
 * link it gives (the notification says the same).
 */
'use strict';

document.addEventListener('DOMContentLoaded', () => {
	const { api, problem, follow, downloadLink, number } = window.Archive;
	document.querySelectorAll('form.history-export').forEach((form) => {
		const status = form.querySelector('.job-status');
		const button = form.querySelector('button');
		form.addEventListener('submit', async (event) => {
			event.preventDefault();
			button.disabled = true;
			status.textContent = 'Starting…';
			const year = Number(form.elements.year.value);
			const created = await api('POST', `/api/v1/agents/${encodeURIComponent(form.dataset.agentId)}/history-exports`, { year });
			if (!created.ok) {
				status.replaceChildren(problem(created));
				button.disabled = false;
				return;
			}
			const outcome = await follow(created.data, (job) => {
				const done = job.progress?.done ?? 0;
				const total = job.progress?.total ?? job.rowCount;
				status.textContent = job.status === 'queued' ? 'Queued…' : `Preparing: ${number(done)} of ${number(total)} conversations`;
			});
			button.disabled = false;
			if (outcome.job && outcome.ok) {
				status.replaceChildren(downloadLink(outcome.job));
			}
			else if (outcome.job) {
				status.replaceChildren(problem({ status: 'failed', data: { title: 'Export failed', detail: outcome.job.error } }));
			}
			else {
				status.replaceChildren(problem(outcome.result));
			}
		});
	});
});
