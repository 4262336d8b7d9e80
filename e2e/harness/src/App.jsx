// The providers Headlamp's App.tsx sets up, built from the same lib modules (store, query client, themes).
import { ThemeProvider } from '@mui/material/styles';
import { QueryClientProvider } from '@tanstack/react-query';
import { useTypedSelector } from 'HL/redux/hooks';
import store from 'HL/redux/stores/store';
import { useCurrentAppTheme } from 'HL/components/App/themeSlice';
import ErrorBoundary from 'HL/components/common/ErrorBoundary';
import ErrorPage from 'HL/components/common/ErrorPage';
import { queryClient } from 'HL/lib/queryClient';
import { setStore } from 'HL/lib/router/createRouteURL';
import { createMuiTheme, usePrefersColorScheme } from 'HL/lib/themes';
import React from 'react';
import { I18nextProvider } from 'react-i18next';
import { Provider } from 'react-redux';
import AppContainer from './AppContainer';

// Route URLs are built from the same singleton store the plugin registry writes to.
setStore(store);

function Themed({ children }) {
  const themeName = useTypedSelector(state => state.theme.name);
  const osColorScheme = usePrefersColorScheme();
  const appTheme = useCurrentAppTheme();
  const muiTheme = React.useMemo(
    () => createMuiTheme(appTheme),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [themeName, appTheme, osColorScheme]
  );
  return <ThemeProvider theme={muiTheme}>{children}</ThemeProvider>;
}

/** Headlamp's App: error boundary, redux store, react-query, i18n, MUI theme. */
export default function App({ i18n }) {
  return (
    <ErrorBoundary fallback={<ErrorPage />}>
      <Provider store={store}>
        <QueryClientProvider client={queryClient}>
          <I18nextProvider i18n={i18n}>
            <Themed>
              <AppContainer />
            </Themed>
          </I18nextProvider>
        </QueryClientProvider>
      </Provider>
    </ErrorBoundary>
  );
}
