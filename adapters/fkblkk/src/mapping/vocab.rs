//! The contract's vocabularies (§5) as toolkit [`Vocab`]s: values accepted silently, variants
//! mapped and noted (`VOCABULARY_NORMALIZED`), anything else `ENUM_UNKNOWN` on the record.

use simpul_schema::{
    CourseRunStatus as Run, EducationLevel as Edu, EmploymentStatus as Emp,
    EnrollmentStatus as Enr, FundingSchemeCode as Fund, OutcomeStatus as Out,
    PartnershipKind as Kind, Sex,
};

use simpul_adapter_toolkit::text::fold;
use simpul_adapter_toolkit::vocab::{Vocab, VOCABULARY_NORMALIZED};
use simpul_adapter_toolkit::Read;

/// §5.1 kejuruan, one per line: code | value | KBJI unit group | variants (`,`). The code is a
/// value too.
pub const FIELDS: &str = "\
    GAR|Garmen Apparel|7531|Menjahit, Menjahit Pakaian, Tata Busana, Garmen, Garment
    TIK|Teknologi Informasi dan Komunikasi|4132|Komputer, Teknologi Informasi, Operator Komputer
    OTO|Otomotif Sepeda Motor|7231|Otomotif, Teknik Sepeda Motor, Servis Motor
    LAS|Teknik Las|7212|Las, Pengelasan, Las Listrik
    LST|Listrik|7411|Instalasi Listrik, Teknik Listrik, Kelistrikan
    TPD|Teknik Pendingin|7127|Refrigerasi, Teknisi AC, Refrigerasi dan Tata Udara
    KEC|Tata Kecantikan|5142|Tata Rias, Kecantikan, Salon
    BOG|Tata Boga|7512|Boga, Roti dan Kue, Pengolahan Makanan, Kuliner
    KWU|Kewirausahaan||Wirausaha";

/// A kejuruan: its code, value and KBJI code.
pub type Field = (&'static str, &'static str, Option<&'static str>);

/// A kejuruan text → its [`FIELDS`] entry: `Ok` for a value or code, `Noted` for a variant.
pub fn field(raw: &str) -> Read<Field> {
    let key = fold(raw);
    for line in FIELDS.lines() {
        let cols: Vec<&'static str> = line.trim().split('|').collect();
        let entry = (cols[0], cols[1], Some(cols[2]).filter(|k| !k.is_empty()));
        if key == fold(cols[0]) || key == fold(cols[1]) {
            return Read::Ok(entry);
        }
        if cols[3].split(',').any(|v| fold(v) == key) {
            return Read::Noted(entry, VOCABULARY_NORMALIZED);
        }
    }
    Read::Bad("ENUM_UNKNOWN")
}

/// §5.2 one part of `Sumber Dana` (after splitting on `+ , ; &`); `CSR <sponsor>` is a value.
pub fn funding(part: &str) -> Read<Fund> {
    let key = fold(part);
    if key == "csr" || key.starts_with("csr ") {
        return Read::Ok(Fund::PartnerFunded);
    }
    FUNDING.lookup(part)
}

const FUNDING: Vocab<Fund> = Vocab {
    values: "PBK=APBN_PBK; APBD=APBD; Mandiri=SELF_FUNDED",
    variants: "PBK Kemnaker=APBN_PBK; APBN=APBN_PBK; APBN-PBK=APBN_PBK; APBN PBK=APBN_PBK; \
        Bantuan PBK=APBN_PBK; APBD Kab. Tangerang=APBD; APBD Kab Tangerang=APBD; \
        APBD Kabupaten Tangerang=APBD; Swadaya=SELF_FUNDED; Swadaya BLKK=SELF_FUNDED; \
        Mandiri BLKK=SELF_FUNDED",
    parse: Fund::from_name,
};

/// §5.3 `Pelatihan.Status`.
pub const RUN_STATUS: Vocab<Run> = Vocab {
    values: "Rencana=PLANNED; Berjalan=RUNNING; Selesai=COMPLETED; Batal=CANCELLED",
    variants: "Direncanakan=PLANNED; Sedang Berjalan=RUNNING; Sudah Selesai=COMPLETED; \
        Dibatalkan=CANCELLED",
    parse: Run::from_name,
};

/// §5.4 `Status Peserta`.
pub const ENROLLMENT_STATUS: Vocab<Enr> = Vocab {
    values: "Lulus=COMPLETED; Tidak Lulus=FAILED; Mengundurkan Diri=WITHDRAWN; \
        Sedang Pelatihan=IN_PROGRESS",
    variants: "Mundur=WITHDRAWN; Keluar=WITHDRAWN; Belum Lulus=FAILED; Masih Pelatihan=IN_PROGRESS",
    parse: Enr::from_name,
};

/// §5.4b `Status Alumni`.
pub const ALUMNI_STATUS: Vocab<Out> = Vocab {
    values: "Wirausaha=SELF_EMPLOYED; Bekerja=EMPLOYED; Belum Bekerja=SEEKING_WORK",
    variants: "Usaha Sendiri=SELF_EMPLOYED; Berwirausaha=SELF_EMPLOYED; \
        Mencari Kerja=SEEKING_WORK; Belum Kerja=SEEKING_WORK",
    parse: Out::from_name,
};

/// §5.5 `Status Pekerjaan` (students and homemakers are not in work: an *assumption*).
pub const EMPLOYMENT: Vocab<Emp> = Vocab {
    values:
        "Belum Bekerja=UNEMPLOYED; Santri=UNEMPLOYED; Pelajar=UNEMPLOYED; \
        Ibu Rumah Tangga=UNEMPLOYED; Bekerja=EMPLOYED; Wirausaha=SELF_EMPLOYED; Korban PHK=LAID_OFF",
    variants: "Tidak Bekerja=UNEMPLOYED; Pengangguran=UNEMPLOYED; IRT=UNEMPLOYED; \
        Pelajar/Santri=UNEMPLOYED",
    parse: Emp::from_name,
};

/// §5.6 `Profil BLKK.Status`: active or not.
pub const ACTIVE: Vocab<bool> = Vocab {
    values: "Aktif=true; Tidak Aktif=false",
    variants: "Non Aktif=false; Nonaktif=false; Tdk Aktif=false",
    parse: |name| name.parse().ok(),
};

/// §5.6b `Bentuk Kerja Sama` (`Penjajakan`: exploring, nothing signed).
pub const PARTNERSHIP_KIND: Vocab<Kind> = Vocab {
    values: "MoU=MOU; PKS=PKS; Penjajakan=OTHER",
    variants: "Nota Kesepahaman=MOU; Perjanjian Kerja Sama=PKS",
    parse: Kind::from_name,
};

/// §5.7 `Pendidikan` (madrasah levels are values).
pub const EDUCATION: Vocab<Edu> = Vocab {
    values: "SD=SD; MI=SD; SMP=SMP; MTs=SMP; Paket B=SMP; SMA=SMA; MA=SMA; Paket C=SMA; SMK=SMK; \
        D1=D1; D2=D2; D3=D3; D4=D4; S1=S1; S2=S2; S3=S3",
    variants: "SLTP=SMP; SLTA=SMA; STM=SMK",
    parse: Edu::from_name,
};

/// §5.8 `L/P`.
pub const SEX: Vocab<Sex> = Vocab {
    values: "L=MALE; Laki-laki=MALE; P=FEMALE; Perempuan=FEMALE",
    variants: "",
    parse: Sex::from_name,
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
        let gar = ("GAR", "Garmen Apparel", Some("7531"));
        assert_eq!(field("Garmen Apparel"), Read::Ok(gar));
        assert_eq!(field("kwu"), Read::Ok(("KWU", "Kewirausahaan", None)));
        assert_eq!(field("Menjahit"), Read::Noted(gar, "VOCABULARY_NORMALIZED"));
        assert_eq!(field("Perikanan"), Read::Bad("ENUM_UNKNOWN"));
    }

    /// Every unified name in the tables parses (a typo would silently drop a term).
    #[test]
    fn every_table_entry_parses() {
        assert!(FUNDING.all_parse() && RUN_STATUS.all_parse() && ENROLLMENT_STATUS.all_parse());
        assert!(ALUMNI_STATUS.all_parse() && EMPLOYMENT.all_parse() && ACTIVE.all_parse());
        assert!(PARTNERSHIP_KIND.all_parse() && EDUCATION.all_parse() && SEX.all_parse());
        assert!(FIELDS.lines().all(|l| l.trim().split('|').count() == 4));
        assert_eq!(
            ACTIVE.lookup("tdk aktif"),
            Read::Noted(false, "VOCABULARY_NORMALIZED")
        );
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
