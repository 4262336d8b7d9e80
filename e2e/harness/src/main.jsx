// Entry of the Headlamp harness. Headlamp's own i18n config must be imported before anything that translates.
import i18n from 'HL/i18n/config';
import { addAPIProvider, addCollection } from '@iconify/react';
import React from 'react';
import { createRoot } from 'react-dom/client';
import App from './App';

// Icons come from our own origin only (the build emits the whole mdi set, see vite.config.mjs): the
// default iconify API is on the internet, which tests and air-gapped users do not have.
async function registerOfflineIcons() {
  addAPIProvider('', { resources: [`${window.location.origin}/iconify`] });
  const response = await fetch(`${import.meta.env.BASE_URL}iconify/mdi.json`);
  if (!response.ok) {
    throw new Error(`offline icons: HTTP ${response.status}`);
  }
  addCollection(await response.json());
}

registerOfflineIcons()
  .catch(err => console.warn('Headlamp harness: icons unavailable:', err))
  .finally(() => {
    createRoot(document.getElementById('root')).render(<App i18n={i18n} />);
  });
