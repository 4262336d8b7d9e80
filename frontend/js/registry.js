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
    url: '/autoscaling/scaledobjects',
  });
  pluginLib.registerSidebarEntry({
    parent: SIDEBAR_GROUP,
    name: 'autoscaling-scaledobjects',
    label: 'ScaledObjects',
    url: '/autoscaling/scaledobjects',
  });

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

/** Only the route's own parameters (React Router also reports `cluster`). */
function pickParams(all, names) {
  const picked = {};
  for (const n of names) picked[n] = (all && all[n]) || '';
  return picked;
}

registerWithHeadlamp();
