//! A plugin whose header does not start with Simpul's magic bytes.
include!("../../forge.rs");
forge_header!(magic: *b"NOTSIMPL", major: simpul_plugin::abi::ABI_MAJOR, unwinds: 1);
