-- Contacts whose conversation count must be recounted: written before the conversations
-- themselves, removed once recounted, so that a crash in between loses no recount.
CREATE TABLE archive_contact_touch (
	id VARCHAR(36) NOT NULL PRIMARY KEY,
	org VARCHAR(64) NOT NULL,
	contact_ids TEXT NOT NULL,
	created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX archive_contact_touch_created ON archive_contact_touch (created_at);
