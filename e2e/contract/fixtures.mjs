// KEDA ScaledObjects as KEDA writes them. Objects captured from the local cluster (testdata/demo/, written
// by `cargo xtask fixtures`) are used when present; until then, the upstream examples in
// testdata/examples/keda/ (one of them with a status written by a real KEDA operator).
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { repo } from './headlamp.mjs';

function documents(file) {
  const docs = yaml.loadAll(fs.readFileSync(file, 'utf8')).filter(Boolean);
  return docs.flatMap(d => (Array.isArray(d.items) ? d.items : [d]));
}

function captured() {
  const dir = path.join(repo, 'testdata', 'demo');
  if (!fs.existsSync(dir)) return [];
  const files = [];
  const walk = d => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/scaledobjects?\.(ya?ml|json)$/i.test(e.name)) files.push(p);
    }
  };
  walk(dir);
  // One moment is enough: the first in name order, so the choice is stable.
  files.sort();
  return files.length ? documents(files[0]).filter(o => o.kind === 'ScaledObject') : [];
}

/** The ScaledObjects the API answers with, and where they came from. */
export function scaledObjects() {
  const fromCluster = captured();
  if (fromCluster.length > 0) return { items: fromCluster, source: 'testdata/demo' };
  const dir = path.join(repo, 'testdata', 'examples', 'keda');
  const items = ['scaledobject-list-status-2024.yaml', 'scaledobject-sample.yaml']
    .flatMap(f => documents(path.join(dir, f)))
    .filter(o => o.kind === 'ScaledObject');
  return { items, source: 'testdata/examples/keda' };
}

/** A Kubernetes list body. */
export function list(kind, items) {
  return { apiVersion: 'keda.sh/v1alpha1', kind: `${kind}List`, metadata: { resourceVersion: '1' }, items };
}
