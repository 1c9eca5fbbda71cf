package dev.genserve.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.genserve.errors.PayloadTooLargeException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvDatasetParserTest {

    static ParsedDataset parse(String csv, String labelColumn) {
        return parse(csv, labelColumn, DatasetLimits.DEFAULT);
    }

    static ParsedDataset parse(String csv, String labelColumn, DatasetLimits limits) {
        return new CsvDatasetParser(limits).parse(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), labelColumn);
    }

    @Test
    void numbersWithoutHeader() {
        ParsedDataset p = parse("1,2\n3.5,-4e-1\n\n 5 , 6 \n", null);
        assertThat(p.rows().rows()).isEqualTo(3);
        assertThat(p.rows().cols()).isEqualTo(2);
        assertThat(p.rows().data()).containsExactly(1f, 2f, 3.5f, -0.4f, 5f, 6f);
        assertThat(p.labels()).isNull();
        assertThat(p.imageShape()).isNull();
    }

    @Test
    void headerIsDetectedAndSkipped() {
        ParsedDataset p = parse("x,y\n1,2\n3,4\n", null);
        assertThat(p.rows().data()).containsExactly(1f, 2f, 3f, 4f);
    }

    @Test
    void stringLabelsBecomeSortedClassIds() {
        ParsedDataset p = parse("x,species,y\n1,dog,2\n3,cat,4\n5,dog,6\n", "species");
        assertThat(p.rows().cols()).isEqualTo(2);
        assertThat(p.rows().data()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(p.labels()).containsExactly(1, 0, 1);
        assertThat(p.numClasses()).isEqualTo(2);
        assertThat(p.classNames()).containsExactly("cat", "dog");
    }

    @Test
    void integerLabelsAreClassIds() {
        ParsedDataset p = parse("a,b,label\n1,2,3\n3,4,0\n", "label");
        assertThat(p.labels()).containsExactly(3, 0);
        assertThat(p.numClasses()).isEqualTo(4);
        assertThat(p.classNames()).isNull();
    }

    @Test
    void nanNamesLineRowAndColumn() {
        assertThatThrownBy(() -> parse("x,y\n1,2\n3,NaN\n", null))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("NaN at line 3 (data row 2), column 2 ('y'); NaN and Inf values are not allowed");
        assertThatThrownBy(() -> parse("1,2\n-inf,2\n", null))
                .hasMessage("Inf at line 2 (data row 2), column 1; NaN and Inf values are not allowed");
        assertThatThrownBy(() -> parse("1,1e39\n", null))
                .hasMessage("Value 1e39 at line 1 (data row 1), column 2 is outside the float32 range");
    }

    @Test
    void raggedRowNamesLine() {
        assertThatThrownBy(() -> parse("x,y\n1,2\n3,4\n5\n", null))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("Ragged rows: line 4 has 1 value, expected 2 (as on line 1)");
        assertThatThrownBy(() -> parse("1,2\n\n3,4,5\n", null))
                .hasMessage("Ragged rows: line 3 has 3 values, expected 2 (as on line 1)");
    }

    @Test
    void nonNumericNamesLineAndColumn() {
        assertThatThrownBy(() -> parse("x,y\n1,2\n3,abc\n", null))
                .hasMessage("Non-numeric value 'abc' at line 3 (data row 2), column 2 ('y'); to use a column as labels pass labelColumn");
        assertThatThrownBy(() -> parse("1,2\n3,\n", null))
                .hasMessage("Empty value at line 2 (data row 2), column 2; missing values are not supported");
    }

    @Test
    void emptyAndHeaderOnly() {
        assertThatThrownBy(() -> parse("", null)).hasMessage("The CSV file is empty");
        assertThatThrownBy(() -> parse("\n\n", null)).hasMessage("The CSV file is empty");
        assertThatThrownBy(() -> parse("x,y\n", null)).hasMessage("The CSV file has a header (line 1) but no data rows");
    }

    @Test
    void labelColumnProblems() {
        assertThatThrownBy(() -> parse("1,2\n3,4\n", "label"))
                .hasMessageContaining("labelColumn 'label' was given but the CSV file has no header row");
        assertThatThrownBy(() -> parse("x,y\n1,2\n", "label"))
                .hasMessage("labelColumn 'label' is not in the header (line 1): [x, y]");
        assertThatThrownBy(() -> parse("label\nA\n", "label"))
                .hasMessage("The CSV file has no feature columns besides the label column 'label'");
    }

    @Test
    void limits() {
        DatasetLimits small = new DatasetLimits(2, 2, 100);
        assertThatThrownBy(() -> parse("1,2,3\n", null, small))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("3 columns, more than the limit of 2");
        assertThatThrownBy(() -> parse("1\n2\n3\n", null, small))
                .isInstanceOf(PayloadTooLargeException.class).hasMessageContaining("more than the limit of 2 (genserve.datasets.max-rows)");
    }
}
