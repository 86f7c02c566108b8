//! A table's layout as a provider contract writes it: the table's (sheet's) name, the key
//! column that finds its header row, its columns in order with the required ones marked `*`
//! (`"No|*Kode BLKK|*Nama BLKK|Alamat"`), and header aliases. Header texts are compared with
//! [`header_key`] (case, line breaks, dots and spacing around `/` ignored).

use crate::text::{fold, header_key};

/// One column: its contract name and whether a data row needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The name as the contract writes it (also the key suffix in findings).
    pub name: &'static str,
    /// Required (a row without it is skipped; a header without it rejects the table).
    pub required: bool,
}

/// The layout of one table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// The table's (sheet's) name.
    pub name: &'static str,
    /// The column whose header, with `No`, marks the header row.
    pub key_column: &'static str,
    /// Column names separated by `|`, required ones prefixed with `*`.
    pub columns: &'static str,
    /// Header aliases: (alias, contract name).
    pub aliases: &'static [(&'static str, &'static str)],
}

impl Layout {
    /// The columns, in contract order.
    pub fn columns(&self) -> impl Iterator<Item = Column> {
        self.columns.split('|').map(|c| match c.strip_prefix('*') {
            Some(name) => Column {
                name,
                required: true,
            },
            None => Column {
                name: c,
                required: false,
            },
        })
    }

    /// The column a header text names (after [`header_key`] and the aliases).
    pub fn column(&self, header: &str) -> Option<Column> {
        let key = header_key(header);
        let key = self
            .aliases
            .iter()
            .find(|(alias, _)| header_key(alias) == key)
            .map_or(key, |(_, name)| header_key(name));
        self.columns().find(|c| header_key(c.name) == key)
    }

    /// Whether a sheet called `sheet` is this table (trimmed, spaces collapsed, any case, an
    /// optional `Data ` prefix).
    pub fn is_sheet(&self, sheet: &str) -> bool {
        let folded = fold(sheet);
        let bare = folded.strip_prefix("data ").unwrap_or(&folded);
        self.name.to_lowercase() == bare
    }
}

/// Which of `layouts` a sheet is: `Err(true)` for a sheet of `silent` (instructions, lists),
/// `Err(false)` for any other sheet.
pub fn sheet_layout<'a>(
    layouts: &'a [Layout],
    silent: &[&str],
    sheet: &str,
) -> Result<&'a Layout, bool> {
    if silent.iter().any(|s| fold(s) == fold(sheet)) {
        return Err(true);
    }
    layouts.iter().find(|l| l.is_sheet(sheet)).ok_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PESERTA: Layout = Layout {
        name: "Peserta",
        key_column: "Kode Pelatihan",
        columns: "No|*Kode Pelatihan|*Nama Peserta|NIK|L/P|Tanggal Lahir|No. HP",
        aliases: &[
            ("Nama Lengkap", "Nama Peserta"),
            ("JK", "L/P"),
            ("No. HP/WA", "No. HP"),
            ("No. KTP", "NIK"),
            ("Tgl Lahir", "Tanggal Lahir"),
        ],
    };
    const ALUMNI: Layout = Layout {
        name: "Alumni",
        key_column: "Kode Pelatihan",
        columns: "No|*Kode Pelatihan|*NIK|*Status Alumni|Nama Usaha / Tempat Kerja",
        aliases: &[],
    };

    #[test]
    fn headers_by_name_and_alias() {
        let name = |h| PESERTA.column(h).map(|c| c.name);
        assert_eq!(name("Nama  Lengkap"), Some("Nama Peserta"));
        assert_eq!(name("JK"), Some("L/P"));
        assert_eq!(name("No. HP / WA"), Some("No. HP"));
        assert_eq!(name("No. KTP"), Some("NIK"));
        assert_eq!(name("Tgl\u{a0}Lahir"), Some("Tanggal Lahir"));
        assert_eq!(name("Golongan Darah"), None);
        assert!(ALUMNI.column("Nama Usaha/Tempat Kerja").is_some());
    }

    #[test]
    fn required_columns() {
        let required: Vec<&str> = ALUMNI
            .columns()
            .filter(|c| c.required)
            .map(|c| c.name)
            .collect();
        assert_eq!(required, ["Kode Pelatihan", "NIK", "Status Alumni"]);
        assert_eq!(PESERTA.columns().count(), 7);
    }

    #[test]
    fn sheets_by_name() {
        let all = [PESERTA, ALUMNI];
        let silent = ["Petunjuk", "Ref"];
        let find = |s| sheet_layout(&all, &silent, s).map(|l| l.name);
        assert_eq!(find(" data  peserta "), Ok("Peserta"));
        assert_eq!(find("ALUMNI"), Ok("Alumni"));
        assert_eq!(find("Ref"), Err(true));
        assert_eq!(find("Petunjuk"), Err(true));
        assert_eq!(find("Sheet1"), Err(false));
    }
}
