//! Write the generated sample folder (the gateway's embedded demo of FK-BLKK):
//! `cargo run -p simpul-adapter-fkblkk --example demo_workbooks -- gateway/demo/fkblkk`.
//! `tests/sample.rs` checks that the committed folder is what this writes.

#[path = "../tests/support/mod.rs"]
mod support;

fn main() {
    let dir = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "gateway/demo/fkblkk".to_owned());
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("create the folder");
    support::sample::write(dir);
    println!("wrote the FK-BLKK sample workbooks to {}", dir.display());
}
