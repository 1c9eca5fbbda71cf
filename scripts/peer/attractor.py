#!/usr/bin/env python3
"""Plain-PyTorch peer of genserve's attractor recipe (see /work/team/PEER_CONTRACT.md and docs/attractor.md).

Forward process (McKean-Vlasov, F estimated over the particle cloud, self-excluded):
    dX = [alpha F_p(X) - beta X] dt + sqrt(2 lambda) dW,   F_p(y) = E_x[(x - y)/(|x - y|^2 + delta^2)]
simulated by Euler-Maruyama on t_k = T (k/K)^p. Score learning: denoising score matching on linearised Gaussian
windows x_t | x_tau ~ N(m, v I) that start at a simulated state x_tau and span at least rho*t (rho = 1: from the
data), with the field frozen at the simulated clouds and the drift linearised isotropically around the noise-free
path (m' = alpha F(m) - beta m, v' = 2 r v + 2 lambda, r = alpha div F(m)/D - beta), continuous time t = T u^p,
u ~ U(0, 1]. Loss mean |w eps(x, u) - z|^2, w = sqrt(v)/sigma(t), sigma(t)^2 = lambda (1 - e^{-2 beta t})/beta.
Network: residual MLP with FiLM conditioning on sinusoidal clock features in every block, random Fourier features
of x, zero-initialised residual branches and output. AdamW, linear warm-up + cosine decay to 5 %, gradient clipping,
EMA. Prior: Gaussian fitted to the end states of the first simulation. Sampling: reverse-SDE Euler-Maruyama on
t_j = T (j/S)^q with F from the reverse cloud itself, last step without noise.
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as fn

DEFAULTS = dict(alpha=2.0, beta=1.0, delta=0.2, horizon=4.0, simulationSteps=100, timeGridPower=2.0,
                windowFraction=1.0, cloudSize=1024, resimulateEvery=250, hidden=256, depth=3, timeFeatures=32,
                fourierFeatures=64, fourierScale=2.0, batchSize=512, learningRate=1e-3, warmupSteps=100,
                emaDecay=0.999, gradientClip=1.0, weightDecay=0.0, sampleSteps=100, sampleGridPower=6.0,
                minCloud=256, maxCloud=4096)
DEFAULTS["lambda"] = 1.0


def field_and_divergence(query, cloud, delta, exclude_self=False):
    """F at the query rows from the cloud, and div F = sum_j [(2 - D) w_j - 2 delta^2 w_j^2]/n."""
    d = query.shape[1]
    dist2 = torch.cdist(query, cloud).square()
    w = 1.0 / (dist2 + delta * delta)
    n = cloud.shape[0] - (1 if exclude_self else 0)
    if n <= 0:
        return torch.zeros_like(query), torch.zeros(query.shape[0])
    f = (w @ cloud - query * w.sum(1, keepdim=True)) / n
    div = ((2 - d) * w.sum(1) - 2 * delta * delta * w.square().sum(1)) / n
    return f, div


def grid_times(horizon, steps, power):
    return [horizon * (k / steps) ** power for k in range(steps + 1)]


def simulate(x0, c, gen):
    """Every state x_0 ... x_K of the Euler-Maruyama simulation of the cloud."""
    times = grid_times(c["horizon"], c["simulationSteps"], c["timeGridPower"])
    states = [x0]
    x = x0
    for k in range(c["simulationSteps"]):
        h = times[k + 1] - times[k]
        drift = -c["beta"] * x
        if c["alpha"] > 0:
            drift = drift + c["alpha"] * field_and_divergence(x, x, c["delta"], exclude_self=True)[0]
        x = x + drift * h + math.sqrt(2 * c["lambda"] * h) * torch.randn(x.shape, generator=gen)
        states.append(x)
    return states, times


def gain(beta, h):
    return -math.expm1(-beta * h) / beta if beta > 0 else h


def variance_step(lam, r, v, h):
    """e^{2rh} v + lambda (e^{2rh} - 1)/r (2 lambda h as r -> 0); h a float or a tensor like r."""
    h = torch.as_tensor(h, dtype=r.dtype)
    small = r.abs() <= 1e-9
    safe = torch.where(small, torch.ones_like(r), r)
    growth = torch.where(small, 2 * h * torch.ones_like(r), torch.expm1(2 * r * h) / safe)
    return torch.exp(2 * r * h) * v + lam * growth


def anchors(times, rho):
    steps = len(times) - 1
    ladder = [0]
    if rho < 1:
        a = 0
        while a < steps:
            j = a + 1
            while j < steps and times[j] < times[a] / (1 - rho):
                j += 1
            if j >= steps:
                break
            ladder.append(j)
            a = j
    return [max(a for a in ladder if a <= k and times[a] <= (1 - rho) * times[k] + 1e-12 * times[-1])
            for k in range(steps)]


def windows(states, times, c):
    """Per grid interval k: the mean, variance, frozen drift and rate of the path that serves it (K x C x ...)."""
    steps = len(times) - 1
    anchor_of = anchors(times, c["windowFraction"])
    n, d = states[0].shape
    means, variances, fields, rates = [None] * steps, [None] * steps, [None] * steps, [None] * steps
    for k in range(steps):
        if means[k] is not None:
            continue
        a = anchor_of[k]
        last = max(j for j in range(k, steps) if anchor_of[j] == a)
        m, v = states[a].clone(), torch.zeros(n)
        for j in range(a, last + 1):
            g, r = torch.zeros(n, d), torch.full((n,), -c["beta"])
            if c["alpha"] > 0:
                f, div = field_and_divergence(m, states[j], c["delta"])
                g, r = c["alpha"] * f, r + c["alpha"] * div / d
            if anchor_of[j] == a:
                means[j], variances[j], fields[j], rates[j] = m, v, g, r
            if j < last:
                h = times[j + 1] - times[j]
                m, v = math.exp(-c["beta"] * h) * m + gain(c["beta"], h) * g, variance_step(c["lambda"], r, v, h)
    return torch.stack(means), torch.stack(variances), torch.stack(fields), torch.stack(rates)


def noise_scale(t, c):
    if c["beta"] > 0:
        return torch.sqrt(c["lambda"] * -torch.expm1(-2 * c["beta"] * t) / c["beta"])
    return torch.sqrt(2 * c["lambda"] * t)


class ResidualMlp(nn.Module):
    def __init__(self, dim, cond, hidden, blocks, fourier, scale, gen):
        super().__init__()
        extra = 2 * fourier
        self.register_buffer("proj", 2 * math.pi * scale * torch.randn(dim, fourier, generator=gen)
                             if fourier > 0 else None)
        self.input = nn.Linear(dim + extra, hidden)
        self.condition = nn.Linear(cond, hidden)
        self.firsts = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(blocks))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(blocks))
        self.films = nn.ModuleList(nn.Linear(hidden, 2 * hidden) for _ in range(blocks))
        self.seconds = nn.ModuleList(nn.Linear(hidden, hidden) for _ in range(blocks))
        self.final_norm = nn.LayerNorm(hidden)
        self.output = nn.Linear(hidden, dim)
        for layer in list(self.films) + list(self.seconds) + [self.output]:
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.hidden = hidden

    def forward(self, x, c):
        if self.proj is not None:
            a = x @ self.proj
            x = torch.cat([x, torch.sin(a), torch.cos(a)], 1)
        h = self.input(x)
        e = fn.silu(self.condition(c))
        for first, norm, film, second in zip(self.firsts, self.norms, self.films, self.seconds):
            u = norm(first(fn.silu(h)))
            s = film(e)
            u = fn.silu(u * (1 + s[:, :self.hidden]) + s[:, self.hidden:])
            h = h + second(u)
        return self.output(fn.silu(self.final_norm(h)))


def clock_features(u, count, scale=64.0):
    half = count // 2
    freq = torch.exp(-math.log(10000.0) * torch.arange(half) / half)
    a = u.reshape(-1, 1) * scale * freq.reshape(1, -1)
    return torch.cat([torch.sin(a), torch.cos(a)], 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--train", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--labels")
    ap.add_argument("--config")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    c = dict(DEFAULTS)
    if args.config:
        with open(args.config) as f:
            given = json.load(f)
        c.update({k: v for k, v in given.items() if k in DEFAULTS and v is not None})
    gen = torch.Generator().manual_seed(args.seed)
    data = torch.from_numpy(np.load(args.train).astype(np.float32))
    n_rows, d = data.shape
    began = time.time()
    net = ResidualMlp(d, c["timeFeatures"], c["hidden"], c["depth"], c["fourierFeatures"], c["fourierScale"], gen)
    ema = [p.detach().clone() for p in net.parameters()]
    opt = torch.optim.AdamW(net.parameters(), lr=c["learningRate"], weight_decay=c["weightDecay"])
    warm, total = min(c["warmupSteps"], args.steps), args.steps

    def rate(step):
        if step < warm:
            return (step + 1) / warm
        p = min(1.0, (step - warm) / max(1, total - warm))
        return 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * p))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, rate)
    prior = None
    current = -1
    for step in range(args.steps):
        index = 0 if c["resimulateEvery"] == 0 else step // c["resimulateEvery"]
        if index != current:
            with torch.no_grad():
                pick = torch.randperm(n_rows, generator=gen)[:min(c["cloudSize"], n_rows)]
                states, times = simulate(data[pick], c, gen)
                if prior is None:
                    end = states[-1].double()
                    prior = (end.mean(0), torch.linalg.cholesky(torch.cov(end.T) + 1e-9 * torch.eye(d)))
                M, V, G, R = windows(states, times, c)
            current = index
        b = c["batchSize"]
        with torch.no_grad():
            i = torch.randint(M.shape[1], (b,), generator=gen)
            u = 1 - torch.rand(b, generator=gen)
            t = c["horizon"] * u ** c["timeGridPower"]
            k = torch.clamp(torch.floor(u * c["simulationSteps"]).long(), 0, c["simulationSteps"] - 1)
            tk = c["horizon"] * (k.double() / c["simulationSteps"]) ** c["timeGridPower"]
            tau = (t.double() - tk).clamp(min=0).float()
            decay = torch.exp(-c["beta"] * tau).unsqueeze(1)
            g = (-torch.expm1(-c["beta"] * tau) / c["beta"] if c["beta"] > 0 else tau).unsqueeze(1)
            mean = decay * M[k, i] + g * G[k, i]
            v = variance_step(c["lambda"], R[k, i], V[k, i], tau)
            z = torch.randn(b, d, generator=gen)
            x = mean + v.sqrt().unsqueeze(1) * z
            w = (v.sqrt() / noise_scale(t, c)).unsqueeze(1)
            cond = clock_features(u, c["timeFeatures"])
        loss = (w * net(x, cond) - z).square().mean()
        opt.zero_grad()
        loss.backward()
        if c["gradientClip"] > 0:
            torch.nn.utils.clip_grad_norm_(net.parameters(), c["gradientClip"])
        opt.step()
        sched.step()
        with torch.no_grad():
            dec = min(c["emaDecay"], (1.0 + step + 1) / (10.0 + step + 1))
            for e, p in zip(ema, net.parameters()):
                e.mul_(dec).add_(p.detach(), alpha=1 - dec)
    with torch.no_grad():
        for e, p in zip(ema, net.parameters()):
            p.copy_(e)
        samples = []
        steps = c["sampleSteps"]
        times = [c["horizon"] * (j / steps) ** c["sampleGridPower"] for j in range(steps, -1, -1)]
        done = 0
        while done < args.n:
            size = min(args.n - done, c["maxCloud"])
            cloud = max(size, c["minCloud"])
            x = prior[0].float() + (torch.randn(cloud, d, generator=gen).double() @ prior[1].T).float()
            for j in range(steps):
                t, h = times[j], times[j] - times[j + 1]
                u = torch.full((cloud,), (t / c["horizon"]) ** (1 / c["timeGridPower"]))
                score = -net(x, clock_features(u, c["timeFeatures"])) / float(noise_scale(torch.tensor(t), c))
                drift = -c["beta"] * x - 2 * c["lambda"] * score
                if c["alpha"] > 0:
                    drift = drift + c["alpha"] * field_and_divergence(x, x, c["delta"], exclude_self=True)[0]
                x = x - drift * h
                if j < steps - 1:
                    x = x + math.sqrt(2 * c["lambda"] * h) * torch.randn(x.shape, generator=gen)
            samples.append(x[:size])
            done += size
    np.save(args.out, torch.cat(samples).numpy().astype(np.float32))
    print(json.dumps({"steps": args.steps, "seconds": time.time() - began,
                      "recipe": "attractor: Gaussian-window DSM (rho=%g), residual FiLM MLP + Fourier features, "
                                "reverse-SDE EM with F from the reverse cloud" % c["windowFraction"]}))


if __name__ == "__main__":
    main()
