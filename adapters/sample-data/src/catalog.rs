//! What is taught: occupational fields (with their KBJI 2014 / ISCO-08 code, job titles,
//! business types and how strongly men and women enrol) and each provider's course list. The
//! fields follow the domain: welding 7212, refrigeration 7127, electronics 7421, electricians
//! 7411, ICT 2513, tailoring 7531/7532, forklift 8344, crane 8343, barista 5132, plus the
//! contracts' extras (data entry 4132, hotel reception 4224, K3 listrik 3257, printing 7322,
//! carpentry 7115, entrepreneurship without a code).

/// An occupational field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// Tailors, dressmakers (7531).
    Tailoring,
    /// Garment pattern-makers (7532).
    PatternMaking,
    /// Welders (7212).
    Welding,
    /// Air-conditioning and refrigeration mechanics (7127).
    Cooling,
    /// Electronics mechanics (7421).
    Electronics,
    /// Building electricians (7411).
    Electrical,
    /// Web developers (2513).
    WebDev,
    /// Data-entry / office computer operators (4132).
    DataEntry,
    /// Hotel receptionists (4224).
    Hotel,
    /// Baristas (5132).
    Barista,
    /// Forklift operators (8344).
    Forklift,
    /// Crane operators (8343).
    Crane,
    /// Electrical safety, "K3 listrik" (3257, an assumption of the contracts).
    Safety,
    /// Carpenters (7115).
    Carpentry,
    /// Printers / screen printing (7322).
    Printing,
    /// Entrepreneurship (no occupation code).
    Business,
    /// Digital marketing for small businesses (no occupation code).
    DigitalMarketing,
}

impl Field {
    /// KBJI 2014 = ISCO-08 unit group.
    pub fn kbji(self) -> Option<&'static str> {
        Some(match self {
            Field::Tailoring => "7531",
            Field::PatternMaking => "7532",
            Field::Welding => "7212",
            Field::Cooling => "7127",
            Field::Electronics => "7421",
            Field::Electrical => "7411",
            Field::WebDev => "2513",
            Field::DataEntry => "4132",
            Field::Hotel => "4224",
            Field::Barista => "5132",
            Field::Forklift => "8344",
            Field::Crane => "8343",
            Field::Safety => "3257",
            Field::Carpentry => "7115",
            Field::Printing => "7322",
            Field::Business | Field::DigitalMarketing => return None,
        })
    }

    /// Relative enrolment weight for (men, women).
    pub fn sex_weights(self) -> (u32, u32) {
        match self {
            Field::Tailoring | Field::PatternMaking => (2, 20),
            Field::Welding | Field::Forklift | Field::Crane => (20, 1),
            Field::Cooling | Field::Electrical | Field::Safety | Field::Carpentry => (18, 1),
            Field::Electronics => (16, 3),
            Field::WebDev | Field::DigitalMarketing => (10, 10),
            Field::DataEntry | Field::Hotel => (6, 14),
            Field::Barista | Field::Printing => (10, 8),
            Field::Business => (8, 12),
        }
    }

    /// Job titles after training.
    pub fn job_titles(self) -> &'static [&'static str] {
        match self {
            Field::Tailoring => &["Operator jahit", "Penjahit", "Penjahit borongan"],
            Field::PatternMaking => &["Pembuat pola", "Operator potong"],
            Field::Welding => &["Juru las", "Welder", "Helper fabrikasi"],
            Field::Cooling => &["Teknisi AC", "Teknisi refrigerasi"],
            Field::Electronics => &["Teknisi elektronika", "Teknisi servis"],
            Field::Electrical => &["Teknisi listrik", "Instalatir listrik"],
            Field::WebDev => &["Web developer", "Staf IT"],
            Field::DataEntry => &["Operator komputer", "Staf administrasi"],
            Field::Hotel => &["Resepsionis", "Front office"],
            Field::Barista => &["Barista", "Kru kedai kopi"],
            Field::Forklift => &["Operator forklift"],
            Field::Crane => &["Operator crane", "Rigger"],
            Field::Safety => &["Petugas K3", "Teknisi listrik"],
            Field::Carpentry => &["Tukang kayu", "Perajin mebel"],
            Field::Printing => &["Operator sablon", "Operator cetak"],
            Field::Business | Field::DigitalMarketing => &["Staf penjualan", "Admin toko daring"],
        }
    }

    /// Kinds of own business after training.
    pub fn business_types(self) -> &'static [&'static str] {
        match self {
            Field::Tailoring | Field::PatternMaking => &["Jahit rumahan", "Konveksi kecil"],
            Field::Welding => &["Bengkel las", "Teralis dan kanopi"],
            Field::Cooling => &["Servis AC", "Servis kulkas"],
            Field::Electronics => &["Servis elektronik"],
            Field::Electrical | Field::Safety => &["Jasa instalasi listrik"],
            Field::WebDev | Field::DataEntry => &["Jasa pembuatan website", "Rental komputer"],
            Field::Hotel => &["Homestay"],
            Field::Barista => &["Warung kopi", "Kedai kopi keliling"],
            Field::Forklift | Field::Crane => &["Jasa angkut barang"],
            Field::Carpentry => &["Mebel kayu"],
            Field::Printing => &["Sablon kaos"],
            Field::Business | Field::DigitalMarketing => &[
                "Toko kelontong",
                "Kuliner rumahan",
                "Jualan daring",
                "Warung makan",
            ],
        }
    }

    /// Sector words for fictional employers in this field.
    pub fn sector_words(self) -> &'static [&'static str] {
        match self {
            Field::Tailoring | Field::PatternMaking | Field::Printing => {
                &["Garmen", "Busana", "Tekstil", "Konveksi"]
            }
            Field::Welding | Field::Crane => &["Baja", "Logam", "Konstruksi", "Fabrikasi"],
            Field::Cooling => &["Sejuk", "Dingin", "Pendingin"],
            Field::Electronics | Field::WebDev | Field::DataEntry => {
                &["Elektronik", "Digital", "Solusi", "Data"]
            }
            Field::Electrical | Field::Safety => &["Listrik", "Energi", "Instalasi"],
            Field::Forklift => &["Angkut", "Logistik", "Gudang"],
            Field::Hotel | Field::Barista => &["Kopi", "Kedai", "Hotel", "Wisata"],
            Field::Carpentry => &["Mebel", "Kayu"],
            Field::Business | Field::DigitalMarketing => &["Niaga", "Dagang", "Ritel"],
        }
    }
}

/// One SPN course (each SPN batch is one run of one of these at one centre).
#[derive(Debug, Clone, Copy)]
pub struct SpnCourse {
    /// `nama_pelatihan`.
    pub name: &'static str,
    /// `jenis_pelatihan`.
    pub kind: &'static str,
    /// `bidang`.
    pub bidang: &'static str,
    /// The field (its KBJI code goes to `kode_kbji`, blank for entrepreneurship).
    pub field: Field,
    /// `jumlah_jam`.
    pub hours: u32,
    /// Calendar days from start to end.
    pub days: u32,
    /// `kuota`, also the batch size the generator fills up to.
    pub quota: u32,
    /// `sasaran`.
    pub audience: &'static str,
    /// Popularity.
    pub weight: u32,
}

/// SPN's courses.
pub const SPN_COURSES: &[SpnCourse] = &[
    SpnCourse {
        name: "Menjahit Busana untuk Pekerja Terdampak PHK",
        kind: "Reskilling",
        bidang: "Desain mode dan tekstil",
        field: Field::Tailoring,
        hours: 120,
        days: 25,
        quota: 12,
        audience: "Korban PHK; Angkatan kerja baru",
        weight: 18,
    },
    SpnCourse {
        name: "Desain Mode & Pola Busana Dasar",
        kind: "Upskilling",
        bidang: "Desain mode dan tekstil",
        field: Field::PatternMaking,
        hours: 60,
        days: 12,
        quota: 10,
        audience: "Pekerja aktif; Korban PHK",
        weight: 8,
    },
    SpnCourse {
        name: "Pengelasan Dasar SMAW",
        kind: "Reskilling",
        bidang: "Pengelasan",
        field: Field::Welding,
        hours: 120,
        days: 20,
        quota: 8,
        audience: "Korban PHK",
        weight: 12,
    },
    SpnCourse {
        name: "Barista dan Usaha Kedai Kopi",
        kind: "Reskilling",
        bidang: "Pariwisata / F&B",
        field: Field::Barista,
        hours: 48,
        days: 9,
        quota: 8,
        audience: "Korban PHK; Angkatan kerja baru",
        weight: 10,
    },
    SpnCourse {
        name: "Manajemen Usaha dan Keuangan untuk Wirausaha Pemula",
        kind: "Kewirausahaan",
        bidang: "Kewirausahaan",
        field: Field::Business,
        hours: 30,
        days: 5,
        quota: 12,
        audience: "Korban PHK; Pensiunan",
        weight: 16,
    },
    SpnCourse {
        name: "Pemasaran Digital untuk UMKM",
        kind: "Kewirausahaan",
        bidang: "Kewirausahaan",
        field: Field::DigitalMarketing,
        hours: 24,
        days: 4,
        quota: 12,
        audience: "Korban PHK; Pekerja aktif",
        weight: 10,
    },
    SpnCourse {
        name: "Instalasi Listrik Rumah Tangga",
        kind: "Reskilling",
        bidang: "Kelistrikan",
        field: Field::Electrical,
        hours: 60,
        days: 12,
        quota: 10,
        audience: "Korban PHK; Angkatan kerja baru",
        weight: 8,
    },
    SpnCourse {
        name: "Servis AC dan Kulkas",
        kind: "Reskilling",
        bidang: "Teknik pendingin",
        field: Field::Cooling,
        hours: 60,
        days: 12,
        quota: 10,
        audience: "Korban PHK",
        weight: 8,
    },
    SpnCourse {
        name: "Servis Elektronika Rumah Tangga",
        kind: "Upskilling",
        bidang: "Elektronika",
        field: Field::Electronics,
        hours: 48,
        days: 10,
        quota: 10,
        audience: "Pekerja aktif; Korban PHK",
        weight: 6,
    },
    SpnCourse {
        name: "Dasar Pembuatan Website",
        kind: "Upskilling",
        bidang: "Teknologi informasi",
        field: Field::WebDev,
        hours: 60,
        days: 12,
        quota: 12,
        audience: "Pekerja aktif; Angkatan kerja baru",
        weight: 6,
    },
    SpnCourse {
        name: "Sablon dan Cetak Tekstil",
        kind: "Reskilling",
        bidang: "Desain mode dan tekstil",
        field: Field::Printing,
        hours: 60,
        days: 10,
        quota: 10,
        audience: "Korban PHK; Angkatan kerja baru",
        weight: 5,
    },
    SpnCourse {
        name: "Pertukangan Kayu (Rumah Kayu)",
        kind: "Reskilling",
        bidang: "Pertukangan kayu",
        field: Field::Carpentry,
        hours: 90,
        days: 18,
        quota: 10,
        audience: "Korban PHK",
        weight: 5,
    },
];

/// One BBPLK national programme (`program_pelatihan`), as in the contract's seed.
#[derive(Debug, Clone, Copy)]
pub struct BbplkProgram {
    /// `kode_program`.
    pub code: &'static str,
    /// Index into [`BBPLK_KEJURUAN`] (0-based; the id is this + 1).
    pub kejuruan: usize,
    /// `nama_program`.
    pub name: &'static str,
    /// The field.
    pub field: Field,
    /// `jenjang_kkni`.
    pub kkni: u32,
    /// `durasi_jp`.
    pub jp: u32,
    /// `skema_sertifikasi`.
    pub scheme: &'static str,
    /// Index into the LSP list (0-based) that tests this programme.
    pub lsp: usize,
    /// Popularity.
    pub weight: u32,
}

/// `kejuruan`: (code, name).
pub const BBPLK_KEJURUAN: &[(&str, &str)] = &[
    ("ELK", "Elektronika"),
    ("TIK", "Teknologi Informasi dan Komunikasi"),
    ("TPD", "Teknik Pendingin"),
    ("PAR", "Pariwisata"),
    ("LAS", "Teknik Las"),
    ("LST", "Listrik"),
    ("GAR", "Garmen Apparel"),
];

/// BBPLK's programmes.
pub const BBPLK_PROGRAMS: &[BbplkProgram] = &[
    BbplkProgram {
        code: "PRG-ELK-01",
        kejuruan: 0,
        name: "Teknisi Elektronika Peralatan Rumah Tangga",
        field: Field::Electronics,
        kkni: 2,
        jp: 280,
        scheme: "Teknisi Elektronika Rumah Tangga",
        lsp: 0,
        weight: 10,
    },
    BbplkProgram {
        code: "PRG-TIK-01",
        kejuruan: 1,
        name: "Junior Web Developer",
        field: Field::WebDev,
        kkni: 3,
        jp: 240,
        scheme: "Junior Web Developer",
        lsp: 4,
        weight: 12,
    },
    BbplkProgram {
        code: "PRG-TIK-02",
        kejuruan: 1,
        name: "Operator Komputer Perkantoran",
        field: Field::DataEntry,
        kkni: 2,
        jp: 160,
        scheme: "Operator Komputer Madya",
        lsp: 4,
        weight: 12,
    },
    BbplkProgram {
        code: "PRG-TPD-01",
        kejuruan: 2,
        name: "Teknisi Refrigerasi dan Tata Udara Domestik (AC Split)",
        field: Field::Cooling,
        kkni: 2,
        jp: 240,
        scheme: "Teknisi AC Residensial",
        lsp: 1,
        weight: 12,
    },
    BbplkProgram {
        code: "PRG-PAR-01",
        kejuruan: 3,
        name: "Resepsionis Hotel (Front Office)",
        field: Field::Hotel,
        kkni: 2,
        jp: 200,
        scheme: "Resepsionis Hotel",
        lsp: 3,
        weight: 7,
    },
    BbplkProgram {
        code: "PRG-PAR-02",
        kejuruan: 3,
        name: "Barista",
        field: Field::Barista,
        kkni: 2,
        jp: 160,
        scheme: "Barista",
        lsp: 3,
        weight: 9,
    },
    BbplkProgram {
        code: "PRG-LAS-01",
        kejuruan: 4,
        name: "Juru Las SMAW Posisi 1G-3G",
        field: Field::Welding,
        kkni: 2,
        jp: 320,
        scheme: "Juru Las SMAW 3G",
        lsp: 2,
        weight: 16,
    },
    BbplkProgram {
        code: "PRG-LST-01",
        kejuruan: 5,
        name: "Instalasi Listrik Bangunan Sederhana",
        field: Field::Electrical,
        kkni: 2,
        jp: 240,
        scheme: "Instalatir Listrik Bangunan Sederhana",
        lsp: 0,
        weight: 12,
    },
    BbplkProgram {
        code: "PRG-GAR-01",
        kejuruan: 6,
        name: "Menjahit Pakaian Wanita",
        field: Field::Tailoring,
        kkni: 2,
        jp: 200,
        scheme: "Penjahit Pakaian Wanita",
        lsp: 5,
        weight: 10,
    },
];

/// One kind of BPJAMSOSTEK Vokasi programme a partner can run.
#[derive(Debug, Clone, Copy)]
pub struct VokasiType {
    /// `namaProgram` (the method may be appended).
    pub name: &'static str,
    /// `bidang`.
    pub bidang: &'static str,
    /// The field.
    pub field: Field,
    /// `jumlahJamPelajaran`.
    pub hours: u32,
    /// `biayaPerPeserta.jumlah`.
    pub cost: u64,
    /// Popularity.
    pub weight: u32,
}

/// BPJAMSOSTEK's programme kinds. The first four are Kautsar Institute's 2019 programmes.
pub const VOKASI_TYPES: &[VokasiType] = &[
    VokasiType {
        name: "Pelatihan Operator Crane",
        bidang: "Alat berat",
        field: Field::Crane,
        hours: 120,
        cost: 4_500_000,
        weight: 10,
    },
    VokasiType {
        name: "Pelatihan K3 Listrik",
        bidang: "Keselamatan dan kesehatan kerja",
        field: Field::Safety,
        hours: 80,
        cost: 3_000_000,
        weight: 9,
    },
    VokasiType {
        name: "Pelatihan Operator Forklift",
        bidang: "Alat berat",
        field: Field::Forklift,
        hours: 100,
        cost: 3_500_000,
        weight: 12,
    },
    VokasiType {
        name: "Pelatihan Barista",
        bidang: "Pariwisata / F&B",
        field: Field::Barista,
        hours: 64,
        cost: 2_500_000,
        weight: 9,
    },
    VokasiType {
        name: "Menjahit Busana Sederhana",
        bidang: "Garmen",
        field: Field::Tailoring,
        hours: 48,
        cost: 1_500_000,
        weight: 9,
    },
    VokasiType {
        name: "Juru Las SMAW",
        bidang: "Teknik las",
        field: Field::Welding,
        hours: 120,
        cost: 4_000_000,
        weight: 8,
    },
    VokasiType {
        name: "Teknisi AC Residensial",
        bidang: "Teknik pendingin",
        field: Field::Cooling,
        hours: 80,
        cost: 3_000_000,
        weight: 7,
    },
    VokasiType {
        name: "Teknisi Elektronika Rumah Tangga",
        bidang: "Elektronika",
        field: Field::Electronics,
        hours: 80,
        cost: 2_750_000,
        weight: 5,
    },
    VokasiType {
        name: "Instalasi Listrik Bangunan",
        bidang: "Kelistrikan",
        field: Field::Electrical,
        hours: 80,
        cost: 3_000_000,
        weight: 6,
    },
    VokasiType {
        name: "Junior Web Developer",
        bidang: "Teknologi informasi",
        field: Field::WebDev,
        hours: 120,
        cost: 4_000_000,
        weight: 6,
    },
];

/// The `(men, women)` weight of choosing `field` with popularity `weight`.
pub fn choice_weight(field: Field, weight: u32, female: bool) -> u32 {
    let (m, f) = field.sex_weights();
    weight * if female { f } else { m }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_in_the_reference_table() {
        let occupations = simpul_schema::reference::occupations();
        let fields = SPN_COURSES
            .iter()
            .map(|c| c.field)
            .chain(BBPLK_PROGRAMS.iter().map(|p| p.field))
            .chain(VOKASI_TYPES.iter().map(|v| v.field));
        for field in fields {
            if let Some(code) = field.kbji() {
                assert!(occupations.contains_key(code), "{code}");
            }
        }
    }
}
