-- How far a rule has looked when that is behind its sweep's checked_through: its look failed
-- (a filter Elasticsearch refuses, a flag that cannot be written, a rule this version cannot
-- read), so it looks at its own window again while the other rules go on. One row per
-- archive (the sweep's name) and rule, deleted once the rule has looked again; a rule
-- without a row has looked as far as its sweep.
CREATE TABLE archive_review_rule_sweep (
	name VARCHAR(64) NOT NULL,
	rule_id VARCHAR(36) NOT NULL,
	checked_through TIMESTAMP WITH TIME ZONE NOT NULL,
	PRIMARY KEY (name, rule_id)
);
CREATE INDEX archive_review_rule_sweep_rule ON archive_review_rule_sweep (rule_id);
