-- V6 made schedules' destinations relative to their org's folder of scheduled exports,
-- but export plans already queued, running or failed (a failed one can be restarted)
-- kept the destination they were planned with: the old default, exports/scheduled/<id>,
-- would now be read as exports/<org>/scheduled/exports/scheduled/<id>. As V6 did for the
-- schedules, it becomes the schedule's id; a completed export is left as it ran, and any
-- other destination is read inside the org's folder as it stands.
UPDATE archive_export
SET request_json = REPLACE(request_json, '"destination":"exports/scheduled/' || schedule_id || '"',
	'"destination":"' || schedule_id || '"')
WHERE schedule_id IS NOT NULL AND completed_at IS NULL;
