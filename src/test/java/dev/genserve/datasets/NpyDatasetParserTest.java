package dev.genserve.datasets;

import static dev.genserve.datasets.TestFiles.npy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyDatasetParserTest {

    final NpyDatasetParser parser = new NpyDatasetParser(DatasetLimits.DEFAULT);

    @ParameterizedTest
    @CsvSource({"1,<f4", "1,<f8", "2,>f4", "3,>f8", "2,<f8"})
    void readsEveryVersionAndFloatDtype(int major, String descr) {
        ParsedDataset p = parser.parse(npy(major, descr, false, "(2, 3)", new double[] {1, 2, 3, 4, 5, 6.5}));
        assertThat(p.rows().rows()).isEqualTo(2);
        assertThat(p.rows().cols()).isEqualTo(3);
        assertThat(p.rows().data()).containsExactly(1, 2, 3, 4, 5, 6.5f);
    }

    @Test
    void fortranOrderIsTransposedIntoRowMajor() {
        // column-major storage of [[1, 2, 3], [4, 5, 6]]
        ParsedDataset p = parser.parse(npy(1, "<f8", true, "(2, 3)", new double[] {1, 4, 2, 5, 3, 6}));
        assertThat(p.rows().data()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void rejectsOneDimensionalWithReshapeHint() {
        assertThatThrownBy(() -> parser.parse(npy(1, "<f4", false, "(3,)", new double[] {1, 2, 3})))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("The NPY array is 1-D with shape (3,); upload a 2-D array of shape (rows, features), "
                        + "e.g. x.reshape(-1, 1) for one feature");
        assertThatThrownBy(() -> parser.parse(npy(1, "<f4", false, "(1, 2, 2)", new double[] {1, 2, 3, 4})))
                .hasMessage("The NPY array has shape (1, 2, 2) (3-D); a 2-D array of shape (rows, features) is required");
    }

    @Test
    void rejectsOtherDtypes() {
        byte[] ints = npy(1, "<f4", false, "(1, 1)", new double[] {1});
        String s = new String(ints, java.nio.charset.StandardCharsets.ISO_8859_1).replace("<f4", "<i4");
        assertThatThrownBy(() -> parser.parse(s.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .hasMessage("Unsupported NPY dtype '<i4': only float32 ('<f4', '>f4') and float64 ('<f8', '>f8') are supported;"
                        + " convert with x.astype('float32')");
    }

    @Test
    void nanAndInfNameRowAndColumn() {
        assertThatThrownBy(() -> parser.parse(npy(1, "<f8", false, "(3, 2)", new double[] {1, 2, 3, 4, 5, Double.NaN})))
                .hasMessage("NaN at row 2, column 1 (0-based) of the NPY array; NaN and Inf values are not allowed");
        // Fortran order: storage index 1 is row 1, column 0
        assertThatThrownBy(() -> parser.parse(npy(1, ">f4", true, "(2, 2)",
                new double[] {1, Double.POSITIVE_INFINITY, 3, 4})))
                .hasMessage("Inf at row 1, column 0 (0-based) of the NPY array; NaN and Inf values are not allowed");
        assertThatThrownBy(() -> parser.parse(npy(1, "<f8", false, "(1, 1)", new double[] {1e300})))
                .hasMessage("Value 1.0E300 at row 0, column 0 (0-based) of the NPY array is outside the float32 range");
    }

    @Test
    void sizeMustMatchHeader() {
        byte[] ok = npy(1, "<f4", false, "(2, 2)", new double[] {1, 2, 3, 4});
        assertThatThrownBy(() -> parser.parse(Arrays.copyOf(ok, ok.length - 4)))
                .hasMessage("The NPY file is truncated: shape (2, 2) of <f4 needs 16 data bytes, the file has 12");
        assertThatThrownBy(() -> parser.parse(Arrays.copyOf(ok, ok.length + 3)))
                .hasMessage("The NPY file has 3 unexpected trailing bytes after the 16 data bytes of shape (2, 2) <f4");
    }

    @Test
    void emptyAndNotNpy() {
        assertThatThrownBy(() -> parser.parse(new byte[0])).hasMessage("The NPY file is empty");
        assertThatThrownBy(() -> parser.parse("x,y\n1,2\n3,4\n".getBytes()))
                .hasMessage("Not an NPY file: it does not start with the magic string \\x93NUMPY");
        assertThatThrownBy(() -> parser.parse(npy(1, "<f4", false, "(0, 2)", new double[0])))
                .hasMessage("The NPY array is empty (shape (0, 2))");
    }
}
