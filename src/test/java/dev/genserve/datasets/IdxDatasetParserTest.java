package dev.genserve.datasets;

import static dev.genserve.datasets.TestFiles.gzip;
import static dev.genserve.datasets.TestFiles.idxImages;
import static dev.genserve.datasets.TestFiles.idxLabels;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.errors.PayloadTooLargeException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class IdxDatasetParserTest {

    final IdxDatasetParser parser = new IdxDatasetParser(DatasetLimits.DEFAULT);

    static InputStream in(byte[] b) {
        return new ByteArrayInputStream(b);
    }

    @Test
    void plainAndGzipGiveTheSameScaledImages() {
        byte[] images = idxImages(3, 2, 4);
        ParsedDataset plain = parser.parse(in(images), in(idxLabels(2, 0, 9)));
        ParsedDataset zipped = parser.parse(in(gzip(images)), in(gzip(idxLabels(2, 0, 9))));
        assertThat(plain.rows()).isEqualTo(zipped.rows());
        assertThat(plain.rows().rows()).isEqualTo(3);
        assertThat(plain.rows().cols()).isEqualTo(8);
        assertThat(plain.imageShape()).containsExactly(1, 2, 4);
        assertThat(plain.rows().get(1, 2)).isEqualTo((7 + 2) / 255f);
        assertThat(plain.labels()).containsExactly(2, 0, 9);
        assertThat(plain.numClasses()).isEqualTo(10);
        ParsedDataset unlabelled = parser.parse(in(images), null);
        assertThat(unlabelled.labels()).isNull();
    }

    @Test
    void labelCountMustMatch() {
        assertThatThrownBy(() -> parser.parse(in(idxImages(3, 2, 2)), in(idxLabels(1, 2))))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("The IDX labels file has 2 labels but the images file has 3 images");
    }

    @Test
    void wrongMagicAndSwappedFiles() {
        assertThatThrownBy(() -> parser.parse(in(idxLabels(1, 2)), null))
                .hasMessage("The IDX images file is a labels file (magic 0x00000801); send the images as 'file' and the labels as 'labels'");
        byte[] floats = idxImages(1, 1, 1);
        floats[2] = 0x0d;
        assertThatThrownBy(() -> parser.parse(in(floats), null))
                .hasMessage("The IDX images file has magic number 0x00000d03; expected 0x00000803 (unsigned bytes, 3 dimensions: count × height × width)");
    }

    @Test
    void emptyTruncatedAndTrailing() {
        assertThatThrownBy(() -> parser.parse(in(new byte[0]), null)).hasMessage("The IDX images file is empty");
        byte[] ok = idxImages(2, 2, 2);
        assertThatThrownBy(() -> parser.parse(in(Arrays.copyOf(ok, ok.length - 1)), null))
                .hasMessage("The IDX images file is truncated: it declares 2 images of 2 × 2 (8 pixel bytes)");
        assertThatThrownBy(() -> parser.parse(in(gzip(Arrays.copyOf(ok, ok.length + 1))), null))
                .hasMessage("The IDX images file has trailing bytes after the 8 pixel bytes of 2 images of 2 × 2");
        assertThatThrownBy(() -> parser.parse(in(Arrays.copyOf(ok, 10)), null))
                .hasMessage("The IDX images file is truncated: it ends before its height");
    }

    @Test
    void headerSizesAreCheckedBeforeAllocating() {
        byte[] bomb = ByteBuffer.allocate(16).putInt(0x803).putInt(1_000_000).putInt(1000).putInt(1000).array();
        assertThatThrownBy(() -> parser.parse(in(gzip(bomb)), null))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessageContaining("1000000 columns, more than the limit of 4096");
    }

    /** The real Fashion-MNIST training files when this machine has them, else a Fashion-MNIST-shaped file written here. */
    @Test
    void fashionMnistRoundTrip() throws Exception {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        Path labels = dir.resolve("train-labels-idx1-ubyte.gz");
        boolean real = Files.isReadable(images) && Files.isReadable(labels);
        byte[] imageBytes = real ? Files.readAllBytes(images) : gzip(idxImages(20, 28, 28));
        byte[] labelBytes = real ? Files.readAllBytes(labels) : gzip(idxLabels(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9, 5, 5, 7, 9, 1, 0, 6, 4}));
        int expectedRows = real ? 60_000 : 20;
        ParsedDataset p = parser.parse(in(imageBytes), in(labelBytes));
        assertThat(p.rows().rows()).as(real ? "real Fashion-MNIST" : "synthetic stand-in").isEqualTo(expectedRows);
        assertThat(p.rows().cols()).isEqualTo(784);
        assertThat(p.imageShape()).containsExactly(1, 28, 28);
        assertThat(p.numClasses()).isEqualTo(10);
        // the first ten Fashion-MNIST training labels
        assertThat(Arrays.copyOf(p.labels(), 10)).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5);
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : p.rows().data()) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertThat(min).isEqualTo(0f);
        assertThat(max).isEqualTo(1f);
        // take = 100 reads only a prefix and does not complain about the rest
        ParsedDataset head = parser.parse(in(imageBytes), in(labelBytes), 10, BuiltinDatasets.FASHION_MNIST_CLASSES);
        assertThat(head.rows()).isEqualTo(p.rows().slice(0, 10));
        assertThat(head.classNames()).hasSize(10).startsWith("T-shirt/top");
    }
}
