//! Which restated row wins (contract §4), before anything is validated: per sheet and key, the
//! row from the latest workbook; for `Peserta`, a batch's whole list from the latest workbook
//! that lists the batch. Rows without a key are kept (the mappers validate and skip them, in
//! every workbook). A second row with the same key in the winning workbook is skipped here.

use simpul_adapter_toolkit::restate::{latest, latest_lists};
use simpul_adapter_toolkit::rows::code;
use simpul_adapter_toolkit::text::{fold, text};
use simpul_adapter_toolkit::xlsx::{Row, Table};
use simpul_adapter_toolkit::{ids, Findings};

use crate::sheets::{ALUMNI, KEMITRAAN, PELATIHAN, PESERTA, PROFIL};

/// The winning rows of each data sheet, oldest workbook first, then by row.
#[derive(Debug, Default)]
pub struct Winners<'a> {
    /// `Profil BLKK`.
    pub profil: Vec<&'a Row>,
    /// `Pelatihan`.
    pub pelatihan: Vec<&'a Row>,
    /// `Peserta`.
    pub peserta: Vec<&'a Row>,
    /// `Alumni`.
    pub alumni: Vec<&'a Row>,
    /// `Kemitraan`.
    pub kemitraan: Vec<&'a Row>,
}

/// Apply §4 to the tables (given in workbook order).
pub fn winners<'a>(tables: &'a [Table], findings: &mut Findings) -> Winners<'a> {
    let rows = |sheet: &'static str| {
        let tables = tables.iter().filter(move |t| t.layout == sheet);
        tables.flat_map(|t| t.rows.iter())
    };
    let nik = |row: &Row| ids::nik(row.cell("NIK")).value();
    let partnership = |r: &Row| {
        let partner = fold(&text(r.cell("Nama Mitra")).value()?);
        let form = fold(
            &text(r.cell("Bentuk Kerja Sama"))
                .value()
                .unwrap_or_default(),
        );
        Some(format!("{}/{partner}/{form}", code(r, "Kode BLKK")?))
    };
    Winners {
        profil: latest(rows(PROFIL), |r| code(r, "Kode BLKK"), findings),
        pelatihan: latest(rows(PELATIHAN), |r| code(r, "Kode Pelatihan"), findings),
        peserta: latest_lists(rows(PESERTA), |r| code(r, "Kode Pelatihan")),
        alumni: latest(
            rows(ALUMNI),
            |r| {
                Some(format!(
                    "{}/{}",
                    code(r, "Kode Pelatihan")?,
                    nik(r)?.as_str()
                ))
            },
            findings,
        ),
        kemitraan: latest(rows(KEMITRAAN), partnership, findings),
    }
}
