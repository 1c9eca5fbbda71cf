package dev.genserve.datasets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Turns raw label strings into class ids. If every label is a non-negative integer below {@link #MAX_CLASSES}, the
 * integers are the class ids (numClasses = max + 1, no names). Otherwise the distinct labels, sorted (as strings), get
 * ids 0..K−1 in that order and become the class names.
 */
final class LabelEncoder {

    static final int MAX_CLASSES = 10_000;

    record Encoded(int[] ids, int numClasses, List<String> names) {
    }

    private LabelEncoder() {
    }

    static Encoded encode(List<String> raw) {
        int[] ids = new int[raw.size()];
        boolean integers = true;
        int max = -1;
        for (int i = 0; i < ids.length && integers; i++) {
            String s = raw.get(i);
            if (!s.matches("\\+?[0-9]{1,9}")) {
                integers = false;
                break;
            }
            int v = Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
            if (v >= MAX_CLASSES) {
                integers = false;
                break;
            }
            ids[i] = v;
            max = Math.max(max, v);
        }
        if (integers) {
            return new Encoded(ids, max + 1, null);
        }
        TreeSet<String> distinct = new TreeSet<>(raw);
        if (distinct.size() > MAX_CLASSES) {
            throw new DatasetFormatException("The label column has " + distinct.size() + " distinct values; at most "
                    + MAX_CLASSES + " classes are supported");
        }
        List<String> names = new ArrayList<>(distinct);
        Map<String, Integer> index = new HashMap<>();
        for (int k = 0; k < names.size(); k++) {
            index.put(names.get(k), k);
        }
        for (int i = 0; i < ids.length; i++) {
            ids[i] = index.get(raw.get(i));
        }
        return new Encoded(ids, names.size(), names);
    }
}
