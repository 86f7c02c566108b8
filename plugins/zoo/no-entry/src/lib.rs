//! A library that exports something, but not Simpul's entry symbol.

/// Not the entry symbol.
#[no_mangle]
pub extern "C" fn some_other_plugin_system_entry() -> u32 {
    42
}
