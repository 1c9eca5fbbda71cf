package dev.genserve.generative.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The complete state of a training run after {@code step} steps: network weights, EMA weights and optimiser
 * moments (encoded as a DJL NDList in {@code tensors}), plus the scalars needed to continue bitwise-identically.
 */
public record Checkpoint(int step, double emaLoss, byte[] tensors) {

    private static final int MAGIC = 0x47534350; // "GSCP"

    public void write(OutputStream out) throws IOException {
        DataOutputStream data = new DataOutputStream(out);
        data.writeInt(MAGIC);
        data.writeInt(step);
        data.writeDouble(emaLoss);
        data.writeInt(tensors.length);
        data.write(tensors);
        data.flush();
    }

    public static Checkpoint read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != MAGIC) {
            throw new IOException("not a genserve checkpoint");
        }
        int step = data.readInt();
        double emaLoss = data.readDouble();
        byte[] tensors = new byte[data.readInt()];
        data.readFully(tensors);
        return new Checkpoint(step, emaLoss, tensors);
    }
}
