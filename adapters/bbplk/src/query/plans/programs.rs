//! The plan for catalogue programmes: one per `program_pelatihan` row `p`, with (LEFT JOIN, a
//! missing one is a warning, not a lost programme) its `kejuruan` `k`; its units, the units it
//! names that do not exist, and the LSPs its scheme's awards name are correlated subqueries,
//! so the statement stays one (the units and LSPs are reference data; the awards' subquery
//! scans `sertifikasi` once per programme returned, which has no index on the scheme).
//!
//! `program_unit` rows whose programme or unit does not exist are rejected rows.

use sea_orm::sea_query::{Alias, Expr, JoinType, SelectStatement, SimpleExpr};

use super::credentials::{is_kind_of, served, units_json};
use super::{from, join, join_kejuruan, typed, Key, Plan, Reject};
use crate::entity::{
    kejuruan as kj, lsp as ls, program_pelatihan as pp, program_unit as pu, sertifikasi as sf,
    unit_kompetensi as uk,
};
use crate::mapping::values::CERTIFICATE_COMPETENCY;
use crate::query::dialect::{col, opt_text, scalar, select, Dialect};
use crate::query::filter::{FieldDef, Kind};

/// `jenjang_kkni` as the unified `kkniLevel`: NULL outside 1–9 (the twin of
/// [`crate::mapping::programs::KKNI_LEVELS`]).
fn kkni_level(d: Dialect) -> SimpleExpr {
    d.sql(
        "(CASE WHEN $1 BETWEEN 1 AND 9 THEN $1 END)",
        &[d.int(col("p", pp::Column::JenjangKkni))],
    )
}

/// `durasi_jp` as the unified `nominalHours`: NULL unless positive (the twin of
/// [`crate::mapping::values::positive`]).
fn nominal_hours(d: Dialect) -> SimpleExpr {
    d.sql(
        "(CASE WHEN $1 > 0 THEN $1 END)",
        &[d.int(col("p", pp::Column::DurasiJp))],
    )
}

/// `[how many LSPs, the lowest kode_lsp, the lowest nama_lsp]` as JSON text, over the served
/// competency awards (`z2`, with their LSP `q2`) of `p`'s scheme that name an existing LSP.
fn scheme_lsps(d: Dialect) -> SelectStatement {
    let args = [
        Expr::cust("COUNT(DISTINCT \"q2\".\"id_lsp\")"),
        Expr::expr(col("q2", ls::Column::KodeLsp)).min(),
        Expr::expr(col("q2", ls::Column::NamaLsp)).min(),
    ];
    let aggregate = match d {
        Dialect::Sqlite => d.sql("json_array($1, $2, $3)", &args),
        Dialect::Postgres => d.sql("CAST(json_build_array($1, $2, $3) AS TEXT)", &args),
    };
    let mut ids = served();
    ids.expr(col("z", sf::Column::IdSertifikasi));
    let mut s = select();
    s.expr(aggregate).from_as(sf::Entity, Alias::new("z2"));
    join(
        &mut s,
        JoinType::InnerJoin,
        ls::Entity,
        "q2",
        (col("q2", ls::Column::IdLsp), col("z2", sf::Column::IdLsp)),
    );
    s.and_where(is_kind_of(d, "z2", CERTIFICATE_COMPETENCY))
        .and_where(
            Expr::expr(opt_text(d, col("z2", sf::Column::SkemaSertifikasi)))
                .eq(opt_text(d, col("p", pp::Column::SkemaSertifikasi))),
        )
        .and_where(Expr::col((Alias::new("z2"), sf::Column::IdSertifikasi)).in_subquery(ids));
    s
}

/// How many of `p`'s `program_unit` rows name a unit that does not exist.
fn missing_units() -> SimpleExpr {
    let mut s = select();
    s.expr(Expr::cust("COUNT(*)"))
        .from_as(pu::Entity, Alias::new("pu3"));
    join(
        &mut s,
        JoinType::LeftJoin,
        uk::Entity,
        "u3",
        (
            col("u3", uk::Column::IdUnit),
            col("pu3", pu::Column::IdUnit),
        ),
    );
    s.and_where(Expr::expr(col("pu3", pu::Column::IdProgram)).eq(col("p", pp::Column::IdProgram)))
        .and_where(Expr::col((Alias::new("u3"), uk::Column::IdUnit)).is_null());
    scalar(s)
}

/// `program_unit` rows whose `column` names no row of `table` (keyed `table_key`): `id` the
/// programme, `other` the unit. Neither column is a rowid on SQLite, so either may hold text
/// there: it is read as SQLite's `CAST(… AS INTEGER)` does (0 for text without digits), so
/// that such a row is still reported rather than failing the status.
fn dangling_units(
    d: Dialect,
    table: impl sea_orm::sea_query::IntoIden + 'static,
    table_key: impl sea_orm::sea_query::IntoIden + Clone + 'static,
    column: pu::Column,
) -> SelectStatement {
    let mut exists = select();
    exists
        .expr(Expr::cust("1"))
        .from_as(table, Alias::new("y"))
        .and_where(Expr::col((Alias::new("y"), table_key)).equals((Alias::new("x"), column)));
    let mut s = select();
    let id = |e: SimpleExpr| match d {
        Dialect::Sqlite => d.sql("CAST($1 AS INTEGER)", &[e]),
        Dialect::Postgres => d.key(e),
    };
    s.expr_as(id(col("x", pu::Column::IdProgram)), Alias::new("id"))
        .expr_as(id(col("x", pu::Column::IdUnit)), Alias::new("other"))
        .from_as(pu::Entity, Alias::new("x"))
        .and_where(Expr::exists(exists).not());
    s
}

/// `program_pelatihan p LEFT JOIN kejuruan k`.
pub fn programs(d: Dialect) -> Plan {
    let mut from = from(pp::Entity, "p");
    join_kejuruan(&mut from);
    Plan {
        from,
        keep: None,
        columns: vec![
            ("kode_program", col("p", pp::Column::KodeProgram)),
            ("nama_program", col("p", pp::Column::NamaProgram)),
            ("id_kejuruan", d.int(col("p", pp::Column::IdKejuruan))),
            ("kode_kejuruan", col("k", kj::Column::KodeKejuruan)),
            ("nama_kejuruan", col("k", kj::Column::NamaKejuruan)),
            ("kode_kbji", col("p", pp::Column::KodeKbji)),
            ("jenjang_kkni", d.int(col("p", pp::Column::JenjangKkni))),
            ("durasi_jp", d.int(col("p", pp::Column::DurasiJp))),
            ("metode", col("p", pp::Column::Metode)),
            ("skema_sertifikasi", col("p", pp::Column::SkemaSertifikasi)),
            ("deskripsi", col("p", pp::Column::Deskripsi)),
            ("aktif", d.boolean(col("p", pp::Column::Aktif))),
            ("units", units_json(d)),
            ("missing_units", d.wide(missing_units())),
            ("scheme_lsps", scalar(scheme_lsps(d))),
            (
                "mistyped",
                d.mistyped(&[
                    typed(
                        d,
                        "id_kejuruan",
                        col("p", pp::Column::IdKejuruan),
                        Dialect::int,
                    ),
                    typed(
                        d,
                        "jenjang_kkni",
                        col("p", pp::Column::JenjangKkni),
                        Dialect::int,
                    ),
                    typed(d, "durasi_jp", col("p", pp::Column::DurasiJp), Dialect::int),
                    typed(d, "aktif", col("p", pp::Column::Aktif), Dialect::boolean),
                ]),
            ),
        ],
        fields: vec![
            FieldDef::new("sourceId", Kind::Text, col("p", pp::Column::KodeProgram)),
            FieldDef::new("code", Kind::Text, col("p", pp::Column::KodeProgram)),
            FieldDef::new("name", Kind::Text, col("p", pp::Column::NamaProgram)),
            FieldDef::new(
                "field",
                Kind::Text,
                opt_text(d, col("k", kj::Column::NamaKejuruan)),
            ),
            // A list of at most one element: the existential semantics are the scalar ones.
            FieldDef::new(
                "occupationCode",
                Kind::Text,
                opt_text(d, col("p", pp::Column::KodeKbji)),
            ),
            FieldDef::new("kkniLevel", Kind::Int, kkni_level(d)),
            FieldDef::new("nominalHours", Kind::Int, nominal_hours(d)),
        ],
        key: Key::Text(col("p", pp::Column::KodeProgram)),
        natural: vec![col("p", pp::Column::IdProgram)],
        rejects: vec![
            Reject {
                table: "program_unit",
                id_column: "id_program",
                query: dangling_units(d, pp::Entity, pp::Column::IdProgram, pu::Column::IdProgram),
                code: "REFERENCE_NOT_FOUND",
                reason: "its programme (`id_program`) does not exist (unit `id_unit` {other})",
            },
            Reject {
                table: "program_unit",
                id_column: "id_program",
                query: dangling_units(d, uk::Entity, uk::Column::IdUnit, pu::Column::IdUnit),
                code: "REFERENCE_NOT_FOUND",
                reason: "names a unit (`id_unit` {other}) that does not exist",
            },
        ],
    }
}
