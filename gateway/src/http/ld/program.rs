//! A catalogue programme as linked data, with the credentials it prepares for and the
//! competency units it teaches: schema.org `EducationalOccupationalProgram` (credentials as
//! `EducationalOccupationalCredential`) and CTDL `ceterms:LearningProgram` (credentials as
//! `ceterms:Certification` / `ceterms:Certificate`, units as competencies).

use serde_json::{json, Map, Value};

use super::terms::{
    alignment, head, hours, ids, list, put, put_in, reference, text, OCCUPATION_FRAMEWORK,
};

/// schema.org.
pub(super) fn schema(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "EducationalOccupationalProgram", node);
    put(doc, "name", node["name"].clone());
    put(doc, "description", node["description"].clone());
    put(doc, "educationalProgramMode", node["method"].clone());
    put(doc, "timeToComplete", hours(&node["nominalHours"]));
    if let Some(level) = node["kkniLevel"].as_i64() {
        doc.insert(
            "educationalLevel".into(),
            json!({ "@type": "DefinedTerm", "name": format!("KKNI {level}"), "inDefinedTermSet": "KKNI" }),
        );
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
    let units: Vec<Value> = list(&node["competencies"])
        .map(|u| json!({ "@type": "DefinedTerm", "termCode": u["code"], "name": u["title"], "inDefinedTermSet": u["framework"] }))
        .collect();
    put(doc, "teaches", Value::Array(units));
    let credentials: Vec<Value> = list(&node["credentials"])
        .map(|c| {
            let mut credential = json!({ "@type": "EducationalOccupationalCredential" });
            put_in(&mut credential, "name", c["name"].clone());
            let category = match c["category"].as_str() {
                Some("COMPETENCY_CERTIFICATION") => json!("Certification"),
                Some("TRAINING_CERTIFICATE") => json!("Certificate"),
                _ => Value::Null,
            };
            put_in(&mut credential, "credentialCategory", category);
            put_in(&mut credential, "validFor", c["validFor"].clone());
            let bodies: Vec<Value> = list(&c["recognizedBy"])
                .map(|b| json!({ "@type": "Organization", "name": b }))
                .collect();
            put_in(&mut credential, "recognizedBy", Value::Array(bodies));
            if let Some(issuer) = c["issuerName"].as_str() {
                put_in(
                    &mut credential,
                    "credentialIssuer",
                    json!({ "@type": "Organization", "name": issuer }),
                );
            }
            credential
        })
        .collect();
    put(
        doc,
        "occupationalCredentialAwarded",
        Value::Array(credentials),
    );
    let courses: Vec<Value> = list(&node["courses"]["nodes"])
        .map(|c| reference(c, "Course"))
        .collect();
    put(doc, "hasCourse", Value::Array(courses));
}

/// CTDL.
pub(super) fn ctdl(node: &Value, doc: &mut Map<String, Value>) {
    head(doc, "ceterms:LearningProgram", node);
    put(doc, "ceterms:name", text(&node["name"]));
    put(doc, "ceterms:description", text(&node["description"]));
    put(doc, "ceterms:codedNotation", node["code"].clone());
    put(doc, "ceterms:inLanguage", json!(["id"]));
    if let Some(duration) = hours(&node["nominalHours"]).as_str() {
        doc.insert(
            "ceterms:estimatedDuration".into(),
            json!([{ "@type": "ceterms:DurationProfile", "ceterms:exactDuration": duration }]),
        );
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
            occupation
        })
        .collect();
    put(doc, "ceterms:occupationType", Value::Array(occupations));
    let units: Vec<Value> = list(&node["competencies"])
        .map(|u| {
            let mut unit = alignment();
            put_in(&mut unit, "ceterms:codedNotation", u["code"].clone());
            put_in(&mut unit, "ceterms:targetNodeName", text(&u["title"]));
            put_in(
                &mut unit,
                "ceterms:frameworkName",
                json!({ "id": u["framework"] }),
            );
            unit
        })
        .collect();
    put(doc, "ceterms:teaches", Value::Array(units));
    let credentials: Vec<Value> = list(&node["credentials"])
        .map(|c| {
            let ty = match c["category"].as_str() {
                Some("COMPETENCY_CERTIFICATION") => "ceterms:Certification",
                _ => "ceterms:Certificate",
            };
            let mut credential = json!({ "@type": ty });
            put_in(&mut credential, "ceterms:name", text(&c["name"]));
            if let Some(issuer) = c["issuerName"].as_str() {
                put_in(
                    &mut credential,
                    "ceterms:ownedBy",
                    json!([{ "@type": "ceterms:CredentialOrganization", "ceterms:name": { "id": issuer } }]),
                );
            }
            let bodies: Vec<Value> = list(&c["recognizedBy"])
                .map(|b| json!({ "@type": "ceterms:QACredentialOrganization", "ceterms:name": { "id": b } }))
                .collect();
            put_in(&mut credential, "ceterms:recognizedBy", Value::Array(bodies));
            credential
        })
        .collect();
    put(doc, "ceterms:isPreparationFor", Value::Array(credentials));
    let courses: Vec<Value> = list(&node["courses"]["nodes"]).cloned().collect();
    put(doc, "ceterms:hasPart", ids(&courses));
}
