// host.js — the React component every route renders: an empty element the Yew view mounts into.
//
// React renders the element and never touches its children; Yew owns them. The view is mounted
// once the wasm is ready, updated when the route, its parameters or the cluster change, and
// destroyed on unmount. A cancelled flag per effect run makes it safe under StrictMode's double
// mount and when the user navigates away before the wasm has loaded.

// The package name: the key of registerPluginSettings and of our ConfigStore.
const PLUGIN_NAME = 'autoscaling-insights';
let pluginSettings = null;

/** The plugin's settings in Headlamp's ConfigStore, `{ "<cluster>": {...} }` (null on a Headlamp without it). */
function settingsStore() {
  if (pluginSettings === null && pluginLib.ConfigStore) pluginSettings = new pluginLib.ConfigStore(PLUGIN_NAME);
  return pluginSettings;
}

/** The settings of every cluster, re-rendering the caller when they change. */
function useAllSettings() {
  const store = settingsStore();
  const config = store ? store.useConfig()() : null;
  return config || {};
}

/** Headlamp's per-cluster "Allowed namespaces" (what it lists namespace by namespace itself). */
function allowedNamespaces(cluster) {
  const k8sCluster = pluginLib.K8s.cluster;
  if (!cluster || !k8sCluster || !k8sCluster.getAllowedNamespaces) return [];
  return k8sCluster.getAllowedNamespaces(cluster) || [];
}

/** The URL query (`?state=erroring`) as an object; on desktop it lives inside the hash. */
function queryParams(location) {
  const out = {};
  for (const [k, v] of new URLSearchParams((location && location.search) || '')) out[k] = v;
  return out;
}

/** What Rust may call: the cluster bridge, the router and the plugin settings (all JS functions). */
function hostApi(historyRef) {
  const target = paramsJson => {
    const { route, params, search } = JSON.parse(paramsJson);
    return { pathname: pluginLib.Router.createRouteURL(route, params), search: search || '' };
  };
  return {
    request: bridgeRequest,
    // createHref honours Headlamp's router: a hash URL on desktop, the base URL on the web.
    href: paramsJson => historyRef.current.createHref(target(paramsJson)),
    navigate: paramsJson => historyRef.current.push(target(paramsJson)),
    settingsGet: () => {
      const store = settingsStore();
      return JSON.stringify((store && store.get()) || {});
    },
    settingsSet: json => {
      const store = settingsStore();
      if (!store) throw new Error('this Headlamp has no plugin settings store (ConfigStore)');
      store.set(JSON.parse(json));
    },
  };
}

function YewHost(props) {
  const React = pluginLib.React;
  const theme = pluginLib.MuiMaterial.useTheme();
  const history = pluginLib.ReactRouter.useHistory();
  const cluster = pluginLib.K8s.useCluster() || '';
  // Headlamp's namespace filter (a Set in the store); empty means all namespaces.
  const namespaceSet = pluginLib.ReactRedux.useSelector(state => state.filter && state.filter.namespaces);
  const namespaces = namespaceSet ? [...namespaceSet].sort() : [];
  const location = pluginLib.ReactRouter.useLocation();
  const allSettings = useAllSettings();
  const clusters = Object.keys((pluginLib.K8s.useClustersConf && pluginLib.K8s.useClustersConf()) || {}).sort();
  const element = React.useRef(null);
  const handle = React.useRef(null);
  const [state, setState] = React.useState({ mounted: false, failure: null });

  const viewProps = JSON.stringify({
    route: props.route,
    params: props.params || {},
    query: queryParams(location),
    cluster,
    namespaces,
    allowedNamespaces: allowedNamespaces(cluster),
    settings: (cluster && allSettings[cluster]) || {},
    clusters,
  });
  const latestProps = React.useRef(viewProps);
  latestProps.current = viewProps;
  const historyRef = React.useRef(history);
  historyRef.current = history;

  React.useEffect(() => {
    let cancelled = false;
    loadWasm().then(
      wasm => {
        if (cancelled || !element.current) return;
        handle.current = wasm.mount(element.current, latestProps.current, hostApi(historyRef));
        setState({ mounted: true, failure: null });
      },
      error => {
        if (!cancelled) setState({ mounted: false, failure: String((error && error.message) || error) });
      }
    );
    return () => {
      cancelled = true;
      const h = handle.current;
      handle.current = null;
      if (h) {
        h.destroy();
        h.free();
      }
    };
  }, []);

  React.useEffect(() => {
    if (handle.current) handle.current.update(viewProps);
  }, [viewProps]);

  const style = React.useMemo(() => themeVariables(theme), [theme]);
  const { Loader } = pluginLib.CommonComponents;
  return React.createElement(
    React.Fragment,
    null,
    state.failure !== null &&
      React.createElement(
        'div',
        { role: 'alert', style: { padding: 16, color: theme.palette.error.main } },
        'Autoscaling Insights could not start: ' + state.failure
      ),
    !state.mounted && state.failure === null && React.createElement(Loader, { title: 'Loading Autoscaling Insights' }),
    React.createElement('div', {
      ref: element,
      className: 'autoscaling-insights-host',
      'data-theme': theme.palette.mode,
      style,
    })
  );
}
