// The genserve dashboard: datasets, jobs (live), models/versions/aliases, metrics vs floors, samples, forward process.
import { api, apiKey, setApiKey, followJob } from './api.js';
import { lines, samplesPlot, scatter } from './plots.js';
import { metricRows } from './metrics.js';

const $ = id => document.getElementById(id);
const state = { families: [], datasets: [], job: null, stopFollowing: null, model: null, version: null };

function toast(message, error = false) {
  const t = $('toast');
  t.textContent = message;
  t.className = error ? 'error' : '';
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, error ? 8000 : 3000);
}

async function guarded(work) {
  try { return await work(); } catch (e) { toast(e.message, true); return null; }
}

function cell(row, text) { const td = document.createElement('td'); td.textContent = text; row.appendChild(td); return td; }

function fillTable(table, items, render, onSelect, selected) {
  const body = table.querySelector('tbody');
  body.replaceChildren();
  for (const item of items) {
    const tr = document.createElement('tr');
    render(tr, item);
    if (selected && selected(item)) tr.classList.add('selected');
    tr.addEventListener('click', () => onSelect(item));
    body.appendChild(tr);
  }
}

function fillSelect(select, values, keep = true) {
  const before = select.value;
  select.replaceChildren(...values.map(([value, label]) => new Option(label, value)));
  if (keep && values.some(([v]) => v === before)) select.value = before;
}

// ---- datasets
async function loadDatasets() {
  const [stored, builtins] = await Promise.all([api('/datasets?size=100'), api('/datasets/builtins?size=100')]);
  state.datasets = stored.items;
  fillSelect($('builtin-name'), builtins.items.map(b => [b.name, b.name]));
  const choices = stored.items.map(d => [d.name, d.name]).concat(builtins.items.map(b => [b.ref, b.ref]));
  fillSelect($('job-dataset'), choices);
  fillSelect($('process-dataset'), choices);
  fillTable($('dataset-table'), stored.items, (tr, d) => {
    cell(tr, d.name); cell(tr, `${d.rows} × ${d.cols}`); cell(tr, d.source);
  }, previewDataset);
}

async function previewDataset(d) {
  const rows = await guarded(() => api(`/datasets/${d.id}/rows?limit=${d.imageShape ? 48 : 1000}`));
  if (!rows) return;
  $('dataset-caption').textContent = `${d.name}: ${d.rows} rows × ${d.cols}${d.hasLabels ? `, ${d.numClasses} classes` : ''}`;
  samplesPlot($('dataset-preview'), rows.data, rows.imageShape, { labels: rows.labels, title: `${d.name} (${rows.rows} rows)` });
}

$('builtin-form').addEventListener('submit', e => {
  e.preventDefault();
  guarded(async () => {
    const name = $('builtin-dataset-name').value.trim() || undefined;
    const d = await api('/datasets/builtin', { method: 'POST', body: { builtin: $('builtin-name').value, n: Number($('builtin-n').value), name } });
    toast(`Dataset ${d.name} stored`);
    await loadDatasets();
    previewDataset(d);
  });
});

// ---- jobs
async function loadJobs() {
  const page = await api('/jobs?size=15');
  fillTable($('job-table'), page.items, (tr, j) => {
    cell(tr, j.name || j.id.slice(0, 8)); cell(tr, j.model);
    cell(tr, j.status).className = `pill ${j.status}`;
    cell(tr, `${Math.round(100 * j.progress)}%`);
  }, selectJob, j => state.job && j.id === state.job.id);
}

function showJob(job) {
  state.job = job;
  $('job-detail').hidden = false;
  $('job-title').textContent = `${job.name || job.id} — ${job.model} (${job.family})`;
  $('job-status').textContent = job.status;
  $('job-status').className = `pill ${job.status}`;
  $('job-progress').value = job.progress;
  const eta = job.etaSeconds != null && job.status === 'RUNNING' ? `, ETA ${Math.round(job.etaSeconds)} s` : '';
  const speed = job.stepsPerSecond != null ? `, ${job.stepsPerSecond.toFixed(1)} steps/s` : '';
  $('job-caption').textContent = `step ${job.step} / ${job.totalSteps}${speed}${eta}` +
    (job.loss != null ? `, loss ${job.loss.toFixed(4)}` : '') + (job.error ? ` — ${job.error}` : '');
  $('job-cancel').disabled = ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status);
  lines($('loss-curve'), [
    { label: 'loss', points: job.lossHistory.map(p => [p.step, p.loss]) },
    { label: 'EMA', points: job.lossHistory.map(p => [p.step, p.emaLoss]), color: '#dc2626' }], { logY: true });
  if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(job.status)) { loadJobs(); loadModels(); }
}

function selectJob(job) {
  if (state.stopFollowing) state.stopFollowing();
  showJob(job);
  state.stopFollowing = followJob(job.id, showJob);
}

$('job-form').addEventListener('submit', e => {
  e.preventDefault();
  guarded(async () => {
    const config = JSON.parse($('job-config').value || '{}');
    config.family = $('job-family').value;
    const job = await api('/jobs', { method: 'POST', body: {
      model: $('job-model').value.trim(), dataset: $('job-dataset').value, name: $('job-name').value.trim() || undefined, config } });
    toast(`Job ${job.id.slice(0, 8)} queued`);
    await loadJobs();
    selectJob(job);
  });
});

$('job-cancel').addEventListener('click', () => guarded(async () => {
  const job = await api(`/jobs/${state.job.id}/cancel`, { method: 'POST' });
  showJob(job);
  toast('Cancelling');
}));

// ---- models, versions, aliases
async function loadModels() {
  const page = await api('/models?size=100');
  fillTable($('model-table'), page.items, (tr, m) => {
    cell(tr, m.name); cell(tr, m.family); cell(tr, m.versions);
    cell(tr, Object.entries(m.aliases).map(([a, v]) => `${a}→${v}`).join(', '));
  }, selectModel, m => state.model && m.name === state.model.name);
  if (state.model) {
    const current = page.items.find(m => m.name === state.model.name);
    if (current) selectModel(current, false);
  }
}

async function selectModel(model, pickVersion = true) {
  state.model = model;
  $('model-detail').hidden = false;
  $('model-title').textContent = `${model.name} (${model.family})`;
  const versions = await api(`/models/${model.name}/versions?size=50`);
  const aliasesOf = v => Object.entries(model.aliases).filter(([, n]) => n === v).map(([a]) => a).join(', ');
  fillTable($('version-table'), versions.items, (tr, v) => {
    cell(tr, v.version); cell(tr, new Date(v.createdAt).toLocaleString()); cell(tr, aliasesOf(v.version));
    cell(tr, v.artifactSha256.slice(0, 12));
  }, selectVersion, v => state.version && state.version.model === model.name && v.version === state.version.version);
  const history = await Promise.all(Object.keys(model.aliases).map(a => api(`/models/${model.name}/aliases/${a}/history?size=10`)
    .then(h => `${a}: ` + h.items.map(c => `${c.previousVersion ?? '∅'}→${c.version ?? '∅'} (${new Date(c.changedAt).toLocaleTimeString()})`).join(', '))));
  $('alias-history').textContent = history.length ? 'History — ' + history.join('; ') : 'No aliases yet.';
  if (pickVersion && versions.items.length) selectVersion(versions.items[0]);
}

$('alias-form').addEventListener('submit', e => {
  e.preventDefault();
  guarded(async () => {
    const version = $('alias-version').value || (state.version && String(state.version.version));
    await api(`/models/${state.model.name}/aliases/${$('alias-name').value}`, { method: 'PUT', body: { version } });
    toast(`${$('alias-name').value} → ${version}`);
    await loadModels();
  });
});

function fmt(v) {
  if (v == null) return '';
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 1000 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4);
}

function selectVersion(version) {
  state.version = version;
  $('version-title').textContent = `${version.model} v${version.version}`;
  $('alias-version').value = version.version;
  const body = $('metrics-table').querySelector('tbody');
  body.replaceChildren();
  for (const r of metricRows(version.metrics)) {
    const tr = document.createElement('tr');
    cell(tr, r.metric + (r.ideal != null ? ` (ideal ${fmt(r.ideal)})` : '')); cell(tr, fmt(r.model)); cell(tr, fmt(r.floor));
    const versus = cell(tr, r.ratio != null ? `${r.ratio.toFixed(2)}×`
      : r.excess != null ? `${r.excess >= 0 ? '+' : ''}${fmt(r.excess)}` : '');
    // near the floor = good: by distance to the ideal value where the version says it, else by the ratio
    const good = r.ideal != null && r.floor != null
      ? Math.abs(r.model - r.ideal) <= 1.5 * Math.abs(r.floor - r.ideal) + 1e-9
      : r.ratio != null ? r.ratio <= 1.5 : null;
    if (good != null) versus.className = good ? 'good' : 'bad';
    versus.title = r.ratio != null ? 'model / floor' : 'model − floor (the floor is not positive)';
    body.appendChild(tr);
  }
  const family = state.families.find(f => f.id === version.family);
  const samplers = family ? family.samplers : [];
  fillSelect($('sample-sampler'), [['', 'default']].concat(samplers.map(s => [s, s])));
  $('sample-sampler').disabled = samplers.length === 0;
  $('sample-steps').disabled = samplers.length === 0;
}

$('sample-form').addEventListener('submit', e => {
  e.preventDefault();
  guarded(async () => {
    const v = state.version;
    if (!v) throw new Error('select a model version first');
    const body = { n: Number($('sample-n').value), seed: Number($('sample-seed').value) };
    if (!$('sample-sampler').disabled) {
      if ($('sample-sampler').value) body.sampler = $('sample-sampler').value;
      body.steps = Number($('sample-steps').value);
    }
    const out = await api(`/models/${v.model}/versions/${v.version}/samples`, { method: 'POST', body });
    $('sample-caption').textContent = `${out.n} samples of ${out.model} v${out.version}, seed ${out.seed}, ` +
      `${out.functionEvaluations} network evaluations, ${out.millis.toFixed(0)} ms`;
    samplesPlot($('sample-plot'), out.samples, out.sampleShape.length === 3 ? out.sampleShape : null,
      { title: `${out.n} samples (seed ${out.seed})` });
  });
});

// ---- attractor forward process
$('process-form').addEventListener('submit', e => {
  e.preventDefault();
  guarded(async () => {
    const sim = await api('/processes/simulate', { method: 'POST', body: {
      process: 'attractor', dataset: $('process-dataset').value, n: Number($('process-n').value),
      snapshots: Number($('process-k').value), params: { alpha: Number($('process-alpha').value) } } });
    const all = sim.snapshots.flatMap(s => s.points);
    const range = k => { const v = all.map(p => p[k] ?? 0); return [Math.min(...v), Math.max(...v)]; };
    const bounds = [range(0), range(1)];
    $('process-strip').replaceChildren(...sim.snapshots.map(s => {
      const figure = document.createElement('figure');
      const canvas = document.createElement('canvas');
      canvas.width = 150; canvas.height = 150;
      scatter(canvas, s.points, { bounds, radius: 1.2, title: ' ' });
      const caption = document.createElement('figcaption');
      caption.textContent = `t = ${s.t.toFixed(2)}`;
      figure.append(canvas, caption);
      return figure;
    }));
  });
});

// ---- start
$('api-key').value = apiKey();
$('api-key').addEventListener('change', () => setApiKey($('api-key').value));
$('api-key').addEventListener('input', () => setApiKey($('api-key').value));

async function start() {
  const [info, families] = await Promise.all([api(''), api('/families')]);
  $('service-version').textContent = info.version;
  state.families = families;
  fillSelect($('job-family'), families.map(f => [f.id, f.id]));
  await Promise.all([loadDatasets(), loadJobs(), loadModels()]);
  document.body.dataset.ready = 'true';
  setInterval(() => { loadJobs().catch(() => {}); }, 5000);
}
guarded(start);
