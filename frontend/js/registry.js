// registry.js — the one place that registers everything with Headlamp. Runs synchronously when
// Headlamp evaluates main.js; nothing here touches the wasm.

const SIDEBAR_GROUP = 'autoscaling';

// Our own icon as an Iconify object, not an icon name: Headlamp resolves unknown names through the
// Iconify web API, which air-gapped clusters cannot reach. Three bars rising to an arrow.
const AUTOSCALING_ICON = {
  width: 24,
  height: 24,
  body:
    '<path fill="currentColor" d="M3 20h4v-5H3zm6 0h4v-9H9zm6 0h4V7h-4zM17 2l-4 4h3v0h2v0h3z"/>',
};

function registerWithHeadlamp() {
  const React = pluginLib.React;

  pluginLib.registerSidebarEntry({
    parent: null,
    name: SIDEBAR_GROUP,
    label: 'Autoscaling',
    icon: AUTOSCALING_ICON,
    url: '/autoscaling',
  });
  pluginLib.registerSidebarEntry({
    parent: SIDEBAR_GROUP,
    name: 'autoscaling-overview',
    label: 'Overview',
    url: '/autoscaling',
  });
  pluginLib.registerSidebarEntry({
    parent: SIDEBAR_GROUP,
    name: 'autoscaling-scaledobjects',
    label: 'ScaledObjects',
    url: '/autoscaling/scaledobjects',
  });
  for (const [name, label, url] of [
    ['autoscaling-scaledjobs', 'ScaledJobs', '/autoscaling/scaledjobs'],
    ['autoscaling-triggerauthentications', 'Trigger Authentications', '/autoscaling/triggerauthentications'],
    ['autoscaling-cloudeventsources', 'CloudEvent Sources', '/autoscaling/cloudeventsources'],
  ]) {
    pluginLib.registerSidebarEntry({ parent: SIDEBAR_GROUP, name, label, url });
  }

  // Karpenter, nodes and the joins between KEDA and Karpenter.
  for (const [name, label, url] of [
    ['autoscaling-pending', 'Pending & Blocked', '/autoscaling/pending'],
    ['autoscaling-chains', 'Scaling Chains', '/autoscaling/chains'],
    ['autoscaling-coldstarts', 'Cold Starts', '/autoscaling/coldstarts'],
    ['autoscaling-nodepools', 'NodePools', '/autoscaling/nodepools'],
    ['autoscaling-nodeclaims', 'NodeClaims', '/autoscaling/nodeclaims'],
    ['autoscaling-nodeclasses', 'NodeClasses', '/autoscaling/nodeclasses'],
    ['autoscaling-nodes', 'Nodes', '/autoscaling/nodes'],
  ]) {
    pluginLib.registerSidebarEntry({ parent: SIDEBAR_GROUP, name, label, url });
  }

  for (const route of ROUTES) {
    // Each route renders the Yew view of the same name; URL parameters are passed through.
    const Component = () => {
      const params = pluginLib.ReactRouter.useParams();
      return React.createElement(YewHost, { route: route.name, params: pickParams(params, route.params) });
    };
    Component.displayName = `AutoscalingInsights(${route.name})`;
    pluginLib.registerRoute({
      path: route.path,
      sidebar: route.sidebar,
      name: route.name,
      exact: true,
      component: () => React.createElement(Component),
    });
  }
}

/** The plugin settings page (Settings → Plugins → autoscaling-insights): a Yew view that saves itself. */
function registerSettings() {
  const React = pluginLib.React;
  const Settings = () => React.createElement(YewHost, { route: 'plugin-settings', params: {} });
  Settings.displayName = 'AutoscalingInsights(settings)';
  pluginLib.registerPluginSettings(PLUGIN_NAME, Settings, false);
}

/** Only the route's own parameters (React Router also reports `cluster`). */
function pickParams(all, names) {
  const picked = {};
  for (const n of names) picked[n] = (all && all[n]) || '';
  return picked;
}

// ---- Karpenter, nodes and the KEDA ↔ Karpenter joins inside Headlamp's own pages (ui-karpenter):
// sections on Deployment / StatefulSet / HPA / Pod / Node pages, columns in the Deployments,
// StatefulSets and Nodes tables, and Karpenter's kinds on the resource map.

/** A section is a Yew view mounted like a page (keyed so another object remounts it). */
function autoscalingSection(route, params) {
  return pluginLib.React.createElement(YewHost, { key: route + ':' + JSON.stringify(params), route, params });
}

/** The ScaledObject owning an object (KEDA owns the HPAs it creates), or ''. */
function owningScaledObject(metadata) {
  const refs = (metadata && Array.isArray(metadata.ownerReferences) && metadata.ownerReferences) || [];
  const ref = refs.find(r => r && r.kind === 'ScaledObject' && String(r.apiVersion || '').startsWith('keda.sh/'));
  return ref ? String(ref.name || '') : '';
}

/** Our section for a resource shown by Headlamp, or null for kinds we have nothing to add to. */
function autoscalingDetailsSection(props) {
  const resource = props && props.resource;
  const data = resource && resource.jsonData;
  if (!data || !data.metadata) return null;
  const name = String(data.metadata.name || '');
  const namespace = String(data.metadata.namespace || '');
  const kind = String(data.kind || (resource.constructor && resource.constructor.kind) || resource.kind || '');
  switch (kind) {
    case 'Deployment':
    case 'StatefulSet':
      return autoscalingSection('section-workload', { kind, namespace, name });
    case 'HorizontalPodAutoscaler':
      return autoscalingSection('section-hpa', { namespace, name, owner: owningScaledObject(data.metadata) });
    case 'Pod':
      return autoscalingSection('section-pod', {
        namespace,
        name,
        node: String((data.spec && data.spec.nodeName) || ''),
        protected: String((data.metadata.annotations || {})['karpenter.sh/do-not-disrupt'] || '') === 'true' ? 'true' : '',
      });
    case 'Node':
      return autoscalingSection('section-node', { name });
    default:
      return null;
  }
}

// Column values are read once per (cluster, table) and shared by every row's cell; they are
// re-read at most every COLUMN_TTL_MS while a table shows them.
const COLUMN_TTL_MS = 30000;
const columnEntries = new Map();

function columnEntry(cluster, table) {
  const key = cluster + '\u0000' + table;
  let entry = columnEntries.get(key);
  if (!entry) {
    entry = { cluster, table, at: 0, loading: null, rows: null, error: null, listeners: new Set() };
    columnEntries.set(key, entry);
  }
  return entry;
}

/** The view props a column read needs: like a page's, with this cluster's settings. */
function columnProps(entry) {
  const all = typeof settingsStore === 'function' && settingsStore() ? settingsStore().get() || {} : {};
  return JSON.stringify({
    route: 'columns',
    params: { table: entry.table },
    cluster: entry.cluster,
    namespaces: [],
    allowedNamespaces: typeof allowedNamespaces === 'function' ? allowedNamespaces(entry.cluster) : [],
    settings: all[entry.cluster] || {},
  });
}

/** Rows by the key a cell looks them up with. */
function indexColumnRows(table, rows) {
  const map = new Map();
  for (const row of rows || []) {
    const key = table === 'nodes' ? row.name : `${row.namespace}/${row.kind}/${row.name}`;
    // A workload scaled twice (a ScaledObject and a stray HPA) shows both.
    map.set(key, map.has(key) ? [...map.get(key), row] : [row]);
  }
  return map;
}

function refreshColumn(entry) {
  if (entry.loading || (entry.at && Date.now() - entry.at < COLUMN_TTL_MS)) return;
  entry.loading = loadWasm()
    .then(wasm => wasm.column_values(columnProps(entry), { request: bridgeRequest }))
    .then(
      json => {
        const value = JSON.parse(json);
        entry.rows = indexColumnRows(entry.table, value.rows);
        entry.error = value.gaps && value.gaps.length ? value.gaps.join(' ') : null;
      },
      error => {
        entry.rows = entry.rows || new Map();
        entry.error = String((error && error.message) || error);
      }
    )
    .finally(() => {
      entry.at = Date.now();
      entry.loading = null;
      entry.listeners.forEach(listener => listener());
    });
}

/** The shared rows of `table` for the current cluster; re-renders the caller when they arrive. */
function useColumnRows(table) {
  const React = pluginLib.React;
  const cluster = pluginLib.K8s.useCluster() || '';
  const entry = columnEntry(cluster, table);
  const [, rerender] = React.useReducer(n => n + 1, 0);
  React.useEffect(() => {
    entry.listeners.add(rerender);
    refreshColumn(entry);
    return () => entry.listeners.delete(rerender);
  }, [entry]);
  return entry;
}

function columnRowsNow(table, item) {
  const cluster = (item && item.cluster) || (pluginLib.Utils.getCluster && pluginLib.Utils.getCluster()) || '';
  const entry = columnEntries.get(cluster + '\u0000' + table);
  return entry && entry.rows;
}

function workloadKey(item) {
  const m = (item && item.metadata) || {};
  return `${m.namespace}/${item.kind}/${m.name}`;
}

function dimText(text, title) {
  return pluginLib.React.createElement(
    pluginLib.MuiMaterial.Typography,
    { variant: 'body2', component: 'span', color: 'text.secondary', title: title || undefined },
    text
  );
}

function AutoscalerCell(props) {
  const React = pluginLib.React;
  const entry = useColumnRows('workloads');
  if (!entry.rows) return dimText('…');
  const rows = entry.rows.get(workloadKey(props.item)) || [];
  if (rows.length === 0) return dimText('-', entry.error || undefined);
  const { Link } = pluginLib.CommonComponents;
  return React.createElement(
    React.Fragment,
    null,
    rows.map((row, i) =>
      React.createElement(
        'span',
        { key: i, style: { display: 'block', whiteSpace: 'nowrap' } },
        row.autoscalerKind === 'ScaledObject'
          ? React.createElement(
              Link,
              { routeName: 'autoscaling-scaledobject', params: { namespace: row.namespace, name: row.autoscaler } },
              row.text
            )
          : React.createElement(
              Link,
              { routeName: 'horizontalPodAutoscaler', params: { namespace: row.namespace, name: row.autoscaler } },
              row.text
            )
      )
    )
  );
}

function nodeRow(entry, item) {
  const rows = entry.rows && entry.rows.get(item && item.metadata && item.metadata.name);
  return rows && rows[0];
}

function NodePoolCell(props) {
  const entry = useColumnRows('nodes');
  if (!entry.rows) return dimText('…');
  const row = nodeRow(entry, props.item);
  if (!row || !row.nodePool) return dimText('-', entry.error || undefined);
  const { Link } = pluginLib.CommonComponents;
  return pluginLib.React.createElement(Link, { routeName: 'autoscaling-nodepool', params: { name: row.nodePool } }, row.nodePool);
}

function PriceCell(props) {
  const entry = useColumnRows('nodes');
  if (!entry.rows) return dimText('…');
  const row = nodeRow(entry, props.item);
  if (!row || row.priceText === null || row.priceText === undefined) return dimText('-', entry.error || undefined);
  return pluginLib.React.createElement('span', { style: { whiteSpace: 'nowrap' } }, row.priceText);
}

/** Adds our columns to Headlamp's Deployments, StatefulSets and Nodes tables. */
function autoscalingColumns({ id, columns }) {
  const React = pluginLib.React;
  if (id === 'headlamp-deployments' || id === 'headlamp-statefulsets') {
    columns.push({
      id: 'autoscaling-insights-autoscaler',
      label: 'Autoscaler',
      // Plain text for sorting and filtering; the cell renders links.
      getValue: item => {
        const rows = columnRowsNow('workloads', item);
        return ((rows && rows.get(workloadKey(item))) || []).map(r => r.text).join(', ');
      },
      render: item => React.createElement(AutoscalerCell, { item }),
    });
  }
  if (id === 'headlamp-nodes') {
    columns.push({
      id: 'autoscaling-insights-nodepool',
      label: 'NodePool',
      getValue: item => (item && item.metadata && item.metadata.labels && item.metadata.labels['karpenter.sh/nodepool']) || '',
      render: item => React.createElement(NodePoolCell, { item }),
    });
    columns.push({
      id: 'autoscaling-insights-price',
      label: '$/h',
      getValue: item => {
        const rows = columnRowsNow('nodes', item);
        const row = rows && rows.get(item && item.metadata && item.metadata.name);
        return row && row[0] && typeof row[0].price === 'number' ? row[0].price : -1;
      },
      render: item => React.createElement(PriceCell, { item }),
    });
  }
  return columns;
}

// Icons of Karpenter's kinds for the resource map (Iconify objects: no network needed).
const KARPENTER_ICONS = {
  NodePool: 'M4 4h16v4H4zm0 6h16v4H4zm0 6h16v4H4z',
  NodeClaim: 'M4 6h16v12H4zm2 2v8h12V8zm2 2h8v4H8z',
  NodeClass: 'M12 2 3 7v10l9 5 9-5V7zm0 2.3 6.9 3.8L12 12 5.1 8.1zM5 9.8l6 3.4v6.5l-6-3.3zm8 10v-6.6l6-3.4v6.7z',
};
const NODE_CLASS_KINDS = [
  ['EC2NodeClass', 'karpenter.k8s.aws'],
  ['NodeClass', 'eks.amazonaws.com'],
  ['AKSNodeClass', 'karpenter.azure.com'],
  ['KWOKNodeClass', 'karpenter.kwok.sh'],
];

function karpenterIcon(path) {
  const { Icon } = pluginLib.Iconify;
  const icon = { width: 24, height: 24, body: `<path fill="currentColor" d="${path}"/>` };
  return pluginLib.React.createElement(Icon, { icon, width: '100%', height: '100%' });
}

// Karpenter's kinds as Headlamp objects, made once (CRD classes from Headlamp's own K8s lib).
let karpenterClasses = null;
function karpenterKinds() {
  if (karpenterClasses === null) {
    const make = (group, version, kind, plural) =>
      pluginLib.K8s.crd.makeCustomResourceClass({
        apiInfo: [{ group, version }],
        kind,
        pluralName: plural,
        singularName: kind.toLowerCase(),
        isNamespaced: false,
      });
    karpenterClasses = {
      nodePools: make('karpenter.sh', 'v1', 'NodePool', 'nodepools'),
      nodeClaims: make('karpenter.sh', 'v1', 'NodeClaim', 'nodeclaims'),
      nodeClasses: [
        make('karpenter.k8s.aws', 'v1', 'EC2NodeClass', 'ec2nodeclasses'),
        make('eks.amazonaws.com', 'v1', 'NodeClass', 'nodeclasses'),
        make('karpenter.azure.com', 'v1beta1', 'AKSNodeClass', 'aksnodeclasses'),
        make('karpenter.kwok.sh', 'v1alpha1', 'KWOKNodeClass', 'kwoknodeclasses'),
      ],
    };
  }
  return karpenterClasses;
}

/** Lists of one kind, or [] while loading, when not installed or when refused. */
function useKarpenterList(cls) {
  const [items] = cls.useList();
  return items || [];
}

/** The edge a NodePool's nodeClassRef makes (the owner edges NodePool → NodeClaim → Node are Headlamp's own). */
function nodeClassEdges(pools, classes) {
  const edges = [];
  for (const pool of pools) {
    const ref = pool.jsonData && pool.jsonData.spec && pool.jsonData.spec.template && pool.jsonData.spec.template.spec
      && pool.jsonData.spec.template.spec.nodeClassRef;
    if (!ref || !ref.name) continue;
    const target = classes.find(c => c.metadata.name === ref.name && (!ref.kind || c.jsonData.kind === ref.kind)
      && (!ref.group || String(c.jsonData.apiVersion || '').split('/')[0] === ref.group));
    if (target) edges.push({ id: `${pool.metadata.uid}-nodeclass-${target.metadata.uid}`, source: pool.metadata.uid, target: target.metadata.uid });
  }
  return edges;
}

const karpenterMapSource = {
  id: 'autoscaling-insights-karpenter',
  label: 'Karpenter',
  icon: null,
  useData() {
    const React = pluginLib.React;
    const kinds = karpenterKinds();
    const pools = useKarpenterList(kinds.nodePools);
    const claims = useKarpenterList(kinds.nodeClaims);
    const classLists = kinds.nodeClasses.map(useKarpenterList);
    return React.useMemo(() => {
      const classes = classLists.flat();
      const node = obj => ({ id: obj.metadata.uid, kubeObject: obj });
      return {
        nodes: [...pools.map(node), ...claims.map(node), ...classes.map(node)],
        edges: nodeClassEdges(pools, classes),
      };
      // eslint-disable-next-line react-hooks/exhaustive-deps
    }, [pools, claims, ...classLists]);
  },
};

function registerKarpenterExtensions() {
  pluginLib.registerDetailsViewSection(autoscalingDetailsSection);
  pluginLib.registerResourceTableColumnsProcessor(autoscalingColumns);
  if (pluginLib.registerKindIcon) {
    pluginLib.registerKindIcon('NodePool', { icon: karpenterIcon(KARPENTER_ICONS.NodePool) }, 'karpenter.sh');
    pluginLib.registerKindIcon('NodeClaim', { icon: karpenterIcon(KARPENTER_ICONS.NodeClaim) }, 'karpenter.sh');
    for (const [kind, group] of NODE_CLASS_KINDS) {
      pluginLib.registerKindIcon(kind, { icon: karpenterIcon(KARPENTER_ICONS.NodeClass) }, group);
    }
  }
  if (pluginLib.registerMapSource) {
    karpenterMapSource.icon = karpenterIcon(KARPENTER_ICONS.NodePool);
    pluginLib.registerMapSource(karpenterMapSource);
  }
}

registerWithHeadlamp();
registerSettings();
registerKarpenterExtensions();
