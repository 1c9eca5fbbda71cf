package dev.genserve.generative.train;

/**
 * A snapshot of a running training loop: the step just finished, the loss of that step, an exponential moving
 * average of the loss (the smoother convergence signal), and the measured speed.
 */
public record TrainingProgress(int step, int totalSteps, double loss, double emaLoss, double stepsPerSecond) {}
