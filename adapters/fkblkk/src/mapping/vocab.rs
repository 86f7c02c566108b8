//! The contract's vocabularies (§5): values accepted silently, variants mapped and noted
//! (`VOCABULARY_NORMALIZED`), anything else `ENUM_UNKNOWN` on the record. Matching ignores case
//! after trimming and collapsing spaces.

use simpul_schema::{
    CourseRunStatus as Run, EducationLevel as Edu, EmploymentStatus as Emp,
    EnrollmentStatus as Enr, FundingSchemeCode as Fund, OutcomeStatus as Out,
    PartnershipKind as Kind, Sex,
};

use crate::cells::{fold, Read};
use crate::findings::Record;

/// A vocabulary: its values, then its variants.
pub struct Vocab<T: 'static> {
    /// Accepted silently.
    pub values: &'static [(&'static str, T)],
    /// Mapped and noted.
    pub variants: &'static [(&'static str, T)],
}

impl<T: Copy> Vocab<T> {
    /// The term for `raw`: `Ok(value)`, `Noted(value)` for a variant, `Bad` when unknown.
    pub fn lookup(&self, raw: &str) -> Read<T> {
        let key = fold(raw);
        let find = |table: &[(&str, T)]| table.iter().find(|(t, _)| fold(t) == key).map(|e| e.1);
        if let Some(v) = find(self.values) {
            Read::Ok(v)
        } else if let Some(v) = find(self.variants) {
            Read::Noted(v, "VOCABULARY_NORMALIZED")
        } else {
            Read::Bad("ENUM_UNKNOWN")
        }
    }
}

/// Read a vocabulary column: `None` when empty; `Some(Err(raw))` when unknown (after an
/// `ENUM_UNKNOWN` warning on `field`); `Some(Ok(value))` otherwise.
pub fn term<T: Copy>(
    rec: &mut Record,
    column: &'static str,
    field: &str,
    vocab: &Vocab<T>,
) -> Option<Result<T, String>> {
    let raw = rec.text(column)?;
    match vocab.lookup(&raw) {
        Read::Bad(code) => {
            rec.warn(
                code,
                Some(column),
                field,
                "value not in the contract's vocabulary",
            );
            Some(Err(raw))
        }
        read => rec.take(column, field, read).map(Ok),
    }
}

/// §5.1 kejuruan: (code, value, KBJI unit group, variants).
pub const FIELDS: &[(&str, &str, Option<&str>, &[&str])] = &[
    (
        "GAR",
        "Garmen Apparel",
        Some("7531"),
        &[
            "Menjahit",
            "Menjahit Pakaian",
            "Tata Busana",
            "Garmen",
            "Garment",
        ],
    ),
    (
        "TIK",
        "Teknologi Informasi dan Komunikasi",
        Some("4132"),
        &["Komputer", "Teknologi Informasi", "Operator Komputer"],
    ),
    (
        "OTO",
        "Otomotif Sepeda Motor",
        Some("7231"),
        &["Otomotif", "Teknik Sepeda Motor", "Servis Motor"],
    ),
    (
        "LAS",
        "Teknik Las",
        Some("7212"),
        &["Las", "Pengelasan", "Las Listrik"],
    ),
    (
        "LST",
        "Listrik",
        Some("7411"),
        &["Instalasi Listrik", "Teknik Listrik", "Kelistrikan"],
    ),
    (
        "TPD",
        "Teknik Pendingin",
        Some("7127"),
        &["Refrigerasi", "Teknisi AC", "Refrigerasi dan Tata Udara"],
    ),
    (
        "KEC",
        "Tata Kecantikan",
        Some("5142"),
        &["Tata Rias", "Kecantikan", "Salon"],
    ),
    (
        "BOG",
        "Tata Boga",
        Some("7512"),
        &["Boga", "Roti dan Kue", "Pengolahan Makanan", "Kuliner"],
    ),
    ("KWU", "Kewirausahaan", None, &["Wirausaha"]),
];

/// A kejuruan text → index into [`FIELDS`]: `Ok` for a value or code, `Noted` for a variant.
pub fn field(raw: &str) -> Read<usize> {
    let key = fold(raw);
    for (i, (code, value, _, variants)) in FIELDS.iter().enumerate() {
        if key == code.to_lowercase() || key == value.to_lowercase() {
            return Read::Ok(i);
        }
        if variants.iter().any(|v| v.to_lowercase() == key) {
            return Read::Noted(i, "VOCABULARY_NORMALIZED");
        }
    }
    Read::Bad("ENUM_UNKNOWN")
}

/// §5.2 one part of `Sumber Dana` (after splitting on `+ , ; &`).
pub fn funding(part: &str) -> Read<Fund> {
    let key = fold(part);
    if key == "csr" || key.starts_with("csr ") {
        return Read::Ok(Fund::PartnerFunded);
    }
    FUNDING.lookup(part)
}

const FUNDING: Vocab<Fund> = Vocab {
    values: &[
        ("PBK", Fund::ApbnPbk),
        ("APBD", Fund::Apbd),
        ("Mandiri", Fund::SelfFunded),
    ],
    variants: &[
        ("PBK Kemnaker", Fund::ApbnPbk),
        ("APBN", Fund::ApbnPbk),
        ("APBN-PBK", Fund::ApbnPbk),
        ("APBN PBK", Fund::ApbnPbk),
        ("Bantuan PBK", Fund::ApbnPbk),
        ("APBD Kab. Tangerang", Fund::Apbd),
        ("APBD Kab Tangerang", Fund::Apbd),
        ("APBD Kabupaten Tangerang", Fund::Apbd),
        ("Swadaya", Fund::SelfFunded),
        ("Swadaya BLKK", Fund::SelfFunded),
        ("Mandiri BLKK", Fund::SelfFunded),
    ],
};

/// §5.3 `Pelatihan.Status`.
pub const RUN_STATUS: Vocab<Run> = Vocab {
    values: &[
        ("Rencana", Run::Planned),
        ("Berjalan", Run::Running),
        ("Selesai", Run::Completed),
        ("Batal", Run::Cancelled),
    ],
    variants: &[
        ("Direncanakan", Run::Planned),
        ("Sedang Berjalan", Run::Running),
        ("Sudah Selesai", Run::Completed),
        ("Dibatalkan", Run::Cancelled),
    ],
};

/// §5.4 `Status Peserta`.
pub const ENROLLMENT_STATUS: Vocab<Enr> = Vocab {
    values: &[
        ("Lulus", Enr::Completed),
        ("Tidak Lulus", Enr::Failed),
        ("Mengundurkan Diri", Enr::Withdrawn),
        ("Sedang Pelatihan", Enr::InProgress),
    ],
    variants: &[
        ("Mundur", Enr::Withdrawn),
        ("Keluar", Enr::Withdrawn),
        ("Belum Lulus", Enr::Failed),
        ("Masih Pelatihan", Enr::InProgress),
    ],
};

/// §5.4b `Status Alumni`.
pub const ALUMNI_STATUS: Vocab<Out> = Vocab {
    values: &[
        ("Wirausaha", Out::SelfEmployed),
        ("Bekerja", Out::Employed),
        ("Belum Bekerja", Out::SeekingWork),
    ],
    variants: &[
        ("Usaha Sendiri", Out::SelfEmployed),
        ("Berwirausaha", Out::SelfEmployed),
        ("Mencari Kerja", Out::SeekingWork),
        ("Belum Kerja", Out::SeekingWork),
    ],
};

/// §5.5 `Status Pekerjaan`.
pub const EMPLOYMENT: Vocab<Emp> = Vocab {
    values: &[
        ("Belum Bekerja", Emp::Unemployed),
        ("Santri", Emp::Unemployed),
        ("Pelajar", Emp::Unemployed),
        ("Ibu Rumah Tangga", Emp::Unemployed),
        ("Bekerja", Emp::Employed),
        ("Wirausaha", Emp::SelfEmployed),
        ("Korban PHK", Emp::LaidOff),
    ],
    variants: &[
        ("Tidak Bekerja", Emp::Unemployed),
        ("Pengangguran", Emp::Unemployed),
        ("IRT", Emp::Unemployed),
        ("Pelajar/Santri", Emp::Unemployed),
    ],
};

/// §5.6 `Profil BLKK.Status`: active or not.
pub const ACTIVE: Vocab<bool> = Vocab {
    values: &[("Aktif", true), ("Tidak Aktif", false)],
    variants: &[
        ("Non Aktif", false),
        ("Nonaktif", false),
        ("Tdk Aktif", false),
    ],
};

/// §5.6b `Bentuk Kerja Sama`.
pub const PARTNERSHIP_KIND: Vocab<Kind> = Vocab {
    values: &[
        ("MoU", Kind::Mou),
        ("PKS", Kind::Pks),
        ("Penjajakan", Kind::Other),
    ],
    variants: &[
        ("Nota Kesepahaman", Kind::Mou),
        ("Perjanjian Kerja Sama", Kind::Pks),
    ],
};

/// §5.7 `Pendidikan`.
pub const EDUCATION: Vocab<Edu> = Vocab {
    values: &[
        ("SD", Edu::Sd),
        ("MI", Edu::Sd),
        ("SMP", Edu::Smp),
        ("MTs", Edu::Smp),
        ("Paket B", Edu::Smp),
        ("SMA", Edu::Sma),
        ("MA", Edu::Sma),
        ("Paket C", Edu::Sma),
        ("SMK", Edu::Smk),
        ("D1", Edu::D1),
        ("D2", Edu::D2),
        ("D3", Edu::D3),
        ("D4", Edu::D4),
        ("S1", Edu::S1),
        ("S2", Edu::S2),
        ("S3", Edu::S3),
    ],
    variants: &[("SLTP", Edu::Smp), ("SLTA", Edu::Sma), ("STM", Edu::Smk)],
};

/// §5.8 `L/P`.
pub const SEX: Vocab<Sex> = Vocab {
    values: &[
        ("L", Sex::Male),
        ("Laki-laki", Sex::Male),
        ("P", Sex::Female),
        ("Perempuan", Sex::Female),
    ],
    variants: &[],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_variants_and_unknowns() {
        assert_eq!(RUN_STATUS.lookup(" selesai "), Read::Ok(Run::Completed));
        assert_eq!(
            RUN_STATUS.lookup("Sedang  Berjalan"),
            Read::Noted(Run::Running, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(RUN_STATUS.lookup("Ditunda"), Read::Bad("ENUM_UNKNOWN"));
        assert_eq!(EDUCATION.lookup("MTs"), Read::Ok(Edu::Smp));
        assert_eq!(
            ALUMNI_STATUS.lookup("Usaha Sendiri"),
            Read::Noted(Out::SelfEmployed, "VOCABULARY_NORMALIZED")
        );
    }

    #[test]
    fn kejuruan_by_value_code_or_variant() {
        assert_eq!(field("Garmen Apparel"), Read::Ok(0));
        assert_eq!(field("tik"), Read::Ok(1));
        assert_eq!(field("Menjahit"), Read::Noted(0, "VOCABULARY_NORMALIZED"));
        assert_eq!(field("Perikanan"), Read::Bad("ENUM_UNKNOWN"));
    }

    #[test]
    fn funding_parts() {
        assert_eq!(funding("PBK"), Read::Ok(Fund::ApbnPbk));
        assert_eq!(
            funding("CSR PT Roti Nusantara Sejahtera (fiktif)"),
            Read::Ok(Fund::PartnerFunded)
        );
        assert_eq!(
            funding("APBD Kab. Tangerang"),
            Read::Noted(Fund::Apbd, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(funding("Hibah"), Read::Bad("ENUM_UNKNOWN"));
    }
}
