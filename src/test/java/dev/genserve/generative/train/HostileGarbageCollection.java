package dev.genserve.generative.train;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A test {@link TrainingContext} that, between every forward and backward pass, runs the garbage collector and then
 * fills fresh direct buffers with NaN: native memory the JVM freed after the forward pass is likely handed out again
 * and poisoned. A backward pass that still reads such memory (a tensor aliasing a released Java buffer kept by
 * autograd) yields non-finite or different gradients, which a comparison with an undisturbed run exposes.
 */
public final class HostileGarbageCollection implements TrainingContext {

    private final List<ByteBuffer> junk = new ArrayList<>();

    @Override
    public void beforeBackward(int step) {
        System.gc();
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            for (int k = 0; k < 4; k++) {
                b.putFloat(4 * k, Float.NaN);
            }
            junk.add(b);
        }
        if (junk.size() > 200_000) {
            junk.subList(0, 100_000).clear();
        }
    }

    @Override
    public void report(TrainingProgress progress) {}
}
