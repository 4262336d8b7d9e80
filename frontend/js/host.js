// host.js — the React component every route renders: an empty element the Yew view mounts into.
//
// React renders the element and never touches its children; Yew owns them. The view is mounted
// once the wasm is ready, updated when the route, its parameters or the cluster change, and
// destroyed on unmount. A cancelled flag per effect run makes it safe under StrictMode's double
// mount and when the user navigates away before the wasm has loaded.

/** What Rust may call: the cluster bridge and the router (both JS functions). */
function hostApi(historyRef) {
  const url = paramsJson => {
    const { route, params } = JSON.parse(paramsJson);
    return pluginLib.Router.createRouteURL(route, params);
  };
  return {
    request: bridgeRequest,
    // createHref honours Headlamp's router: a hash URL on desktop, the base URL on the web.
    href: paramsJson => historyRef.current.createHref({ pathname: url(paramsJson) }),
    navigate: paramsJson => historyRef.current.push(url(paramsJson)),
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
  const element = React.useRef(null);
  const handle = React.useRef(null);
  const [state, setState] = React.useState({ mounted: false, failure: null });

  const viewProps = JSON.stringify({ route: props.route, params: props.params || {}, cluster, namespaces });
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
