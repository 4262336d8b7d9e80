//! A table with sortable columns and a text filter, styled like Headlamp's resource tables.

use std::cmp::Ordering;
use std::rc::Rc;
use yew::prelude::*;

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
    let filter =
        RowFilter { text: &props.filter, namespaces: &props.namespaces, namespace_of: props.namespace_of };
    let shown = visible_rows(&props.rows, props.columns, &filter, sort.map(|s| (s.column, s.ascending)));

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

    let body = if shown.is_empty() {
        html! {
            <tr class="ai-table-empty">
                <td colspan={props.columns.len().to_string()}>{ "No results match the filter." }</td>
            </tr>
        }
    } else {
        let mut seen = std::collections::HashSet::new();
        shown
            .iter()
            .map(|&i| {
                let row = &props.rows[i];
                // Keys must be unique for Yew's diff; a repeated key (two unnamed triggers of one
                // type) gets the row's position appended.
                let mut key = (props.row_key)(row);
                if !seen.insert(key.clone()) {
                    key = format!("{key}#{i}");
                }
                html! {
                    <tr {key}>
                        { for props.columns.iter().map(|c| html! { <td>{ (c.cell)(row) }</td> }) }
                    </tr>
                }
            })
            .collect::<Html>()
    };

    html! {
        <div class="ai-table-wrap">
            <table class="ai-table" aria-label={props.label.clone()}>
                <thead><tr>{ for header }</tr></thead>
                <tbody>{ body }</tbody>
            </table>
            if shown.len() != props.rows.len() {
                <div class="ai-table-count">{ format!("{} of {} shown", shown.len(), props.rows.len()) }</div>
            }
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
    fn sorting_orders_by_the_column_and_reverses() {
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), Some((0, true))), vec![1, 0, 2]);
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), Some((1, false))), vec![0, 2, 1]);
        assert_eq!(visible_rows(ROWS, COLUMNS, &text(""), None), vec![0, 1, 2]);
    }
}
