-- Each org's agent platform: where actions on live calls go, and the secret that signs
-- them (written by an administrator, never shown again).
CREATE TABLE archive_gateway_platform (
	org VARCHAR(64) NOT NULL PRIMARY KEY,
	url VARCHAR(2000) NOT NULL,
	secret VARCHAR(200) NOT NULL,
	updated_by VARCHAR(200) NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
