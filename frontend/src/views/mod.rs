//! One folder per view; each has a `list` and a `detail`. Views read from [`crate::data::Data`]
//! and render; they never fetch by themselves or join objects.

pub mod chains;
pub mod charts;
pub mod cloud_events;
pub mod cold_starts;
pub mod nodeclaims;
pub mod nodeclasses;
pub mod nodepools;
pub mod nodes;
pub mod overview;
pub mod pending;
pub mod scaled_jobs;
pub mod scaled_objects;
pub mod sections;
pub mod settings;
pub(crate) mod time;
pub mod trigger_auths;

use crate::components::ErrorPanel;
use crate::data::DataError;
use crate::route::{Route, UnknownRoute};
use yew::prelude::*;

/// The view of a route.
pub fn view(route: &Result<Route, UnknownRoute>) -> Html {
    match route {
        Ok(Route::Overview) => html! { <overview::Overview /> },
        Ok(Route::Settings) => html! { <settings::SettingsPage /> },
        Ok(Route::ScaledObjects) => html! { <scaled_objects::list::ScaledObjectList /> },
        Ok(Route::ScaledObject { namespace, name }) => html! {
            <scaled_objects::detail::ScaledObjectDetail namespace={namespace.clone()} name={name.clone()} />
        },
        Ok(Route::ScaledJobs) => html! { <scaled_jobs::list::ScaledJobList /> },
        Ok(Route::ScaledJob { namespace, name }) => html! {
            <scaled_jobs::detail::ScaledJobDetail namespace={namespace.clone()} name={name.clone()} />
        },
        Ok(Route::TriggerAuthentications) => html! { <trigger_auths::list::TriggerAuthList /> },
        Ok(Route::TriggerAuthentication { namespace, name }) => html! {
            <trigger_auths::detail::TriggerAuthDetail namespace={Some(AttrValue::from(namespace.clone()))} name={name.clone()} />
        },
        Ok(Route::ClusterTriggerAuthentication { name }) => html! {
            <trigger_auths::detail::TriggerAuthDetail namespace={None::<AttrValue>} name={name.clone()} />
        },
        Ok(Route::CloudEventSources) => html! { <cloud_events::list::CloudEventSourceList /> },
        Ok(Route::CloudEventSource { namespace, name }) => html! {
            <cloud_events::detail::CloudEventSourceDetail namespace={Some(AttrValue::from(namespace.clone()))} name={name.clone()} />
        },
        Ok(Route::ClusterCloudEventSource { name }) => html! {
            <cloud_events::detail::CloudEventSourceDetail namespace={None::<AttrValue>} name={name.clone()} />
        },
        Ok(Route::NodePools) => html! { <nodepools::list::NodePoolList /> },
        Ok(Route::NodePool { name }) => html! { <nodepools::detail::NodePoolDetail name={name.clone()} /> },
        Ok(Route::NodeClaims) => html! { <nodeclaims::list::NodeClaimList /> },
        Ok(Route::NodeClaim { name }) => {
            html! { <nodeclaims::detail::NodeClaimDetail name={name.clone()} /> }
        }
        Ok(Route::NodeClasses) => html! { <nodeclasses::list::NodeClassList /> },
        Ok(Route::NodeClass { group, kind, name }) => html! {
            <nodeclasses::detail::NodeClassDetail group={group.clone()} kind={kind.clone()} name={name.clone()} />
        },
        Ok(Route::Nodes) => html! { <nodes::list::NodeList /> },
        Ok(Route::Pending) => html! { <pending::list::PendingList /> },
        Ok(Route::Chains) => html! { <chains::list::ChainList /> },
        Ok(Route::Chain { namespace, name }) => html! {
            <chains::detail::ChainDetail namespace={namespace.clone()} name={name.clone()} />
        },
        Ok(Route::ColdStarts) => html! { <cold_starts::list::ColdStartList /> },
        Ok(Route::ColdStart { namespace, name }) => html! {
            <cold_starts::detail::ColdStartDetail namespace={namespace.clone()} name={name.clone()} />
        },
        Ok(Route::SectionWorkload { kind, namespace, name }) => html! {
            <sections::workload::WorkloadSection kind={kind.clone()} namespace={namespace.clone()} name={name.clone()} />
        },
        Ok(Route::SectionHpa { namespace, name, owner }) => html! {
            <sections::hpa::HpaSection namespace={namespace.clone()} name={name.clone()} owner={owner.clone()} />
        },
        Ok(Route::SectionPod { namespace, name, node, protected }) => html! {
            <sections::pod::PodSection namespace={namespace.clone()} name={name.clone()} node={node.clone()} protected={*protected} />
        },
        Ok(Route::SectionNode { name }) => html! { <sections::node::NodeSection name={name.clone()} /> },
        // Headlamp's own pages are linked to, never mounted here.
        Ok(Route::Headlamp { route, .. }) => {
            let error =
                DataError::Bridge { message: format!("`{route}` is a page of Headlamp, not of this plugin") };
            html! { <ErrorPanel {error} /> }
        }
        Err(UnknownRoute(name)) => {
            let error =
                DataError::Bridge { message: format!("this version of the plugin has no view `{name}`") };
            html! { <ErrorPanel {error} /> }
        }
    }
}
