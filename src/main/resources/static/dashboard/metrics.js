// Version metrics next to their floors, whatever keys the metrics JSON has: numeric leaves are flattened to paths,
// and a path with a model-like segment is paired with the same path whose segment is floor-like
// ("model.mmd2" ↔ "trainVsHeldOut.mmd2", "oneNN.model" ↔ "oneNN.floor").
const MODEL = /^(model|generated|samples?Vs?HeldOut|value)$/i;
const FLOOR = /^(floor|noiseFloor|trainVsHeldOut|dataVsData|reference|baseline)$/i;

function flatten(value, path, out) {
  if (typeof value === 'number') out.set(path.join('.'), value);
  else if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, path.concat(k), out);
  }
  return out;
}

/**
 * Rows {metric, model, floor, ratio, excess}: ratio = model / floor where the floor is positive, otherwise the
 * excess model − floor (estimators such as unbiased MMD² have floors at or below zero); unpaired values get floor null.
 */
export function metricRows(metrics) {
  const leaves = flatten(metrics || {}, [], new Map());
  const rows = [];
  const used = new Set();
  for (const [path, value] of leaves) {
    const parts = path.split('.');
    const i = parts.findIndex(p => MODEL.test(p));
    if (i < 0) continue;
    const name = parts.filter((_, j) => j !== i).join('.').replace(/^metrics\./, '') || parts[i];
    let floor = null;
    for (const [other, v] of leaves) {
      const o = other.split('.');
      if (o.length === parts.length && o.every((p, j) => (j === i ? FLOOR.test(p) : p === parts[j]))) {
        floor = v; used.add(other); break;
      }
    }
    used.add(path);
    for (const sibling of ['ideal', 'ratio']) used.add(parts.slice(0, i).concat(sibling).join('.'));
    const ideal = leaves.get(parts.slice(0, i).concat('ideal').join('.'));
    rows.push({ ideal: ideal ?? null, metric: name, model: value, floor, ratio: floor != null && floor > 0 ? value / floor : null,
      excess: floor != null ? value - floor : null });
  }
  for (const [path, value] of leaves) if (!used.has(path)) rows.push({ metric: path, model: value, floor: null, ratio: null, excess: null });
  return rows;
}
