// Stand-in for Headlamp's Layout (not in the npm package): polls the backend's /config into the redux
// store the way Headlamp does, then lays out top bar, Headlamp's Sidebar and Headlamp's RouteSwitcher.
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Container from '@mui/material/Container';
import CssBaseline from '@mui/material/CssBaseline';
import { useQuery } from '@tanstack/react-query';
import { ActivitiesRenderer } from 'HL/components/activity/Activity';
import RouteSwitcher from 'HL/components/App/RouteSwitcher';
import Sidebar, { NavigationTabs } from 'HL/components/Sidebar';
import { getCluster, getSelectedClusters } from 'HL/lib/cluster';
import { request } from 'HL/lib/k8s/api/v1/clusterRequests';
import { setConfig } from 'HL/redux/configSlice';
import { useTypedSelector } from 'HL/redux/hooks';
import store from 'HL/redux/stores/store';
import { useUIPanelsGroupedBySide } from 'HL/redux/uiSlice';
import isEqual from 'lodash/isEqual';
import React from 'react';
import { useDispatch } from 'react-redux';
import TopBar from './TopBar';

/** How often the cluster list is refreshed from the backend (Headlamp uses the same period). */
const CONFIG_POLL_MS = 10_000;

/** Reads the backend's /config and stores its clusters by (custom) name, keeping flags set in this tab. */
async function loadConfig(dispatch) {
  const config = await request('/config', {}, false, false);
  const previous = store.getState().config.clusters;
  const clusters = {};
  for (const cluster of config?.clusters ?? []) {
    const name = cluster.meta_data?.extensions?.headlamp_info?.customName || cluster.name;
    const useToken = previous?.[name]?.useToken;
    clusters[name] = useToken === undefined ? { ...cluster, name } : { ...cluster, name, useToken };
  }
  if (!isEqual(previous, clusters)) {
    dispatch(setConfig({ ...config, clusters }));
  }
  return config;
}

function UnknownClusterBar({ cluster }) {
  return (
    <Box bgcolor="error.main" color="common.white" p={1} display="flex" gap={2} alignItems="center">
      <span>The backend does not know the cluster “{cluster}”.</span>
      <Button variant="contained" size="small" href="/">
        Choose another cluster
      </Button>
    </Box>
  );
}

export default function Layout() {
  const dispatch = useDispatch();
  const pluginsLoaded = useTypedSelector(state => state.plugins.loaded);
  const clusters = useTypedSelector(state => state.config.clusters);
  const isFullWidth = useTypedSelector(state => state.ui.isFullWidth);
  const panels = useUIPanelsGroupedBySide();

  useQuery({
    queryKey: ['cluster-fetch'],
    queryFn: () => loadConfig(dispatch),
    refetchInterval: CONFIG_POLL_MS,
  });

  const unknownClusters = clusters
    ? getSelectedClusters().filter(name => !Object.keys(clusters).includes(name))
    : [];
  const containerProps = isFullWidth ? { maxWidth: false, disableGutters: true } : { maxWidth: 'xl' };

  return (
    <>
      <CssBaseline enableColorScheme />
      <Box sx={{ display: 'flex', height: '100dvh' }}>
        {panels.left.map(it => (
          <it.component key={it.id} />
        ))}
        <Box sx={{ display: 'flex', overflow: 'auto', flexDirection: 'column', flexGrow: 1 }}>
          {panels.top.map(it => (
            <it.component key={it.id} />
          ))}
          <TopBar />
          <Box
            sx={{
              display: 'grid',
              overflow: 'hidden',
              flexGrow: 1,
              position: 'relative',
              gridTemplateRows: '1fr min-content',
              gridTemplateColumns: 'min-content 1fr',
            }}
          >
            <Sidebar />
            <Box
              component="main"
              id="main"
              sx={{ overflow: 'auto', position: 'relative', minHeight: 0, gridColumn: '2 / 3', gridRow: '1 / 2' }}
            >
              {unknownClusters.map(name => (
                <UnknownClusterBar key={name} cluster={name} />
              ))}
              <Container {...containerProps} sx={{ height: '100%' }}>
                <NavigationTabs />
                {pluginsLoaded && (
                  <RouteSwitcher
                    requiresToken={() => {
                      const cluster = clusters?.[getCluster() || ''];
                      return cluster?.useToken === undefined || cluster.useToken;
                    }}
                  />
                )}
              </Container>
            </Box>
            <ActivitiesRenderer />
          </Box>
          {panels.bottom.map(it => (
            <it.component key={it.id} />
          ))}
        </Box>
        {panels.right.map(it => (
          <it.component key={it.id} />
        ))}
      </Box>
    </>
  );
}
