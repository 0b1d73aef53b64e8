-- Conversations deleted from a yearly index, for a rebuild of that index to delete them
-- from its copy too (kept a week).
CREATE TABLE archive_conversation_deletion (
	index_name VARCHAR(255) NOT NULL,
	document_id VARCHAR(600) NOT NULL,
	deleted_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_conversation_deletion_at ON archive_conversation_deletion (index_name, deleted_at);

-- Rebuilds of yearly conversation indices: one row per rebuild, its progress as the API
-- shows it (the job's own position is in its execution context).
CREATE TABLE archive_index_rebuild (
	id VARCHAR(64) NOT NULL PRIMARY KEY,
	index_year INTEGER NOT NULL,
	source_index VARCHAR(255),
	target_index VARCHAR(255),
	phase VARCHAR(16) NOT NULL,
	copied BIGINT NOT NULL,
	total BIGINT NOT NULL,
	detail VARCHAR(2000),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	-- The year while the rebuild is not done (failed ones too: they are restarted): one
	-- at a time per year, across instances. Empty once swapped.
	active_year INTEGER UNIQUE
);
CREATE INDEX archive_index_rebuild_year ON archive_index_rebuild (index_year, created_at);
