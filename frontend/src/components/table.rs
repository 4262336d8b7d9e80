//! A table with sortable columns and a text filter, styled like Headlamp's resource tables.
//!
//! Long lists are windowed: past [`WINDOW_FROM`] rows the table scrolls in its own box with a
//! sticky header and only the rows in view (plus a margin) are in the DOM, so 5,000 ScaledObjects
//! render as fast as 50. The box is focusable: arrow keys, Page Up/Down, Home and End move the
//! highlighted row (scrolling it into view) and Enter opens its first link.

use std::cell::Cell;
use std::cmp::Ordering;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Lists longer than this render only the rows in view.
pub const WINDOW_FROM: usize = 100;
/// Height of a row when windowed, in CSS pixels (Headlamp's 48px rows; cells do not wrap then).
pub const ROW_PX: f64 = 48.0;
/// Rows rendered beyond each edge of the view.
const OVERSCAN: usize = 8;
/// Height of the scrolling box before it is measured (it is `min(70vh, rows)` in CSS).
const DEFAULT_VIEWPORT_PX: f64 = 560.0;

/// The rows `[first, last)` to render for a scroll position of the box (header included in
/// `scroll_top`, rows of [`ROW_PX`]).
pub fn window(total: usize, scroll_top: f64, viewport: f64) -> (usize, usize) {
    let top_row = (scroll_top.max(0.0) / ROW_PX).floor() as usize;
    let first = top_row.saturating_sub(OVERSCAN).min(total);
    let visible = (viewport.max(ROW_PX) / ROW_PX).ceil() as usize;
    (first, (top_row + visible + OVERSCAN).min(total).max(first))
}

/// The visible height of the scrolling box: never more than the browser window shows, even when the
/// box's CSS height is missing (then it is as tall as all its rows).
fn viewport_of(el: &web_sys::Element) -> f64 {
    let screen = web_sys::window()
        .and_then(|w| w.inner_height().ok())
        .and_then(|v| v.as_f64())
        .unwrap_or(DEFAULT_VIEWPORT_PX);
    f64::from(el.client_height()).min(screen)
}

/// The scroll position that shows row `index` (unchanged when it is already in view).
pub fn scroll_to_show(index: usize, scroll_top: f64, viewport: f64, header: f64) -> f64 {
    let top = index as f64 * ROW_PX;
    let bottom = top + ROW_PX + header;
    if top < scroll_top {
        top
    } else if bottom > scroll_top + viewport {
        bottom - viewport
    } else {
        scroll_top
    }
}

thread_local! {
    static NEXT_TABLE: Cell<u32> = const { Cell::new(0) };
}

/// Rows compared by identity (the same shared slice), for memoizing on them.
struct SameRows<R>(Rc<[R]>);

impl<R> PartialEq for SameRows<R> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// One column: how to render a row's cell, and optionally how to sort and search by it.
pub struct Column<R> {
    /// Header text.
    pub label: &'static str,
    /// The cell.
    pub cell: fn(&R) -> Html,
    /// Ordering for sorting by this column; `None`: not sortable.
    pub sort: Option<fn(&R, &R) -> Ordering>,
    /// Text the filter box searches; `None`: not searched.
    pub text: Option<fn(&R) -> String>,
}

/// Props of [`Table`].
#[derive(Properties)]
pub struct TableProps<R: 'static> {
    /// The rows, in their default order.
    pub rows: Rc<[R]>,
    /// The columns (a `static` table per view, so props compare cheaply).
    pub columns: &'static [Column<R>],
    /// A stable key per row (e.g. namespace/name).
    pub row_key: fn(&R) -> String,
    /// Case-insensitive text filter; empty shows every row.
    #[prop_or_default]
    pub filter: AttrValue,
    /// Headlamp's namespace filter: only rows of these namespaces (empty: all).
    #[prop_or_default]
    pub namespaces: Rc<[String]>,
    /// The namespace of a row, for `namespaces`; `None`: the table is not namespaced.
    #[prop_or_default]
    pub namespace_of: Option<fn(&R) -> &str>,
    /// Accessible name of the table.
    pub label: AttrValue,
}

impl<R> PartialEq for TableProps<R> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.rows, &other.rows)
            && std::ptr::eq(self.columns, other.columns)
            && self.filter == other.filter
            && self.namespaces == other.namespaces
            && self.label == other.label
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
struct SortBy {
    column: usize,
    ascending: bool,
}

/// Which rows to show: a text filter and Headlamp's namespace selection.
struct RowFilter<'a, R> {
    text: &'a str,
    namespaces: &'a [String],
    namespace_of: Option<fn(&R) -> &str>,
}

impl<R> RowFilter<'_, R> {
    fn in_scope(&self, row: &R) -> bool {
        match self.namespace_of {
            Some(ns) if !self.namespaces.is_empty() => self.namespaces.iter().any(|n| n == ns(row)),
            _ => true,
        }
    }
}

/// Indices of the rows to show: filtered, then ordered by `sort`.
fn visible_rows<R>(
    rows: &[R],
    columns: &[Column<R>],
    filter: &RowFilter<'_, R>,
    sort: Option<(usize, bool)>,
) -> Vec<usize> {
    let needle = filter.text.trim().to_lowercase();
    let mut shown: Vec<usize> = (0..rows.len())
        .filter(|&i| filter.in_scope(&rows[i]))
        .filter(|&i| {
            needle.is_empty()
                || columns
                    .iter()
                    .filter_map(|c| c.text)
                    .any(|text| text(&rows[i]).to_lowercase().contains(&needle))
        })
        .collect();
    if let Some((column, ascending)) = sort
        && let Some(cmp) = columns.get(column).and_then(|c| c.sort)
    {
        // Stable: rows equal under this column keep their default order.
        shown.sort_by(|&a, &b| {
            let o = cmp(&rows[a], &rows[b]);
            if ascending { o } else { o.reverse() }
        });
    }
    shown
}

/// Renders rows under clickable headers; clicking a sortable header toggles its direction.
#[function_component]
pub fn Table<R: 'static>(props: &TableProps<R>) -> Html {
    let sort = use_state(|| None::<SortBy>);
    let id = use_state(|| {
        NEXT_TABLE.with(|n| {
            n.set(n.get() + 1);
            n.get()
        })
    });
    // (scroll top, box height) of the windowed box.
    let scroll = use_state(|| (0.0f64, DEFAULT_VIEWPORT_PX));
    let active = use_state(|| None::<usize>);
    let scroller = use_node_ref();
    let shown = {
        let columns = props.columns;
        let namespace_of = props.namespace_of;
        use_memo(
            (
                SameRows(props.rows.clone()),
                props.filter.clone(),
                props.namespaces.clone(),
                *sort,
                columns.as_ptr() as usize,
            ),
            move |(rows, text, namespaces, sort, _)| {
                let filter = RowFilter { text: text.as_str(), namespaces: &namespaces[..], namespace_of };
                visible_rows(&rows.0, columns, &filter, (*sort).map(|s| (s.column, s.ascending)))
            },
        )
    };
    let windowed = shown.len() > WINDOW_FROM;

    // Measure the box once it exists (its CSS height depends on the page).
    {
        let scroller = scroller.clone();
        let scroll = scroll.clone();
        use_effect_with(windowed, move |windowed| {
            if *windowed && let Some(el) = scroller.cast::<web_sys::Element>() {
                let h = viewport_of(&el);
                if h > 0.0 && h != scroll.1 {
                    scroll.set((f64::from(el.scroll_top()), h));
                }
            }
        });
    }

    let header = props.columns.iter().enumerate().map(|(i, column)| {
        let current = sort.filter(|s| s.column == i);
        let aria = match current {
            Some(SortBy { ascending: true, .. }) => "ascending",
            Some(SortBy { ascending: false, .. }) => "descending",
            None => "none",
        };
        if column.sort.is_some() {
            let onclick = {
                let sort = sort.clone();
                Callback::from(move |_: MouseEvent| {
                    let ascending = !matches!(*sort, Some(SortBy { column, ascending: true }) if column == i);
                    sort.set(Some(SortBy { column: i, ascending }));
                })
            };
            // Like Headlamp's tables: a faint two-way arrow until sorted, then the direction (drawn
            // by CSS from `data-sort`, so it is not part of the header's text).
            let direction = match current {
                Some(SortBy { ascending: true, .. }) => "asc",
                Some(SortBy { ascending: false, .. }) => "desc",
                None => "none",
            };
            html! {
                <th scope="col" aria-sort={aria}>
                    <button type="button" class="ai-sort" data-sort={direction} {onclick}>{ column.label }</button>
                </th>
            }
        } else {
            html! { <th scope="col">{ column.label }</th> }
        }
    });

    let (first, last) = if windowed { window(shown.len(), scroll.0, scroll.1) } else { (0, shown.len()) };
    let row_id = |pos: usize| format!("ai-table-{}-row-{pos}", *id);
    let body = if shown.is_empty() {
        html! {
            <tr class="ai-table-empty">
                <td colspan={props.columns.len().to_string()}>{ "No results match the filter." }</td>
            </tr>
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        let rows = shown[first..last]
            .iter()
            .enumerate()
            .map(|(offset, &i)| {
                let pos = first + offset;
                let row = &props.rows[i];
                // Keys must be unique for Yew's diff; a repeated key (two unnamed triggers of one
                // type) gets the row's position appended.
                let mut key = (props.row_key)(row);
                if !seen.insert(key.clone()) {
                    key = format!("{key}#{i}");
                }
                let selected = *active == Some(pos);
                html! {
                    <tr {key} id={windowed.then(|| row_id(pos))} aria-rowindex={windowed.then(|| (pos + 2).to_string())}
                        class={classes!(selected.then_some("ai-row-active"))}
                        aria-selected={windowed.then(|| selected.to_string())}>
                        { for props.columns.iter().map(|c| html! { <td>{ (c.cell)(row) }</td> }) }
                    </tr>
                }
            })
            .collect::<Html>();
        if windowed {
            let colspan = props.columns.len().to_string();
            let above = first as f64 * ROW_PX;
            let below = (shown.len() - last) as f64 * ROW_PX;
            html! {
                <>
                    if above > 0.0 {
                        <tr class="ai-table-spacer" aria-hidden="true"><td colspan={colspan.clone()} style={format!("height:{above}px")}></td></tr>
                    }
                    { rows }
                    if below > 0.0 {
                        <tr class="ai-table-spacer" aria-hidden="true"><td {colspan} style={format!("height:{below}px")}></td></tr>
                    }
                </>
            }
        } else {
            rows
        }
    };

    let count = if shown.len() != props.rows.len() {
        html! { <div class="ai-table-count">{ format!("{} of {} shown", shown.len(), props.rows.len()) }</div> }
    } else if windowed {
        html! { <div class="ai-table-count">{ format!("{} rows", shown.len()) }</div> }
    } else {
        Html::default()
    };

    if !windowed {
        return html! {
            <div class="ai-table-wrap">
                <table class="ai-table" aria-label={props.label.clone()}>
                    <thead><tr>{ for header }</tr></thead>
                    <tbody>{ body }</tbody>
                </table>
                { count }
            </div>
        };
    }

    let onscroll = {
        let scroll = scroll.clone();
        Callback::from(move |e: Event| {
            if let Some(el) = e.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
                scroll.set((f64::from(el.scroll_top()), viewport_of(&el)));
            }
        })
    };
    let onkeydown = {
        let active = active.clone();
        let scroller = scroller.clone();
        let total = shown.len();
        let page = ((scroll.1 / ROW_PX).floor() as usize).saturating_sub(1).max(1);
        let table = *id;
        Callback::from(move |e: KeyboardEvent| {
            let current = *active;
            let next = match e.key().as_str() {
                "ArrowDown" => current.map_or(0, |a| (a + 1).min(total - 1)),
                "ArrowUp" => current.map_or(0, |a| a.saturating_sub(1)),
                "PageDown" => current.map_or(0, |a| (a + page).min(total - 1)),
                "PageUp" => current.map_or(0, |a| a.saturating_sub(page)),
                "Home" => 0,
                "End" => total - 1,
                "Enter" => {
                    // Open the highlighted row's first link (the row is rendered: it is in view).
                    if let Some(a) = current
                        && let Some(doc) = web_sys::window().and_then(|w| w.document())
                        && let Ok(Some(link)) = doc.query_selector(&format!("#ai-table-{table}-row-{a} a"))
                        && let Ok(link) = link.dyn_into::<web_sys::HtmlElement>()
                    {
                        e.prevent_default();
                        link.click();
                    }
                    return;
                }
                _ => return,
            };
            e.prevent_default();
            active.set(Some(next));
            if let Some(el) = scroller.cast::<web_sys::Element>() {
                let header = el
                    .query_selector("thead")
                    .ok()
                    .flatten()
                    .map(|h| f64::from(h.client_height()))
                    .unwrap_or(0.0);
                let top = f64::from(el.scroll_top());
                let target = scroll_to_show(next, top, f64::from(el.client_height()), header);
                if target != top {
                    el.set_scroll_top(target.round() as i32);
                }
            }
        })
    };
    let descendant = active.filter(|a| (first..last).contains(a)).map(row_id);
    html! {
        <div class="ai-table-wrap">
            <div class="ai-table-scroll" ref={scroller} tabindex="0" role="region" {onscroll} {onkeydown}
                aria-label={format!("{}: {} rows; arrow keys move, Enter opens", props.label, shown.len())}
                aria-activedescendant={descendant}>
                <table class="ai-table ai-table-windowed" aria-label={props.label.clone()}
                    aria-rowcount={(shown.len() + 1).to_string()}>
                    <thead><tr aria-rowindex="1">{ for header }</tr></thead>
                    <tbody>{ body }</tbody>
                </table>
            </div>
            { count }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static COLUMNS: &[Column<(&str, u32)>] = &[
        Column {
            label: "Name",
            cell: |_| Html::default(),
            sort: Some(|a, b| a.0.cmp(b.0)),
            text: Some(|r| r.0.into()),
        },
        Column { label: "N", cell: |_| Html::default(), sort: Some(|a, b| a.1.cmp(&b.1)), text: None },
    ];
    const ROWS: &[(&str, u32)] = &[("web", 3), ("api", 1), ("worker", 2)];

    fn text(t: &str) -> RowFilter<'_, (&'static str, u32)> {
        RowFilter { text: t, namespaces: &[], namespace_of: None }
    }

    #[test]
    fn filter_matches_searchable_columns_case_insensitively() {
        assert_eq!(visible_rows(ROWS, COLUMNS, &text("WEB"), None), vec![0]);
        assert_eq!(visible_rows(ROWS, COLUMNS, &text("w"), None), vec![0, 2]);
        // Numbers are not searchable here: "3" finds nothing.
        assert!(visible_rows(ROWS, COLUMNS, &text("3"), None).is_empty());
    }

    #[test]
    fn namespace_selection_scopes_rows() {
        // Here the "namespace" of a row is its name: pick two of them.
        let selected = ["api".to_owned(), "worker".to_owned()];
        let f = RowFilter { text: "", namespaces: &selected, namespace_of: Some(|r: &(&str, u32)| r.0) };
        assert_eq!(visible_rows(ROWS, COLUMNS, &f, None), vec![1, 2]);
        let f = RowFilter { text: "wor", ..f };
        assert_eq!(visible_rows(ROWS, COLUMNS, &f, None), vec![2]);
        // Without a namespace accessor the selection does not apply.
        let f = RowFilter { text: "", namespaces: &selected, namespace_of: None };
        assert_eq!(visible_rows(ROWS, COLUMNS, &f, None), vec![0, 1, 2]);
    }

    #[test]
    fn windows_cover_the_view_with_a_margin() {
        // At the top: rows 0 .. visible + overscan.
        assert_eq!(window(5000, 0.0, 480.0), (0, 18));
        // Scrolled to row 100: 8 rows of margin on each side.
        assert_eq!(window(5000, 100.0 * ROW_PX, 480.0), (92, 118));
        // The end never passes the total; an empty list is empty.
        assert_eq!(window(120, 119.0 * ROW_PX, 480.0), (111, 120));
        assert_eq!(window(0, 0.0, 480.0), (0, 0));
        // Only a window of 5,000 rows is rendered.
        let (a, b) = window(5000, 2500.0 * ROW_PX, 700.0);
        assert!(b - a < 40, "{a}..{b}");
    }

    #[test]
    fn keyboard_scrolling_brings_the_row_into_view() {
        // Row 20 below a 480px view scrolled to the top: its bottom (plus the header) aligns.
        assert_eq!(scroll_to_show(20, 0.0, 480.0, 36.0), 21.0 * ROW_PX + 36.0 - 480.0);
        // Already visible: no change. Above the view: its top aligns.
        assert_eq!(scroll_to_show(3, 0.0, 480.0, 36.0), 0.0);
        assert_eq!(scroll_to_show(2, 500.0, 480.0, 36.0), 2.0 * ROW_PX);
    }

    #[test]
    fn sorting_orders_by_the_column_and_reverses() {
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), Some((0, true))), vec![1, 0, 2]);
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), Some((1, false))), vec![0, 2, 1]);
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), None), vec![0, 1, 2]);
    }
}
