-- ============================================================================
-- COPIED VERBATIM from the BBPLK provider contract (/work/shared/providers/bbplk/
-- schema.sql, CONTRACT.md §1-3). This file IS the contract the adapter reads:
-- do not edit it here; update it from the contract and re-run the tests.
-- The adapter only ever reads (SQLite opened read-only, PostgreSQL sessions with
-- default_transaction_read_only = on); it never runs this DDL itself.
-- ============================================================================

-- ============================================================================
-- BBPLK provider contract: relational schema (Kemnaker UPTP / BLK training data)
-- Dialect: portable subset of SQL that loads unchanged in PostgreSQL (>= 12)
--          and SQLite (>= 3.35). No SERIAL/AUTOINCREMENT, no schemas, no
--          dialect-specific types. Primary keys are supplied explicitly.
-- Conventions (native to this provider, NOT the gateway's):
--   * snake_case Indonesian identifiers; id_<table> integer surrogate keys
--   * DATE as 'YYYY-MM-DD'; TIMESTAMP as 'YYYY-MM-DD HH:MM:SS' local time
--     (Asia/Jakarta, WIB, no offset stored)
--   * person names stored UPPER CASE as printed on the KTP
--   * enumerations are Indonesian labels guarded by CHECK constraints
--   * "(not enforced)" = documented expectation the database does NOT check;
--     adapters must validate these themselves (legacy data exists).
-- SQLite note: run with `PRAGMA foreign_keys = ON;` to enforce REFERENCES.
-- ============================================================================

-- Kemendagri region codes (kode wilayah). tingkat: 1 provinsi, 2 kab/kota,
-- 3 kecamatan, 4 desa/kelurahan. Format: 36 | 36.02 | 36.02.13 | 36.02.13.2007
CREATE TABLE ref_wilayah (
    kode_wilayah   VARCHAR(13)  PRIMARY KEY,
    nama           VARCHAR(100) NOT NULL,
    tingkat        SMALLINT     NOT NULL CHECK (tingkat IN (1, 2, 3, 4)),
    kode_induk     VARCHAR(13)  REFERENCES ref_wilayah (kode_wilayah)
);

-- Training institutions. jenis_lembaga:
--   UPTP = Unit Pelaksana Teknis Pusat (Kemnaker-run: BBPLK/BBPVP, BLKLN, BPVP)
--   UPTD = Unit Pelaksana Teknis Daerah (provincial / regency BLK)
--   BLKK = BLK Komunitas (run by a community / religious institution)
--   LPK  = Lembaga Pelatihan Kerja (private / company training provider)
CREATE TABLE lembaga (
    id_lembaga          INTEGER      PRIMARY KEY,
    kode_lembaga        VARCHAR(20)  NOT NULL UNIQUE,
    nama_lembaga        VARCHAR(200) NOT NULL,
    nama_alias          VARCHAR(300),              -- other names, separated by '|'
    jenis_lembaga       VARCHAR(4)   NOT NULL CHECK (jenis_lembaga IN ('UPTP', 'UPTD', 'BLKK', 'LPK')),
    status_pengelola    VARCHAR(20)  NOT NULL CHECK (status_pengelola IN ('Pemerintah Pusat', 'Pemerintah Daerah', 'Masyarakat', 'Swasta')),
    id_lembaga_pembina  INTEGER      REFERENCES lembaga (id_lembaga),  -- supervising UPTP ("binaan")
    alamat              VARCHAR(300),
    kode_wilayah        VARCHAR(13)  NOT NULL REFERENCES ref_wilayah (kode_wilayah),  -- any level 2..4
    telepon             VARCHAR(30),
    email               VARCHAR(100),
    tahun_berdiri       SMALLINT,
    aktif               BOOLEAN      NOT NULL DEFAULT TRUE,
    dibuat_pada         TIMESTAMP    NOT NULL,
    diubah_pada         TIMESTAMP
);

-- Vocational fields ("kejuruan"); one workshop group each.
CREATE TABLE kejuruan (
    id_kejuruan    INTEGER      PRIMARY KEY,
    kode_kejuruan  VARCHAR(10)  NOT NULL UNIQUE,
    nama_kejuruan  VARCHAR(100) NOT NULL
);

-- Which kejuruan (workshops) each institution runs.
CREATE TABLE lembaga_kejuruan (
    id_lembaga       INTEGER  NOT NULL REFERENCES lembaga (id_lembaga),
    id_kejuruan      INTEGER  NOT NULL REFERENCES kejuruan (id_kejuruan),
    jumlah_workshop  SMALLINT,
    PRIMARY KEY (id_lembaga, id_kejuruan)
);

-- National catalogue of competency-based training programmes (PBK).
-- durasi_jp: jam pelajaran, must be > 0 (not enforced).
-- kode_kbji: 4-digit KBJI 2014 unit group (same codes as ISCO-08).
CREATE TABLE program_pelatihan (
    id_program         INTEGER      PRIMARY KEY,
    kode_program       VARCHAR(30)  NOT NULL UNIQUE,
    id_kejuruan        INTEGER      NOT NULL REFERENCES kejuruan (id_kejuruan),
    nama_program       VARCHAR(200) NOT NULL,
    kode_kbji          CHAR(4),
    jenjang_kkni       SMALLINT     CHECK (jenjang_kkni BETWEEN 1 AND 9),
    durasi_jp          SMALLINT     NOT NULL,
    metode             VARCHAR(10)  NOT NULL DEFAULT 'PBK',
    skema_sertifikasi  VARCHAR(200),
    deskripsi          TEXT,
    aktif              BOOLEAN      NOT NULL DEFAULT TRUE
);

-- Competency units (SKKNI-style codes, e.g. 'C.251100.001.01').
CREATE TABLE unit_kompetensi (
    id_unit         INTEGER      PRIMARY KEY,
    kode_unit       VARCHAR(30)  NOT NULL UNIQUE,
    judul_unit      VARCHAR(300) NOT NULL,
    sumber_standar  VARCHAR(20)  NOT NULL DEFAULT 'SKKNI' CHECK (sumber_standar IN ('SKKNI', 'Internasional', 'Khusus'))
);

CREATE TABLE program_unit (
    id_program  INTEGER  NOT NULL REFERENCES program_pelatihan (id_program),
    id_unit     INTEGER  NOT NULL REFERENCES unit_kompetensi (id_unit),
    urutan      SMALLINT NOT NULL,
    PRIMARY KEY (id_program, id_unit)
);

-- Professional certification bodies (Lembaga Sertifikasi Profesi, licensed by BNSP).
CREATE TABLE lsp (
    id_lsp         INTEGER      PRIMARY KEY,
    kode_lsp       VARCHAR(20)  NOT NULL UNIQUE,
    nama_lsp       VARCHAR(200) NOT NULL,
    nomor_lisensi  VARCHAR(60)
);

-- A batch ("angkatan") = one scheduled run of a programme at one institution.
-- kuota must be > 0 (not enforced). tgl_selesai >= tgl_mulai (not enforced).
CREATE TABLE angkatan (
    id_angkatan       INTEGER      PRIMARY KEY,
    kode_angkatan     VARCHAR(30)  NOT NULL UNIQUE,
    id_program        INTEGER      NOT NULL REFERENCES program_pelatihan (id_program),
    id_lembaga        INTEGER      NOT NULL REFERENCES lembaga (id_lembaga),
    tahun_anggaran    SMALLINT     NOT NULL,
    gelombang         SMALLINT,
    tgl_mulai         DATE         NOT NULL,
    tgl_selesai       DATE,
    kuota             SMALLINT     NOT NULL,
    moda              VARCHAR(10)  NOT NULL CHECK (moda IN ('Luring', 'Daring', 'Hybrid')),
    skema_pembiayaan  VARCHAR(20)  NOT NULL CHECK (skema_pembiayaan IN ('APBN-PBK', 'JKP', 'PNBP', 'Mitra')),
    status_angkatan   VARCHAR(15)  NOT NULL CHECK (status_angkatan IN ('Direncanakan', 'Pendaftaran', 'Berjalan', 'Selesai', 'Dibatalkan')),
    instruktur        VARCHAR(150),
    catatan           TEXT
);

-- Trainees. PERSONAL DATA (UU 27/2022): nik, nama_lengkap, tempat/tanggal_lahir,
-- alamat, no_hp, email, no_kpj; ragam_disabilitas is health data (data pribadi
-- spesifik). nik is expected to be unique (not enforced: legacy imports).
CREATE TABLE peserta (
    id_peserta           INTEGER      PRIMARY KEY,
    nik                  CHAR(16)     NOT NULL,
    nama_lengkap         VARCHAR(150) NOT NULL,
    jenis_kelamin        CHAR(1)      NOT NULL CHECK (jenis_kelamin IN ('L', 'P')),
    tempat_lahir         VARCHAR(60),
    tanggal_lahir        DATE         NOT NULL,
    pendidikan_terakhir  VARCHAR(10),
    alamat               VARCHAR(300),
    kode_wilayah         VARCHAR(13)  REFERENCES ref_wilayah (kode_wilayah),  -- domicile, desa/kelurahan level
    no_hp                VARCHAR(20),
    email                VARCHAR(100),
    ragam_disabilitas    VARCHAR(60),
    no_kpj               VARCHAR(11),              -- BPJS Ketenagakerjaan member no.; filled for JKP trainees
    status_pekerjaan     VARCHAR(20)  CHECK (status_pekerjaan IN ('Bekerja', 'Korban PHK', 'Belum Bekerja', 'Wirausaha')),
    dibuat_pada          TIMESTAMP    NOT NULL
);
CREATE INDEX idx_peserta_nik ON peserta (nik);

-- Registration of a trainee in a batch. (id_angkatan, id_peserta) is expected
-- to be unique (not enforced). status_akhir is NULL until the batch ends.
-- nilai_akhir 0..100, persen_kehadiran 0..100 (not enforced).
CREATE TABLE pendaftaran (
    id_pendaftaran    INTEGER      PRIMARY KEY,
    id_angkatan       INTEGER      NOT NULL REFERENCES angkatan (id_angkatan),
    id_peserta        INTEGER      NOT NULL REFERENCES peserta (id_peserta),
    tgl_daftar        DATE         NOT NULL,
    jalur             VARCHAR(20)  NOT NULL CHECK (jalur IN ('Umum', 'JKP', 'Serikat Pekerja', 'Disabilitas')),
    status_seleksi    VARCHAR(10)  NOT NULL CHECK (status_seleksi IN ('Diterima', 'Cadangan', 'Ditolak')),
    status_akhir      VARCHAR(20)  CHECK (status_akhir IN ('Lulus', 'Tidak Lulus', 'Mengundurkan Diri')),
    nilai_akhir       NUMERIC(5,2),
    persen_kehadiran  NUMERIC(5,2)
);
CREATE INDEX idx_pendaftaran_angkatan ON pendaftaran (id_angkatan);
CREATE INDEX idx_pendaftaran_peserta ON pendaftaran (id_peserta);

-- Certificates. 'Sertifikat Pelatihan' is issued by the institution on passing;
-- 'Sertifikat Kompetensi' is issued by an LSP after a competency test
-- (rekomendasi K = kompeten, BK = belum kompeten; BK rows have no number).
CREATE TABLE sertifikasi (
    id_sertifikasi     INTEGER      PRIMARY KEY,
    id_pendaftaran     INTEGER      NOT NULL REFERENCES pendaftaran (id_pendaftaran),
    jenis_sertifikat   VARCHAR(30)  NOT NULL CHECK (jenis_sertifikat IN ('Sertifikat Pelatihan', 'Sertifikat Kompetensi')),
    id_lsp             INTEGER      REFERENCES lsp (id_lsp),
    skema_sertifikasi  VARCHAR(200),
    tgl_uji            DATE,
    rekomendasi        CHAR(2)      CHECK (rekomendasi IN ('K', 'BK')),
    nomor_sertifikat   VARCHAR(60),
    nomor_registrasi   VARCHAR(60),
    tgl_terbit         DATE,
    berlaku_sampai     DATE
);
CREATE INDEX idx_sertifikasi_pendaftaran ON sertifikasi (id_pendaftaran);

-- Post-training placement (tracer study). kode_wilayah_kerja at kab/kota level.
CREATE TABLE penempatan (
    id_penempatan       INTEGER      PRIMARY KEY,
    id_pendaftaran      INTEGER      NOT NULL REFERENCES pendaftaran (id_pendaftaran),
    status_penempatan   VARCHAR(15)  NOT NULL CHECK (status_penempatan IN ('Bekerja', 'Wirausaha', 'Belum Bekerja')),
    nama_perusahaan     VARCHAR(200),
    jabatan             VARCHAR(150),
    kode_wilayah_kerja  VARCHAR(13)  REFERENCES ref_wilayah (kode_wilayah),
    tgl_mulai_kerja     DATE,
    tgl_lapor           DATE         NOT NULL,
    sumber_info         VARCHAR(30)
);
CREATE INDEX idx_penempatan_pendaftaran ON penempatan (id_pendaftaran);

-- Partnerships and engagements of an institution.
CREATE TABLE kemitraan (
    id_kemitraan   INTEGER      PRIMARY KEY,
    id_lembaga     INTEGER      NOT NULL REFERENCES lembaga (id_lembaga),
    nama_mitra     VARCHAR(200) NOT NULL,
    jenis_mitra    VARCHAR(25)  NOT NULL CHECK (jenis_mitra IN ('Industri', 'Serikat Pekerja', 'Asosiasi Pengusaha', 'Pemerintah Daerah', 'Lainnya')),
    bentuk         VARCHAR(15)  NOT NULL CHECK (bentuk IN ('MoU', 'PKS', 'Kunjungan', 'Pembinaan')),
    nomor_dokumen  VARCHAR(80),
    tgl_mulai      DATE,
    tgl_berakhir   DATE,
    keterangan     TEXT
);
