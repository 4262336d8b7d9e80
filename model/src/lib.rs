//! Pure core shared by the server and the UI: the objects we read, exact quantities,
//! every join, and the view models the API serves. No IO, no async, no clock reads.
