package dev.genserve.datasets;

import java.util.Arrays;

/** A growable float array. */
final class FloatArrayBuilder {

    private float[] data = new float[1024];
    private int size;

    void add(float v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, (int) Math.min(Integer.MAX_VALUE - 8, data.length * 2L));
        }
        data[size++] = v;
    }

    int size() {
        return size;
    }

    float[] toArray() {
        return size == data.length ? data : Arrays.copyOf(data, size);
    }
}
