//! Plans for training centres (`lembaga`), courses (distinct `angkatan` (lembaga, program)
//! pairs), course runs (`angkatan`) and partnerships (`kemitraan`).

use sea_orm::sea_query::{Alias, Expr, JoinType, SelectStatement};

use super::{from, join, join_kejuruan, orphans, typed, Key, Plan, Reject};
use crate::entity::{
    angkatan as an, kejuruan as kj, kemitraan as km, lembaga as lb, lembaga_kejuruan as lk,
    program_pelatihan as pp,
};
use crate::mapping::values::{
    DELIVERY_MODE, FUNDING_SCHEME, INSTITUTION_TYPE, PARTNERSHIP_KIND, RUN_STATUS,
};
use crate::query::dialect::{as_text, col, course_key, opt_text, scalar, select, Dialect};
use crate::query::filter::{FieldDef, Kind};

/// `lembaga l LEFT JOIN lembaga lp` (the supervisor).
pub fn centers(d: Dialect) -> Plan {
    let mut from = from(lb::Entity, "l");
    join(
        &mut from,
        JoinType::LeftJoin,
        lb::Entity,
        "lp",
        (
            col("lp", lb::Column::IdLembaga),
            col("l", lb::Column::IdLembagaPembina),
        ),
    );
    // The institution's fields, as one JSON text (a correlated subquery keeps it one statement).
    let mut fields_json = select();
    fields_json
        .expr(d.json_pairs(
            col("k2", kj::Column::KodeKejuruan),
            col("k2", kj::Column::NamaKejuruan),
        ))
        .from_as(lk::Entity, Alias::new("lk2"));
    join(
        &mut fields_json,
        JoinType::InnerJoin,
        kj::Entity,
        "k2",
        (
            col("k2", kj::Column::IdKejuruan),
            col("lk2", lk::Column::IdKejuruan),
        ),
    );
    fields_json.and_where(
        Expr::expr(col("lk2", lk::Column::IdLembaga)).eq(col("l", lb::Column::IdLembaga)),
    );
    let region = opt_text(d, col("l", lb::Column::KodeWilayah));
    Plan {
        from,
        keep: None,
        columns: vec![
            ("kode_lembaga", col("l", lb::Column::KodeLembaga)),
            ("nama_lembaga", col("l", lb::Column::NamaLembaga)),
            ("nama_alias", col("l", lb::Column::NamaAlias)),
            ("jenis_lembaga", col("l", lb::Column::JenisLembaga)),
            ("status_pengelola", col("l", lb::Column::StatusPengelola)),
            (
                "id_lembaga_pembina",
                d.int(col("l", lb::Column::IdLembagaPembina)),
            ),
            ("kode_pembina", col("lp", lb::Column::KodeLembaga)),
            ("alamat", col("l", lb::Column::Alamat)),
            ("kode_wilayah", col("l", lb::Column::KodeWilayah)),
            ("telepon", col("l", lb::Column::Telepon)),
            ("email", col("l", lb::Column::Email)),
            ("tahun_berdiri", d.int(col("l", lb::Column::TahunBerdiri))),
            ("aktif", d.boolean(col("l", lb::Column::Aktif))),
            (
                "mistyped",
                d.mistyped(&[
                    typed(
                        d,
                        "tahun_berdiri",
                        col("l", lb::Column::TahunBerdiri),
                        Dialect::int,
                    ),
                    typed(d, "aktif", col("l", lb::Column::Aktif), Dialect::boolean),
                ]),
            ),
            ("kejuruan", scalar(fields_json)),
        ],
        fields: vec![
            FieldDef::new("sourceId", Kind::Text, col("l", lb::Column::KodeLembaga)),
            FieldDef::new("name", Kind::Text, col("l", lb::Column::NamaLembaga)),
            FieldDef::vocab(
                "institutionType",
                d,
                INSTITUTION_TYPE,
                col("l", lb::Column::JenisLembaga),
            ),
            FieldDef::new("regionCode", Kind::Text, region),
            FieldDef::new("active", Kind::Bool, d.boolean(col("l", lb::Column::Aktif))),
            // The supervisor's code, null when `id_lembaga_pembina` names no institution (as
            // the mapping serves it).
            FieldDef::new(
                "supervisorId",
                Kind::Text,
                col("lp", lb::Column::KodeLembaga),
            ),
        ],
        key: Key::Text(col("l", lb::Column::KodeLembaga)),
        natural: vec![col("l", lb::Column::IdLembaga)],
        rejects: Vec::new(),
    }
}

/// `(SELECT DISTINCT id_lembaga, id_program FROM angkatan) c` joined to `lembaga l`,
/// `program_pelatihan p` and (left) `kejuruan k`.
pub fn courses(d: Dialect) -> Plan {
    let mut pairs = select();
    pairs
        .distinct()
        .column((Alias::new("a2"), an::Column::IdLembaga))
        .column((Alias::new("a2"), an::Column::IdProgram))
        .from_as(an::Entity, Alias::new("a2"));
    let mut from = SelectStatement::new();
    from.from_subquery(pairs, Alias::new("c"));
    join(
        &mut from,
        JoinType::InnerJoin,
        lb::Entity,
        "l",
        (
            col("l", lb::Column::IdLembaga),
            col("c", an::Column::IdLembaga),
        ),
    );
    join(
        &mut from,
        JoinType::InnerJoin,
        pp::Entity,
        "p",
        (
            col("p", pp::Column::IdProgram),
            col("c", an::Column::IdProgram),
        ),
    );
    join_kejuruan(&mut from);
    let key = course_key(
        d,
        col("l", lb::Column::KodeLembaga),
        col("p", pp::Column::KodeProgram),
    );
    Plan {
        from,
        keep: None,
        columns: vec![
            ("kode_lembaga", col("l", lb::Column::KodeLembaga)),
            ("kode_program", col("p", pp::Column::KodeProgram)),
            ("nama_program", col("p", pp::Column::NamaProgram)),
            ("kode_kbji", col("p", pp::Column::KodeKbji)),
            ("kode_kejuruan", col("k", kj::Column::KodeKejuruan)),
            ("nama_kejuruan", col("k", kj::Column::NamaKejuruan)),
        ],
        fields: vec![
            FieldDef::new("sourceId", Kind::Text, key.clone()),
            FieldDef::new("name", Kind::Text, col("p", pp::Column::NamaProgram)),
            FieldDef::new("trainingType", Kind::AlwaysNull, Expr::cust("NULL")),
            FieldDef::new(
                "occupationCode",
                Kind::Text,
                opt_text(d, col("p", pp::Column::KodeKbji)),
            ),
            FieldDef::new(
                "trainingCenterId",
                Kind::Text,
                col("l", lb::Column::KodeLembaga),
            ),
            // `Course.programId` is the programme's key, as `Program.sourceId` is.
            FieldDef::new("programId", Kind::Text, col("p", pp::Column::KodeProgram)),
        ],
        key: Key::Text(key),
        natural: vec![
            col("c", an::Column::IdLembaga),
            col("c", an::Column::IdProgram),
        ],
        rejects: Vec::new(),
    }
}

/// `angkatan a JOIN lembaga l JOIN program_pelatihan p`.
pub fn runs(d: Dialect) -> Plan {
    let mut from = from(an::Entity, "a");
    join(
        &mut from,
        JoinType::InnerJoin,
        lb::Entity,
        "l",
        (
            col("l", lb::Column::IdLembaga),
            col("a", an::Column::IdLembaga),
        ),
    );
    join(
        &mut from,
        JoinType::InnerJoin,
        pp::Entity,
        "p",
        (
            col("p", pp::Column::IdProgram),
            col("a", an::Column::IdProgram),
        ),
    );
    let start = d.date(col("a", an::Column::TglMulai));
    let end = d.date(col("a", an::Column::TglSelesai));
    // End before start: null, as the mapping does. PostgreSQL compares the DATEs themselves.
    let end = match d {
        Dialect::Sqlite => d.sql(
            "(CASE WHEN $1 < $2 THEN NULL ELSE $1 END)",
            &[end, start.clone()],
        ),
        Dialect::Postgres => d.sql(
            "(CASE WHEN $1 < $2 THEN NULL ELSE $3 END)",
            &[
                col("a", an::Column::TglSelesai),
                col("a", an::Column::TglMulai),
                end,
            ],
        ),
    };
    let orphan_query = orphans(
        d,
        an::Entity,
        an::Column::IdAngkatan,
        &from,
        col("a", an::Column::IdAngkatan),
    );
    Plan {
        columns: vec![
            ("kode_angkatan", col("a", an::Column::KodeAngkatan)),
            ("kode_lembaga", col("l", lb::Column::KodeLembaga)),
            ("kode_program", col("p", pp::Column::KodeProgram)),
            ("tgl_mulai", d.date_text(col("a", an::Column::TglMulai))),
            ("tgl_selesai", d.date_text(col("a", an::Column::TglSelesai))),
            ("status_angkatan", col("a", an::Column::StatusAngkatan)),
            ("moda", col("a", an::Column::Moda)),
            ("skema_pembiayaan", col("a", an::Column::SkemaPembiayaan)),
            ("kode_wilayah", col("l", lb::Column::KodeWilayah)),
            ("kuota", d.int(col("a", an::Column::Kuota))),
            ("durasi_jp", d.int(col("p", pp::Column::DurasiJp))),
            ("tahun_anggaran", d.int(col("a", an::Column::TahunAnggaran))),
            ("gelombang", d.int(col("a", an::Column::Gelombang))),
            (
                "mistyped",
                d.mistyped(&[
                    typed(d, "kuota", col("a", an::Column::Kuota), Dialect::int),
                    typed(d, "durasi_jp", col("p", pp::Column::DurasiJp), Dialect::int),
                    typed(
                        d,
                        "tahun_anggaran",
                        col("a", an::Column::TahunAnggaran),
                        Dialect::int,
                    ),
                    typed(
                        d,
                        "gelombang",
                        col("a", an::Column::Gelombang),
                        Dialect::int,
                    ),
                ]),
            ),
            ("instruktur", col("a", an::Column::Instruktur)),
            ("catatan", col("a", an::Column::Catatan)),
        ],
        fields: vec![
            FieldDef::new("sourceId", Kind::Text, col("a", an::Column::KodeAngkatan)),
            FieldDef::new("code", Kind::Text, col("a", an::Column::KodeAngkatan)),
            FieldDef::vocab(
                "status",
                d,
                RUN_STATUS,
                col("a", an::Column::StatusAngkatan),
            ),
            FieldDef::date("startDate", d, col("a", an::Column::TglMulai)),
            FieldDef::new("endDate", Kind::Text, end),
            FieldDef::new(
                "fiscalYear",
                Kind::Int,
                d.int(col("a", an::Column::TahunAnggaran)),
            ),
            FieldDef::vocab("deliveryMode", d, DELIVERY_MODE, col("a", an::Column::Moda)),
            // NULL unless positive, as the mapping's `positive` serves it.
            FieldDef::new(
                "capacity",
                Kind::Int,
                d.sql(
                    "(CASE WHEN $1 > 0 THEN $1 END)",
                    &[d.int(col("a", an::Column::Kuota))],
                ),
            ),
            FieldDef::vocab(
                "fundingScheme",
                d,
                FUNDING_SCHEME,
                col("a", an::Column::SkemaPembiayaan),
            ),
            FieldDef::new(
                "regionCode",
                Kind::Text,
                opt_text(d, col("l", lb::Column::KodeWilayah)),
            ),
            FieldDef::new(
                "courseId",
                Kind::Text,
                course_key(
                    d,
                    col("l", lb::Column::KodeLembaga),
                    col("p", pp::Column::KodeProgram),
                ),
            ),
            FieldDef::new(
                "trainingCenterId",
                Kind::Text,
                col("l", lb::Column::KodeLembaga),
            ),
        ],
        key: Key::Text(col("a", an::Column::KodeAngkatan)),
        natural: vec![col("a", an::Column::IdAngkatan)],
        rejects: vec![Reject {
            table: "angkatan",
            id_column: "id_angkatan",
            query: orphan_query,
            code: "REFERENCE_NOT_FOUND",
            reason: "its institution (`id_lembaga`) or programme (`id_program`) does not exist",
        }],
        from,
        keep: None,
    }
}

/// `kemitraan m JOIN lembaga l`.
pub fn partnerships(d: Dialect) -> Plan {
    let mut from = from(km::Entity, "m");
    join(
        &mut from,
        JoinType::InnerJoin,
        lb::Entity,
        "l",
        (
            col("l", lb::Column::IdLembaga),
            col("m", km::Column::IdLembaga),
        ),
    );
    let orphan_query = orphans(
        d,
        km::Entity,
        km::Column::IdKemitraan,
        &from,
        col("m", km::Column::IdKemitraan),
    );
    Plan {
        columns: vec![
            ("id_kemitraan", d.key(col("m", km::Column::IdKemitraan))),
            ("kode_lembaga", col("l", lb::Column::KodeLembaga)),
            ("nama_lembaga", col("l", lb::Column::NamaLembaga)),
            ("jenis_lembaga", col("l", lb::Column::JenisLembaga)),
            ("nama_mitra", col("m", km::Column::NamaMitra)),
            ("jenis_mitra", col("m", km::Column::JenisMitra)),
            ("bentuk", col("m", km::Column::Bentuk)),
            ("nomor_dokumen", col("m", km::Column::NomorDokumen)),
            ("tgl_mulai", d.date_text(col("m", km::Column::TglMulai))),
            (
                "tgl_berakhir",
                d.date_text(col("m", km::Column::TglBerakhir)),
            ),
            ("keterangan", col("m", km::Column::Keterangan)),
        ],
        fields: vec![
            FieldDef::new(
                "sourceId",
                Kind::Text,
                as_text(d, col("m", km::Column::IdKemitraan)),
            ),
            FieldDef::vocab("kind", d, PARTNERSHIP_KIND, col("m", km::Column::Bentuk)),
            FieldDef::date("signedOn", d, col("m", km::Column::TglMulai)),
            // Its one party that is a centre (the other, `nama_mitra`, is not a record here).
            FieldDef::new(
                "trainingCenterId",
                Kind::Text,
                col("l", lb::Column::KodeLembaga),
            ),
        ],
        key: Key::Int(col("m", km::Column::IdKemitraan)),
        natural: vec![col("m", km::Column::IdKemitraan)],
        rejects: vec![Reject {
            table: "kemitraan",
            id_column: "id_kemitraan",
            query: orphan_query,
            code: "REFERENCE_NOT_FOUND",
            reason: "its institution (`id_lembaga`) does not exist",
        }],
        from,
        keep: None,
    }
}
