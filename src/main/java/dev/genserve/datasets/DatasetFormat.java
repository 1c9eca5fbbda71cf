package dev.genserve.datasets;

import java.util.Locale;

/** Upload formats. */
public enum DatasetFormat {
    CSV, NPY, IDX;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code csv}, {@code npy} or {@code idx} (any case); 400 otherwise. */
    public static DatasetFormat parse(String s) {
        for (DatasetFormat f : values()) {
            if (f.id().equalsIgnoreCase(s.trim())) {
                return f;
            }
        }
        throw new dev.genserve.errors.InvalidInputException("Unknown format '" + s + "'; use csv, npy or idx");
    }

    /** Guesses the format from a file name (.csv/.txt, .npy, .idx/-ubyte, optionally .gz), or null. */
    public static DatasetFormat fromFileName(String fileName) {
        if (fileName == null) {
            return null;
        }
        String f = fileName.toLowerCase(Locale.ROOT);
        if (f.endsWith(".gz")) {
            f = f.substring(0, f.length() - 3);
        }
        if (f.endsWith(".csv") || f.endsWith(".txt")) {
            return CSV;
        }
        if (f.endsWith(".npy")) {
            return NPY;
        }
        if (f.endsWith(".idx") || f.endsWith("-ubyte") || f.endsWith(".ubyte") || f.matches(".*idx[0-9]-ubyte.*")) {
            return IDX;
        }
        return null;
    }
}
