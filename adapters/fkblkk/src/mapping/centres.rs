//! Organisations: `Profil BLKK` → [`TrainingCenter`] (UNIFIED.md §8; always a BLKK of the
//! community sector in Kabupaten Tangerang) and `Kemitraan` → [`Partnership`] (the BLKK or the
//! forum itself, and the partner). Regions (§6) resolve within Kabupaten Tangerang.

use simpul_adapter_toolkit::text::{fold, split};
use simpul_adapter_toolkit::xlsx::Row;
use simpul_adapter_toolkit::{Findings, Record, Skip};
use simpul_schema::{
    Address, AgentSector, ContactPoint, InstitutionType, Partnership, PartnershipKind, PartyRef,
    TrainingCenter,
};

use super::vocab;

/// The forum's own code in `Kemitraan.Kode BLKK`.
pub const FORUM_CODE: &str = "FK-BLKK";
/// The forum as a party to a partnership.
pub const FORUM_NAME: &str = "FK-BLKK Kabupaten Tangerang";
/// Kabupaten Tangerang, where every BLKK is and a blank `Kab/Kota` points.
pub const KAB_TANGERANG: &str = "36.03";
/// Known misspellings of Kabupaten Tangerang's kecamatan (contract §6).
pub const DISTRICT_ALIASES: &[(&str, &str)] = &[
    ("Ps. Kemis", "Pasar Kemis"),
    ("Rajek", "Rajeg"),
    ("Belaraja", "Balaraja"),
];

/// A kecamatan within `regency`, then a desa within it.
pub fn district_village(
    rec: &mut Record,
    regency: &str,
    fields: (&str, &str),
) -> (Option<String>, Option<String>) {
    let columns = ("Kecamatan", "Desa/Kelurahan");
    rec.district_village(columns, regency, DISTRICT_ALIASES, fields)
}

/// `Profil BLKK` rows → centres.
pub fn map_centres(rows: &[&Row], findings: &mut Findings) -> Vec<TrainingCenter> {
    findings.map_rows(rows.iter().copied(), |rec| {
        let id = rec.code("Kode BLKK")?;
        rec.key = id.clone();
        let name = rec.required("Nama BLKK")?;
        rec.required("Kecamatan")?;
        let field = "address.regionCode";
        let (district, village) = district_village(rec, KAB_TANGERANG, (field, field));
        let street = rec.text("Alamat");
        let founded = rec.integer("Tahun Berdiri", "foundedYear", 1900..=2030, false);
        let fields = rec.text("Kejuruan").map(|raw| split(&raw, &[',', ';']));
        let fields = fields.unwrap_or_default().into_iter();
        let kejuruan = vocab::fields();
        let fields = fields.map(|part| rec.training_field("Kejuruan", "fields", &kejuruan, &part));
        let fields = fields.map(|(field, _)| field).collect();
        let facilities = rec.text("Sarana Utama").map(|s| split(&s, &[';']));
        let telephone = rec.phone("No. HP Pengelola", "contact.telephone");
        let email = rec.text("Email");
        Ok(TrainingCenter {
            source_id: id,
            name,
            alternate_names: Vec::new(),
            institution_type: InstitutionType::Blkk,
            sector: Some(AgentSector::Community),
            supervisor_id: None,
            address: Some(Address {
                street_address: street,
                region_code: village.or(district),
            }),
            founded_year: founded.map(|y| y as i32),
            area_hectares: None,
            facilities: facilities.unwrap_or_default(),
            fields,
            licenses: Vec::new(),
            years_of_experience: None,
            meets_vokasi_partner_criteria: None,
            contact: (telephone.is_some() || email.is_some())
                .then_some(ContactPoint { email, telephone }),
            active: rec
                .term("Status", "active", &vocab::active())
                .and_then(Result::ok),
            warnings: Vec::new(),
        })
    })
}

/// `Kemitraan` rows → partnerships; a row naming neither the forum nor a known BLKK is skipped.
pub fn map_partnerships(
    rows: &[&Row],
    centres: &[TrainingCenter],
    findings: &mut Findings,
) -> Vec<Partnership> {
    findings.map_rows(rows.iter().copied(), |rec| {
        let blkk = rec.code("Kode BLKK")?;
        let partner = rec.required("Nama Mitra")?;
        let party = |name: &str, id: Option<&str>, kind: Option<&str>| PartyRef {
            name: name.to_owned(),
            training_center_id: id.map(str::to_owned),
            kind: kind.map(str::to_owned),
        };
        let own = if blkk == FORUM_CODE {
            party(FORUM_NAME, None, Some("Forum"))
        } else if let Some(c) = centres.iter().find(|c| c.source_id == blkk) {
            party(&c.name, Some(&c.source_id), None)
        } else {
            let why = "Kode BLKK names no known BLKK";
            return Err(Skip::unknown_reference(None, why));
        };
        let form = rec.text("Bentuk Kerja Sama");
        let kind = rec.term("Bentuk Kerja Sama", "kind", &vocab::partnership_kind());
        let signed = rec.date("Tanggal", "signedOn");
        let form = fold(&form.unwrap_or_default());
        let partner_kind = rec.text("Jenis Mitra");
        Ok(Partnership {
            source_id: format!("{blkk}/{}/{form}", fold(&partner)),
            kind: kind.and_then(Result::ok).unwrap_or(PartnershipKind::Other),
            parties: vec![own, party(&partner, None, partner_kind.as_deref())],
            document_number: rec.text("Nomor Dokumen"),
            signed_on: signed,
            valid_from: signed,
            valid_until: None,
            place: None,
            scope: rec.text("Ruang Lingkup"),
            contribution: rec.text("Bentuk Dukungan"),
            status: rec.text("Status"),
            warnings: Vec::new(),
        })
    })
}
