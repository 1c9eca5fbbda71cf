package dev.genserve.bench;

import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.data.Standardizer;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.metrics.QualityReport;
import dev.genserve.generative.metrics.QualitySettings;
import java.util.Locale;

/**
 * The split every attractor driver uses: a labelled hard toy drawn three times with fixed seeds (training rows,
 * held-out reference with labels, and a second real sample for the floor), the training rows' standardisation,
 * and scoring of samples (standardised units in, data units for the metrics) with {@link QualityReport}.
 */
record AttractorToys(String toy, FloatMatrix train, Standardizer standardizer, FloatMatrix heldOut, int[] labels,
        FloatMatrix floorSample) {

    static final int TRAIN_ROWS = 10_000;
    static final int EVAL_ROWS = 2000;

    static AttractorToys of(String toy) {
        int salt = Math.floorMod(toy.hashCode(), 997);
        ToyDistributions.Labeled train = ToyDistributions.labeledOrEmpty(toy, TRAIN_ROWS, 1000 + salt).orElseThrow();
        ToyDistributions.Labeled held = ToyDistributions.labeledOrEmpty(toy, EVAL_ROWS, 2000 + salt).orElseThrow();
        FloatMatrix floor = ToyDistributions.labeledOrEmpty(toy, EVAL_ROWS, 3000 + salt).orElseThrow().points();
        Standardizer st = Standardizer.fit(train.points());
        return new AttractorToys(toy, st.forward(train.points()), st, held.points(), held.labels(), floor);
    }

    /** Scores standardised samples against the held-out data (in data units). */
    QualityReport score(FloatMatrix standardisedSamples) {
        return QualityReport.evaluate(standardizer.inverse(standardisedSamples), heldOut, labels,
                ToyDistributions.numClasses(toy), floorSample, QualitySettings.DEFAULT);
    }

    /** The headline numbers: 1-NN, mmd2_bw0.1 (and its ratio to the floor), coverage, precision. */
    static String headline(QualityReport q) {
        QualityReport.Metric mmd = q.metric("mmd2_bw0.1");
        return String.format(Locale.ROOT, "nn1=%.3f mmd0.1=%.5f (%.1fx floor %.5f) mmd0.3=%.5f cov=%.3f prec=%.3f",
                q.metric("nn1_accuracy").value(), mmd.value(), mmd.ratio(), mmd.floor(),
                q.metric("mmd2_bw0.3").value(), q.metric("coverage").value(), q.metric("precision").value());
    }
}
