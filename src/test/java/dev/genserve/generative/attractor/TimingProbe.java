package dev.genserve.generative.attractor;

import ai.djl.ndarray.NDManager;
import dev.genserve.generative.FloatMatrix;
import dev.genserve.generative.TrainingData;
import dev.genserve.generative.data.ToyDistributions;
import dev.genserve.generative.train.OptimizerSettings;
import dev.genserve.generative.train.TrainingContext;
import dev.genserve.generative.train.TrainingLoop;
import java.util.List;

public final class TimingProbe {
    public static void main(String[] args) {
        FloatMatrix data = ToyDistributions.grid(4000, 1).points();
        AttractorFamily family = new AttractorFamily();
        AttractorConfig c = family.resolve(AttractorConfig.defaults().withTraining(100, null, null, null, null),
                TrainingData.of(data));
        try (NDManager manager = NDManager.newBaseManager()) {
            long t0 = System.nanoTime();
            AttractorProcess process = new AttractorProcess(c.process());
            List<FloatMatrix> states = process.states(manager, data.slice(0, 1024), 1);
            long t1 = System.nanoTime();
            GaussianWindows.build(manager, states, c.process(), process.sde().field(), 0.5);
            long t2 = System.nanoTime();
            GaussianWindows.build(manager, states, c.process(), process.sde().field(), 1.0);
            long t3 = System.nanoTime();
            System.out.printf("simulate %.2f s, windows(0.5) %.2f s, windows(1) %.2f s%n", (t1 - t0) / 1e9,
                    (t2 - t1) / 1e9, (t3 - t2) / 1e9);
            ResidualScoreNetwork net = ResidualScoreNetwork.forAttractor(c.withSimulation(null, null, null, 0), manager);
            SimulatedScoreMatching loss = new SimulatedScoreMatching(data, c.withSimulation(null, null, null, 0), net);
            loss.simulation(manager, 0);
            long t4 = System.nanoTime();
            TrainingLoop.run(net.block(), manager, new OptimizerSettings(100, 1e-3, 10, true, 0, 1, 0.999, 0), loss,
                    TrainingContext.simple());
            long t5 = System.nanoTime();
            System.out.printf("100 train steps %.2f s (batch %d, hidden %d)%n", (t5 - t4) / 1e9, c.batchSize(),
                    c.hidden());
        }
    }
}
