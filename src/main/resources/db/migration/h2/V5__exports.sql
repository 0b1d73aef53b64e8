-- Export jobs (table CSV, agent history zip, scheduled runs), their notifications, and
-- export schedules.
CREATE TABLE archive_export (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	user_id VARCHAR(200) NOT NULL,
	kind VARCHAR(32) NOT NULL,
	description VARCHAR(500),
	request_json CLOB,
	file_name VARCHAR(300) NOT NULL,
	file_path VARCHAR(1000),
	file_size BIGINT,
	row_count BIGINT,
	done_count BIGINT DEFAULT 0 NOT NULL,
	total BIGINT,
	schedule_id VARCHAR(36),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	completed_at TIMESTAMP WITH TIME ZONE,
	expires_at TIMESTAMP WITH TIME ZONE,
	expired BOOLEAN DEFAULT FALSE NOT NULL
);
CREATE INDEX archive_export_org ON archive_export (org, created_at);

CREATE TABLE archive_notification (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	user_id VARCHAR(200) NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	message VARCHAR(1000) NOT NULL,
	link VARCHAR(2000),
	seen BOOLEAN DEFAULT FALSE NOT NULL
);
CREATE INDEX archive_notification_user ON archive_notification (org, user_id, at);

CREATE TABLE archive_schedule (
	id VARCHAR(64) NOT NULL,
	org VARCHAR(64) NOT NULL,
	owner VARCHAR(200) NOT NULL,
	name VARCHAR(200) NOT NULL,
	view_id VARCHAR(64) NOT NULL,
	cron VARCHAR(100) NOT NULL,
	time_zone VARCHAR(64) NOT NULL,
	columns_list VARCHAR(500),
	destination VARCHAR(1000) NOT NULL,
	enabled BOOLEAN NOT NULL,
	source VARCHAR(16) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (org, id)
);

-- One row per schedule firing: the instance that inserts it runs it, so several
-- instances never run a schedule twice for the same time.
CREATE TABLE archive_schedule_run (
	org VARCHAR(64) NOT NULL,
	schedule_id VARCHAR(64) NOT NULL,
	fire_time TIMESTAMP WITH TIME ZONE NOT NULL,
	export_id VARCHAR(36) NOT NULL,
	PRIMARY KEY (org, schedule_id, fire_time)
);
