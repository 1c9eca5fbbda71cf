package dev.genserve.bench;

import java.util.Arrays;
import java.util.Locale;

/** Median and spread (min–max) of repeated measurements: every figure in the report is one of these. */
record Stats(double median, double min, double max, int count) {

    static Stats of(double... values) {
        if (values.length == 0) {
            return new Stats(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
        return new Stats(median, v[0], v[n - 1], n);
    }

    /** The same statistics of 1/x (for example steps/s from seconds/step). */
    Stats inverse() {
        return new Stats(1 / median, 1 / max, 1 / min, count);
    }

    Stats times(double factor) {
        return factor >= 0 ? new Stats(median * factor, min * factor, max * factor, count)
                : new Stats(median * factor, max * factor, min * factor, count);
    }

    /** "12.3 (11.9–12.8)" with a format picked for the magnitude. */
    String show() {
        return fmt(median) + " (" + fmt(min) + "–" + fmt(max) + ")";
    }

    static String fmt(double x) {
        if (Double.isNaN(x)) {
            return "n/a";
        }
        double a = Math.abs(x);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%.0f", x);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (a >= 1) {
            return String.format(Locale.ROOT, "%.2f", x);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3f", x);
        }
        return String.format(Locale.ROOT, "%.2e", x);
    }
}
