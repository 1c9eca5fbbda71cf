package dev.genserve.jobs;

import dev.genserve.datasets.DatasetService;
import dev.genserve.datasets.DatasetSplit;
import dev.genserve.datasets.LoadedDataset;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Loads a dataset, splits it into train and held-out parts by seed, and standardises with statistics of the
 * training part only. Deterministic, so the submit-time validation and the run see the very same data.
 */
@Component
public class TrainingDataPreparer {

    private final DatasetService datasets;

    public TrainingDataPreparer(DatasetService datasets) {
        this.datasets = datasets;
    }

    public PreparedData prepare(UUID datasetId, double heldOutFraction, long splitSeed) {
        return prepare(datasets.load(datasetId), heldOutFraction, splitSeed);
    }

    /** As {@link #prepare(UUID, double, long)}, for rows already in memory (a built-in not stored yet). */
    public PreparedData prepare(LoadedDataset all, double heldOutFraction, long splitSeed) {
        DatasetSplit split = DatasetSplit.split(all, heldOutFraction, splitSeed);
        Standardizer standardizer = Standardizer.fit(split.train(), all.isImage());
        TrainingData data = new TrainingData(standardizer.forward(split.train()), split.trainLabels(),
                all.numClasses(), all.imageShape());
        return new PreparedData(data, split.train(), split.heldOut(), split.heldOutLabels(), standardizer);
    }
}
