-- Orgs, their API keys (hashed; the secret is shown once), the audit log, and the
-- archive's own secrets (shared by every instance).
CREATE TABLE archive_org (
	id VARCHAR(64) NOT NULL PRIMARY KEY,
	name VARCHAR(200) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO archive_org (id, name, created_at) VALUES ('default', 'Default', CURRENT_TIMESTAMP);

CREATE TABLE archive_api_key (
	id VARCHAR(32) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL REFERENCES archive_org (id),
	name VARCHAR(200) NOT NULL,
	role VARCHAR(16) NOT NULL,
	system_admin BOOLEAN NOT NULL,
	secret_hash VARCHAR(64) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	created_by VARCHAR(200),
	revoked_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX archive_api_key_org ON archive_api_key (org);

CREATE TABLE archive_audit (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	actor VARCHAR(200) NOT NULL,
	action VARCHAR(64) NOT NULL,
	target VARCHAR(512),
	detail VARCHAR(2000)
);
CREATE INDEX archive_audit_org_at ON archive_audit (org, at);

CREATE TABLE archive_secret (
	name VARCHAR(64) NOT NULL PRIMARY KEY,
	secret VARCHAR(200) NOT NULL
);
