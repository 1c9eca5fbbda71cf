// Canvas plots: scatter (2-D points), line chart (loss curves), image grid (flattened C×H×W rows).
const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#db2777', '#65a30d', '#4b5563', '#ca8a04'];

function clear(canvas) {
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  return ctx;
}

function extent(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  if (!Number.isFinite(lo)) return [0, 1];
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  return [lo, hi];
}

/** Points (arrays; the first two coordinates are drawn), coloured by label when given. */
export function scatter(canvas, points, { labels = null, bounds = null, radius = 1.6, title = '' } = {}) {
  const ctx = clear(canvas);
  const pad = 24, w = canvas.width - 2 * pad, h = canvas.height - 2 * pad;
  const [x0, x1] = bounds ? bounds[0] : extent(points.map(p => p[0]));
  const [y0, y1] = bounds ? bounds[1] : extent(points.map(p => p.length > 1 ? p[1] : 0));
  ctx.strokeStyle = '#d1d5db';
  ctx.strokeRect(pad, pad, w, h);
  ctx.fillStyle = '#6b7280';
  ctx.font = '11px sans-serif';
  ctx.fillText(`${x0.toFixed(2)} … ${x1.toFixed(2)}`, pad, canvas.height - 6);
  ctx.fillText(title || `${points.length} points`, pad, 14);
  points.forEach((p, i) => {
    const x = pad + (p[0] - x0) / (x1 - x0) * w;
    const y = pad + h - ((p.length > 1 ? p[1] : 0) - y0) / (y1 - y0) * h;
    ctx.fillStyle = labels ? COLORS[labels[i] % COLORS.length] : COLORS[0];
    ctx.beginPath();
    ctx.arc(x, y, radius, 0, 2 * Math.PI);
    ctx.fill();
  });
}

/** Series of [x, y] pairs on shared axes: [{points, color, label}]. */
export function lines(canvas, series, { logY = false } = {}) {
  const ctx = clear(canvas);
  const pad = 30, w = canvas.width - 2 * pad, h = canvas.height - 2 * pad;
  const tf = v => (logY ? Math.log10(Math.max(v, 1e-12)) : v);
  const all = series.flatMap(s => s.points).filter(p => Number.isFinite(p[1]));
  if (all.length === 0) { ctx.fillStyle = '#6b7280'; ctx.fillText('no points yet', pad, pad); return; }
  const [x0, x1] = extent(all.map(p => p[0]));
  const [y0, y1] = extent(all.map(p => tf(p[1])));
  ctx.strokeStyle = '#d1d5db';
  ctx.strokeRect(pad, pad, w, h);
  ctx.fillStyle = '#6b7280';
  ctx.font = '11px sans-serif';
  ctx.fillText(logY ? `log10 loss ${y0.toFixed(2)} … ${y1.toFixed(2)}` : `${y0.toFixed(3)} … ${y1.toFixed(3)}`, pad, 14);
  ctx.fillText(`step ${x0} … ${x1}`, pad, canvas.height - 8);
  series.forEach((s, k) => {
    ctx.strokeStyle = s.color || COLORS[k];
    ctx.lineWidth = 2;
    ctx.beginPath();
    s.points.filter(p => Number.isFinite(p[1])).forEach((p, i) => {
      const x = pad + (p[0] - x0) / (x1 - x0) * w;
      const y = pad + h - (tf(p[1]) - y0) / (y1 - y0) * h;
      if (i === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.stroke();
    ctx.fillStyle = s.color || COLORS[k];
    ctx.fillText(s.label, canvas.width - pad - 60, pad + 14 + 14 * k);
  });
}

/** Flattened images of shape [C, H, W] (C = 1 or 3) as a grid, each scaled to its own min/max. */
export function imageGrid(canvas, rows, shape) {
  const ctx = clear(canvas);
  const [c, hh, ww] = shape;
  const cols = Math.max(1, Math.floor(Math.sqrt(rows.length * canvas.width / canvas.height)));
  const cell = Math.floor(Math.min(canvas.width / cols, canvas.height / Math.ceil(rows.length / cols)));
  rows.forEach((row, i) => {
    const [lo, hi] = extent(row);
    const image = ctx.createImageData(ww, hh);
    for (let y = 0; y < hh; y++) for (let x = 0; x < ww; x++) {
      for (let k = 0; k < 3; k++) {
        const v = row[(c === 3 ? k : 0) * hh * ww + y * ww + x];
        image.data[4 * (y * ww + x) + k] = Math.round(255 * (v - lo) / (hi - lo));
      }
      image.data[4 * (y * ww + x) + 3] = 255;
    }
    const tmp = document.createElement('canvas');
    tmp.width = ww; tmp.height = hh;
    tmp.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tmp, (i % cols) * cell, Math.floor(i / cols) * cell, cell - 1, cell - 1);
  });
}

/** Rows drawn as what they are: an image grid when an image shape is known, else a scatter of two coordinates. */
export function samplesPlot(canvas, rows, shape, options = {}) {
  if (shape && shape.length === 3) imageGrid(canvas, rows.slice(0, 64), shape);
  else scatter(canvas, rows, options);
}
