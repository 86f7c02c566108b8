//! People listed in rows: a participant named by a keyed NIK and listed in several enrolment
//! rows, with the personal fields of its latest listing ([`Roster`]); its personal columns read
//! declaratively ([`PersonColumns`], [`Record::participant`]); and the training certificate of
//! an enrolment ([`Record::certificate_number`], [`training_certificate`]).

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use simpul_schema::identity::{Nik, PersonKeys};
use simpul_schema::{
    Course, CourseRun, Credential, CredentialAward, CredentialCategory, EducationLevel,
    EmploymentStatus, Participant, ParticipantPii, Sex, TrainingCenter,
};

use crate::ids::personal_shape;
use crate::read::explain;
use crate::record::Record;
use crate::restate::duplicate_code;
use crate::vocab::Vocab;
use crate::xlsx::Row;

/// One accepted row listing a participant: the row, its NIK (or the refusal code), and the
/// start of the offering it enrols in.
#[derive(Debug, Clone)]
pub struct Listing<'a> {
    /// The row.
    pub row: &'a Row,
    /// The NIK, or why it was refused.
    pub nik: Result<Nik, &'static str>,
    /// The start of the run the row enrols in.
    pub start: NaiveDate,
}

/// The participants of a sheet of enrolment rows grouped into lists (a batch's participants).
#[derive(Debug, Default)]
pub struct Roster<'a> {
    people: Vec<(String, Vec<Listing<'a>>)>,
    index: HashMap<String, usize>,
    rows: HashMap<String, Vec<&'a Row>>,
    niks: HashSet<(String, String)>,
}

impl<'a> Roster<'a> {
    /// The earlier row of `list` identical to `row` but for `No` ([`duplicate_code`]);
    /// `row` is remembered either way.
    pub fn twin(&mut self, list: &str, row: &'a Row) -> Option<&'a Row> {
        let seen = self.rows.entry(list.to_owned()).or_default();
        let twin = seen
            .iter()
            .find(|e| duplicate_code(e, row) == "DUPLICATE_ROW")
            .copied();
        seen.push(row);
        twin
    }

    /// Whether `nik` is already listed in `list` (it is remembered).
    pub fn listed_again(&mut self, list: &str, nik: &Nik) -> bool {
        !self.niks.insert((list.to_owned(), nik.as_str().to_owned()))
    }

    /// An accepted row listing participant `key`.
    pub fn add(&mut self, key: String, listing: Listing<'a>) {
        let i = *self.index.entry(key.clone()).or_insert_with(|| {
            self.people.push((key, Vec::new()));
            self.people.len() - 1
        });
        self.people[i].1.push(listing);
    }

    /// Each participant, first listed first, with its listing of the latest start (then of
    /// the later workbook, then the later row) and its earliest start.
    pub fn latest(&self) -> impl Iterator<Item = (&str, &Listing<'a>, NaiveDate)> {
        self.people.iter().filter_map(|(key, listings)| {
            let latest = listings
                .iter()
                .max_by_key(|l| (l.start, l.row.origin.order, l.row.line))?;
            let first_start = listings.iter().map(|l| l.start).min()?;
            Some((key.as_str(), latest, first_start))
        })
    }
}

/// Where a source keeps a person's fields, and the vocabularies of its coded ones.
pub struct PersonColumns {
    /// Full name.
    pub name: &'static str,
    /// Sex, and its words.
    pub sex: (&'static str, Vocab<Sex>),
    /// Birth date.
    pub birth_date: &'static str,
    /// Birth place.
    pub birth_place: &'static str,
    /// Street address.
    pub address: &'static str,
    /// Mobile number.
    pub phone: &'static str,
    /// Education level, and its words (an unknown level is `OTHER`).
    pub education: (&'static str, Vocab<EducationLevel>),
    /// Employment status at registration, and its words (an unknown one is null).
    pub employment: (&'static str, Vocab<EmploymentStatus>),
}

impl Record<'_> {
    /// Participant `key` from this row's personal `columns`: its NIK from `listing` (a refused
    /// NIK is a warning, and nothing is derived from it), sex and birth date checked against
    /// the NIK, minor at `first_start`, and the domicile (regency, village) as `domicile` reads
    /// it. Personal values go to [`ParticipantPii`] only.
    pub fn participant(
        &mut self,
        (key, listing, first_start): (&str, &Listing, NaiveDate),
        keys: &PersonKeys,
        columns: &PersonColumns,
        domicile: impl FnOnce(&mut Self) -> (Option<String>, Option<String>),
    ) -> Participant {
        let nik = listing.nik.as_ref().ok();
        if let Err(code) = listing.nik {
            self.warn(code, None, "nik", explain(code));
        }
        let sex = self.term(columns.sex.0, "sex", &columns.sex.1);
        let sex = sex.and_then(Result::ok);
        let birth_date = self.date(columns.birth_date, "birthDate");
        if let Some(nik) = nik {
            let checked = (columns.sex.0, columns.birth_date);
            self.check_nik(nik, sex, birth_date, checked);
        }
        let (regency, village) = domicile(self);
        let phone = self.phone(columns.phone, "phone");
        let (column, other) = (columns.education.0, EducationLevel::Other);
        let education = self.term_or(column, "education", &columns.education.1, other);
        let field = "employmentStatusAtRegistration";
        let employment = self.term(columns.employment.0, field, &columns.employment.1);
        Participant {
            source_id: key.to_owned(),
            nik_masked: nik.map(Nik::masked),
            nik_valid: nik.is_some(),
            person_key: nik.map(|n| keys.person_key(n)),
            kpj_masked: None,
            sex,
            birth_year: birth_date.map(|d| d.year()),
            is_minor: birth_date
                .and_then(|born| first_start.years_since(born))
                .map(|age| age < 18),
            domicile_regency_code: regency,
            education,
            employment_status_at_registration: employment.and_then(Result::ok),
            union_membership: None,
            pii: Some(ParticipantPii {
                nik: nik.map(|n| n.as_str().to_owned()),
                full_name: self.text(columns.name),
                birth_date,
                birth_place: self.text(columns.birth_place),
                address: self.text(columns.address),
                domicile_village_code: village,
                phone,
                ..ParticipantPii::default()
            }),
            warnings: Vec::new(),
        }
    }

    /// A certificate number from `column`, warnings on `field`: `conflict` (why the number
    /// should not be there) is a `VALUE_CONFLICT`, the number still served; digits shaped like
    /// a NIK or a phone number ([`personal_shape`]) are not served
    /// (`CERTIFICATE_NUMBER_INVALID`) and never quoted. `None` also when the cell is empty.
    pub fn certificate_number(
        &mut self,
        column: &'static str,
        field: &str,
        conflict: Option<&str>,
    ) -> Option<String> {
        let raw = self.text(column)?;
        if let Some(why) = conflict {
            self.warn("VALUE_CONFLICT", Some(column), field, why);
        }
        if personal_shape(&raw) {
            let why = "digits shaped like a NIK or phone number, not a certificate; set to null";
            self.warn("CERTIFICATE_NUMBER_INVALID", Some(column), field, why);
            return None;
        }
        Some(raw)
    }
}

/// The training certificate of an enrolment (`<enrolment>/sertifikat`): one credential per
/// course (`<course>/sertifikat`, `Sertifikat Pelatihan <course name>`) issued by the run's
/// training centre, with the run's end as its issue date (an assumption when the source gives
/// none).
pub fn training_certificate(
    enrollment_id: &str,
    (run, course): (&CourseRun, &Course),
    issuer: Option<&TrainingCenter>,
    number: Option<String>,
) -> CredentialAward {
    CredentialAward {
        source_id: format!("{enrollment_id}/sertifikat"),
        enrollment_id: Some(enrollment_id.to_owned()),
        credential: Credential {
            source_id: format!("{}/sertifikat", course.source_id),
            name: format!("Sertifikat Pelatihan {}", course.name),
            category: CredentialCategory::TrainingCertificate,
            scheme: None,
            issuer_name: issuer.map(|c| c.name.clone()),
            issuer_id: Some(run.training_center_id.clone()),
            recognized_by: Vec::new(),
            valid_for_months: None,
            occupation_codes: course.occupation_codes.clone(),
            competencies: Vec::new(),
        },
        number,
        registration_number: None,
        assessment_result: None,
        assessed_on: None,
        issued_on: run.end_date,
        valid_until: None,
        warnings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use crate::ids::personal_shape;

    #[test]
    fn numbers_that_look_personal() {
        assert!(personal_shape("3603 1827 0389 9002"));
        assert!(personal_shape("0812-3456-7890"));
        assert!(personal_shape("81234567890"));
        assert!(!personal_shape("BLKK/2024/GAR/017"));
        assert!(!personal_shape("12345"));
    }
}
