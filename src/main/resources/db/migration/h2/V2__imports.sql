-- Imports of conversation files: which batch job instance runs each, and the lines it refused.
CREATE TABLE archive_import (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	file_name VARCHAR(512) NOT NULL,
	format VARCHAR(32) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_import_org ON archive_import (org, created_at);

CREATE TABLE archive_import_error (
	import_id VARCHAR(36) NOT NULL,
	line BIGINT NOT NULL,
	conversation_id VARCHAR(128),
	error VARCHAR(2000) NOT NULL,
	PRIMARY KEY (import_id, line)
);
