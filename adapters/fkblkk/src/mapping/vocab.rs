//! The contract's vocabularies (§5), kept as data in `vocabularies.txt` and read as toolkit
//! [`Vocab`]s and a [`CodeList`]: values accepted silently, variants mapped and noted
//! (`VOCABULARY_NORMALIZED`), anything else `ENUM_UNKNOWN` on the record.

use simpul_schema::{
    CourseRunStatus as Run, EducationLevel as Edu, EmploymentStatus as Emp,
    EnrollmentStatus as Enr, FundingSchemeCode as Fund, OutcomeStatus as Out,
    PartnershipKind as Kind, Sex,
};

use simpul_adapter_toolkit::vocab::{CodeList, Tables, Vocab};

/// The tables, one section per vocabulary.
pub const TABLES: Tables = Tables(include_str!("vocabularies.txt"));

/// §5.1 kejuruan: code, value and KBJI unit group; the code is a value too.
pub fn fields() -> CodeList {
    TABLES.codes("Kejuruan")
}

/// §5.2 one part of `Sumber Dana` (after splitting on `+ , ; &`); `CSR <sponsor>` is a value.
pub fn funding() -> Vocab<Fund> {
    TABLES.vocab("Sumber Dana", Fund::from_name)
}

/// §5.3 `Pelatihan.Status`.
pub fn run_status() -> Vocab<Run> {
    TABLES.vocab("Pelatihan.Status", Run::from_name)
}

/// §5.4 `Status Peserta`.
pub fn enrollment_status() -> Vocab<Enr> {
    TABLES.vocab("Status Peserta", Enr::from_name)
}

/// §5.4b `Status Alumni`.
pub fn alumni_status() -> Vocab<Out> {
    TABLES.vocab("Status Alumni", Out::from_name)
}

/// §5.5 `Status Pekerjaan` (students and homemakers are not in work: an *assumption*).
pub fn employment() -> Vocab<Emp> {
    TABLES.vocab("Status Pekerjaan", Emp::from_name)
}

/// §5.6 `Profil BLKK.Status`: active or not.
pub fn active() -> Vocab<bool> {
    TABLES.vocab("Profil BLKK.Status", |name| name.parse().ok())
}

/// §5.6b `Bentuk Kerja Sama` (`Penjajakan`: exploring, nothing signed).
pub fn partnership_kind() -> Vocab<Kind> {
    TABLES.vocab("Bentuk Kerja Sama", Kind::from_name)
}

/// §5.7 `Pendidikan` (madrasah levels are values).
pub fn education() -> Vocab<Edu> {
    TABLES.vocab("Pendidikan", Edu::from_name)
}

/// §5.8 `L/P`.
pub fn sex() -> Vocab<Sex> {
    TABLES.vocab("L/P", Sex::from_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpul_adapter_toolkit::vocab::Coded;
    use simpul_adapter_toolkit::Read;

    #[test]
    fn values_variants_and_unknowns() {
        assert_eq!(run_status().lookup(" selesai "), Read::Ok(Run::Completed));
        assert_eq!(
            run_status().lookup("Sedang  Berjalan"),
            Read::Noted(Run::Running, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(run_status().lookup("Ditunda"), Read::Bad("ENUM_UNKNOWN"));
        assert_eq!(education().lookup("MTs"), Read::Ok(Edu::Smp));
        assert_eq!(education().lookup("d1"), Read::Ok(Edu::D1));
        assert_eq!(
            alumni_status().lookup("Usaha Sendiri"),
            Read::Noted(Out::SelfEmployed, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(
            enrollment_status().lookup("sedang pelatihan"),
            Read::Ok(Enr::InProgress)
        );
    }

    #[test]
    fn kejuruan_by_value_code_or_variant() {
        let coded = |code, name, attribute| Coded {
            code,
            name,
            attribute,
        };
        let gar = coded("GAR", "Garmen Apparel", Some("7531"));
        assert_eq!(fields().lookup("Garmen Apparel"), Read::Ok(gar));
        let kwu = coded("KWU", "Kewirausahaan", None);
        assert_eq!(fields().lookup("kwu"), Read::Ok(kwu));
        let noted = Read::Noted(gar, "VOCABULARY_NORMALIZED");
        assert_eq!(fields().lookup("Menjahit"), noted);
        assert_eq!(fields().lookup("Perikanan"), Read::Bad("ENUM_UNKNOWN"));
        assert_eq!(fields().entries().count(), 9);
    }

    /// Every vocabulary is there and every unified name in it parses (a typo would silently
    /// drop a term).
    #[test]
    fn every_table_entry_parses() {
        let (f, r, e) = (funding(), run_status(), enrollment_status());
        assert!(f.all_parse() && r.all_parse() && e.all_parse());
        let (a, m, s) = (alumni_status(), employment(), active());
        assert!(a.all_parse() && m.all_parse() && s.all_parse());
        let (k, d, x) = (partnership_kind(), education(), sex());
        assert!(k.all_parse() && d.all_parse() && x.all_parse());
        for values in [
            f.values, r.values, e.values, a.values, m.values, s.values, k.values,
        ] {
            assert!(values.contains('=') && !values.contains('#'));
        }
        assert!(d.values.contains('=') && x.values.contains('=') && x.variants.is_empty());
        for variants in [
            f.variants, r.variants, e.variants, a.variants, m.variants, k.variants,
        ] {
            assert!(variants.contains('=') && !variants.contains('#'));
        }
        assert_eq!(
            active().lookup("tdk aktif"),
            Read::Noted(false, "VOCABULARY_NORMALIZED")
        );
    }

    #[test]
    fn funding_parts() {
        assert_eq!(funding().lookup("PBK"), Read::Ok(Fund::ApbnPbk));
        assert_eq!(
            funding().lookup("CSR PT Roti Nusantara Sejahtera (fiktif)"),
            Read::Ok(Fund::PartnerFunded)
        );
        assert_eq!(funding().lookup("csr"), Read::Ok(Fund::PartnerFunded));
        assert_eq!(
            funding().lookup("APBD Kab. Tangerang"),
            Read::Noted(Fund::Apbd, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(
            funding().lookup("Mandiri BLKK"),
            Read::Noted(Fund::SelfFunded, "VOCABULARY_NORMALIZED")
        );
        assert_eq!(funding().lookup("Hibah"), Read::Bad("ENUM_UNKNOWN"));
    }
}
