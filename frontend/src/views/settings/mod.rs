//! The plugin settings (Headlamp: Settings → Plugins → autoscaling-insights), one set per
//! cluster: whether to use the Autoscaling Insights server, where Prometheus is, where node
//! prices come from, how often open pages refresh. Saved in Headlamp's plugin ConfigStore; every
//! open view follows at once. The connection checks run in the data layer.

use crate::components::{EmptyPanel, SectionBox};
use crate::data::settings::{PriceMode, PrometheusMode, ServerMode, Settings, clamp_refresh};
use crate::data::{Data, Origin};
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// A check's outcome, shown next to its button.
#[derive(Clone, Debug, PartialEq)]
enum Check {
    Idle,
    Running,
    Ok(String),
    Failed(String),
}

fn check_line(c: &Check, test_id: &'static str) -> Html {
    match c {
        Check::Idle => Html::default(),
        Check::Running => {
            html! { <span class="ai-check" role="status" data-testid={test_id} data-state="running">{ "Checking…" }</span> }
        }
        Check::Ok(m) => html! {
            <span class="ai-check ai-check-ok" role="status" data-testid={test_id} data-state="ok">{ format!("✓ {m}") }</span>
        },
        Check::Failed(m) => html! {
            <span class="ai-check ai-check-failed" role="status" data-testid={test_id} data-state="failed">{ format!("✗ {m}") }</span>
        },
    }
}

/// Parses the price table text: one `instance-type[/capacity-type] = $/h` per line.
pub fn parse_price_table(text: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut out = BTreeMap::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("line {}: expected `instance-type = price per hour`", i + 1))?;
        let price: f64 = v
            .trim()
            .trim_start_matches('$')
            .trim_end_matches("/h")
            .trim()
            .parse()
            .map_err(|_| format!("line {}: {:?} is not a price", i + 1, v.trim()))?;
        if !price.is_finite() || price < 0.0 {
            return Err(format!("line {}: a price is a number of dollars per hour, 0 or more", i + 1));
        }
        out.insert(k.trim().to_owned(), price);
    }
    Ok(out)
}

/// The price table as the text area shows it.
pub fn price_table_text(table: &BTreeMap<String, f64>) -> String {
    table.iter().map(|(k, v)| format!("{k} = {v}\n")).collect()
}

/// What is wrong with a draft, per field (empty: it can be saved).
pub fn problems(s: &Settings, table_text: &str) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if s.prometheus.mode == PrometheusMode::Service
        && let Err(e) =
            crate::data::prometheus::PromService::parse(&s.prometheus.service, &s.prometheus.sub_path)
    {
        out.push(("prometheus-service", e));
    }
    if s.prometheus.mode == PrometheusMode::External {
        let url = s.prometheus.url.trim();
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            out.push(("prometheus-url", "an external URL starts with https:// or http://".to_owned()));
        }
    }
    if s.prices.mode == PriceMode::Label && s.prices.label.trim().is_empty() {
        out.push(("price-label", "name the node label that holds the price".to_owned()));
    }
    if s.prices.mode == PriceMode::Table
        && let Err(e) = parse_price_table(table_text)
    {
        out.push(("price-table", e));
    }
    out
}

fn input_value(e: &Event) -> String {
    e.target()
        .and_then(|t| {
            t.dyn_ref::<web_sys::HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| t.dyn_ref::<web_sys::HtmlSelectElement>().map(|s| s.value()))
                .or_else(|| t.dyn_ref::<web_sys::HtmlTextAreaElement>().map(|s| s.value()))
        })
        .unwrap_or_default()
}

/// Props of [`Radios`].
#[derive(Properties, PartialEq)]
struct RadiosProps {
    legend: AttrValue,
    name: AttrValue,
    options: Vec<(&'static str, &'static str, &'static str)>,
    value: AttrValue,
    on_change: Callback<String>,
}

/// A labelled group of radio buttons (arrow keys move between them, as browsers do).
/// Writes one input's value into the draft settings.
type SetField = dyn Fn(&mut Settings, String);

#[function_component]
fn Radios(p: &RadiosProps) -> Html {
    html! {
        <fieldset class="ai-field ai-radios">
            <legend class="ai-field-label">{ p.legend.clone() }</legend>
            { for p.options.iter().map(|(value, label, help)| {
                let id = format!("ai-{}-{}", p.name, value);
                let on_change = p.on_change.clone();
                let v = value.to_string();
                html! {
                    <div class="ai-radio">
                        <input type="radio" id={id.clone()} name={p.name.clone()} value={*value}
                            checked={p.value == *value}
                            onchange={Callback::from(move |_| on_change.emit(v.clone()))} />
                        <label for={id}>
                            <span>{ *label }</span>
                            if !help.is_empty() { <span class="ai-help">{ *help }</span> }
                        </label>
                    </div>
                }
            }) }
        </fieldset>
    }
}

fn text_field(
    id: &'static str,
    label: &str,
    value: String,
    placeholder: &str,
    error: Option<&String>,
    oninput: Callback<InputEvent>,
) -> Html {
    let err_id = format!("{id}-error");
    html! {
        <div class="ai-field">
            <label class="ai-field-label" for={id}>{ label.to_owned() }</label>
            <input class={classes!("ai-input", error.is_some().then_some("ai-input-invalid"))} id={id} type="text" {value}
                placeholder={placeholder.to_owned()} {oninput} aria-invalid={error.is_some().to_string()}
                aria-describedby={error.map(|_| err_id.clone())} />
            if let Some(e) = error { <span class="ai-field-error" id={err_id}>{ e.clone() }</span> }
        </div>
    }
}

/// The settings page.
#[function_component]
pub fn SettingsPage() -> Html {
    let data = use_context::<Data>().expect("the app provides Data");
    let store = data.settings_store().cloned();
    let clusters: Vec<String> = store.as_ref().map(|s| s.clusters().to_vec()).unwrap_or_default();
    let default_cluster = if data.cluster().is_empty() {
        clusters.first().cloned().unwrap_or_default()
    } else {
        data.cluster().to_owned()
    };
    let cluster = use_state(|| default_cluster.clone());
    let saved = use_state(|| store.as_ref().map(|s| s.settings(&cluster)).unwrap_or_default());
    let draft = use_state(|| (*saved).clone());
    let table_text = use_state(|| price_table_text(&draft.prices.table));
    let save_state = use_state(|| Check::Idle);
    let server_check = use_state(|| Check::Idle);
    let prometheus_check = use_state(|| Check::Idle);

    let Some(store) = store else {
        return html! {
            <SectionBox title="Autoscaling Insights" main={false}>
                <EmptyPanel title="Settings unavailable">
                    { "This Headlamp has no plugin settings store (ConfigStore); the plugin uses its defaults." }
                </EmptyPanel>
            </SectionBox>
        };
    };
    if clusters.is_empty() && cluster.is_empty() {
        return html! {
            <SectionBox title="Autoscaling Insights" main={false}>
                <EmptyPanel title="No cluster">{ "Add a cluster to Headlamp; settings are kept per cluster." }</EmptyPanel>
            </SectionBox>
        };
    }

    let update = {
        let draft = draft.clone();
        move |f: Box<SetField>| {
            let draft = draft.clone();
            Callback::from(move |v: String| {
                let mut s = (*draft).clone();
                f(&mut s, v);
                draft.set(s);
            })
        }
    };
    let on_input = |cb: Callback<String>| Callback::from(move |e: InputEvent| cb.emit(input_value(&e)));

    let on_cluster = {
        let (cluster, saved, draft, table_text, store) =
            (cluster.clone(), saved.clone(), draft.clone(), table_text.clone(), store.clone());
        let (save_state, server_check, prometheus_check) =
            (save_state.clone(), server_check.clone(), prometheus_check.clone());
        Callback::from(move |e: Event| {
            let c = input_value(&e);
            let s = store.settings(&c);
            table_text.set(price_table_text(&s.prices.table));
            saved.set(s.clone());
            draft.set(s);
            cluster.set(c);
            save_state.set(Check::Idle);
            server_check.set(Check::Idle);
            prometheus_check.set(Check::Idle);
        })
    };

    let mut candidate = (*draft).clone();
    if candidate.prices.mode == PriceMode::Table
        && let Ok(t) = parse_price_table(&table_text)
    {
        candidate.prices.table = t;
    }
    candidate.refresh_seconds = clamp_refresh(candidate.refresh_seconds);
    let issues = problems(&candidate, &table_text);
    let issue = |field: &str| issues.iter().find(|(f, _)| *f == field).map(|(_, m)| m.clone());
    let changed = candidate != *saved;

    let on_save = {
        let (store, cluster, saved, save_state) =
            (store.clone(), cluster.clone(), saved.clone(), save_state.clone());
        let candidate = candidate.clone();
        let ok = issues.is_empty();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !ok {
                save_state.set(Check::Failed("fix the fields marked above first".to_owned()));
                return;
            }
            match store.save(&cluster, &candidate) {
                Ok(()) => {
                    saved.set(candidate.clone());
                    save_state.set(Check::Ok(format!("Saved for cluster {}", *cluster)));
                }
                Err(m) => save_state.set(Check::Failed(format!("Not saved: {m}"))),
            }
        })
    };
    let on_reset = {
        let (draft, table_text) = (draft.clone(), table_text.clone());
        Callback::from(move |_: MouseEvent| {
            let d = Settings::default();
            table_text.set(price_table_text(&d.prices.table));
            draft.set(d);
        })
    };
    let on_check_server = {
        let (data, cluster, server_check) = (data.clone(), cluster.clone(), server_check.clone());
        let settings = candidate.clone();
        Callback::from(move |_: MouseEvent| {
            let target = data.for_cluster(&cluster, settings.clone());
            let server_check = server_check.clone();
            server_check.set(Check::Running);
            wasm_bindgen_futures::spawn_local(async move {
                server_check.set(match target.check_server().await {
                    Ok(Origin::Server) => Check::Ok(Origin::Server.label().to_owned()),
                    Ok(o) => Check::Failed(format!("{} {}", o.label(), o.detail())),
                    Err(e) => Check::Failed(format!("{}: {}", e.title(), e.explanation())),
                });
            });
        })
    };
    let on_check_prometheus = {
        let (data, cluster, prometheus_check) = (data.clone(), cluster.clone(), prometheus_check.clone());
        let settings = candidate.clone();
        Callback::from(move |_: MouseEvent| {
            let target = data.for_cluster(&cluster, settings.clone());
            let prometheus_check = prometheus_check.clone();
            prometheus_check.set(Check::Running);
            wasm_bindgen_futures::spawn_local(async move {
                prometheus_check.set(match target.check_prometheus().await {
                    Ok(m) => Check::Ok(m),
                    Err(m) => Check::Failed(m),
                });
            });
        })
    };

    let d = &*draft;
    let server = match d.server {
        ServerMode::Auto => "auto",
        ServerMode::On => "on",
        ServerMode::Off => "off",
    };
    let prom = match d.prometheus.mode {
        PrometheusMode::Auto => "auto",
        PrometheusMode::Service => "service",
        PrometheusMode::External => "external",
        PrometheusMode::Off => "off",
    };
    let price = match d.prices.mode {
        PriceMode::Label => "label",
        PriceMode::Table => "table",
        PriceMode::Off => "off",
    };
    html! {
        <form class="ai-settings" onsubmit={on_save} aria-label="Autoscaling Insights settings" novalidate=true>
            <div class="ai-field">
                <label class="ai-field-label" for="ai-settings-cluster">{ "Cluster" }</label>
                <select id="ai-settings-cluster" class="ai-input" onchange={on_cluster} value={(*cluster).clone()}>
                    { for clusters.iter().map(|c| html! { <option value={c.clone()} selected={*c == *cluster}>{ c.clone() }</option> }) }
                </select>
                <span class="ai-help">{ "Settings are kept per cluster." }</span>
            </div>

            <SectionBox title="Autoscaling Insights server" main={false}>
                <Radios legend="Use the server (aggregated API insights.autoscaling.dev)" name="server" value={server}
                    options={vec![
                        ("auto", "Automatic", "use it when the cluster serves it; compute in the browser when it is missing or stops answering"),
                        ("on", "Always", "show its errors instead of falling back"),
                        ("off", "Never", "compute everything in the browser from objects Headlamp can read"),
                    ]}
                    on_change={update(Box::new(|s, v| s.server = match v.as_str() { "on" => ServerMode::On, "off" => ServerMode::Off, _ => ServerMode::Auto }))} />
                <div class="ai-field-row">
                    <button type="button" class="ai-button ai-button-outlined" onclick={on_check_server}>{ "Check server" }</button>
                    { check_line(&server_check, "ai-check-server") }
                </div>
            </SectionBox>

            <SectionBox title="Prometheus (charts)" main={false}>
                <Radios legend="Where Prometheus is" name="prometheus" value={prom}
                    options={vec![
                        ("auto", "Automatic", "the server's Prometheus, else a service labelled like Headlamp's Prometheus plugin expects"),
                        ("service", "A service in the cluster", "through the API server's service proxy"),
                        ("external", "An external URL", "reached directly by your browser"),
                        ("off", "Off", "no charts"),
                    ]}
                    on_change={update(Box::new(|s, v| s.prometheus.mode = match v.as_str() {
                        "service" => PrometheusMode::Service, "external" => PrometheusMode::External, "off" => PrometheusMode::Off, _ => PrometheusMode::Auto }))} />
                if d.prometheus.mode == PrometheusMode::Service {
                    { text_field("ai-prometheus-service", "Service (namespace/service:port)", d.prometheus.service.clone(), "monitoring/prometheus-server:80",
                        issue("prometheus-service").as_ref(), on_input(update(Box::new(|s, v| s.prometheus.service = v)))) }
                    { text_field("ai-prometheus-subpath", "Path prefix (optional)", d.prometheus.sub_path.clone(), "/prometheus",
                        None, on_input(update(Box::new(|s, v| s.prometheus.sub_path = v)))) }
                }
                if d.prometheus.mode == PrometheusMode::External {
                    { text_field("ai-prometheus-url", "URL", d.prometheus.url.clone(), "https://prometheus.example.com",
                        issue("prometheus-url").as_ref(), on_input(update(Box::new(|s, v| s.prometheus.url = v)))) }
                }
                <div class="ai-field-row">
                    <button type="button" class="ai-button ai-button-outlined" onclick={on_check_prometheus}
                        disabled={d.prometheus.mode == PrometheusMode::Off}>{ "Test connection" }</button>
                    { check_line(&prometheus_check, "ai-check-prometheus") }
                </div>
            </SectionBox>

            <SectionBox title="Node prices" main={false}>
                <Radios legend="Where $/h of a node comes from" name="prices" value={price}
                    options={vec![
                        ("label", "A node label", "eks-node-viewer's label; Karpenter's kwok provider writes it too"),
                        ("table", "A table", "instance type (or type/capacity-type) = dollars per hour"),
                        ("off", "Off", "no prices or costs"),
                    ]}
                    on_change={update(Box::new(|s, v| s.prices.mode = match v.as_str() { "table" => PriceMode::Table, "off" => PriceMode::Off, _ => PriceMode::Label }))} />
                if d.prices.mode == PriceMode::Label {
                    { text_field("ai-price-label", "Label", d.prices.label.clone(), crate::data::settings::DEFAULT_PRICE_LABEL,
                        issue("price-label").as_ref(), on_input(update(Box::new(|s, v| s.prices.label = v)))) }
                }
                if d.prices.mode == PriceMode::Table {
                    <div class="ai-field">
                        <label class="ai-field-label" for="ai-price-table">{ "Prices (one per line)" }</label>
                        <textarea id="ai-price-table" class={classes!("ai-input", "ai-textarea", issue("price-table").map(|_| "ai-input-invalid"))} rows="6"
                            value={(*table_text).clone()} placeholder={"m5.large = 0.096\nm5.large/spot = 0.035"}
                            oninput={{ let t = table_text.clone(); Callback::from(move |e: InputEvent| t.set(input_value(&e))) }} />
                        if let Some(e) = issue("price-table") { <span class="ai-field-error">{ e }</span> }
                    </div>
                }
            </SectionBox>

            <SectionBox title="Live updates" main={false}>
                <div class="ai-field">
                    <label class="ai-field-label" for="ai-refresh">{ "Refresh open pages every (seconds; 0 = never)" }</label>
                    <input id="ai-refresh" class="ai-input ai-input-short" type="number" min="0" max="3600"
                        value={d.refresh_seconds.to_string()}
                        oninput={on_input(update(Box::new(|s, v| s.refresh_seconds = v.trim().parse().unwrap_or(s.refresh_seconds))))} />
                    <span class="ai-help">{ format!("Between {} and {} seconds.", crate::data::settings::MIN_REFRESH_SECONDS, crate::data::settings::MAX_REFRESH_SECONDS) }</span>
                </div>
            </SectionBox>

            <div class="ai-field-row ai-settings-actions">
                <button type="submit" class="ai-button" disabled={!changed}>{ "Save" }</button>
                <button type="button" class="ai-button ai-button-text" onclick={on_reset}>{ "Reset to defaults" }</button>
                { check_line(&save_state, "ai-settings-saved") }
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn price_tables_read_back_and_say_which_line_is_wrong() {
        let t = parse_price_table("# on-demand\nm5.large = 0.096\n m5.large/spot = $0.035/h \n\n").unwrap();
        assert_eq!(t.get("m5.large/spot"), Some(&0.035));
        assert_eq!(parse_price_table(&price_table_text(&t)).unwrap(), t);
        assert_eq!(
            parse_price_table("a = 1\nb 2").unwrap_err(),
            "line 2: expected `instance-type = price per hour`"
        );
        assert!(parse_price_table("a = -1").unwrap_err().contains("line 1"));
    }

    #[test]
    fn drafts_are_checked_field_by_field() {
        let mut s = Settings::default();
        assert!(problems(&s, "").is_empty());
        s.prometheus.mode = PrometheusMode::Service;
        s.prometheus.service = "prometheus:9090".into();
        s.prices.mode = PriceMode::Table;
        let fields: Vec<&str> = problems(&s, "x").into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["prometheus-service", "price-table"]);
        s.prometheus.mode = PrometheusMode::External;
        s.prometheus.url = "prometheus.example.com".into();
        assert_eq!(problems(&s, "").into_iter().map(|(f, _)| f).collect::<Vec<_>>(), ["prometheus-url"]);
    }
}
