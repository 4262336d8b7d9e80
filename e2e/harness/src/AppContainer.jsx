// Headlamp's AppContainer for the web (not Electron): snackbar, browser router, plugin loader, layout.
import { getBaseUrl } from 'HL/helpers/getBaseUrl';
import { PreviousRouteProvider } from 'HL/components/App/RouteSwitcher';
import Plugins from 'HL/plugin/Plugins';
import { SnackbarProvider } from 'notistack';
import React from 'react';
import { BrowserRouter } from 'react-router-dom';
import Layout from './Layout';

export default function AppContainer() {
  return (
    <SnackbarProvider anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}>
      <BrowserRouter basename={getBaseUrl()}>
        <PreviousRouteProvider>
          <Plugins />
          <Layout />
        </PreviousRouteProvider>
      </BrowserRouter>
    </SnackbarProvider>
  );
}
