#!/usr/bin/env python3
"""Plain PyTorch reference for the drifting family (see /work/team/PEER_CONTRACT.md).

The field is the published one (Deng et al. 2026, "Generative Modeling via Drifting", appendix A.6; the
authors' drift_loss.py in lambertae/drifting), written here from the paper's description in torch:
  targets = [generated (self masked, weight 1), extra negatives (weight w), positives (weight 1)];
  d = sqrt(clip(|x|^2 + |y|^2 - 2 x.y, 1e-8)); S = target-weighted mean of d over every pair (self pairs included);
  s = clip(S / sqrt(F), 1e-3); logits = -(d / clip(S, 1e-3) + 100 * [self]) / tau;
  A = sqrt(clip(softmax_targets * softmax_generated, 1e-6)) * w_target;
  V = sum_pos A * sum_neg A (y+ - x) - sum_neg A * sum_pos A (y- - x)     (in units of s);
  each tau's V divided by sqrt(clip(mean V^2, 1e-8)) over the batch, summed over tau;
  loss = mean((x / s - stopgrad(x / s + V))^2).
Class-conditional data: one group per class (generated/K generated and positives/K positives of that class), CFG
alpha log-uniform on [1, guidanceWeight], unconditional data rows as extra negatives of weight
(alpha - 1)(N_k - 1)/U (the published recipe), generator input [z, one-hot(k), alpha - 1]. Normalisations are
shared over the whole batch, as in the published code.

The generator and optimisation mirror the genserve config (CONFIG.json): an MLP [z(, c)] -> hidden x depth (SiLU)
-> D, AdamW (betas 0.9/0.999, the config's weight decay), linear warm-up then cosine decay to 5 %, global-norm
clipping, EMA of the weights with the usual warm-up min(decay, (1+t)/(10+t)). Nothing genserve-specific (no Fourier
features, no fast path): this is the plain reference.

Usage: drifting.py --train TRAIN.npy --out SAMPLES.npy --steps STEPS --n N --seed SEED
                   [--labels LABELS.npy] [--config CONFIG.json] [--threads 1] [--clamp 1e-6]
The last stdout line is one JSON object {"steps", "seconds", "recipe"}.
"""

import argparse
import copy
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn


def published_drift_loss(gen, pos, neg, neg_weight, temperatures, clamp=1e-6):
    """gen [G, N, F] (with gradient), pos [G, P, F], neg [G, U, F] or None, neg_weight [G] -> scalar loss, raw.

    clamp: the floor of softmax_targets * softmax_generated before the square root (published: 1e-6).
    """
    groups, n, dim = gen.shape
    old = gen.detach()
    parts = [old] + ([neg] if neg is not None else []) + [pos]
    targets = torch.cat(parts, dim=1)
    weights = [torch.ones(groups, n)]
    if neg is not None:
        weights.append(neg_weight[:, None].expand(groups, neg.shape[1]))
    weights.append(torch.ones(groups, pos.shape[1]))
    w = torch.cat(weights, dim=1)
    with torch.no_grad():
        xy = torch.einsum("gnd,gmd->gnm", old, targets)
        xx = (old * old).sum(-1)
        yy = (targets * targets).sum(-1)
        dist = torch.sqrt(torch.clamp(xx[:, :, None] + yy[:, None, :] - 2 * xy, min=1e-8))
        scale = (dist * w[:, None, :]).mean() / w.mean()
        scale_inputs = torch.clamp(scale / math.sqrt(dim), min=1e-3)
        old_s = old / scale_inputs
        targets_s = targets / scale_inputs
        dist_n = dist / torch.clamp(scale, min=1e-3)
        mask = torch.zeros_like(dist_n)
        mask[:, :, :n] = torch.eye(n)[None]
        dist_n = dist_n + 100.0 * mask
        split = targets.shape[1] - pos.shape[1]
        force = torch.zeros_like(old_s)
        raw = 0.0
        for tau in temperatures:
            logits = -dist_n / tau
            a = torch.sqrt(torch.clamp(torch.softmax(logits, -1) * torch.softmax(logits, -2), min=clamp))
            a = a * w[:, None, :]
            a_neg, a_pos = a[:, :, :split], a[:, :, split:]
            coeff = torch.cat([-a_neg * a_pos.sum(-1, keepdim=True), a_pos * a_neg.sum(-1, keepdim=True)], dim=2)
            f = torch.einsum("gnm,gmd->gnd", coeff, targets_s) - coeff.sum(-1, keepdim=True) * old_s
            meansq = (f * f).mean()
            raw += float(meansq)
            force = force + f / torch.sqrt(torch.clamp(meansq, min=1e-8))
        goal = old_s + force
    loss = ((gen / scale_inputs - goal) ** 2).mean()
    return loss, raw


class Generator(nn.Module):
    def __init__(self, noise_dim, cond_dim, hidden, depth, out_dim):
        super().__init__()
        layers, width = [], noise_dim + cond_dim
        for _ in range(depth):
            layers += [nn.Linear(width, hidden), nn.SiLU()]
            width = hidden
        layers.append(nn.Linear(width, out_dim))
        self.net = nn.Sequential(*layers)

    def forward(self, z, c=None):
        return self.net(z if c is None else torch.cat([z, c], dim=1))


def condition(labels, alpha, classes):
    c = torch.zeros(len(labels), classes + 1)
    c[torch.arange(len(labels)), labels] = 1.0
    c[:, classes] = alpha - 1.0
    return c


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
    p.add_argument("--clamp", type=float, default=1e-6)
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    cfg = {}
    if args.config:
        with open(args.config) as f:
            cfg = json.load(f) or {}

    def get(key, default):
        v = cfg.get(key)
        return default if v is None else v

    x = torch.from_numpy(np.load(args.train).astype(np.float32))
    rows, dim = x.shape
    labels = torch.from_numpy(np.load(args.labels).astype(np.int64)) if args.labels else None
    conditional = labels is not None and get("conditional", True)
    classes = int(labels.max()) + 1 if conditional else 0
    groups = classes if conditional else 1
    hidden, depth = int(get("hidden", 256)), int(get("depth", 3))
    noise_dim = int(get("noiseDim", min(max(dim, 16), 128)))
    temperatures = [float(t) for t in get("temperatures", [0.02, 0.05, 0.2])]
    gen_per = max(2, int(get("generated", 1024)) // groups)
    pos_per = max(2, int(get("positives", 1024)) // groups)
    extra_per = max(2, pos_per // 4)
    lr, warmup = float(get("learningRate", 1e-3)), int(get("warmupSteps", 100))
    cosine, ema_decay = bool(get("cosineDecay", True)), float(get("emaDecay", 0.999))
    clip, wd = float(get("gradientClip", 1.0)), float(get("weightDecay", 0.0))
    max_alpha = float(get("guidanceWeight", 2.0 if conditional else 1.0))
    members = [torch.nonzero(labels == k).flatten() for k in range(classes)] if conditional else [torch.arange(rows)]

    model = Generator(noise_dim, classes + 1 if conditional else 0, hidden, depth, dim)
    ema = copy.deepcopy(model)
    for q in ema.parameters():
        q.requires_grad_(False)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=wd)
    warm = min(warmup, args.steps)

    def rate(step):
        if step < warm:
            return lr * (step + 1) / warm
        if not cosine:
            return lr
        progress = min(1.0, (step - warm) / max(1, args.steps - warm))
        return lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))

    start = time.time()
    for step in range(args.steps):
        for g in opt.param_groups:
            g["lr"] = rate(step)
        z = torch.randn(groups * gen_per, noise_dim)
        if conditional:
            alpha = torch.exp(math.log(max_alpha) * torch.rand(groups))
            lab = torch.arange(groups).repeat_interleave(gen_per)
            gen = model(z, condition(lab, alpha.repeat_interleave(gen_per), classes))
        else:
            gen = model(z)
        pos = torch.stack([x[m[torch.from_numpy(rng.integers(0, len(m), pos_per))]] for m in members])
        neg, neg_w = None, None
        if conditional and max_alpha > 1:
            neg = x[torch.from_numpy(rng.integers(0, rows, groups * extra_per))].reshape(groups, extra_per, dim)
            neg_w = (alpha - 1) * (gen_per - 1) / extra_per
        loss, _ = published_drift_loss(gen.reshape(groups, gen_per, dim), pos, neg, neg_w, temperatures,
                                       args.clamp)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        d = min(ema_decay, (2.0 + step) / (11.0 + step))
        with torch.no_grad():
            for e, q in zip(ema.parameters(), model.parameters()):
                e.mul_(d).add_(q, alpha=1 - d)
    seconds = time.time() - start

    with torch.no_grad():
        z = torch.randn(args.n, noise_dim)
        if conditional:
            lab = torch.arange(args.n) % classes
            out = ema(z, condition(lab, torch.ones(args.n), classes))
        else:
            out = ema(z)
    np.save(args.out, out.numpy().astype(np.float32))
    recipe = (f"published drifting field (clamp {args.clamp:g}, taus {temperatures}), MLP {depth}x{hidden} SiLU, "
              f"{gen_per * groups} generated + {pos_per * groups} positives per step, AdamW lr {lr}, EMA {ema_decay}")
    print(json.dumps({"steps": args.steps, "seconds": round(seconds, 2), "recipe": recipe}))


if __name__ == "__main__":
    main()
