package dev.genserve.sampling;

import dev.genserve.generative.FloatMatrix;
import java.io.StringWriter;
import tools.jackson.databind.SequenceWriter;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvSchema;

/** Writes samples as CSV with a header {@code x0,x1,…} and one sample per line. */
public final class CsvEncoder {

    private static final CsvMapper MAPPER = new CsvMapper();

    private CsvEncoder() {}

    public static String encode(FloatMatrix samples) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        for (int j = 0; j < samples.cols(); j++) {
            schema.addColumn("x" + j, CsvSchema.ColumnType.NUMBER);
        }
        StringWriter out = new StringWriter();
        try (SequenceWriter writer = MAPPER.writerFor(float[].class).with(schema.build()).writeValues(out)) {
            for (int i = 0; i < samples.rows(); i++) {
                writer.write(samples.row(i));
            }
        }
        return out.toString();
    }
}
