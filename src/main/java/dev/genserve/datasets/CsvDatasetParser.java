package dev.genserve.datasets;

import dev.genserve.generative.FloatMatrix;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.dataformat.csv.CsvMapper;
import tools.jackson.dataformat.csv.CsvReadFeature;

/**
 * Parses comma-separated numbers into a dataset.
 *
 * <ul>
 *   <li><b>Header</b>: optional. Without {@code labelColumn}, the first row is a header when any of its cells is not a
 *       number. With {@code labelColumn}, the first row must be a header that contains that name.</li>
 *   <li><b>Labels</b>: the column named {@code labelColumn} is taken out of the features; integer labels ≥ 0 are
 *       class ids, any other labels (strings) are sorted and numbered, and their names kept.</li>
 *   <li>Values are parsed as decimal numbers and stored as float32. Empty lines are skipped; cells are trimmed.</li>
 *   <li>Errors name the (1-based) line and column: non-numeric or empty value, NaN/Inf, a value outside the float32
 *       range, a row with a different number of values than the first.</li>
 * </ul>
 */
public final class CsvDatasetParser {

    private static final CsvMapper CSV = CsvMapper.builder()
            .enable(CsvReadFeature.TRIM_SPACES)
            .enable(CsvReadFeature.SKIP_EMPTY_LINES)
            .build();

    private final DatasetLimits limits;

    public CsvDatasetParser(DatasetLimits limits) {
        this.limits = limits;
    }

    public ParsedDataset parse(InputStream in, String labelColumn) {
        String label = labelColumn == null || labelColumn.isBlank() ? null : labelColumn.trim();
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
             JsonParser p = CSV.reader().createParser(reader)) {
            return parse(p, label);
        } catch (JacksonException e) {
            throw new DatasetFormatException("Malformed CSV: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""), e);
        } catch (IOException e) {
            throw new DatasetFormatException("Could not read the CSV file: " + e.getMessage(), e);
        }
    }

    private ParsedDataset parse(JsonParser p, String labelColumn) {
        List<String> cells = new ArrayList<>();
        int line = nextRow(p, cells);
        if (line < 0) {
            throw new DatasetFormatException("The CSV file is empty");
        }
        if (cells.size() == 1 && cells.get(0).isEmpty()) {
            throw new DatasetFormatException("The CSV file is empty");
        }
        int width = cells.size();
        int firstLine = line;
        List<String> header = null;
        if (labelColumn != null) {
            if (!cells.contains(labelColumn)) {
                throw new DatasetFormatException(allNumeric(cells)
                        ? "labelColumn '" + labelColumn + "' was given but the CSV file has no header row (line "
                          + line + " is all numbers); add a header naming the columns"
                        : "labelColumn '" + labelColumn + "' is not in the header (line " + line + "): " + cells);
            }
            header = List.copyOf(cells);
        } else if (!allNumeric(cells)) {
            header = List.copyOf(cells);
        }
        int labelIndex = header == null || labelColumn == null ? -1 : header.indexOf(labelColumn);
        int featureCols = labelIndex >= 0 ? width - 1 : width;
        if (featureCols == 0) {
            throw new DatasetFormatException("The CSV file has no feature columns besides the label column '" + labelColumn + "'");
        }
        limits.checkCols(featureCols);

        FloatArrayBuilder values = new FloatArrayBuilder();
        List<String> labels = labelIndex >= 0 ? new ArrayList<>() : null;
        int rows = 0;
        if (header != null) {
            line = nextRow(p, cells);
        }
        while (line >= 0) {
            if (cells.size() != width) {
                throw new DatasetFormatException("Ragged rows: line " + line + " has " + cells.size() + " value"
                        + (cells.size() == 1 ? "" : "s") + ", expected " + width + " (as on line " + firstLine + ")");
            }
            rows++;
            limits.checkRows(rows);
            if ((long) rows * featureCols > limits.maxValues()) {
                limits.checkShape(rows, featureCols);
            }
            for (int c = 0; c < width; c++) {
                String cell = cells.get(c);
                if (c == labelIndex) {
                    if (cell.isEmpty()) {
                        throw new DatasetFormatException("Missing label at line " + line + ", column " + (c + 1)
                                + " ('" + labelColumn + "')");
                    }
                    labels.add(cell);
                    continue;
                }
                values.add(parseValue(cell, line, c, rows, header));
            }
            line = nextRow(p, cells);
        }
        if (rows == 0) {
            throw new DatasetFormatException("The CSV file has a header (line " + firstLine + ") but no data rows");
        }
        FloatMatrix matrix = new FloatMatrix(values.toArray(), rows, featureCols);
        if (labels == null) {
            return ParsedDataset.unlabelled(matrix);
        }
        LabelEncoder.Encoded enc = LabelEncoder.encode(labels);
        return new ParsedDataset(matrix, enc.ids(), enc.numClasses(), null, enc.names());
    }

    private static float parseValue(String cell, int line, int c, int row, List<String> header) {
        String where = "line " + line + " (data row " + row + "), column " + (c + 1)
                + (header != null ? " ('" + header.get(c) + "')" : "");
        if (cell.isEmpty()) {
            throw new DatasetFormatException("Empty value at " + where + "; missing values are not supported");
        }
        double v;
        String lower = cell.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals("nan")) {
            v = Double.NaN;
        } else if (unsigned.equals("inf") || unsigned.equals("infinity")) {
            v = Double.POSITIVE_INFINITY;
        } else {
            if (!isNumber(cell)) {
                throw new DatasetFormatException("Non-numeric value '" + abbreviate(cell) + "' at " + where
                        + (header == null ? "" : "; to use a column as labels pass labelColumn"));
            }
            v = Double.parseDouble(cell);
        }
        if (Double.isNaN(v)) {
            throw new DatasetFormatException("NaN at " + where + "; NaN and Inf values are not allowed");
        }
        if (Double.isInfinite(v)) {
            throw new DatasetFormatException("Inf at " + where + "; NaN and Inf values are not allowed");
        }
        float f = (float) v;
        if (Float.isInfinite(f)) {
            throw new DatasetFormatException("Value " + cell + " at " + where + " is outside the float32 range");
        }
        return f;
    }

    private static final java.util.regex.Pattern NUMBER =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    static boolean isNumber(String s) {
        return NUMBER.matcher(s).matches();
    }

    private static boolean allNumeric(List<String> cells) {
        for (String c : cells) {
            String lower = c.toLowerCase(Locale.ROOT).replaceFirst("^[+-]", "");
            if (!isNumber(c) && !lower.equals("nan") && !lower.equals("inf") && !lower.equals("infinity")) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    /** Reads the next row into {@code cells}; returns its 1-based line number, or −1 at the end. */
    private static int nextRow(JsonParser p, List<String> cells) {
        cells.clear();
        JsonToken t = p.nextToken();
        if (t == null) {
            return -1;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new DatasetFormatException("Malformed CSV near line " + p.currentTokenLocation().getLineNr());
        }
        int line = -1;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                break;
            }
            if (line < 0) {
                line = p.currentTokenLocation().getLineNr();
            }
            cells.add(p.getString() == null ? "" : p.getString());
        }
        return line < 0 ? Math.max(1, p.currentTokenLocation().getLineNr()) : line;
    }
}
