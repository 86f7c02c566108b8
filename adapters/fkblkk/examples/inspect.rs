//! Print what the adapter makes of a folder of workbooks: counts, rejected units, notes and
//! warning codes (never values): `cargo run -p simpul-adapter-fkblkk --example inspect -- DIR`
//! (`--warnings` adds each warning's message). The report is the toolkit's `inspect::report`.

use simpul_adapter_fkblkk::{FkblkkConfig, FkblkkData};
use simpul_adapter_toolkit::inspect::report;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: inspect DIR")?;
    let data = FkblkkData::load(&FkblkkConfig::new(dir, "inspect-secret-0123456789"))?;
    let with_warnings = std::env::args().any(|a| a == "--warnings");
    print!("{}", report(&data, with_warnings));
    Ok(())
}
