package dev.genserve.jobs;

/**
 * A replica found that it no longer holds a job's lease (another replica took the job over while this one was
 * stalled). The run stops at once and writes nothing more for the job.
 */
public class LeaseLostException extends RuntimeException {

    public LeaseLostException(JobLease lease) {
        super("replica " + lease.owner() + " lost the lease of job " + lease.jobId() + " (token " + lease.token() + ")");
    }
}
