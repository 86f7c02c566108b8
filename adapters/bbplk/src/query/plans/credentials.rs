//! The plan for credential awards: one per `sertifikasi` row `z`, with its enrolment's chain
//! (`d`, `a`, `l`, `p`, `s`, as the enrolment plan joins them) and its LSP `q` (LEFT JOIN: a
//! training certificate has none, and a missing one is a warning, not a lost award).
//!
//! A certificate filed against a duplicate registration is attached to the kept one (as an
//! outcome is); one whose registration does not exist or is not served is a rejected row.
//! The credential's key is computed here once and projected, so the key the mapping serves
//! is the key filters see: `training/<kode_lembaga>/<kode_program>` (the centre issues it
//! for its course), `competency/<kode_lsp>/<skema>` (the LSP certifies the scheme; an empty
//! segment when either is missing), `unknown/<kode_lembaga>/<kode_program>` otherwise.

use sea_orm::sea_query::{Alias, Expr, JoinType, SelectStatement, SimpleExpr};

use super::people::{enrollment_chain, kept_enrollment, of_pairs_of, same_pair};
use super::{from, join, orphans, Key, Plan, Reject};
use crate::entity::{
    lembaga as lb, lsp as ls, pendaftaran as pd, program_pelatihan as pp, program_unit as pu,
    sertifikasi as sf, unit_kompetensi as uk,
};
use crate::mapping::credentials::RECOGNIZED_BY;
use crate::mapping::values::{
    ASSESSMENT_RESULT, CERTIFICATE_COMPETENCY, CERTIFICATE_TRAINING, CREDENTIAL_CATEGORY,
};
use crate::query::dialect::{as_text, col, exists, lit, opt_text, scalar, select, vocab, Dialect};
use crate::query::filter::{FieldDef, Kind};

/// Whether `z` is a certificate of the raw kind `label` (trimmed, as the vocabulary reads it).
fn is_kind(d: Dialect, label: &str) -> SimpleExpr {
    is_kind_of(d, "z", label)
}

/// Whether the `sertifikasi` row aliased `alias` is a certificate of the raw kind `label`.
pub(super) fn is_kind_of(d: Dialect, alias: &'static str, label: &str) -> SimpleExpr {
    Expr::expr(opt_text(d, col(alias, sf::Column::JenisSertifikat))).eq(lit(label))
}

/// `end` as the unified date, NULL when it lies before `start` (both valid dates): the twin of
/// the mapping's rule for `issuedOn` (after `assessedOn`) and `validUntil` (after the raw
/// `issuedOn`). PostgreSQL compares the `DATE`s themselves.
fn ordered(d: Dialect, end: SimpleExpr, start: SimpleExpr) -> SimpleExpr {
    match d {
        Dialect::Sqlite => d.sql(
            "(CASE WHEN $1 < $2 THEN NULL ELSE $1 END)",
            &[d.date(end), d.date(start)],
        ),
        Dialect::Postgres => d.sql(
            "(CASE WHEN $1 < $2 THEN NULL ELSE $3 END)",
            &[end.clone(), start, d.date(end)],
        ),
    }
}

/// The programme's competency units as JSON text, `[[urutan, kode_unit, judul_unit,
/// sumber_standar], …]` (NULL or `[]` when it has none): one correlated subquery over
/// `program_unit`'s primary key, so the statement stays one; the units are reference data
/// (a few per programme).
pub(super) fn units_json(d: Dialect) -> SimpleExpr {
    let args = [
        col("pu2", pu::Column::Urutan),
        col("u2", uk::Column::KodeUnit),
        col("u2", uk::Column::JudulUnit),
        col("u2", uk::Column::SumberStandar),
    ];
    let aggregate = match d {
        Dialect::Sqlite => d.sql("json_group_array(json_array($1, $2, $3, $4))", &args),
        Dialect::Postgres => d.sql(
            "CAST(json_agg(json_build_array($1, $2, $3, $4)) AS TEXT)",
            &args,
        ),
    };
    let mut s = select();
    s.expr(aggregate).from_as(pu::Entity, Alias::new("pu2"));
    join(
        &mut s,
        JoinType::InnerJoin,
        uk::Entity,
        "u2",
        (
            col("u2", uk::Column::IdUnit),
            col("pu2", pu::Column::IdUnit),
        ),
    );
    s.and_where(Expr::expr(col("pu2", pu::Column::IdProgram)).eq(col("p", pp::Column::IdProgram)));
    scalar(s)
}

/// `Credential.sourceId` (see the module docs).
fn credential_key(d: Dialect) -> SimpleExpr {
    d.sql(
        "(CASE WHEN $1 THEN 'training/' || $3 || '/' || $4 \
         WHEN $2 THEN $5 \
         ELSE 'unknown/' || $3 || '/' || $4 END)",
        &[
            is_kind(d, CERTIFICATE_TRAINING),
            is_kind(d, CERTIFICATE_COMPETENCY),
            col("l", lb::Column::KodeLembaga),
            col("p", pp::Column::KodeProgram),
            competency_key(
                d,
                col("q", ls::Column::KodeLsp),
                col("z", sf::Column::SkemaSertifikasi),
            ),
        ],
    )
}

/// `competency/<kode_lsp>/<skema>`, an empty segment for a missing one (`skema` trimmed): the
/// twin of [`crate::mapping::credentials::competency_key`], which keys a programme's credential.
fn competency_key(d: Dialect, kode_lsp: SimpleExpr, skema: SimpleExpr) -> SimpleExpr {
    d.sql(
        "('competency/' || COALESCE($1, '') || '/' || COALESCE($2, ''))",
        &[kode_lsp, opt_text(d, skema)],
    )
}

/// The awards served (`sertifikasi z` with its enrolment chain, before the LSP is joined):
/// the rows [`awards`] reads, for the orphan check and for the LSPs a scheme's awards name
/// (`plans::programs`).
pub(super) fn served() -> SelectStatement {
    let mut from = from(sf::Entity, "z");
    join(
        &mut from,
        JoinType::InnerJoin,
        pd::Entity,
        "d",
        (
            col("d", pd::Column::IdPendaftaran),
            col("z", sf::Column::IdPendaftaran),
        ),
    );
    enrollment_chain(from)
}

/// `sertifikasi z` with its enrolment chain and its LSP. The certificate and registration
/// numbers are projected only with `include_pii` (whether there is a number always is: a
/// competent result without one is a warning either way).
pub fn awards(d: Dialect, include_pii: bool) -> Plan {
    // The orphan check compares with the awards served whatever their LSP.
    let served = served();
    let mut from = served.clone();
    join(
        &mut from,
        JoinType::LeftJoin,
        ls::Entity,
        "q",
        (col("q", ls::Column::IdLsp), col("z", sf::Column::IdLsp)),
    );
    let personal = |column: sf::Column| {
        if include_pii {
            col("z", column)
        } else {
            Expr::cust("NULL")
        }
    };
    let training = is_kind(d, CERTIFICATE_TRAINING);
    let competency = is_kind(d, CERTIFICATE_COMPETENCY);
    let category = d.sql(
        "COALESCE($1, 'UNKNOWN')",
        &[vocab(
            d,
            &CREDENTIAL_CATEGORY,
            col("z", sf::Column::JenisSertifikat),
        )],
    );
    let lower =
        Expr::expr(col("d2", pd::Column::IdPendaftaran)).lt(col("d", pd::Column::IdPendaftaran));
    let orphan_query: SelectStatement = orphans(
        d,
        sf::Entity,
        sf::Column::IdSertifikasi,
        &served,
        col("z", sf::Column::IdSertifikasi),
    );
    Plan {
        columns: vec![
            ("id_sertifikasi", d.key(col("z", sf::Column::IdSertifikasi))),
            ("id_enrollment", d.key(kept_enrollment())),
            ("merged", exists(same_pair(lower))),
            ("credential_id", credential_key(d)),
            ("jenis_sertifikat", col("z", sf::Column::JenisSertifikat)),
            ("id_lsp", d.key(col("z", sf::Column::IdLsp))),
            ("kode_lsp", col("q", ls::Column::KodeLsp)),
            ("nama_lsp", col("q", ls::Column::NamaLsp)),
            ("skema_sertifikasi", col("z", sf::Column::SkemaSertifikasi)),
            ("tgl_uji", d.date_text(col("z", sf::Column::TglUji))),
            ("rekomendasi", col("z", sf::Column::Rekomendasi)),
            (
                "has_number",
                Expr::expr(opt_text(d, col("z", sf::Column::NomorSertifikat))).is_not_null(),
            ),
            ("nomor_sertifikat", personal(sf::Column::NomorSertifikat)),
            ("nomor_registrasi", personal(sf::Column::NomorRegistrasi)),
            ("tgl_terbit", d.date_text(col("z", sf::Column::TglTerbit))),
            (
                "berlaku_sampai",
                d.date_text(col("z", sf::Column::BerlakuSampai)),
            ),
            ("kode_lembaga", col("l", lb::Column::KodeLembaga)),
            ("nama_lembaga", col("l", lb::Column::NamaLembaga)),
            ("nama_program", col("p", pp::Column::NamaProgram)),
            ("kode_kbji", col("p", pp::Column::KodeKbji)),
            ("units", units_json(d)),
        ],
        fields: vec![
            FieldDef::new(
                "sourceId",
                Kind::Text,
                as_text(d, col("z", sf::Column::IdSertifikasi)),
            ),
            FieldDef::key("enrollmentId", d, kept_enrollment(), of_pairs_of),
            FieldDef::new("credentialId", Kind::Text, credential_key(d)),
            FieldDef::new("category", Kind::Text, category),
            FieldDef::new(
                "scheme",
                Kind::Text,
                d.sql(
                    "(CASE WHEN $1 THEN $2 END)",
                    &[
                        competency.clone(),
                        opt_text(d, col("z", sf::Column::SkemaSertifikasi)),
                    ],
                ),
            ),
            FieldDef::new(
                "issuerName",
                Kind::Text,
                d.sql(
                    "(CASE WHEN $1 THEN $2 WHEN $3 THEN $4 END)",
                    &[
                        training,
                        col("l", lb::Column::NamaLembaga),
                        competency.clone(),
                        col("q", ls::Column::NamaLsp),
                    ],
                ),
            ),
            // A list of at most one element: the existential semantics are the scalar ones.
            FieldDef::new(
                "recognizedBy",
                Kind::Text,
                d.sql(
                    "(CASE WHEN $1 THEN $2 END)",
                    &[competency, lit(RECOGNIZED_BY)],
                ),
            ),
            FieldDef::vocab(
                "assessmentResult",
                d,
                ASSESSMENT_RESULT,
                col("z", sf::Column::Rekomendasi),
            ),
            FieldDef::date("assessedOn", d, col("z", sf::Column::TglUji)),
            FieldDef::new(
                "issuedOn",
                Kind::Text,
                ordered(
                    d,
                    col("z", sf::Column::TglTerbit),
                    col("z", sf::Column::TglUji),
                ),
            ),
            FieldDef::new(
                "validUntil",
                Kind::Text,
                ordered(
                    d,
                    col("z", sf::Column::BerlakuSampai),
                    col("z", sf::Column::TglTerbit),
                ),
            ),
        ],
        key: Key::Int(col("z", sf::Column::IdSertifikasi)),
        natural: vec![col("z", sf::Column::IdSertifikasi)],
        rejects: vec![Reject {
            table: "sertifikasi",
            id_column: "id_sertifikasi",
            query: orphan_query,
            code: "REFERENCE_NOT_FOUND",
            reason: "its registration does not exist or is rejected",
        }],
        from,
        keep: None,
    }
}
