-- Flows the orgs' agent platforms publish: one row per version, never changed. Of two
-- instances publishing one version at once, the primary key lets one insert win.
CREATE TABLE archive_flow_version (
	org VARCHAR(64) NOT NULL,
	flow_id VARCHAR(100) NOT NULL,
	version INTEGER NOT NULL,
	name VARCHAR(200) NOT NULL,
	graph_json CLOB NOT NULL,
	published_at TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (org, flow_id, version)
);
