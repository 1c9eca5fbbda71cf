package dev.genserve.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.RandomSource;
import dev.genserve.generative.nn.Networks;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The Fashion-MNIST judge's network: conv 3×3 ×16, ReLU, max-pool 2 → conv 3×3 ×32, ReLU, max-pool 2 → linear
 * {@value #FEATURES}, ReLU (the features) → linear 10 (the logits). Trained with softmax cross-entropy over seeded,
 * per-epoch shuffled batches through the project's {@link TrainingLoop} (AdamW, warm-up, cosine decay, EMA weights),
 * initialised by {@link Networks#initialize}; with one PyTorch thread the same config gives the same bytes.
 *
 * <p><b>Cache.</b> {@link #loadOrTrain} stores the weights in {@code <cache>/<key>/classifier.params}, where the key
 * hashes this class's bytecode, the {@link Config} and the training files' names and sizes: repeated runs load,
 * and a change of architecture, training code or config trains afresh. Writes are atomic (temp file + move), so
 * concurrent runs never read half a file.
 */
final class FashionMnistClassifier implements AutoCloseable {

    static final int FEATURES = 128;
    private static final int CHUNK = 500;

    /** What the classifier's weights depend on besides the code: the cache key hashes it. */
    record Config(int epochs, int batch, double learningRate, double weightDecay, double emaDecay, long seed) {
        static final Config DEFAULT = new Config(2, 128, 2e-3, 1e-4, 0.99, 7L);
    }

    /** Where the weights came from. */
    enum Source { TRAINED, CACHE }

    private final NDManager manager;
    private final SequentialBlock features;
    private final SequentialBlock logits;
    private final ParameterStore store;
    private final Source source;

    private FashionMnistClassifier(NDManager manager, SequentialBlock features, SequentialBlock logits,
            Source source) {
        this.manager = manager;
        this.features = features;
        this.logits = logits;
        this.store = new ParameterStore(manager, false);
        this.source = source;
    }

    /**
     * The cached classifier for this code, config and the training split in {@code datasetDir}, or a freshly
     * trained (and cached) one; the training images are read only to train.
     */
    static FashionMnistClassifier loadOrTrain(Path datasetDir, Path cacheDir, Config config) throws IOException {
        Path weights = cacheDir.resolve(cacheKey(config, FashionMnist.files(datasetDir, false)))
                .resolve("classifier.params");
        NDManager manager = NDManager.newBaseManager();
        try {
            SequentialBlock features = new SequentialBlock()
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).optPadding(new Shape(1, 1))
                            .build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).optPadding(new Shape(1, 1))
                            .build())
                    .add(Activation.reluBlock())
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(FEATURES).build())
                    .add(Activation.reluBlock());
            SequentialBlock logits = new SequentialBlock().add(features)
                    .add(Linear.builder().setUnits(FashionMnist.CLASSES).build());
            Networks.initialize(logits, manager, config.seed(),
                    new Shape(1, 1, FashionMnist.SIDE, FashionMnist.SIDE));
            Source source;
            if (Files.isReadable(weights)) {
                Networks.fromBytes(logits, manager, Files.readAllBytes(weights));
                source = Source.CACHE;
            } else {
                long t0 = System.nanoTime();
                train(logits, manager, FashionMnist.read(datasetDir, false, Integer.MAX_VALUE), config);
                System.out.printf(Locale.ROOT, "[judge] classifier trained in %.0f s; cached in %s%n",
                        (System.nanoTime() - t0) / 1e9, weights);
                writeAtomically(weights, Networks.toBytes(logits));
                source = Source.TRAINED;
            }
            Networks.freeze(logits);
            return new FashionMnistClassifier(manager, features, logits, source);
        } catch (IOException | RuntimeException | Error e) {
            manager.close();
            throw e;
        }
    }

    private static void train(SequentialBlock net, NDManager manager, FashionMnist train, Config config) {
        int n = train.images().rows();
        int batch = config.batch();
        int perEpoch = n / batch;
        int steps = perEpoch * config.epochs();
        OptimizerSettings settings = new OptimizerSettings(steps, config.learningRate(), Math.min(100, steps / 10),
                true, config.weightDecay(), 5.0, config.emaDecay(), config.seed());
        int[][] orders = new int[config.epochs()][];
        for (int e = 0; e < orders.length; e++) {
            orders[e] = shuffled(n, RandomSource.mix(config.seed(), e));
        }
        float[] pixels = train.images().data();
        int[] labels = train.labels();
        int d = FashionMnist.PIXELS;
        int classes = FashionMnist.CLASSES;
        TrainingLoop.run(net, manager, settings, (scope, store, step, random) -> {
            int[] order = orders[step / perEpoch];
            int from = (step % perEpoch) * batch;
            float[] x = new float[batch * d];
            float[] oneHot = new float[batch * classes];
            for (int i = 0; i < batch; i++) {
                int row = order[from + i];
                System.arraycopy(pixels, row * d, x, i * d, d);
                oneHot[i * classes + labels[row]] = 1f;
            }
            NDArray input = FloatMatrix.nativeCopy(scope, x, new Shape(batch, 1, FashionMnist.SIDE, FashionMnist.SIDE));
            NDArray target = FloatMatrix.nativeCopy(scope, oneHot, new Shape(batch, classes));
            NDArray out = net.forward(store, new NDList(input), true).singletonOrThrow();
            return out.logSoftmax(1).mul(target).sum().div(-batch);
        }, TrainingContext.simple());
    }

    Source source() {
        return source;
    }

    /** The predicted class of every row (N × 784, [−1, 1]; clamped, NaN read as 0). */
    int[] classify(FloatMatrix images) {
        int[] out = new int[images.rows()];
        forEachChunk(images, logits, (from, result) -> {
            long[] argmax = result.argMax(1).toLongArray();
            for (int i = 0; i < argmax.length; i++) {
                out[from + i] = (int) argmax[i];
            }
        });
        return out;
    }

    /** The {@value #FEATURES} hidden features of every row. */
    FloatMatrix features(FloatMatrix images) {
        float[] out = new float[images.rows() * FEATURES];
        forEachChunk(images, features, (from, result) -> {
            float[] f = result.toFloatArray();
            System.arraycopy(f, 0, out, from * FEATURES, f.length);
        });
        return new FloatMatrix(out, images.rows(), FEATURES);
    }

    @Override
    public void close() {
        manager.close();
    }

    private interface ChunkConsumer {
        void accept(int from, NDArray result);
    }

    private void forEachChunk(FloatMatrix images, SequentialBlock block, ChunkConsumer consumer) {
        int d = FashionMnist.PIXELS;
        if (images.cols() != d) {
            throw new IllegalArgumentException("images must have " + d + " columns, got " + images.cols());
        }
        float[] data = images.data();
        for (int from = 0; from < images.rows(); from += CHUNK) {
            int rows = Math.min(CHUNK, images.rows() - from);
            float[] chunk = new float[rows * d];
            for (int k = 0; k < chunk.length; k++) {
                float v = data[from * d + k];
                chunk[k] = Float.isNaN(v) ? 0f : Math.max(-1f, Math.min(1f, v));
            }
            try (NDManager scope = manager.newSubManager()) {
                NDArray input = FloatMatrix.nativeCopy(scope, chunk,
                        new Shape(rows, 1, FashionMnist.SIDE, FashionMnist.SIDE));
                NDArray result = block.forward(store, new NDList(input), false).singletonOrThrow();
                result.attach(scope);
                consumer.accept(from, result);
            }
        }
    }

    /** A seeded uniform permutation of 0..n−1 (Fisher–Yates). */
    static int[] shuffled(int n, long seed) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return idx;
    }

    /** SHA-256 (first 16 hex digits) of this class's bytecode, the config and the training files' names and sizes. */
    static String cacheKey(Config config, Path... trainingFiles) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            try (InputStream code = FashionMnistClassifier.class.getResourceAsStream(
                    FashionMnistClassifier.class.getSimpleName() + ".class")) {
                if (code == null) {
                    throw new IOException("cannot read the bytecode of " + FashionMnistClassifier.class);
                }
                sha.update(code.readAllBytes());
            }
            sha.update(config.toString().getBytes(StandardCharsets.UTF_8));
            for (Path p : trainingFiles) {
                sha.update((p.getFileName() + ":" + Files.size(p) + ";").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), "classifier", ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
