-- A schedule's destination is now relative to its org's folder of scheduled exports
-- (exports/<org>/scheduled/), no longer to the data directory, so that two orgs never
-- share a folder. The old default, exports/scheduled/<id>, becomes <id>; any other
-- destination is read under the org's folder as it stands.
UPDATE archive_schedule SET destination = id WHERE destination = 'exports/scheduled/' || id;
