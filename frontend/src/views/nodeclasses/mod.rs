//! NodeClasses of every provider — EC2NodeClass (AWS), NodeClass (EKS Auto Mode), AKSNodeClass
//! (Azure), KWOKNodeClass — and any other kind a NodePool refers to, shown generically.

pub mod detail;
pub mod list;
