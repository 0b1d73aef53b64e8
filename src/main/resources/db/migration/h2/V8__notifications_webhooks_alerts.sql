-- Webhook endpoints of an org, with the secrets that sign their deliveries (every
-- instance signs; a client sees a secret only when it is created or rotated).
CREATE TABLE archive_webhook (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	url VARCHAR(2000) NOT NULL,
	description VARCHAR(500),
	events VARCHAR(2000) NOT NULL,
	enabled BOOLEAN NOT NULL,
	secret VARCHAR(100) NOT NULL,
	previous_secret VARCHAR(100),
	previous_secret_until TIMESTAMP WITH TIME ZONE,
	secret_rotated_at TIMESTAMP WITH TIME ZONE,
	created_by VARCHAR(200) NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_webhook_org ON archive_webhook (org);

-- The outbox: one row per event and endpoint, recorded where the event happens and sent
-- by the instance that claims it (status 'sending' until claimed_until).
CREATE TABLE archive_webhook_delivery (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	webhook_id VARCHAR(36) NOT NULL,
	event_id VARCHAR(36) NOT NULL,
	event VARCHAR(64) NOT NULL,
	body CLOB NOT NULL,
	status VARCHAR(16) NOT NULL,
	attempts INT NOT NULL,
	max_attempts INT NOT NULL,
	next_attempt_at TIMESTAMP WITH TIME ZONE,
	claimed_until TIMESTAMP WITH TIME ZONE,
	claim VARCHAR(36),
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	completed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX archive_webhook_delivery_due ON archive_webhook_delivery (status, next_attempt_at);
CREATE INDEX archive_webhook_delivery_endpoint ON archive_webhook_delivery (webhook_id, created_at);
CREATE INDEX archive_webhook_delivery_completed ON archive_webhook_delivery (completed_at);

CREATE TABLE archive_webhook_attempt (
	delivery_id VARCHAR(36) NOT NULL,
	attempt_number INT NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	duration_ms BIGINT NOT NULL,
	status_code INT,
	error VARCHAR(1000),
	response VARCHAR(500),
	PRIMARY KEY (delivery_id, attempt_number)
);
