-- Review rules: saved filters that flag conversations as they are written, the one
-- sweep that runs them (one row per archive, held by one instance at a time), and their runs over history.
CREATE TABLE archive_review_rule (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	name VARCHAR(200) NOT NULL,
	filter_json CLOB NOT NULL,
	filter_version INT NOT NULL,
	actions_json CLOB NOT NULL,
	enabled BOOLEAN NOT NULL,
	enabled_at TIMESTAMP WITH TIME ZONE,
	owner VARCHAR(200) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_review_rule_org ON archive_review_rule (org, enabled);

CREATE TABLE archive_review_sweep (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	holder VARCHAR(64),
	lease_until TIMESTAMP WITH TIME ZONE,
	checked_through TIMESTAMP WITH TIME ZONE
);

CREATE TABLE archive_rule_run (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	rule_id VARCHAR(36) NOT NULL,
	kind VARCHAR(16) NOT NULL,
	user_id VARCHAR(200) NOT NULL,
	from_at TIMESTAMP WITH TIME ZONE,
	to_at TIMESTAMP WITH TIME ZONE,
	total BIGINT,
	done_count BIGINT DEFAULT 0 NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_rule_run_rule ON archive_rule_run (org, rule_id, created_at);
