-- Hardening (issue 14): job leases with fencing tokens, an outbox for JobRunr enqueues, idempotent submissions,
-- at most one version per job, and dataset blobs that can be read in slices.

-- A running job is leased to one replica. lease_token is the fencing token: it grows by one at every claim, and
-- every write a replica makes for the job (progress, checkpoint, publish, end) is conditional on still holding it.
ALTER TABLE training_job
    ADD COLUMN lease_owner        VARCHAR(200),
    ADD COLUMN lease_token        BIGINT      NOT NULL DEFAULT 0,
    ADD COLUMN lease_expires_at   TIMESTAMPTZ,
    ADD COLUMN resumed_from_step  INTEGER,
    ADD COLUMN dispatched_at      TIMESTAMPTZ,            -- outbox: NULL until handed to JobRunr
    ADD COLUMN idempotency_key    VARCHAR(200),
    ADD COLUMN request_sha256     VARCHAR(64);

ALTER TABLE training_job ADD CONSTRAINT ck_training_job_lease_token CHECK (lease_token >= 0);
ALTER TABLE training_job ADD CONSTRAINT ck_training_job_resumed_from CHECK (resumed_from_step IS NULL OR resumed_from_step >= 0);

-- Jobs that already ran were handed to JobRunr by the old code. Jobs still QUEUED may have lost their JobRunr job (a
-- failed enqueue after the commit left them stuck): they stay undispatched, and the dispatcher enqueues them again
-- under their own id, which JobRunr treats as the same job if it exists.
UPDATE training_job SET dispatched_at = created_at WHERE status <> 'QUEUED';

CREATE UNIQUE INDEX uq_training_job_idempotency_key ON training_job (idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX ix_training_job_undispatched ON training_job (created_at) WHERE dispatched_at IS NULL;

-- One version per job. Duplicates made by the old claim race keep their rows and files; all but the one the job
-- points at (else the lowest version) lose their job_id link.
UPDATE model_version v SET job_id = NULL
WHERE v.job_id IS NOT NULL
  AND v.id <> COALESCE(
        (SELECT j.model_version_id FROM training_job j
          WHERE j.id = v.job_id
            AND j.model_version_id IN (SELECT w.id FROM model_version w WHERE w.job_id = v.job_id)),
        (SELECT w.id FROM model_version w WHERE w.job_id = v.job_id ORDER BY w.version, w.id LIMIT 1));
DROP INDEX ix_model_version_job;
ALTER TABLE model_version ADD CONSTRAINT uq_model_version_job UNIQUE (job_id);

-- Rows and labels uncompressed out of line, so that GET /datasets/{id}/rows reads only the slice it returns.
ALTER TABLE dataset ALTER COLUMN data SET STORAGE EXTERNAL;
ALTER TABLE dataset ALTER COLUMN labels SET STORAGE EXTERNAL;
