//! The unified model's `Course`, `CourseRun` and `TrainingCenter` in two vocabularies, as
//! UNIFIED.md's `@standard` annotations align them: schema.org (`Course`, `CourseInstance`,
//! `EducationalOrganization`) and CTDL (`ceterms:Course`, `ceterms:ScheduledOffering`,
//! `ceterms:CredentialOrganization`). Input is the GraphQL answer for the node; fields the
//! provider does not have are left out, never written as null. Text is tagged Indonesian
//! (`id`) in CTDL's language maps, except the English ISCO titles.

use serde_json::{json, Map, Value};

use super::iri;

/// The vocabulary a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vocabulary {
    /// <https://schema.org/>: job portals and search engines.
    SchemaOrg,
    /// The Credential Transparency Description Language: credential registries.
    Ctdl,
}

impl Vocabulary {
    /// From the request's query string: `vocab=schema.org` (the default) or `vocab=ctdl`.
    pub fn from_query(query: Option<&str>) -> Result<Self, String> {
        let vocab = query
            .unwrap_or("")
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == "vocab")
            .map(|(_, value)| value);
        match vocab {
            None | Some("schema.org") | Some("schema") => Ok(Vocabulary::SchemaOrg),
            Some("ctdl") => Ok(Vocabulary::Ctdl),
            Some(other) => Err(format!(
                "unknown vocab `{}`: use `schema.org` or `ctdl`",
                other.chars().take(40).collect::<String>()
            )),
        }
    }
}

const CTDL_CONTEXT: &str = "https://credreg.net/ctdl/schema/context/json";
pub(super) const OCCUPATION_FRAMEWORK: &str = "KBJI 2014 (ISCO-08)";

/// The JSON-LD document for one node of the GraphQL answer.
pub fn document(node: &Value, vocab: Vocabulary) -> Value {
    let mut doc = Map::new();
    match vocab {
        Vocabulary::SchemaOrg => {
            doc.insert("@context".into(), json!("https://schema.org/"));
            match node["__typename"].as_str() {
                Some("Course") => schema_course(node, &mut doc),
                Some("CourseRun") => schema_run(node, &mut doc),
                Some("Program") => super::program::schema(node, &mut doc),
                _ => schema_centre(node, &mut doc),
            }
            put(&mut doc, "identifier", identifiers(node));
        }
        Vocabulary::Ctdl => {
            doc.insert("@context".into(), json!(CTDL_CONTEXT));
            match node["__typename"].as_str() {
                Some("Course") => ctdl_course(node, &mut doc),
                Some("CourseRun") => ctdl_run(node, &mut doc),
                Some("Program") => super::program::ctdl(node, &mut doc),
                _ => ctdl_centre(node, &mut doc),
            }
        }
    }
    Value::Object(doc)
}

fn schema_course(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "Course", node);
    put(doc, "name", node["name"].clone());
    put(doc, "courseCode", node["courseCode"].clone());
    put(doc, "inLanguage", json!("id"));
    put(
        doc,
        "provider",
        reference(&node["trainingCenter"], "EducationalOrganization"),
    );
    if let Some(name) = node["field"]["name"].as_str() {
        let mut about = json!({ "@type": "DefinedTerm", "name": name });
        put_in(&mut about, "termCode", node["field"]["code"].clone());
        doc.insert("about".into(), about);
    }
    let occupations: Vec<Value> = list(&node["occupations"])
        .map(|o| {
            let mut code = json!({
                "@type": "CategoryCode",
                "codeValue": o["code"],
                "inCodeSet": OCCUPATION_FRAMEWORK,
            });
            put_in(&mut code, "name", o["title"].clone());
            code
        })
        .collect();
    put(doc, "occupationalCategory", Value::Array(occupations));
    let runs: Vec<Value> = list(&node["runs"]["nodes"])
        .map(|run| {
            let mut instance = reference(run, "CourseInstance");
            put_in(&mut instance, "name", run["code"].clone());
            put_in(&mut instance, "startDate", run["startDate"].clone());
            put_in(&mut instance, "endDate", run["endDate"].clone());
            instance
        })
        .collect();
    put(doc, "hasCourseInstance", Value::Array(runs));
}

fn schema_run(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "CourseInstance", node);
    let name = match (node["course"]["name"].as_str(), node["code"].as_str()) {
        (Some(course), Some(code)) => json!(format!("{course} ({code})")),
        _ => node["code"].clone(),
    };
    put(doc, "name", name);
    put(doc, "description", node["description"].clone());
    put(doc, "startDate", node["startDate"].clone());
    put(doc, "endDate", node["endDate"].clone());
    let mode = match node["deliveryMode"].as_str() {
        Some("IN_PERSON") => json!("onsite"),
        Some("ONLINE") => json!("online"),
        Some("BLENDED") => json!("blended"),
        _ => Value::Null,
    };
    put(doc, "courseMode", mode);
    if let Some(name) = node["location"]["name"].as_str() {
        doc.insert(
            "location".into(),
            json!({ "@type": "AdministrativeArea", "name": name, "identifier": node["location"]["code"] }),
        );
    }
    put(doc, "maximumAttendeeCapacity", node["capacity"].clone());
    put(doc, "courseWorkload", hours(&node["nominalHours"]));
    put(
        doc,
        "organizer",
        reference(&node["trainingCenter"], "EducationalOrganization"),
    );
    let schemes: Vec<Value> = list(&node["fundingSchemes"])
        .map(|scheme| json!({ "@type": "DefinedTerm", "termCode": scheme["code"], "name": scheme["name"] }))
        .collect();
    put(doc, "financialAidEligible", Value::Array(schemes));
    // The course this run belongs to: schema.org links course → instance only.
    if !node["course"].is_null() {
        doc.insert(
            "@reverse".into(),
            json!({ "hasCourseInstance": reference(&node["course"], "Course") }),
        );
    }
}

fn schema_centre(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "EducationalOrganization", node);
    put(doc, "name", node["name"].clone());
    put(doc, "alternateName", node["alternateNames"].clone());
    put(doc, "foundingDate", year(&node["foundedYear"]));
    if !node["address"].is_null() {
        let mut address = json!({ "@type": "PostalAddress", "addressCountry": "ID" });
        put_in(
            &mut address,
            "streetAddress",
            node["address"]["streetAddress"].clone(),
        );
        put_in(
            &mut address,
            "addressRegion",
            node["address"]["region"]["name"].clone(),
        );
        doc.insert("address".into(), address);
    }
    put(doc, "email", node["contact"]["email"].clone());
    put(doc, "telephone", node["contact"]["telephone"].clone());
    put(
        doc,
        "parentOrganization",
        reference(&node["supervisor"], "EducationalOrganization"),
    );
    let courses: Vec<Value> = list(&node["courses"]["nodes"])
        .map(|c| reference(c, "Course"))
        .collect();
    if !courses.is_empty() {
        doc.insert("@reverse".into(), json!({ "provider": courses }));
    }
}

fn ctdl_course(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "ceterms:Course", node);
    put(doc, "ceterms:name", text(&node["name"]));
    put(doc, "ceterms:codedNotation", node["courseCode"].clone());
    put(doc, "ceterms:inLanguage", json!(["id"]));
    put(
        doc,
        "ceterms:offeredBy",
        ids(std::slice::from_ref(&node["trainingCenter"])),
    );
    if let Some(name) = node["field"]["name"].as_str() {
        let mut subject = alignment();
        put_in(
            &mut subject,
            "ceterms:targetNodeName",
            json!({ "id": name }),
        );
        put_in(
            &mut subject,
            "ceterms:codedNotation",
            node["field"]["code"].clone(),
        );
        doc.insert("ceterms:subject".into(), json!([subject]));
    }
    let occupations: Vec<Value> = list(&node["occupations"])
        .map(|o| {
            let mut occupation = alignment();
            put_in(&mut occupation, "ceterms:codedNotation", o["code"].clone());
            put_in(
                &mut occupation,
                "ceterms:frameworkName",
                json!({ "en": OCCUPATION_FRAMEWORK }),
            );
            if let Some(title) = o["title"].as_str() {
                put_in(
                    &mut occupation,
                    "ceterms:targetNodeName",
                    json!({ "en": title }),
                );
            }
            occupation
        })
        .collect();
    put(doc, "ceterms:occupationType", Value::Array(occupations));
    let runs: Vec<Value> = list(&node["runs"]["nodes"]).cloned().collect();
    put(doc, "ceterms:hasOffering", ids(&runs));
}

fn ctdl_run(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "ceterms:ScheduledOffering", node);
    put(doc, "ceterms:name", text(&node["code"]));
    put(doc, "ceterms:description", text(&node["description"]));
    put(doc, "ceterms:startDate", node["startDate"].clone());
    put(doc, "ceterms:endDate", node["endDate"].clone());
    let delivery = match node["deliveryMode"].as_str() {
        Some("IN_PERSON") => Some("deliveryType:InPerson"),
        Some("ONLINE") => Some("deliveryType:OnlineOnly"),
        Some("BLENDED") => Some("deliveryType:BlendedDelivery"),
        _ => None,
    };
    if let Some(term) = delivery {
        let mut aligned = alignment();
        put_in(&mut aligned, "ceterms:targetNode", json!(term));
        doc.insert("ceterms:deliveryType".into(), json!([aligned]));
    }
    if let Some(name) = node["location"]["name"].as_str() {
        doc.insert(
            "ceterms:availableAt".into(),
            json!([{ "@type": "ceterms:Place", "ceterms:addressRegion": { "id": name }, "ceterms:addressCountry": { "en": "Indonesia" } }]),
        );
    }
    if let Some(duration) = hours(&node["nominalHours"]).as_str() {
        doc.insert(
            "ceterms:estimatedDuration".into(),
            json!([{ "@type": "ceterms:DurationProfile", "ceterms:exactDuration": duration }]),
        );
    }
    if let Some(amount) = node["costPerParticipant"]["amount"].as_str() {
        doc.insert(
            "ceterms:estimatedCost".into(),
            json!([{
                "@type": "ceterms:CostProfile",
                "ceterms:price": amount.parse::<f64>().map(Value::from).unwrap_or(json!(amount)),
                "ceterms:currency": node["costPerParticipant"]["currency"],
                "ceterms:description": { "en": "Cost per participant, paid by the funding scheme." },
            }]),
        );
    }
    let schemes: Vec<Value> = list(&node["fundingSchemes"])
        .map(|scheme| {
            json!({
                "@type": "ceterms:FinancialAssistanceProfile",
                "ceterms:name": { "en": scheme["name"] },
                "ceterms:codedNotation": scheme["code"],
            })
        })
        .collect();
    put(doc, "ceterms:financialAssistance", Value::Array(schemes));
    put(
        doc,
        "ceterms:offeredBy",
        ids(std::slice::from_ref(&node["trainingCenter"])),
    );
    if let Some(course) = node["course"]["id"].as_str() {
        doc.insert(
            "@reverse".into(),
            json!({ "ceterms:hasOffering": { "@id": iri(course) } }),
        );
    }
}

fn ctdl_centre(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "ceterms:CredentialOrganization", node);
    put(doc, "ceterms:name", text(&node["name"]));
    if let Some(names) = node["alternateNames"].as_array().filter(|n| !n.is_empty()) {
        doc.insert("ceterms:alternateName".into(), json!({ "id": names }));
    }
    let mut provider = alignment();
    put_in(
        &mut provider,
        "ceterms:targetNode",
        json!("orgType:TrainingProvider"),
    );
    doc.insert("ceterms:agentType".into(), json!([provider]));
    let sector = match node["sector"].as_str() {
        Some("PUBLIC") => Some("agentSector:Public"),
        Some("COMMUNITY") => Some("agentSector:PrivateNonProfit"),
        Some("PRIVATE") => Some("agentSector:PrivateForProfit"),
        _ => None,
    };
    if let Some(term) = sector {
        let mut aligned = alignment();
        put_in(&mut aligned, "ceterms:targetNode", json!(term));
        doc.insert("ceterms:agentSectorType".into(), json!([aligned]));
    }
    if !node["address"].is_null() {
        let mut place =
            json!({ "@type": "ceterms:Place", "ceterms:addressCountry": { "en": "Indonesia" } });
        put_in(
            &mut place,
            "ceterms:streetAddress",
            text(&node["address"]["streetAddress"]),
        );
        put_in(
            &mut place,
            "ceterms:addressRegion",
            text(&node["address"]["region"]["name"]),
        );
        doc.insert("ceterms:address".into(), json!([place]));
    }
    put(doc, "ceterms:foundingDate", year(&node["foundedYear"]));
    if let Some(email) = node["contact"]["email"].as_str() {
        doc.insert("ceterms:email".into(), json!([email]));
    }
    put(
        doc,
        "ceterms:parentOrganization",
        ids(std::slice::from_ref(&node["supervisor"])),
    );
    let courses: Vec<Value> = list(&node["courses"]["nodes"]).cloned().collect();
    put(doc, "ceterms:offers", ids(&courses));
}

/// `@type`, `@id` and the provider's name for the record.
pub(super) fn head(doc: &mut Map<String, Value>, ty: &str, node: &Value) {
    doc.insert("@type".into(), json!(ty));
    if let Some(id) = node["id"].as_str() {
        doc.insert("@id".into(), json!(iri(id)));
    }
}

/// schema.org identifiers: Simpul's global id and the provider's own key.
pub(super) fn identifiers(node: &Value) -> Value {
    let mut out = Vec::new();
    if let Some(id) = node["id"].as_str() {
        out.push(json!({ "@type": "PropertyValue", "propertyID": "simpul", "value": id }));
    }
    if let (Some(key), Some(source_id)) =
        (node["provider"]["key"].as_str(), node["sourceId"].as_str())
    {
        out.push(json!({ "@type": "PropertyValue", "propertyID": key, "value": source_id }));
    }
    Value::Array(out)
}

/// A link to another node (`{"@type", "@id", "name"}`), or null when there is none.
pub(super) fn reference(node: &Value, ty: &str) -> Value {
    let Some(id) = node["id"].as_str() else {
        return Value::Null;
    };
    let mut out = json!({ "@type": ty, "@id": iri(id) });
    put_in(&mut out, "name", node["name"].clone());
    out
}

/// The `@id`s of nodes, as CTDL lists references.
pub(super) fn ids(nodes: &[Value]) -> Value {
    Value::Array(
        nodes
            .iter()
            .filter_map(|n| n["id"].as_str())
            .map(|id| json!({ "@id": iri(id) }))
            .collect(),
    )
}

pub(super) fn alignment() -> Value {
    json!({ "@type": "ceterms:CredentialAlignmentObject" })
}

/// Indonesian text as a CTDL language map, or null.
pub(super) fn text(value: &Value) -> Value {
    match value.as_str() {
        Some(s) if !s.is_empty() => json!({ "id": s }),
        _ => Value::Null,
    }
}

pub(super) fn hours(value: &Value) -> Value {
    value
        .as_i64()
        .map_or(Value::Null, |h| json!(format!("PT{h}H")))
}

fn year(value: &Value) -> Value {
    value.as_i64().map_or(Value::Null, |y| json!(y.to_string()))
}

pub(super) fn list(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}

/// Insert unless null or an empty list.
pub(super) fn put(doc: &mut Map<String, Value>, key: &str, value: Value) {
    let empty = match &value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::String(s) => s.is_empty(),
        _ => false,
    };
    if !empty {
        doc.insert(key.into(), value);
    }
}

pub(super) fn put_in(object: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = object {
        put(map, key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> Value {
        json!({
            "__typename": "CourseRun", "id": "UlVO", "code": "SPN-PL-2023-01", "sourceId": "SPN-PL-2023-01",
            "provider": { "key": "spn", "name": "SPN" },
            "description": null, "startDate": "2023-02-01", "endDate": null, "status": "COMPLETED",
            "deliveryMode": "IN_PERSON", "capacity": 20, "nominalHours": 120,
            "location": { "code": "36.02", "name": "Kabupaten Lebak" },
            "costPerParticipant": { "amount": "4500000", "currency": "IDR" },
            "fundingSchemes": [{ "code": "UNION_SELF_FUNDED", "name": "Trade-union self-funding (swadaya)" }],
            "course": { "id": "Q09VUlNF", "name": "Menjahit" },
            "trainingCenter": { "id": "VEM", "name": "SPN Training Center Lebak" }
        })
    }

    #[test]
    fn a_run_in_schema_org() {
        let doc = document(&run(), Vocabulary::SchemaOrg);
        assert_eq!(doc["@type"], "CourseInstance");
        assert_eq!(doc["@id"], "/ld/UlVO");
        assert_eq!(doc["name"], "Menjahit (SPN-PL-2023-01)");
        assert_eq!(doc["courseMode"], "onsite");
        assert_eq!(doc["courseWorkload"], "PT120H");
        assert_eq!(doc["organizer"]["@id"], "/ld/VEM");
        assert_eq!(doc["@reverse"]["hasCourseInstance"]["@id"], "/ld/Q09VUlNF");
        assert_eq!(doc["identifier"][1]["propertyID"], "spn");
        // Absent values are left out, not written as null.
        assert!(
            doc.get("endDate").is_none() && doc.get("description").is_none(),
            "{doc}"
        );
    }

    #[test]
    fn a_run_in_ctdl() {
        let doc = document(&run(), Vocabulary::Ctdl);
        assert_eq!(doc["@context"], CTDL_CONTEXT);
        assert_eq!(doc["@type"], "ceterms:ScheduledOffering");
        assert_eq!(
            doc["ceterms:deliveryType"][0]["ceterms:targetNode"],
            "deliveryType:InPerson"
        );
        assert_eq!(
            doc["ceterms:estimatedCost"][0]["ceterms:price"],
            4_500_000.0
        );
        assert_eq!(doc["ceterms:offeredBy"][0]["@id"], "/ld/VEM");
        assert_eq!(doc["ceterms:name"]["id"], "SPN-PL-2023-01");
    }

    #[test]
    fn vocabularies_by_name_and_a_clear_refusal() {
        assert_eq!(Vocabulary::from_query(None), Ok(Vocabulary::SchemaOrg));
        assert_eq!(
            Vocabulary::from_query(Some("vocab=ctdl")),
            Ok(Vocabulary::Ctdl)
        );
        assert_eq!(
            Vocabulary::from_query(Some("a=1&vocab=schema.org")),
            Ok(Vocabulary::SchemaOrg)
        );
        let refused =
            Vocabulary::from_query(Some(&format!("vocab={}", "x".repeat(500)))).unwrap_err();
        assert!(refused.len() < 120, "{refused}");
    }
}
