//! Plans for participants (`peserta`), enrolments (`pendaftaran`, duplicates merged into the
//! lowest id) and outcomes (`penempatan`, the latest report per enrolment).

use sea_orm::sea_query::{Alias, Expr, JoinType, Order, SelectStatement, SimpleExpr};

use super::{from, join, orphans, typed, Key, Plan, Projection, Reject};
use crate::entity::{
    angkatan as an, lembaga as lb, pendaftaran as pd, penempatan as pn, peserta as ps,
    program_pelatihan as pp,
};
use crate::mapping::values::{
    EDUCATION, EMPLOYMENT, FINAL_RESULT, OUTCOME_STATUS, ROUTE, RUN_STATUS_RUNNING,
    SELECTION_REJECTED, SEX,
};
use crate::query::dialect::{
    as_text, col, exists, lit, opt_text, percent, regency, scalar, select, vocab, Dialect,
};
use crate::query::filter::{FieldDef, Kind};

/// The trimmed NIKs that several `peserta` rows hold (`nik`), as one grouped scan: the adapter
/// keeps them for a while ([`crate::identity::PersonIndex::shared_niks`]) rather than join
/// them into every page of participants, which would group the whole table for each page.
pub fn shared_niks(d: Dialect) -> SelectStatement {
    let mut shared = select();
    shared
        .expr_as(trim(d, col("s2", ps::Column::Nik)), Alias::new("nik"))
        .from_as(ps::Entity, Alias::new("s2"))
        .and_where(Expr::expr(col("s2", ps::Column::Nik)).is_not_null())
        .add_group_by([trim(d, col("s2", ps::Column::Nik))])
        .and_having(Expr::cust("COUNT(*) > 1"));
    shared
}

/// What a participants projection reads: the key, and the columns of the fields named; the
/// other columns (the KPJ, the phone, the first registration, the personal ones) serve no
/// filter field, so a projection leaves them NULL.
pub const PARTICIPANT_PROJECTION: Projection = Projection {
    always: &["id_peserta"],
    columns: &[
        ("nik", &["nikValid", "personKey", "nikKey"]),
        ("jenis_kelamin", &["sex"]),
        ("tanggal_lahir", &["birthYear"]),
        ("pendidikan_terakhir", &["education"]),
        ("kode_wilayah", &["domicileRegencyCode"]),
        ("status_pekerjaan", &["employmentStatusAtRegistration"]),
    ],
};

/// What an enrolments projection reads: the keys (its own, its participant's and its run's),
/// and the columns of the fields named; the duplicate check and the mistyped-cell check only
/// make warnings, which a projection does not send.
pub const ENROLLMENT_PROJECTION: Projection = Projection {
    always: &["id_pendaftaran", "id_peserta", "kode_angkatan"],
    columns: &[
        ("tgl_daftar", &["registeredOn"]),
        ("jalur", &["route"]),
        ("status_seleksi", &["status"]),
        ("status_akhir", &["status"]),
        ("status_angkatan", &["status"]),
        ("nilai_akhir", &["finalScore"]),
        ("persen_kehadiran", &["attendancePercent"]),
    ],
};

/// What an outcomes projection reads: its key and its kept enrolment's, and the columns of the
/// fields named; the merged-report check only makes a warning, and the employer, job, start
/// date and source serve no filter field.
pub const OUTCOME_PROJECTION: Projection = Projection {
    always: &["id_penempatan", "id_enrollment"],
    columns: &[
        ("status_penempatan", &["status"]),
        ("kode_wilayah_kerja", &["workRegionCode"]),
        ("tgl_lapor", &["observedAt"]),
    ],
};

/// `peserta s`. Clear-text personal columns are projected as NULL unless `include_pii`; the
/// NIK, KPJ, phone and birth date are always read, to validate and mask them.
pub fn participants(d: Dialect, include_pii: bool) -> Plan {
    let from = from(ps::Entity, "s");
    let mut first = select();
    first
        .expr(Expr::expr(col("d2", pd::Column::TglDaftar)).min())
        .from_as(pd::Entity, Alias::new("d2"))
        .and_where(
            Expr::expr(col("d2", pd::Column::IdPeserta)).eq(col("s", ps::Column::IdPeserta)),
        );
    let personal = |column: ps::Column| {
        if include_pii {
            col("s", column)
        } else {
            Expr::cust("NULL")
        }
    };
    Plan {
        from,
        keep: None,
        columns: vec![
            ("id_peserta", d.key(col("s", ps::Column::IdPeserta))),
            ("nik", col("s", ps::Column::Nik)),
            ("jenis_kelamin", col("s", ps::Column::JenisKelamin)),
            (
                "tanggal_lahir",
                d.date_text(col("s", ps::Column::TanggalLahir)),
            ),
            (
                "pendidikan_terakhir",
                col("s", ps::Column::PendidikanTerakhir),
            ),
            ("kode_wilayah", col("s", ps::Column::KodeWilayah)),
            ("no_kpj", col("s", ps::Column::NoKpj)),
            ("status_pekerjaan", col("s", ps::Column::StatusPekerjaan)),
            ("no_hp", col("s", ps::Column::NoHp)),
            ("first_registration", d.date_text(scalar(first))),
            ("nama_lengkap", personal(ps::Column::NamaLengkap)),
            ("tempat_lahir", personal(ps::Column::TempatLahir)),
            ("alamat", personal(ps::Column::Alamat)),
            ("email", personal(ps::Column::Email)),
            ("ragam_disabilitas", personal(ps::Column::RagamDisabilitas)),
        ],
        fields: vec![
            FieldDef::new(
                "sourceId",
                Kind::Text,
                as_text(d, col("s", ps::Column::IdPeserta)),
            ),
            FieldDef::vocab("sex", d, SEX, col("s", ps::Column::JenisKelamin)),
            FieldDef::new(
                "birthYear",
                Kind::Int,
                d.year(col("s", ps::Column::TanggalLahir)),
            ),
            FieldDef::new(
                "domicileRegencyCode",
                Kind::Text,
                regency(d, opt_text(d, col("s", ps::Column::KodeWilayah))),
            ),
            FieldDef::vocab(
                "employmentStatusAtRegistration",
                d,
                EMPLOYMENT,
                col("s", ps::Column::StatusPekerjaan),
            ),
            FieldDef::vocab(
                "education",
                d,
                EDUCATION,
                col("s", ps::Column::PendidikanTerakhir),
            ),
            FieldDef::new(
                "nikValid",
                Kind::Bool,
                nik_valid(d, col("s", ps::Column::Nik)),
            ),
            // Internal: the trimmed NIK, compared only by the person-key rewrite
            // (`crate::identity`), never by a caller (the gateway validates fields first).
            FieldDef::new("nikKey", Kind::Text, trim(d, col("s", ps::Column::Nik))),
        ],
        key: Key::Int(col("s", ps::Column::IdPeserta)),
        natural: vec![col("s", ps::Column::IdPeserta)],
        rejects: Vec::new(),
    }
}

fn trim(d: Dialect, e: SimpleExpr) -> SimpleExpr {
    d.sql("TRIM($1)", &[e])
}

/// Whether the trimmed NIK is 16 ASCII digits with a possible day (01–31, women 41–71) and
/// month (01–12): the twin of [`crate::mapping::people::check_nik`]. Never NULL.
pub fn nik_valid(d: Dialect, nik: SimpleExpr) -> SimpleExpr {
    let t = trim(d, nik);
    let date_part = d.sql(
        "((CAST(substr($1, 7, 2) AS INTEGER) BETWEEN 1 AND 31 \
         OR CAST(substr($1, 7, 2) AS INTEGER) BETWEEN 41 AND 71) \
         AND CAST(substr($1, 9, 2) AS INTEGER) BETWEEN 1 AND 12)",
        std::slice::from_ref(&t),
    );
    match d {
        Dialect::Sqlite => d.sql(
            "(CASE WHEN length($1) = 16 AND $1 NOT GLOB $2 AND $3 THEN 1 ELSE 0 END)",
            &[t, lit("*[^0-9]*"), date_part],
        ),
        Dialect::Postgres => d.sql(
            "(CASE WHEN $1 ~ $2 THEN $3 ELSE FALSE END)",
            &[t, lit("^[0123456789]{16}$"), date_part],
        ),
    }
}

/// `pendaftaran d2` rows of the same (batch, trainee) pair as `d`, filtered by `extra`.
pub(super) fn same_pair(extra: SimpleExpr) -> SelectStatement {
    let mut s = select();
    s.from_as(pd::Entity, Alias::new("d2"))
        .and_where(
            Expr::expr(col("d2", pd::Column::IdAngkatan)).eq(col("d", pd::Column::IdAngkatan)),
        )
        .and_where(Expr::expr(col("d2", pd::Column::IdPeserta)).eq(col("d", pd::Column::IdPeserta)))
        .and_where(extra);
    s
}

/// The lowest `id_pendaftaran` of `d`'s (batch, trainee) pair: the enrolment that is kept.
pub(super) fn kept_enrollment() -> SimpleExpr {
    let mut s = same_pair(Expr::cust("1 = 1"));
    s.expr(Expr::expr(col("d2", pd::Column::IdPendaftaran)).min());
    scalar(s)
}

/// `d.id_pendaftaran IN (…)`: the registrations of the (batch, trainee) pairs of the
/// registrations `keys`, a condition every row whose [`kept_enrollment`] is one of `keys`
/// meets, read through the primary key and the pair's index (SQLite's plan:
/// `idx_pendaftaran_peserta`).
pub(super) fn of_pairs_of(keys: &[i64]) -> SimpleExpr {
    let mut pairs = select();
    pairs
        .expr(col("d3", pd::Column::IdPendaftaran))
        .from_as(pd::Entity, Alias::new("d4"));
    pairs.join_as(
        JoinType::InnerJoin,
        pd::Entity,
        Alias::new("d3"),
        Expr::expr(col("d3", pd::Column::IdAngkatan))
            .eq(col("d4", pd::Column::IdAngkatan))
            .and(Expr::expr(col("d3", pd::Column::IdPeserta)).eq(col("d4", pd::Column::IdPeserta))),
    );
    pairs.and_where(Expr::expr(col("d4", pd::Column::IdPendaftaran)).is_in(keys.iter().copied()));
    Expr::expr(col("d", pd::Column::IdPendaftaran)).in_subquery(pairs)
}

/// `d` joined to its batch (with the batch's institution and programme) and its trainee, so
/// that only enrolments whose run and participant are served are served.
pub(super) fn enrollment_chain(mut from: SelectStatement) -> SelectStatement {
    join(
        &mut from,
        JoinType::InnerJoin,
        an::Entity,
        "a",
        (
            col("a", an::Column::IdAngkatan),
            col("d", pd::Column::IdAngkatan),
        ),
    );
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
    join(
        &mut from,
        JoinType::InnerJoin,
        ps::Entity,
        "s",
        (
            col("s", ps::Column::IdPeserta),
            col("d", pd::Column::IdPeserta),
        ),
    );
    from
}

/// `Enrollment.status` in SQL: the twin of [`crate::mapping::values::enrollment_status`].
fn enrollment_status(d: Dialect) -> SimpleExpr {
    let result = opt_text(d, col("d", pd::Column::StatusAkhir));
    Expr::case(
        Expr::expr(result).is_not_null(),
        vocab(d, &FINAL_RESULT, col("d", pd::Column::StatusAkhir)),
    )
    .case(
        Expr::expr(opt_text(d, col("d", pd::Column::StatusSeleksi))).eq(lit(SELECTION_REJECTED)),
        lit("REJECTED"),
    )
    .case(
        Expr::expr(opt_text(d, col("a", an::Column::StatusAngkatan))).eq(lit(RUN_STATUS_RUNNING)),
        lit("IN_PROGRESS"),
    )
    .finally(lit("REGISTERED"))
    .into()
}

/// `pendaftaran d` with its batch and trainee; the lowest id of a (batch, trainee) pair kept.
pub fn enrollments(d: Dialect) -> Plan {
    let from = enrollment_chain(from(pd::Entity, "d"));
    let lower =
        Expr::expr(col("d2", pd::Column::IdPendaftaran)).lt(col("d", pd::Column::IdPendaftaran));
    let higher =
        Expr::expr(col("d2", pd::Column::IdPendaftaran)).gt(col("d", pd::Column::IdPendaftaran));
    let keep = exists(same_pair(lower)).not();
    let mut duplicates = from.clone();
    duplicates
        .expr_as(d.key(col("d", pd::Column::IdPendaftaran)), Alias::new("id"))
        .expr_as(d.key(kept_enrollment()), Alias::new("other"))
        .and_where(keep.clone().not());
    let orphan_query = orphans(
        d,
        pd::Entity,
        pd::Column::IdPendaftaran,
        &from,
        col("d", pd::Column::IdPendaftaran),
    );
    Plan {
        columns: vec![
            ("id_pendaftaran", d.key(col("d", pd::Column::IdPendaftaran))),
            ("id_peserta", d.key(col("d", pd::Column::IdPeserta))),
            ("kode_angkatan", col("a", an::Column::KodeAngkatan)),
            ("tgl_daftar", d.date_text(col("d", pd::Column::TglDaftar))),
            ("jalur", col("d", pd::Column::Jalur)),
            ("status_seleksi", col("d", pd::Column::StatusSeleksi)),
            ("status_akhir", col("d", pd::Column::StatusAkhir)),
            ("status_angkatan", col("a", an::Column::StatusAngkatan)),
            ("nilai_akhir", d.float(col("d", pd::Column::NilaiAkhir))),
            (
                "persen_kehadiran",
                d.float(col("d", pd::Column::PersenKehadiran)),
            ),
            ("has_duplicates", exists(same_pair(higher))),
            (
                "mistyped",
                d.mistyped(&[
                    typed(
                        d,
                        "nilai_akhir",
                        col("d", pd::Column::NilaiAkhir),
                        Dialect::float,
                    ),
                    typed(
                        d,
                        "persen_kehadiran",
                        col("d", pd::Column::PersenKehadiran),
                        Dialect::float,
                    ),
                ]),
            ),
        ],
        fields: vec![
            FieldDef::new(
                "sourceId",
                Kind::Text,
                as_text(d, col("d", pd::Column::IdPendaftaran)),
            ),
            FieldDef::new("status", Kind::Text, enrollment_status(d)),
            FieldDef::vocab("route", d, ROUTE, col("d", pd::Column::Jalur)),
            FieldDef::date("registeredOn", d, col("d", pd::Column::TglDaftar)),
            FieldDef::new(
                "finalScore",
                Kind::Float,
                percent(d, d.float(col("d", pd::Column::NilaiAkhir))),
            ),
            FieldDef::new(
                "attendancePercent",
                Kind::Float,
                percent(d, d.float(col("d", pd::Column::PersenKehadiran))),
            ),
            FieldDef::new(
                "participantId",
                Kind::Text,
                as_text(d, col("d", pd::Column::IdPeserta)),
            ),
            FieldDef::new(
                "courseRunId",
                Kind::Text,
                col("a", an::Column::KodeAngkatan),
            ),
        ],
        key: Key::Int(col("d", pd::Column::IdPendaftaran)),
        natural: vec![col("d", pd::Column::IdPendaftaran)],
        rejects: vec![
            Reject {
                table: "pendaftaran",
                id_column: "id_pendaftaran",
                query: duplicates,
                code: "DUPLICATE_KEY_CONFLICT",
                reason: "the same trainee is registered in the same batch as id_pendaftaran \
                         {other}; the lowest id is kept",
            },
            Reject {
                table: "pendaftaran",
                id_column: "id_pendaftaran",
                query: orphan_query,
                code: "REFERENCE_NOT_FOUND",
                reason: "its batch or trainee does not exist, or its batch is rejected",
            },
        ],
        from,
        keep: Some(keep),
    }
}

/// `what` (an expression over `penempatan t`) of the report [`outcomes`] keeps for `d`'s
/// (batch, trainee) pair (the latest, by `tgl_lapor` then id, filed against any registration
/// of the pair), NULL when there is none; when `d` is a kept registration, that is its
/// outcome. One correlated scalar subquery answered through the indexes on
/// `pendaftaran.id_peserta` and `penempatan.id_pendaftaran`.
///
/// The outcome plan's `keep` says "no later report of the pair" (`NOT EXISTS`); here the
/// pair's reports are sorted latest first and the first taken, the same report (`tgl_lapor`
/// is `NOT NULL`, ids are unique, and both engines sort a column as its `>` compares it) for
/// half the index lookups: the `NOT EXISTS` looked the pair up again for each report.
pub fn latest_outcome(what: SimpleExpr) -> SimpleExpr {
    let mut s = select();
    s.expr(what).from_as(pn::Entity, Alias::new("t"));
    join(
        &mut s,
        JoinType::InnerJoin,
        pd::Entity,
        "d3",
        (
            col("d3", pd::Column::IdPendaftaran),
            col("t", pn::Column::IdPendaftaran),
        ),
    );
    s.and_where(Expr::expr(col("d3", pd::Column::IdAngkatan)).eq(col("d", pd::Column::IdAngkatan)))
        .and_where(
            Expr::expr(col("d3", pd::Column::IdPeserta)).eq(col("d", pd::Column::IdPeserta)),
        );
    s.order_by_expr(col("t", pn::Column::TglLapor), Order::Desc)
        .order_by_expr(col("t", pn::Column::IdPenempatan), Order::Desc)
        .limit(1);
    scalar(s)
}

/// The enrolment plan's `keep` (no registration of the pair has a lower id), with the pair
/// named by the joined run `a` and trainee `s` rather than by `d`'s own columns: the same rows
/// (the chain joins them on those columns), but SQLite evaluates a condition once the last
/// table it names is joined, so the filters on the run and the trainee run before this lookup.
pub fn kept_after_joins() -> SimpleExpr {
    let mut s = select();
    s.from_as(pd::Entity, Alias::new("d2"))
        .and_where(
            Expr::expr(col("d2", pd::Column::IdAngkatan)).eq(col("a", an::Column::IdAngkatan)),
        )
        .and_where(Expr::expr(col("d2", pd::Column::IdPeserta)).eq(col("s", ps::Column::IdPeserta)))
        .and_where(
            Expr::expr(col("d2", pd::Column::IdPendaftaran))
                .lt(col("d", pd::Column::IdPendaftaran)),
        );
    exists(s).not()
}

/// `penempatan t` with its enrolment chain; only the latest report (by `tgl_lapor`, then id)
/// of each kept enrolment, attached to that enrolment.
pub fn outcomes(d: Dialect) -> Plan {
    let mut from = from(pn::Entity, "t");
    join(
        &mut from,
        JoinType::InnerJoin,
        pd::Entity,
        "d",
        (
            col("d", pd::Column::IdPendaftaran),
            col("t", pn::Column::IdPendaftaran),
        ),
    );
    let from = enrollment_chain(from);
    let mut later = select();
    later.from_as(pn::Entity, Alias::new("t2"));
    join(
        &mut later,
        JoinType::InnerJoin,
        pd::Entity,
        "d2",
        (
            col("d2", pd::Column::IdPendaftaran),
            col("t2", pn::Column::IdPendaftaran),
        ),
    );
    later
        .and_where(
            Expr::expr(col("d2", pd::Column::IdAngkatan)).eq(col("d", pd::Column::IdAngkatan)),
        )
        .and_where(Expr::expr(col("d2", pd::Column::IdPeserta)).eq(col("d", pd::Column::IdPeserta)))
        .and_where(
            Expr::expr(col("t2", pn::Column::TglLapor))
                .gt(col("t", pn::Column::TglLapor))
                .or(Expr::expr(col("t2", pn::Column::TglLapor))
                    .eq(col("t", pn::Column::TglLapor))
                    .and(
                        Expr::expr(col("t2", pn::Column::IdPenempatan))
                            .gt(col("t", pn::Column::IdPenempatan)),
                    )),
        );
    let keep = exists(later).not();
    let mut superseded = from.clone();
    superseded
        .expr_as(d.key(col("t", pn::Column::IdPenempatan)), Alias::new("id"))
        .expr_as(Expr::cust("NULL"), Alias::new("other"))
        .and_where(keep.clone().not());
    let orphan_query = orphans(
        d,
        pn::Entity,
        pn::Column::IdPenempatan,
        &from,
        col("t", pn::Column::IdPenempatan),
    );
    let lower =
        Expr::expr(col("d2", pd::Column::IdPendaftaran)).lt(col("d", pd::Column::IdPendaftaran));
    Plan {
        columns: vec![
            ("id_penempatan", d.key(col("t", pn::Column::IdPenempatan))),
            ("id_enrollment", d.key(kept_enrollment())),
            ("merged", exists(same_pair(lower))),
            ("status_penempatan", col("t", pn::Column::StatusPenempatan)),
            ("nama_perusahaan", col("t", pn::Column::NamaPerusahaan)),
            ("jabatan", col("t", pn::Column::Jabatan)),
            ("kode_wilayah_kerja", col("t", pn::Column::KodeWilayahKerja)),
            (
                "tgl_mulai_kerja",
                d.date_text(col("t", pn::Column::TglMulaiKerja)),
            ),
            ("tgl_lapor", d.instant_text(col("t", pn::Column::TglLapor))),
            ("sumber_info", col("t", pn::Column::SumberInfo)),
        ],
        fields: vec![
            FieldDef::new(
                "sourceId",
                Kind::Text,
                as_text(d, col("t", pn::Column::IdPenempatan)),
            ),
            FieldDef::vocab(
                "status",
                d,
                OUTCOME_STATUS,
                col("t", pn::Column::StatusPenempatan),
            ),
            FieldDef::new(
                "observedAt",
                Kind::Text,
                d.day_of(col("t", pn::Column::TglLapor)),
            ),
            FieldDef::new(
                "workRegionCode",
                Kind::Text,
                opt_text(d, col("t", pn::Column::KodeWilayahKerja)),
            ),
            FieldDef::key("enrollmentId", d, kept_enrollment(), of_pairs_of),
        ],
        key: Key::Int(col("t", pn::Column::IdPenempatan)),
        natural: vec![col("t", pn::Column::IdPenempatan)],
        rejects: vec![
            Reject {
                table: "penempatan",
                id_column: "id_penempatan",
                query: superseded,
                code: "SUPERSEDED",
                reason: "a later report for the same enrolment supersedes it (an enrolment has \
                         one outcome)",
            },
            Reject {
                table: "penempatan",
                id_column: "id_penempatan",
                query: orphan_query,
                code: "REFERENCE_NOT_FOUND",
                reason: "its registration does not exist or is rejected",
            },
        ],
        from,
        keep: Some(keep),
    }
}
