//! The C header is the contract: `plugins/c/layout.c`, compiled by the system C compiler
//! against `plugins/include/simpul_plugin.h` alone, prints the size, alignment and every field
//! offset and size of the ABI's structs, and its constants; each must equal the Rust
//! `#[repr(C)]` definitions in `plugins/src/abi.rs`. The v1.0 sizes are frozen.

use std::collections::BTreeMap;
use std::mem::{align_of, offset_of, size_of};
use std::process::Command;

use simpul_plugin::abi::{
    self, Buffer, FunctionTable, HostApi, PluginHeader, Status, ABI_MAJOR, ABI_MINOR, ENTRY_SYMBOL,
    MAGIC,
};
use simpul_tests::{scratch_dir, workspace};

/// What the C compiler says: "simpul_host.info" → "offset 8 size 8", "simpul_host" → "size
/// 48 align 8", "constant SIMPUL_ABI_MAJOR" → "1".
fn c_layout(test: &str) -> BTreeMap<String, String> {
    let dir = scratch_dir(&format!("abi-layout-{test}"));
    let program = dir.join("layout");
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    let root = workspace();
    let status = Command::new(&cc)
        .args(["-std=c11", "-Wall", "-Wextra", "-Werror", "-I"])
        .arg(root.join("plugins/include"))
        .arg(root.join("plugins/c/layout.c"))
        .arg("-o")
        .arg(&program)
        .status()
        .unwrap_or_else(|e| panic!("cannot run the C compiler `{cc}`: {e}"));
    assert!(status.success(), "`{cc}` failed on plugins/c/layout.c");
    let output = Command::new(&program).output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let mut layout = BTreeMap::new();
    for line in text.lines() {
        let line = line.strip_prefix("constant ").unwrap_or(line);
        let (key, value) = line.split_once(' ').unwrap();
        layout.insert(key.to_owned(), value.to_owned());
    }
    let _ = std::fs::remove_dir_all(&dir);
    layout
}

macro_rules! rust_struct {
    ($t:ty) => {
        format!("size {} align {}", size_of::<$t>(), align_of::<$t>())
    };
}

/// Offset and size of a Rust field, as layout.c prints a C one.
macro_rules! rust_field {
    ($t:ty, $f:ident) => {{
        // The field's size, from a pointer to it in an uninitialised value.
        let value = std::mem::MaybeUninit::<$t>::uninit();
        // SAFETY: addr_of! on a field of an uninitialised value creates no reference.
        let field = unsafe { std::ptr::addr_of!((*value.as_ptr()).$f) };
        fn size_of_pointee<T>(_: *const T) -> usize {
            size_of::<T>()
        }
        format!(
            "offset {} size {}",
            offset_of!($t, $f),
            size_of_pointee(field)
        )
    }};
}

#[test]
fn rust_definitions_match_the_c_header() {
    let c = c_layout("fields");
    let rust: Vec<(&str, String)> = vec![
        ("simpul_plugin_header", rust_struct!(PluginHeader)),
        (
            "simpul_plugin_header.magic",
            rust_field!(PluginHeader, magic),
        ),
        (
            "simpul_plugin_header.abi_major",
            rust_field!(PluginHeader, abi_major),
        ),
        (
            "simpul_plugin_header.abi_minor",
            rust_field!(PluginHeader, abi_minor),
        ),
        (
            "simpul_plugin_header.header_size",
            rust_field!(PluginHeader, header_size),
        ),
        (
            "simpul_plugin_header.aborts_on_panic",
            rust_field!(PluginHeader, aborts_on_panic),
        ),
        (
            "simpul_plugin_header.reserved",
            rust_field!(PluginHeader, reserved),
        ),
        (
            "simpul_plugin_header.manifest",
            rust_field!(PluginHeader, manifest_ptr),
        ),
        (
            "simpul_plugin_header.manifest_len",
            rust_field!(PluginHeader, manifest_len),
        ),
        (
            "simpul_plugin_header.functions",
            rust_field!(PluginHeader, functions),
        ),
        ("simpul_functions", rust_struct!(FunctionTable)),
        ("simpul_functions.size", rust_field!(FunctionTable, size)),
        (
            "simpul_functions.reserved",
            rust_field!(FunctionTable, reserved),
        ),
        (
            "simpul_functions.create",
            rust_field!(FunctionTable, create),
        ),
        ("simpul_functions.call", rust_field!(FunctionTable, call)),
        (
            "simpul_functions.cancel",
            rust_field!(FunctionTable, cancel),
        ),
        (
            "simpul_functions.destroy",
            rust_field!(FunctionTable, destroy),
        ),
        ("simpul_host", rust_struct!(HostApi)),
        ("simpul_host.size", rust_field!(HostApi, size)),
        ("simpul_host.abi_major", rust_field!(HostApi, abi_major)),
        ("simpul_host.abi_minor", rust_field!(HostApi, abi_minor)),
        ("simpul_host.info", rust_field!(HostApi, info_ptr)),
        ("simpul_host.info_len", rust_field!(HostApi, info_len)),
        ("simpul_host.context", rust_field!(HostApi, context)),
        ("simpul_host.log", rust_field!(HostApi, log)),
        ("simpul_host.complete", rust_field!(HostApi, complete)),
        ("simpul_buffer", rust_struct!(Buffer)),
        ("simpul_buffer.ptr", rust_field!(Buffer, ptr)),
        ("simpul_buffer.len", rust_field!(Buffer, len)),
        ("simpul_buffer.private_data", rust_field!(Buffer, private)),
        ("simpul_buffer.release", rust_field!(Buffer, release)),
        ("simpul_status", rust_struct!(Status)),
    ];
    let mut checked = 0;
    for (key, rust) in &rust {
        let c = c
            .get(*key)
            .unwrap_or_else(|| panic!("layout.c prints no {key}"));
        assert_eq!(c, rust, "{key}: C says `{c}`, Rust says `{rust}`");
        checked += 1;
    }
    // Every struct and field layout.c knows is compared: a field added to the header and to
    // layout.c but not here fails.
    let c_layouts = c.keys().filter(|k| k.starts_with("simpul_")).count();
    assert_eq!(
        checked, c_layouts,
        "fields printed by layout.c but not compared"
    );
}

#[test]
fn constants_match_the_c_header() {
    let c = c_layout("constants");
    let constant = |name: &str| -> u64 {
        c.get(name)
            .unwrap_or_else(|| panic!("layout.c prints no {name}"))
            .parse()
            .unwrap()
    };
    assert_eq!(constant("SIMPUL_ABI_MAJOR"), u64::from(ABI_MAJOR));
    assert_eq!(constant("SIMPUL_ABI_MINOR"), u64::from(ABI_MINOR));
    assert_eq!(
        constant("SIMPUL_HEADER_SIZE_V1_0"),
        abi::HEADER_SIZE_V1_0 as u64
    );
    assert_eq!(
        constant("SIMPUL_FUNCTIONS_SIZE_V1_0"),
        abi::FUNCTIONS_SIZE_V1_0 as u64
    );
    assert_eq!(
        constant("SIMPUL_HOST_SIZE_V1_0"),
        abi::HOST_SIZE_V1_0 as u64
    );
    let statuses = [
        ("SIMPUL_STATUS_OK", abi::STATUS_OK),
        ("SIMPUL_STATUS_ERROR", abi::STATUS_ERROR),
        ("SIMPUL_STATUS_PANIC", abi::STATUS_PANIC),
        ("SIMPUL_STATUS_POISONED", abi::STATUS_POISONED),
        ("SIMPUL_STATUS_CANCELLED", abi::STATUS_CANCELLED),
        ("SIMPUL_STATUS_TIMEOUT", abi::STATUS_TIMEOUT),
        ("SIMPUL_STATUS_BAD_REQUEST", abi::STATUS_BAD_REQUEST),
    ];
    for (name, rust) in statuses {
        assert_eq!(constant(name), u64::from(rust), "{name}");
    }
    let levels = [
        ("SIMPUL_LOG_ERROR", abi::level::ERROR),
        ("SIMPUL_LOG_WARN", abi::level::WARN),
        ("SIMPUL_LOG_INFO", abi::level::INFO),
        ("SIMPUL_LOG_DEBUG", abi::level::DEBUG),
    ];
    for (name, rust) in levels {
        assert_eq!(constant(name), u64::from(rust), "{name}");
    }
    let magic: Vec<u8> = c["magic"].split(' ').map(|b| b.parse().unwrap()).collect();
    assert_eq!(magic, MAGIC);
    assert_eq!(c["entry"], ENTRY_SYMBOL);
}

/// ABI 1.0 is frozen: a minor may append fields, never move or shrink one.
#[test]
#[cfg(target_pointer_width = "64")]
fn v1_0_sizes_are_frozen() {
    assert_eq!(size_of::<PluginHeader>(), 48);
    assert_eq!(size_of::<FunctionTable>(), 40);
    assert_eq!(size_of::<HostApi>(), 48);
    assert_eq!(size_of::<Buffer>(), 32);
    assert_eq!(abi::HEADER_SIZE_V1_0, 48);
    assert_eq!(abi::FUNCTIONS_SIZE_V1_0, 40);
    assert_eq!(abi::HOST_SIZE_V1_0, 48);
    let c = c_layout("frozen");
    assert_eq!(c["simpul_plugin_header"], "size 48 align 8");
    assert_eq!(c["simpul_functions"], "size 40 align 8");
    assert_eq!(c["simpul_host"], "size 48 align 8");
    assert_eq!(c["simpul_buffer"], "size 32 align 8");
}
