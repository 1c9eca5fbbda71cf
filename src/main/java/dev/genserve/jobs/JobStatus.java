package dev.genserve.jobs;

/** Life cycle of a training job: QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED. */
public enum JobStatus {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == CANCELLED;
    }
}
