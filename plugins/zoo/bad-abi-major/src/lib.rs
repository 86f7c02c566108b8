//! A plugin built for a future, incompatible ABI major version.
include!("../../forge.rs");
forge_header!(magic: simpul_plugin::abi::MAGIC, major: simpul_plugin::abi::ABI_MAJOR + 1, unwinds: 1);
