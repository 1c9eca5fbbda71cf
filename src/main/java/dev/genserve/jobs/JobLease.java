package dev.genserve.jobs;

import java.util.UUID;

/** The right of one replica to run one job, proven by the fencing token that the claim gave it. */
public record JobLease(UUID jobId, String owner, long token) {}
