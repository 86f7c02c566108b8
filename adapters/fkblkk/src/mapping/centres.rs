//! Organisations: `Profil BLKK` → [`TrainingCenter`] (UNIFIED.md §8; always a BLKK of the
//! community sector in Kabupaten Tangerang) and `Kemitraan` → [`Partnership`] (the BLKK or the
//! forum itself, and the partner).

use simpul_schema::{
    Address, AgentSector, ContactPoint, InstitutionType, Partnership, PartnershipKind, PartyRef,
    TrainingCenter, TrainingField,
};

use super::regions::{self, KAB_TANGERANG};
use super::restate::code;
use super::vocab::{self, term};
use crate::cells::{self, fold, Read};
use crate::findings::{Findings, Record};
use crate::workbook::Row;

/// The forum's own code in `Kemitraan.Kode BLKK`.
pub const FORUM_CODE: &str = "FK-BLKK";
/// The forum as a party to a partnership.
pub const FORUM_NAME: &str = "FK-BLKK Kabupaten Tangerang";

/// Skip `rec` for a missing required column.
pub fn missing(findings: &mut Findings, rec: Record, column: &str) {
    let why = "required value missing or invalid";
    findings.skip(rec, "ROW_SKIPPED_INVALID_REQUIRED", Some(column), why);
}

/// `Profil BLKK` rows → centres.
pub fn map_centres(rows: &[&Row], findings: &mut Findings) -> Vec<TrainingCenter> {
    let mut out = Vec::new();
    for row in rows {
        let mut rec = Record::new(row, format!("row {}", row.line));
        let Some(id) = code(row, "Kode BLKK") else {
            missing(findings, rec, "Kode BLKK");
            continue;
        };
        rec.key = id.clone();
        let (Some(name), Some(district)) = (rec.text("Nama BLKK"), rec.text("Kecamatan")) else {
            let column = if rec.text("Nama BLKK").is_none() {
                "Nama BLKK"
            } else {
                "Kecamatan"
            };
            missing(findings, rec, column);
            continue;
        };
        let field = "address.regionCode";
        let district = rec.take(
            "Kecamatan",
            field,
            regions::district(&district, KAB_TANGERANG),
        );
        let village = match (&district, rec.text("Desa/Kelurahan")) {
            (Some(d), Some(v)) => match regions::village(&v, d) {
                Read::Bad(_) => None,
                read => rec.take("Desa/Kelurahan", field, read),
            },
            _ => None,
        };
        let region = village.or(district);
        let street = rec.text("Alamat");
        let founded = rec.integer("Tahun Berdiri", "foundedYear", 1900..=2030, false);
        let fields = training_fields(&mut rec);
        let facilities = rec
            .text("Sarana Utama")
            .map(|s| split(&s, &[';']))
            .unwrap_or_default();
        let telephone = rec.take(
            "No. HP Pengelola",
            "contact.telephone",
            cells::phone(rec.cell("No. HP Pengelola")),
        );
        let email = rec.text("Email");
        let active = term(&mut rec, "Status", "active", &vocab::ACTIVE).and_then(Result::ok);
        out.push(TrainingCenter {
            source_id: id,
            name,
            alternate_names: Vec::new(),
            institution_type: InstitutionType::Blkk,
            sector: Some(AgentSector::Community),
            supervisor_id: None,
            address: Some(Address {
                street_address: street,
                region_code: region,
            }),
            founded_year: founded.map(|y| y as i32),
            area_hectares: None,
            facilities,
            fields,
            licenses: Vec::new(),
            years_of_experience: None,
            contact: (telephone.is_some() || email.is_some())
                .then_some(ContactPoint { email, telephone }),
            active,
            warnings: findings.accept(rec),
        });
    }
    out
}

/// `Kejuruan`: several fields separated by `,` or `;`.
fn training_fields(rec: &mut Record) -> Vec<TrainingField> {
    let Some(raw) = rec.text("Kejuruan") else {
        return Vec::new();
    };
    split(&raw, &[',', ';'])
        .into_iter()
        .map(|part| one_field(rec, "Kejuruan", "fields", &part).0)
        .collect()
}

/// One kejuruan → (field, KBJI code); an unknown one keeps its text, without code.
pub fn one_field(
    rec: &mut Record,
    column: &'static str,
    unified: &str,
    part: &str,
) -> (TrainingField, Option<&'static str>) {
    match rec.take(column, unified, vocab::field(part)) {
        Some((code, name, kbji)) => {
            let (code, name) = (Some(code.to_owned()), name.to_owned());
            (TrainingField { code, name }, kbji)
        }
        None => {
            let name = part.to_owned();
            (TrainingField { code: None, name }, None)
        }
    }
}

/// Split on any of `seps`, trimmed, empty parts dropped.
pub fn split(s: &str, seps: &[char]) -> Vec<String> {
    s.split(seps)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `Kemitraan` rows → partnerships; a row naming neither the forum nor a known BLKK is skipped.
pub fn map_partnerships(
    rows: &[&Row],
    centres: &[TrainingCenter],
    findings: &mut Findings,
) -> Vec<Partnership> {
    let mut out = Vec::new();
    for row in rows {
        let mut rec = Record::new(row, format!("row {}", row.line));
        let Some(blkk) = code(row, "Kode BLKK") else {
            missing(findings, rec, "Kode BLKK");
            continue;
        };
        let Some(partner) = rec.text("Nama Mitra") else {
            missing(findings, rec, "Nama Mitra");
            continue;
        };
        let own = if blkk == FORUM_CODE {
            PartyRef {
                name: FORUM_NAME.to_owned(),
                training_center_id: None,
                kind: Some("Forum".to_owned()),
            }
        } else if let Some(c) = centres.iter().find(|c| c.source_id == blkk) {
            PartyRef {
                name: c.name.clone(),
                training_center_id: Some(c.source_id.clone()),
                kind: None,
            }
        } else {
            findings.skip(
                rec,
                "REFERENCE_NOT_FOUND",
                None,
                "Kode BLKK names no known BLKK",
            );
            continue;
        };
        let form = rec.text("Bentuk Kerja Sama");
        let kind = term(
            &mut rec,
            "Bentuk Kerja Sama",
            "kind",
            &vocab::PARTNERSHIP_KIND,
        );
        let signed = rec.take("Tanggal", "signedOn", cells::date(rec.cell("Tanggal")));
        let source_id = format!(
            "{blkk}/{}/{}",
            fold(&partner),
            fold(&form.unwrap_or_default())
        );
        out.push(Partnership {
            source_id,
            kind: kind.and_then(Result::ok).unwrap_or(PartnershipKind::Other),
            parties: vec![
                own,
                PartyRef {
                    name: partner,
                    training_center_id: None,
                    kind: rec.text("Jenis Mitra"),
                },
            ],
            document_number: rec.text("Nomor Dokumen"),
            signed_on: signed,
            valid_from: signed,
            valid_until: None,
            place: None,
            scope: rec.text("Ruang Lingkup"),
            contribution: rec.text("Bentuk Dukungan"),
            status: rec.text("Status"),
            warnings: findings.accept(rec),
        });
    }
    out
}
