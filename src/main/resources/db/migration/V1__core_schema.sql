-- genserve core schema (DESIGN.md section 4). Flyway owns it; JPA only validates.
-- JobRunr creates and migrates its own jobrunr_* tables.

-- Datasets: built-in distributions materialised on demand, and uploads. Rows are stored as float32 little-endian,
-- row-major (rows x cols), so a dataset round-trips bit for bit.
CREATE TABLE dataset (
    id            UUID PRIMARY KEY,
    name          VARCHAR(200) NOT NULL,
    source        VARCHAR(16)  NOT NULL,
    format        VARCHAR(16)  NOT NULL,
    description   TEXT,
    rows          INTEGER      NOT NULL,
    cols          INTEGER      NOT NULL,
    shape         JSONB,                       -- e.g. [1,28,28] for images; NULL for plain vectors
    has_labels    BOOLEAN      NOT NULL DEFAULT FALSE,
    num_classes   INTEGER,
    feature_mean  JSONB,                       -- per-feature mean used for standardisation
    feature_std   JSONB,                       -- per-feature std used for standardisation
    sha256        VARCHAR(64)  NOT NULL,
    data          BYTEA        NOT NULL,
    labels        BYTEA,                       -- one class id per row (int32 little-endian)
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT uq_dataset_name UNIQUE (name),
    CONSTRAINT ck_dataset_source CHECK (source IN ('builtin', 'upload')),
    CONSTRAINT ck_dataset_dims CHECK (rows > 0 AND cols > 0),
    CONSTRAINT ck_dataset_data CHECK (octet_length(data) = 4::BIGINT * rows * cols),  -- float32 per value
    CONSTRAINT ck_dataset_shape CHECK (shape IS NULL OR jsonb_typeof(shape) = 'array'),
    CONSTRAINT ck_dataset_labels CHECK (
        (has_labels AND labels IS NOT NULL AND num_classes IS NOT NULL AND num_classes > 0)
        OR (NOT has_labels AND labels IS NULL)),
    CONSTRAINT ck_dataset_sha256 CHECK (sha256 ~ '^[0-9a-fA-F]{64}$')
);

CREATE TABLE model (
    id          UUID PRIMARY KEY,
    name        VARCHAR(100) NOT NULL,
    family      VARCHAR(32)  NOT NULL,
    description TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT uq_model_name UNIQUE (name),
    -- names become directory names in the artifact store (models/<model>/<version>/)
    CONSTRAINT ck_model_name CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$' AND name NOT IN ('.', '..', '_jobs'))
);

CREATE TABLE training_job (
    id                UUID PRIMARY KEY,
    model_name        VARCHAR(100) NOT NULL,
    family            VARCHAR(32)  NOT NULL,
    dataset_id        UUID         NOT NULL REFERENCES dataset (id) ON DELETE RESTRICT,
    spec              JSONB        NOT NULL,     -- the submitted request, normalised (config, seed, steps, ...)
    status            VARCHAR(16)  NOT NULL DEFAULT 'QUEUED',
    step              INTEGER      NOT NULL DEFAULT 0,
    total_steps       INTEGER      NOT NULL,
    loss              DOUBLE PRECISION,
    ema_loss          DOUBLE PRECISION,
    steps_per_second  DOUBLE PRECISION,
    eta_seconds       DOUBLE PRECISION,
    loss_history      JSONB        NOT NULL DEFAULT '[]'::jsonb,  -- [[step, loss], ...], down-sampled
    error             TEXT,
    checkpoint_path   TEXT,
    resume_count      INTEGER      NOT NULL DEFAULT 0,
    cancel_requested  BOOLEAN      NOT NULL DEFAULT FALSE,
    model_version_id  UUID,                      -- FK added below, once model_version exists
    jobrunr_job_id    UUID,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    started_at        TIMESTAMPTZ,
    finished_at       TIMESTAMPTZ,
    updated_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT ck_training_job_status CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    CONSTRAINT ck_training_job_steps CHECK (total_steps > 0 AND step >= 0 AND step <= total_steps),
    CONSTRAINT ck_training_job_resume CHECK (resume_count >= 0),
    CONSTRAINT ck_training_job_finished CHECK (
        (status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')) = (finished_at IS NOT NULL)),
    CONSTRAINT ck_training_job_succeeded CHECK (status <> 'SUCCEEDED' OR model_version_id IS NOT NULL),
    CONSTRAINT ck_training_job_failed CHECK (status <> 'FAILED' OR error IS NOT NULL)
);

CREATE INDEX ix_training_job_status_created ON training_job (status, created_at DESC);
CREATE INDEX ix_training_job_created ON training_job (created_at DESC);
CREATE INDEX ix_training_job_model_name ON training_job (model_name);
CREATE INDEX ix_training_job_dataset ON training_job (dataset_id);

CREATE TABLE model_version (
    id                UUID PRIMARY KEY,
    model_id          UUID         NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    version           INTEGER      NOT NULL,
    family            VARCHAR(32)  NOT NULL,
    config            JSONB        NOT NULL,
    seed              BIGINT       NOT NULL,
    normalization     JSONB        NOT NULL,     -- {"mean": [...], "std": [...]}
    data_shape        JSONB,                     -- shape of one sample, e.g. [2] or [1,28,28]
    dataset_id        UUID         REFERENCES dataset (id) ON DELETE SET NULL,
    job_id            UUID         REFERENCES training_job (id) ON DELETE SET NULL,
    code_version      VARCHAR(100) NOT NULL,
    training_seconds  DOUBLE PRECISION,
    artifact_path     TEXT         NOT NULL,
    artifact_sha256   VARCHAR(64)  NOT NULL,
    metrics           JSONB        NOT NULL DEFAULT '{}'::jsonb,
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT uq_model_version UNIQUE (model_id, version),
    CONSTRAINT ck_model_version_positive CHECK (version > 0),
    CONSTRAINT ck_model_version_sha256 CHECK (artifact_sha256 ~ '^[0-9a-fA-F]{64}$'),
    CONSTRAINT ck_model_version_training_seconds CHECK (training_seconds IS NULL OR training_seconds >= 0)
);

CREATE INDEX ix_model_version_job ON model_version (job_id);
CREATE INDEX ix_model_version_dataset ON model_version (dataset_id);

ALTER TABLE training_job
    ADD CONSTRAINT fk_training_job_model_version
        FOREIGN KEY (model_version_id) REFERENCES model_version (id) ON DELETE SET NULL;
CREATE INDEX ix_training_job_model_version ON training_job (model_version_id);

-- An alias (e.g. "production") names one version of its model. The version must belong to the same model,
-- which the composite foreign key enforces.
ALTER TABLE model_version ADD CONSTRAINT uq_model_version_id_model UNIQUE (id, model_id);

CREATE TABLE model_alias (
    model_id    UUID        NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    alias       VARCHAR(64) NOT NULL,
    version_id  UUID        NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (model_id, alias),
    CONSTRAINT fk_model_alias_version FOREIGN KEY (version_id, model_id)
        REFERENCES model_version (id, model_id) ON DELETE CASCADE,
    -- "latest" and plain numbers are resolved by the API itself
    CONSTRAINT ck_model_alias_name CHECK (alias ~ '^[A-Za-z][A-Za-z0-9_-]{0,63}$' AND alias <> 'latest')
);

CREATE INDEX ix_model_alias_version ON model_alias (version_id);

-- Every alias change, kept forever (version_id NULL = alias removed).
CREATE TABLE model_alias_history (
    id          BIGSERIAL PRIMARY KEY,
    model_id    UUID        NOT NULL REFERENCES model (id) ON DELETE CASCADE,
    alias       VARCHAR(64) NOT NULL,
    version_id  UUID        REFERENCES model_version (id) ON DELETE SET NULL,
    previous_version_id UUID REFERENCES model_version (id) ON DELETE SET NULL,
    changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX ix_model_alias_history_model_alias ON model_alias_history (model_id, alias, changed_at DESC);
