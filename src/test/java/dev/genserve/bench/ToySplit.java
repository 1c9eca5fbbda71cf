package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import java.util.Optional;

/**
 * One toy's data for the quality sections, as the service would hold it: a training split (standardised for the
 * families; its raw rows are also the second real sample behind every floor) and a held-out split with its
 * component labels where the toy has them. Seeds depend on the toy's name only, so a toy's numbers do not change
 * with the list it runs in.
 *
 * @param classes number of components (0 when unlabelled)
 */
record ToySplit(String toy, FloatMatrix trainRaw, Standardizer standardizer, FloatMatrix heldOut,
        int[] heldOutLabels, int classes) {

    static final int TRAIN_ROWS = 10_000;

    static ToySplit of(String toy, int heldOutRows) {
        long seed = 1000L + ToyDistributions.NAMES.indexOf(toy);
        FloatMatrix train = ToyDistributions.byName(toy, TRAIN_ROWS, seed);
        Optional<ToyDistributions.Labeled> labelled = ToyDistributions.labeledOrEmpty(toy, heldOutRows, seed + 1000);
        FloatMatrix heldOut = labelled.map(ToyDistributions.Labeled::points)
                .orElseGet(() -> ToyDistributions.byName(toy, heldOutRows, seed + 1000));
        int[] labels = labelled.map(ToyDistributions.Labeled::labels).orElse(null);
        return new ToySplit(toy, train, Standardizer.fit(train), heldOut, labels,
                labels == null ? 0 : ToyDistributions.numClasses(toy));
    }

    /** What a family trains on: the standardised training rows, unlabelled (as an uploaded CSV would be). */
    TrainingData trainingData() {
        return TrainingData.of(standardizer.forward(trainRaw));
    }

    /** Scores samples in data units against the held-out split; the floor is the training split. */
    QualityReport score(FloatMatrix samples) {
        return QualityReport.evaluate(samples, heldOut, heldOutLabels, classes, trainRaw,
                QualitySettings.DEFAULT.withMaxPoints(heldOut.rows()));
    }
}
