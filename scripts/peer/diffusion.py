#!/usr/bin/env python3
"""Plain-PyTorch peer of genserve's default diffusion recipe (see docs/diffusion.md and /work/team/PEER_CONTRACT.md).

Recipe (the Java defaults; CONFIG.json keys of the resolved DiffusionConfig override them):
  - EDM preconditioning (Karras et al. 2022) with sigma_data = 1 (the data is standardised):
      D(x; s) = c_skip x + c_out F(c_in x, c_noise),  c_skip = sd^2/(s^2+sd^2), c_out = s sd/sqrt(s^2+sd^2),
      c_in = 1/sqrt(s^2+sd^2), c_noise = ln(s)/4;
    training noise ln s ~ N(pMean, pStd^2), loss mean ||F - (x0 - c_skip x)/c_out||^2 (the EDM weight folded in).
  - network "resmlp": [u, sin(2 pi B u), cos(2 pi B u)] (u = c_in x, B ~ N(0, fourierScale^2), fourierCount columns;
    default fourierScale = sqrt(2/D))
    -> Linear(hidden) -> `depth` residual blocks h += W2 SiLU(FiLM_k(e) LN(W1 SiLU(h))) with e = SiLU(W_c phi(c_noise))
    (width filmWidth = 32),
    FiLM (1 + a) * u + b -> SiLU(LN(h)) -> Linear(D); branch ends and the output start at zero.
    network "mlp": the old plain MLP on [x, phi(t)] (epsilon-parametrised when preconditioning = "epsilon").
  - the denoiser is clipped to the ball of the training data's largest radius (the exact denoiser lies in the convex
    hull of the data, so the clip never hurts it; it stops far outliers).
  - AdamW (no weight decay), linear warm-up then cosine decay to 5%, global grad-norm clip, EMA of the weights.
  - sampling: the VP SDE (beta 0.1..20, eps 1e-3) read as sigma(t) = s(t)/m(t), score = (m D(x/m; sigma) - x)/s^2,
    with the configured sampler (euler-maruyama or pf-ode-heun) on a uniform t grid.

Invocation: python3 diffusion.py --train TRAIN.npy --out SAMPLES.npy --steps STEPS --n N --seed SEED
            [--labels LABELS.npy] [--config CONFIG.json] [--threads 1]
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = {
    "network": "resmlp", "preconditioning": "edm", "hidden": 128, "filmWidth": 32, "depth": 3, "timeFeatures": 32,
    "fourierCount": 64, "fourierScale": None, "batchSize": 512, "learningRate": 2e-3, "warmupSteps": 200,
    "emaDecay": 0.999, "gradientClip": 1.0, "sigmaData": 1.0, "pMean": -1.2, "pStd": 1.2,
    "sampler": "euler-maruyama", "sampleSteps": 500, "betaMin": 0.1, "betaMax": 20.0, "eps": 1e-3,
    "noiseEmbeddingScale": 1000.0,
}


def sinusoidal(t, dim, scale):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    angles = scale * t.reshape(-1, 1) * freqs.reshape(1, -1)
    return torch.cat([angles.sin(), angles.cos()], dim=1)


class ResMlp(nn.Module):
    def __init__(self, d, cond, hidden, blocks, fourier_count, fourier_scale, film_width, gen):
        super().__init__()
        self.register_buffer("B", torch.randn(d, fourier_count, generator=gen) * fourier_scale * 2 * math.pi)
        self.input = nn.Linear(d + 2 * fourier_count, hidden)
        self.condition = nn.Linear(cond, film_width)
        self.first = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(blocks)])
        self.norm = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(blocks)])
        self.film = nn.ModuleList([nn.Linear(film_width, 2 * hidden) for _ in range(blocks)])
        self.second = nn.ModuleList([nn.Linear(hidden, hidden) for _ in range(blocks)])
        self.final_norm = nn.LayerNorm(hidden)
        self.output = nn.Linear(hidden, d)
        for layer in list(self.film) + list(self.second) + [self.output]:
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)

    def forward(self, x, c):
        a = x @ self.B
        h = self.input(torch.cat([x, a.sin(), a.cos()], dim=1))
        e = F.silu(self.condition(c))
        for first, norm, film, second in zip(self.first, self.norm, self.film, self.second):
            u = norm(first(F.silu(h)))
            scale, shift = film(e).chunk(2, dim=1)
            h = h + second(F.silu(u * (1 + scale) + shift))
        return self.output(F.silu(self.final_norm(h)))


class Mlp(nn.Module):
    def __init__(self, d, cond, hidden, depth):
        super().__init__()
        layers, width = [], d + cond
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.SiLU()]
            width = hidden
        layers.append(nn.Linear(width, d))
        self.net = nn.Sequential(*layers)

    def forward(self, x, c):
        return self.net(torch.cat([x, c], dim=1))


class Vp:
    def __init__(self, beta_min, beta_max, eps):
        self.b0, self.b1, self.eps = beta_min, beta_max, eps

    def beta(self, t):
        return self.b0 + t * (self.b1 - self.b0)

    def integral(self, t):
        return self.b0 * t + 0.5 * t * t * (self.b1 - self.b0)

    def mean(self, t):
        return math.exp(-0.5 * self.integral(t))

    def std(self, t):
        return math.sqrt(-math.expm1(-self.integral(t)))


class Model:
    """The denoiser D(x; sigma) (EDM) or the epsilon predictor, read as a score of the VP SDE."""

    def __init__(self, c, d, radius, gen):
        self.c, self.d, self.radius = c, d, radius
        self.edm = c["preconditioning"] == "edm"
        if c["network"] == "resmlp":
            self.net = ResMlp(d, c["timeFeatures"], c["hidden"], c["depth"], c["fourierCount"], c["fourierScale"],
                              c["filmWidth"], gen)
        else:
            self.net = Mlp(d, c["timeFeatures"], c["hidden"], c["depth"])

    def noise_features(self, label):
        return sinusoidal(label, self.c["timeFeatures"], self.c["noiseEmbeddingScale"])

    @staticmethod
    def noise_label(sigma):
        # c_noise = ln(sigma)/4 mapped to about [0, 1] over sigma in [1e-3, 1e3]
        return (torch.log(sigma) / 4 + 1.727) / 3.454

    def denoise(self, net, x, sigma):
        """EDM denoiser D(x; sigma) for rows x and per-row sigma (N x 1), clipped to the data ball."""
        sd = self.c["sigmaData"]
        s2 = sigma ** 2 + sd ** 2
        c_skip, c_out, c_in = sd ** 2 / s2, sigma * sd / s2.sqrt(), 1 / s2.sqrt()
        out = c_skip * x + c_out * net(c_in * x, self.noise_features(self.noise_label(sigma)))
        return out

    def clip(self, d):
        norm = d.norm(dim=1, keepdim=True)
        return d * torch.clamp(self.radius / norm.clamp_min(1e-12), max=1.0)

    def score(self, net, x, t, sde):
        m, s = sde.mean(t), sde.std(t)
        if self.edm:
            sigma = torch.full((x.shape[0], 1), s / m)
            d = self.clip(self.denoise(net, x / m, sigma))
        else:
            eps = net(x, sinusoidal(torch.full((x.shape[0], 1), t), self.c["timeFeatures"], 1000.0))
            d = self.clip((x - s * eps) / m)
        return (m * d - x) / (s * s)

    def loss(self, net, x0, gen, sde):
        n = x0.shape[0]
        z = torch.randn(x0.shape, generator=gen)
        if self.edm:
            sigma = torch.exp(self.c["pMean"] + self.c["pStd"] * torch.randn((n, 1), generator=gen))
            sd = self.c["sigmaData"]
            s2 = sigma ** 2 + sd ** 2
            c_skip, c_out, c_in = sd ** 2 / s2, sigma * sd / s2.sqrt(), 1 / s2.sqrt()
            x = x0 + sigma * z
            target = (x0 - c_skip * x) / c_out
            pred = net(c_in * x, self.noise_features(self.noise_label(sigma)))
            return ((pred - target) ** 2).mean()
        t = sde.eps + (1 - sde.eps) * torch.rand((n, 1), generator=gen)
        m = torch.exp(-0.5 * (sde.b0 * t + 0.5 * t * t * (sde.b1 - sde.b0)))
        s = torch.sqrt(1 - m * m)
        pred = net(m * x0 + s * z, sinusoidal(t, self.c["timeFeatures"], 1000.0))
        return ((pred - z) ** 2).mean()


def train(c, data, steps, gen):
    model = Model(c, data.shape[1], float(np.max(np.linalg.norm(data, axis=1))), gen)
    net = model.net
    ema = [p.detach().clone() for p in net.parameters()]
    opt = torch.optim.AdamW(net.parameters(), lr=c["learningRate"], weight_decay=0.0)
    warm = min(c["warmupSteps"], steps)
    sde = Vp(c["betaMin"], c["betaMax"], c["eps"])
    x = torch.from_numpy(data)
    for step in range(steps):
        if step < warm:
            lr = c["learningRate"] * (step + 1) / warm
        else:
            progress = (step - warm) / max(1, steps - warm)
            lr = c["learningRate"] * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
        for g in opt.param_groups:
            g["lr"] = lr
        idx = torch.randint(0, x.shape[0], (c["batchSize"],), generator=gen)
        loss = model.loss(net, x[idx], gen, sde)
        opt.zero_grad()
        loss.backward()
        if c["gradientClip"] > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), c["gradientClip"])
        opt.step()
        decay = min(c["emaDecay"], (1 + step) / (10 + step))
        with torch.no_grad():
            for e, p in zip(ema, net.parameters()):
                e.mul_(decay).add_(p.detach(), alpha=1 - decay)
    with torch.no_grad():
        for e, p in zip(ema, net.parameters()):
            p.copy_(e)
    return model, sde


@torch.no_grad()
def sample(model, sde, n, d, c, gen):
    steps = c["sampleSteps"]
    times = np.linspace(1.0, sde.eps, steps + 1)
    x = torch.randn((n, d), generator=gen)
    net = model.net
    for i in range(steps):
        t, dt = times[i], times[i + 1] - times[i]
        last = i == steps - 1
        g2 = sde.beta(t)
        if c["sampler"] == "pf-ode-heun":
            k1 = -0.5 * g2 * x - 0.5 * g2 * model.score(net, x, t, sde)
            euler = x + dt * k1
            if last:
                x = euler
            else:
                t2 = times[i + 1]
                g22 = sde.beta(t2)
                k2 = -0.5 * g22 * euler - 0.5 * g22 * model.score(net, euler, t2, sde)
                x = x + 0.5 * dt * (k1 + k2)
        else:
            drift = -0.5 * g2 * x - g2 * model.score(net, x, t, sde)
            x = x + drift * dt
            if not last:
                x = x + math.sqrt(g2 * -dt) * torch.randn(x.shape, generator=gen)
    return x.numpy()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--train", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--labels")
    p.add_argument("--config")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    np.random.seed(a.seed)
    c = dict(DEFAULTS)
    if a.config:
        with open(a.config) as f:
            given = json.load(f)
        sde = given.get("sde") or {}
        for key in ("betaMin", "betaMax", "eps"):
            if sde.get(key) is not None:
                given[key] = sde[key]
        c.update({k: v for k, v in given.items() if k in DEFAULTS and v is not None})
    data = np.load(a.train).astype(np.float32)
    if c["fourierScale"] is None:
        c["fourierScale"] = math.sqrt(2.0 / data.shape[1])
    gen = torch.Generator().manual_seed(a.seed)
    began = time.time()
    model, sde = train(c, data, a.steps, gen)
    out = sample(model, sde, a.n, data.shape[1], c, gen).astype(np.float32)
    np.save(a.out, out)
    recipe = "%s %s %dx%d fourier %dx%.2g, batch %d, lr %.2g, %s %d" % (
        c["preconditioning"], c["network"], c["depth"], c["hidden"], c["fourierCount"], c["fourierScale"],
        c["batchSize"], c["learningRate"], c["sampler"], c["sampleSteps"])
    print(json.dumps({"steps": a.steps, "seconds": round(time.time() - began, 2), "recipe": recipe}))


if __name__ == "__main__":
    main()
