// theme.js — Headlamp's MUI theme as CSS variables on the host element.
//
// The Yew stylesheet uses only these variables, so the views follow Headlamp's light, dark and
// custom themes without re-rendering Rust. Status colours are computed the way Headlamp's own
// StatusLabel computes them, so our chips look like Headlamp's.

function statusColors(theme, status) {
  const M = pluginLib.MuiMaterial;
  const grey = M.colors.grey;
  const base = status === 'neutral' ? grey : theme.palette[status] || grey;
  const baseColor = base[800] || base.main;
  if (theme.palette.mode !== 'dark') {
    return {
      bg: baseColor,
      fg: status === 'warning' ? '#000000' : theme.palette.getContrastText(baseColor),
      border: 'transparent',
    };
  }
  return {
    bg: M.alpha(baseColor, 0.2),
    fg: base[200] || base.main,
    border: M.alpha(base[400] || baseColor, 0.5),
  };
}

/** Headlamp styles links through its MuiLink override (not palette.primary). */
function linkColor(theme) {
  const link = theme.components && theme.components.MuiLink;
  const root = link && link.styleOverrides && link.styleOverrides.root;
  return (root && root.color) || theme.palette.primary.main;
}

function header(palette, style) {
  return (palette.headerStyle && palette.headerStyle[style]) || {};
}

/** The CSS variables the Yew stylesheet reads (`var(--ai-...)`). */
function themeVariables(theme) {
  const p = theme.palette;
  const tables = p.tables || {};
  const head = tables.head || {};
  const vars = {
    '--ai-font': theme.typography.fontFamily,
    '--ai-font-size': theme.typography.pxToRem(14),
    '--ai-radius': theme.shape.borderRadius + 'px',
    '--ai-bg': p.background.default,
    '--ai-paper': p.background.paper,
    '--ai-muted': p.background.muted || p.background.default,
    '--ai-text': p.text.primary,
    '--ai-text2': p.text.secondary,
    '--ai-divider': p.divider,
    '--ai-primary': p.primary.main,
    '--ai-primary-contrast': p.primary.contrastText,
    '--ai-link': linkColor(theme),
    '--ai-hover': p.action.hover,
    '--ai-row-selected': pluginLib.MuiMaterial.alpha(p.primary.main, 0.2),
    '--ai-table-head-bg': p.background.muted || head.background,
    '--ai-table-border': head.borderColor || p.divider,
    // SectionHeader: page titles use headerStyle.main (an h1), sections inside a page headerStyle.subsection.
    '--ai-title-main-size': header(p, 'main').fontSize || '1.87rem',
    '--ai-title-main-weight': header(p, 'main').fontWeight || '700',
    '--ai-title-sub-size': header(p, 'subsection').fontSize || '1.85rem',
    '--ai-title-sub-weight': header(p, 'subsection').fontWeight || '700',
    '--ai-input-border': p.mode === 'dark' ? 'rgba(255,255,255,0.7)' : 'rgba(0,0,0,0.42)',
    // MUI's own elevations: Popover (8) and Dialog (24); its Backdrop colour.
    '--ai-shadow-popover': (theme.shadows && theme.shadows[8]) || 'none',
    '--ai-shadow-dialog': (theme.shadows && theme.shadows[24]) || 'none',
    '--ai-backdrop': 'rgba(0, 0, 0, 0.5)',
  };
  for (const status of ['success', 'warning', 'error', 'info', 'neutral']) {
    const c = statusColors(theme, status);
    vars[`--ai-${status}-bg`] = c.bg;
    vars[`--ai-${status}-fg`] = c.fg;
    vars[`--ai-${status}-border`] = c.border;
    vars[`--ai-${status}`] = status === 'neutral' ? p.text.secondary : p[status].main;
  }
  return vars;
}
