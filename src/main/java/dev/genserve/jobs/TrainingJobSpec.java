package dev.genserve.jobs;

import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * What a job trains, as stored in {@code training_job.spec}: the model and family, the dataset, the family config
 * already resolved against the data (defaults filled in), the held-out split, and the checkpoint interval.
 */
public record TrainingJobSpec(String model, String family, UUID datasetId, String datasetName, JsonNode config,
        double heldOutFraction, long splitSeed, int checkpointEvery) {}
