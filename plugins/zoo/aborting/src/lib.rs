//! A plugin whose header says it was built with `panic = "abort"`.
include!("../../forge.rs");
forge_header!(magic: simpul_plugin::abi::MAGIC, major: simpul_plugin::abi::ABI_MAJOR, unwinds: 0);
