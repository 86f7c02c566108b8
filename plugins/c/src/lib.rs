//! Where the C plugins are. `build.rs` compiles them with the system C compiler against
//! `plugins/include/simpul_plugin.h`; tests load them from here.
//!
//! ```no_run
//! let blk = simpul_c_plugins::adapter("blk");        // adapters/blk/*.c
//! let zoo = simpul_c_plugins::zoo("double_complete"); // zoo/double_complete.c
//! assert!(blk.exists() && zoo.exists());
//! ```

use std::path::{Path, PathBuf};

/// The directory the C plugins were built into.
pub fn dir() -> &'static Path {
    Path::new(env!("SIMPUL_C_PLUGINS_DIR"))
}

/// The library built from `adapters/NAME/`.
pub fn adapter(name: &str) -> PathBuf {
    dir().join(file_name(&format!("simpul_c_{name}")))
}

/// The library built from `zoo/NAME.c`.
pub fn zoo(name: &str) -> PathBuf {
    dir().join(file_name(&format!("simpul_czoo_{name}")))
}

fn file_name(name: &str) -> String {
    if cfg!(target_os = "macos") {
        format!("lib{name}.dylib")
    } else if cfg!(target_os = "windows") {
        format!("{name}.dll")
    } else {
        format!("lib{name}.so")
    }
}
