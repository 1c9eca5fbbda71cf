package dev.genserve.generative.train;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The engine allows one gradient collector per process, so every forward/backward pass that records gradients
 * holds this lock. Inference never takes it.
 */
public final class GradientLock {

    public static final ReentrantLock LOCK = new ReentrantLock(true);

    private GradientLock() {}
}
