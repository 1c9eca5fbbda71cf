package dev.genserve.generative.drifting;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Trains a drifting generator with the shared {@link TrainingLoop}. Per step and per class group: draw generated
 * x = f_θ(z, c) and positives from the data (and, with guidance α &gt; 1, other-class data as extra negatives of
 * total weight (α−1)× the generated ones), compute V on each feature map without gradient, and minimise
 * Σ_φ mean ‖φ(x)/S − stopgrad(φ(x)/S + V)‖². The reported loss value is the unnormalised Σ_τ E‖V_τ‖²/D (→ 0 at
 * equilibrium); its gradient is that of the normalised objective.
 */
public final class DriftingTrainer {

    /**
     * A test hook: multiply the output layer's weights and the codebook offsets by {@code scale} and set the output
     * bias to {@code shift}.
     */
    public record OutputInit(float scale, float[] shift) {}

    private DriftingTrainer() {}

    public static DriftingGenerator train(TrainingData data, DriftingConfig c, TrainingContext context,
            OutputInit init) {
        NDManager manager = NDManager.newBaseManager(context.device());
        try {
            DriftingNetwork net = DriftingGenerator.network(c);
            Networks.initialize(net.block(), manager, c.seed(), net.inputShapes());
            net.initializeSpecial(c.seed(), data.rows());
            if (init != null) {
                applyInit(net, init);
            }
            TrainingLoop.LossFunction loss = lossFunction(data, c, net);
            OptimizerSettings settings = new OptimizerSettings(c.steps(), c.learningRate(), c.warmupSteps(),
                    c.cosineDecay(), c.weightDecay(), c.gradientClip(), c.emaDecay(), c.seed());
            TrainingLoop.run(net.block(), manager, settings, loss, context);
            return new DriftingGenerator(manager, net, c);
        } catch (RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    static List<FeatureMap> featureMaps(DriftingConfig c) {
        List<FeatureMap> maps = new ArrayList<>();
        for (String name : c.featureMaps()) {
            switch (name) {
                case "identity" -> maps.add(new IdentityFeatureMap());
                case "patches" -> maps.add(new PatchFeatureMap(c.imageShapeArray()));
                default -> maps.addAll(PatchStatisticsFeatureMap.multiScale(c.imageShapeArray()));
            }
        }
        return maps;
    }

    static TrainingLoop.LossFunction lossFunction(TrainingData data, DriftingConfig c, DriftingNetwork net) {
        DriftField field = new DriftField(c.temperatures(), c.affinityClamp());
        List<FeatureMap> maps = featureMaps(c);
        FloatMatrix rows = data.rows();
        boolean conditional = Boolean.TRUE.equals(c.conditional());
        int groups = conditional ? c.numClasses() : 1;
        int[][] members = new int[groups][];
        for (int k = 0; k < groups; k++) {
            final int cls = k;
            members[k] = conditional
                    ? IntStream.range(0, rows.rows()).filter(i -> data.labels()[i] == cls).toArray()
                    : IntStream.range(0, rows.rows()).toArray();
            if (members[k].length == 0) {
                throw new IllegalArgumentException("class " + k + " has no training rows");
            }
        }
        int genPer = Math.max(2, c.generated() / groups);
        int posPer = Math.max(2, c.positives() / groups);
        boolean guided = conditional && c.guidanceWeight() > 1;
        int extraPer = Math.max(2, posPer / 4);
        return (scope, store, step, random) -> {
            int[] labels = new int[genPer * groups];
            float[] guidance = new float[labels.length];
            float[] extraWeights = new float[groups];
            for (int k = 0; k < groups; k++) {
                // α log-uniform on [1, guidanceWeight] (the published default), one per class group and step
                double alpha = Math.exp(Math.log(c.guidanceWeight()) * random.nextDouble());
                extraWeights[k] = (float) ((alpha - 1) * (genPer - 1) / extraPer);
                for (int i = 0; i < genPer; i++) {
                    labels[k * genPer + i] = k;
                    guidance[k * genPer + i] = (float) alpha;
                }
            }
            NDArray noise = random.normal(scope, new Shape(labels.length, net.noiseDim()));
            NDArray cond = DriftingGenerator.condition(scope, c, labels, guidance);
            NDArray x = net.generate(store, noise, cond, true);
            int[] posRows = new int[groups * posPer];
            for (int k = 0; k < groups; k++) {
                System.arraycopy(pick(random, members[k], posPer), 0, posRows, k * posPer, posPer);
            }
            NDArray pos = rows.selectRows(posRows).toNd(scope);
            NDArray extra = guided ? rows.selectRows(random.indices(groups * extraPer, rows.rows())).toNd(scope)
                    : null;
            NDArray total = null;
            double raw = 0;
            for (FeatureMap map : maps) {
                int locations = map.locations();
                NDArray fx = byLocation(map.apply(x), groups, genPer, locations);
                NDArray fp = byLocation(map.apply(pos), groups, posPer, locations);
                NDArray fe = extra == null ? null : byLocation(map.apply(extra), groups, extraPer, locations);
                DriftField.Drift drift = field.compute(fx, fp, fe, extra == null ? null
                        : repeatEach(extraWeights, locations));
                // a native scalar: DJL's div(Number) would alias a temporary Java buffer that the backward reads
                NDArray fs = fx.div(scope.full(new Shape(1), drift.scale()));
                NDArray target = fs.stopGradient().add(drift.drift());
                NDArray term = fs.sub(target).square().mean();
                total = total == null ? term : total.add(term);
                raw += drift.rawSquaredNorm();
            }
            // value = raw Σ_φ Σ_τ E‖V_τ‖²/F; gradient = that of the normalised objective
            return total.sub(total.stopGradient()).add(scope.full(new Shape(1), (float) raw)).reshape(new Shape());
        };
    }

    /** Features N×(L·F), N = groups·rows, as (groups·L) × rows × F: one field per (group, location). */
    static NDArray byLocation(NDArray features, int groups, int rows, int locations) {
        long width = features.getShape().get(1) / locations;
        if (locations == 1) {
            return features.reshape(groups, rows, width);
        }
        return features.reshape(groups, rows, locations, width).transpose(0, 2, 1, 3)
                .reshape((long) groups * locations, rows, width);
    }

    private static float[] repeatEach(float[] values, int times) {
        float[] out = new float[values.length * times];
        for (int i = 0; i < out.length; i++) {
            out[i] = values[i / times];
        }
        return out;
    }

    private static int[] pick(RandomSource random, int[] pool, int count) {
        int[] idx = random.indices(count, pool.length);
        for (int i = 0; i < count; i++) {
            idx[i] = pool[idx[i]];
        }
        return idx;
    }

    private static void applyInit(DriftingNetwork net, OutputInit init) {
        for (Pair<String, Parameter> entry : net.block().getParameters()) {
            String name = entry.getKey().toLowerCase();
            NDArray array = entry.getValue().getArray();
            boolean output = name.contains("output");
            if (name.contains("codebook") || (output && name.endsWith("weight"))) {
                Networks.assign(array, array.mul(init.scale()).toFloatArray());
            } else if (output && name.endsWith("bias") && init.shift() != null) {
                Networks.assign(array, init.shift());
            }
        }
    }
}
