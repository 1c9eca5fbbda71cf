#!/usr/bin/env python3
"""A trivial peer per scripts/peer/README.md (the contract): a Gaussian fitted to the training rows' mean and
covariance.

It is the benchmark runner's test fixture and the template for the family scripts (diffusion.py, drifting.py,
attractor.py): the same arguments, the same files, the same last stdout line. It does not train, so --steps is
only echoed back (0 steps run).

  python3 scripts/peer/_example.py --train TRAIN.npy --out SAMPLES.npy --steps 100 --n 1000 --seed 0
"""
import argparse
import json
import time

import numpy as np
import torch


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", required=True, help="standardised training rows, N x D float32 .npy")
    p.add_argument("--out", required=True, help="where to write n x D float32 samples (.npy)")
    p.add_argument("--steps", type=int, required=True, help="training budget (unused: nothing to train)")
    p.add_argument("--n", type=int, required=True, help="number of samples")
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--labels", help="int64 labels per row (ignored: unconditional)")
    p.add_argument("--config", help="resolved genserve config as JSON (ignored)")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    began = time.time()

    x = torch.from_numpy(np.load(a.train).astype(np.float32)).double()
    mean = x.mean(0)
    centred = x - mean
    cov = centred.T @ centred / max(1, x.shape[0] - 1)
    cov = cov + 1e-9 * torch.eye(x.shape[1], dtype=cov.dtype) * max(float(cov.diagonal().mean()), 1e-12)
    chol = torch.linalg.cholesky(cov)
    z = torch.randn(a.n, x.shape[1], dtype=torch.float64, generator=torch.Generator().manual_seed(a.seed))
    samples = (mean + z @ chol.T).float().numpy()
    np.save(a.out, samples)

    print(json.dumps({"steps": 0, "seconds": round(time.time() - began, 3),
                      "recipe": "fitted Gaussian (mean and covariance of the training rows)"}))


if __name__ == "__main__":
    main()
