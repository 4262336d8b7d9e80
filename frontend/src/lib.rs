//! The Yew UI, mounted into elements that the Headlamp plugin entry (frontend/js) renders.
