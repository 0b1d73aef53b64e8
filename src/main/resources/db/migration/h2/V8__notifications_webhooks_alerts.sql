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

-- Alerts on views: a count of conversations started in a sliding window against a
-- threshold. next_evaluation_at is how instances claim an evaluation (the one whose
-- conditional update moves it on evaluates); state moves ok -> breached -> ok, each
-- move made once, however many instances evaluate.
CREATE TABLE archive_alert (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	owner VARCHAR(200) NOT NULL,
	name VARCHAR(200) NOT NULL,
	view_id VARCHAR(64) NOT NULL,
	window_seconds BIGINT NOT NULL,
	above_count BIGINT,
	below_count BIGINT,
	enabled BOOLEAN NOT NULL,
	state VARCHAR(16) NOT NULL,
	state_since TIMESTAMP WITH TIME ZONE,
	last_count BIGINT,
	last_evaluated_at TIMESTAMP WITH TIME ZONE,
	last_error VARCHAR(1000),
	next_evaluation_at TIMESTAMP WITH TIME ZONE NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL,
	updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_alert_org ON archive_alert (org);
CREATE INDEX archive_alert_due ON archive_alert (enabled, next_evaluation_at);

CREATE TABLE archive_alert_event (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	alert_id VARCHAR(36) NOT NULL,
	at TIMESTAMP WITH TIME ZONE NOT NULL,
	kind VARCHAR(16) NOT NULL,
	conversation_count BIGINT NOT NULL,
	threshold BIGINT NOT NULL,
	comparison VARCHAR(8) NOT NULL,
	window_seconds BIGINT NOT NULL,
	window_from TIMESTAMP WITH TIME ZONE NOT NULL,
	window_to TIMESTAMP WITH TIME ZONE NOT NULL,
	link VARCHAR(8000) NOT NULL
);
CREATE INDEX archive_alert_event_alert ON archive_alert_event (alert_id, at);
