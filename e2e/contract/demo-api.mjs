// The Kubernetes API of the demo cluster at one captured moment (testdata/demo/<moment>/, written by
// `cargo xtask fixtures` from the real cluster), answered the way kube-apiserver answers: cluster-wide and
// per-namespace lists, single objects, equality label and field selectors, discovery of the groups held,
// External Metrics values as the HPA asks for them. Our own API group is absent (the plugin runs in direct
// mode) unless a test adds answers for it.
import fs from 'node:fs';
import path from 'node:path';
import { repo, status } from './headlamp.mjs';

const FILES = {
  '/apis/keda.sh/v1alpha1/scaledobjects': 'scaledobjects.json',
  '/apis/keda.sh/v1alpha1/scaledjobs': 'scaledjobs.json',
  '/apis/keda.sh/v1alpha1/triggerauthentications': 'triggerauthentications.json',
  '/apis/keda.sh/v1alpha1/clustertriggerauthentications': 'clustertriggerauthentications.json',
  '/apis/eventing.keda.sh/v1alpha1/cloudeventsources': 'cloudeventsources.json',
  '/apis/autoscaling/v2/horizontalpodautoscalers': 'horizontalpodautoscalers.json',
  '/apis/apps/v1/deployments': 'deployments.json',
  '/apis/apps/v1/statefulsets': 'statefulsets.json',
  '/apis/apps/v1/replicasets': 'replicasets.json',
  '/apis/batch/v1/jobs': 'jobs.json',
  '/api/v1/pods': 'pods.json',
  '/api/v1/nodes': 'nodes.json',
  '/api/v1/events': 'events.json',
  '/apis/karpenter.sh/v1/nodepools': 'nodepools.json',
  '/apis/karpenter.sh/v1/nodeclaims': 'nodeclaims.json',
  '/apis/karpenter.kwok.sh/v1alpha1/kwoknodeclasses': 'kwoknodeclasses.json',
};

/** The lists of one moment, by API path, plus the External Metrics answers. */
export function demoMoment(moment = 'idle') {
  const dir = path.join(repo, 'testdata', 'demo', moment);
  const lists = {};
  for (const [p, f] of Object.entries(FILES)) lists[p] = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8'));
  const metrics = JSON.parse(fs.readFileSync(path.join(dir, 'external-metrics.json'), 'utf8')).requests;
  // Namespaces are not captured; those of the objects are what a cluster would list.
  const names = new Set();
  for (const l of Object.values(lists)) for (const i of l.items) if (i.metadata?.namespace) names.add(i.metadata.namespace);
  lists['/api/v1/namespaces'] = {
    kind: 'NamespaceList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '1' },
    items: [...names].sort().map(name => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, uid: `ns-${name}`, resourceVersion: '1', creationTimestamp: '2026-11-30T06:00:00Z' },
      status: { phase: 'Active' },
    })),
  };
  return { lists, metrics, moment };
}

/**
 * `copies` more of every KEDA object and its HPA and scale target, in namespaces `<ns>-<k>` (real
 * objects with new names and uids): how the benchmark gets thousands of ScaledObjects.
 */
export function multiplied(demo, copies) {
  const kinds = [
    '/apis/keda.sh/v1alpha1/scaledobjects',
    '/apis/autoscaling/v2/horizontalpodautoscalers',
    '/apis/apps/v1/deployments',
    '/apis/apps/v1/statefulsets',
  ];
  const lists = { ...demo.lists };
  for (const k of kinds) {
    const items = [];
    for (let c = 0; c < copies; c++) {
      for (const o of demo.lists[k].items) {
        const copy = structuredClone(o);
        copy.metadata.namespace = `${o.metadata.namespace}-${c}`;
        copy.metadata.uid = `${o.metadata.uid}-${c}`;
        items.push(copy);
      }
    }
    lists[k] = { ...demo.lists[k], items: [...demo.lists[k].items, ...items] };
  }
  return { ...demo, lists };
}

/** The path as the plugin sent it, query included (the harness hands tests the path without it). */
export function withQuery(apiPath, request) {
  const search = request ? new URL(request.url()).search : '';
  return apiPath + search;
}

const decode = s => decodeURIComponent(s.replace(/\+/g, ' '));

function selectorMatches(selector, get) {
  return selector
    .split(',')
    .filter(Boolean)
    .every(term => {
      const [k, v] = term.split('=');
      return v === undefined || get(k.trim()) === v.trim();
    });
}

const at = (obj, dotted) => dotted.split('.').reduce((o, k) => (o == null ? undefined : o[k]), obj);

/** The answer `{status, json}` for a request path (path and query as sent). */
export function answer(demo, apiPath) {
  const [p, query = ''] = apiPath.split('?');
  const params = Object.fromEntries(
    query
      .split('&')
      .filter(Boolean)
      .map(kv => {
        const i = kv.indexOf('=');
        return [decode(kv.slice(0, i)), decode(kv.slice(i + 1))];
      })
  );
  if (p.startsWith('/apis/external.metrics.k8s.io/v1beta1/namespaces/')) {
    const wanted = decode(apiPath);
    const hit = demo.metrics.find(r => decode(r.path) === wanted);
    if (!hit) return { status: 404, json: status(404, 'NotFound', 'no such metric') };
    if (hit.response.error) return { status: 503, json: status(503, 'ServiceUnavailable', hit.response.error) };
    return { status: 200, json: hit.response };
  }
  for (const [listPath, list] of Object.entries(demo.lists)) {
    const cut = listPath.lastIndexOf('/');
    const root = listPath.slice(0, cut);
    const plural = listPath.slice(cut + 1);
    if (!p.startsWith(`${root}/`)) continue;
    const rest = p.slice(root.length + 1).split('/').filter(Boolean);
    let ns = null;
    let tail;
    if (rest[0] === 'namespaces' && rest[2] === plural) {
      ns = rest[1];
      tail = rest.slice(3);
    } else if (rest[0] === plural) {
      tail = rest.slice(1);
    } else continue;
    let items = list.items.filter(i => ns === null || i.metadata?.namespace === ns);
    if (tail.length === 0) {
      if (params.labelSelector) items = items.filter(i => selectorMatches(params.labelSelector, k => i.metadata?.labels?.[k]));
      if (params.fieldSelector) items = items.filter(i => selectorMatches(params.fieldSelector, k => at(i, k)));
      return { status: 200, json: { ...list, items } };
    }
    if (tail.length === 1) {
      const one = items.find(i => i.metadata?.name === tail[0]);
      return one ? { status: 200, json: one } : { status: 404, json: status(404, 'NotFound', `${plural} "${tail[0]}" not found`) };
    }
  }
  const seg = p.split('/').filter(Boolean);
  if (seg[0] === 'apis' && seg.length === 3) {
    const prefix = `/apis/${seg[1]}/${seg[2]}/`;
    if (Object.keys(demo.lists).some(k => k.startsWith(prefix))) {
      return { status: 200, json: { kind: 'APIResourceList', groupVersion: `${seg[1]}/${seg[2]}`, resources: [] } };
    }
  }
  if (p === '/api/v1/services') return { status: 200, json: { kind: 'ServiceList', apiVersion: 'v1', metadata: {}, items: [] } };
  return null;
}
