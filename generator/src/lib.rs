pub mod error;
pub mod load;
pub mod resolve;
