// Shared by the forged-header zoo crates (`include!`d): export an entry symbol whose header
// has the given magic, ABI major and unwind flag, and nothing behind it.
macro_rules! forge_header {
    (magic: $magic:expr, major: $major:expr, unwinds: $unwinds:expr) => {
        static HEADER: simpul_plugin::abi::PluginHeader = simpul_plugin::abi::PluginHeader {
            magic: $magic,
            abi_major: $major,
            abi_minor: 0,
            header_size: std::mem::size_of::<simpul_plugin::abi::PluginHeader>() as u32,
            unwinds: $unwinds,
            reserved: [0; 7],
            manifest_ptr: std::ptr::null(),
            manifest_len: 0,
            functions: std::ptr::null(),
        };

        /// The forged entry symbol.
        #[no_mangle]
        pub extern "C" fn simpul_plugin_entry() -> *const simpul_plugin::abi::PluginHeader {
            &HEADER
        }
    };
}
