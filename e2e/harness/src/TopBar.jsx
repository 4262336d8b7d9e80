// Stand-in for Headlamp's TopBar (not in the npm package): logo, the current cluster, the actions plugins
// register with registerAppBarAction, a light/dark switch and log-out for token users.
import { Icon } from '@iconify/react';
import AppBar from '@mui/material/AppBar';
import Box from '@mui/material/Box';
import IconButton from '@mui/material/IconButton';
import Toolbar from '@mui/material/Toolbar';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { AppLogo } from 'HL/components/App/AppLogo';
import { setTheme } from 'HL/components/App/themeSlice';
import { logout } from 'HL/lib/auth';
import { useCluster } from 'HL/lib/k8s';
import { createRouteURL } from 'HL/lib/router/createRouteURL';
import { useTypedSelector } from 'HL/redux/hooks';
import React, { isValidElement } from 'react';
import { useDispatch } from 'react-redux';
import { useHistory } from 'react-router-dom';

function PluginAppBarAction({ action }) {
  if (isValidElement(action)) {
    return action;
  }
  if (typeof action === 'function') {
    const Action = action;
    return <Action />;
  }
  return null;
}

export default function TopBar() {
  const dispatch = useDispatch();
  const history = useHistory();
  const cluster = useCluster();
  const hidden = useTypedSelector(state => state.ui.hideAppBar);
  const themeName = useTypedSelector(state => state.theme.name);
  const appBarActions = useTypedSelector(state => state.actionButtons.appBarActions);
  if (hidden) {
    return null;
  }
  const nextTheme = themeName === 'dark' ? 'light' : 'dark';

  return (
    <AppBar position="static" elevation={1} color="default" sx={{ backgroundColor: 'background.default' }}>
      <Toolbar variant="dense" sx={{ gap: 1 }}>
        <Box sx={{ display: 'flex', alignItems: 'center' }}>
          <AppLogo logoType="large" themeName={themeName} />
        </Box>
        {cluster && (
          <Typography data-testid="harness-cluster" variant="body1" sx={{ ml: 2 }}>
            {cluster}
          </Typography>
        )}
        <Box sx={{ flexGrow: 1 }} />
        {appBarActions.map(({ id, action }) => (
          <PluginAppBarAction key={id} action={action} />
        ))}
        <Tooltip title={`Switch to the ${nextTheme} theme`}>
          <IconButton
            data-testid="harness-theme-toggle"
            aria-label={`Switch to the ${nextTheme} theme`}
            onClick={() => dispatch(setTheme(nextTheme))}
          >
            <Icon icon={themeName === 'dark' ? 'mdi:weather-sunny' : 'mdi:weather-night'} />
          </IconButton>
        </Tooltip>
        {cluster && (
          <Tooltip title="Log out">
            <IconButton
              data-testid="harness-logout"
              aria-label="Log out"
              onClick={() => logout(cluster).finally(() => history.push(createRouteURL('token', { cluster })))}
            >
              <Icon icon="mdi:logout" />
            </IconButton>
          </Tooltip>
        )}
      </Toolbar>
    </AppBar>
  );
}
