-- Issue 15. Numbered V10 so that it cannot collide with the hardening branch's V3.. migrations.

-- A job's human name and tags, and a filter on them (GET /jobs?name=&tag=).
ALTER TABLE training_job ADD COLUMN name VARCHAR(200);
ALTER TABLE training_job ADD COLUMN tags JSONB NOT NULL DEFAULT '[]'::jsonb;
ALTER TABLE training_job ADD CONSTRAINT ck_training_job_tags CHECK (jsonb_typeof(tags) = 'array');
CREATE INDEX ix_training_job_tags ON training_job USING GIN (tags jsonb_path_ops);
CREATE INDEX ix_training_job_name ON training_job (lower(name));

-- The highest version number a model ever gave out. Numbers are never reused (not even after the newest version is
-- deleted), so /models/{name}/versions/{n} names one immutable thing forever and can be cached as such.
ALTER TABLE model ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0;
UPDATE model m SET last_version = COALESCE((SELECT max(v.version) FROM model_version v WHERE v.model_id = m.id), 0);
ALTER TABLE model ADD CONSTRAINT ck_model_last_version CHECK (last_version >= 0);

-- Where a version imported from another instance came from (its original model, version, job, dates); NULL for
-- versions trained here.
ALTER TABLE model_version ADD COLUMN origin JSONB;
