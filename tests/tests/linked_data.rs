//! `GET /ld/{id}` end to end: courses, runs and centres of all four demo providers, and
//! BBPLK's programmes with the credentials they prepare for, as JSON-LD
//! in schema.org and CTDL; people never; and the same keys and persisted-queries-only rule as
//! `/graphql`.

use serde_json::{json, Value};
use simpul_store::{NewKey, NewPartner, Store};
use simpul_tests::{demo, demo_with, scratch_dir, Gateway};

/// GET `path` with an optional key: status, content type, body.
fn fetch(gateway: &Gateway, path: &str, key: Option<&str>) -> (u16, String, Value) {
    let mut request = ureq::get(&format!("{}{path}", gateway.base));
    if let Some(key) = key {
        request = request.set("authorization", &format!("Bearer {key}"));
    }
    let response = match request.call() {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("GET {path}: {e}"),
    };
    let status = response.status();
    let content_type = response.header("content-type").unwrap_or("").to_owned();
    let text = response.into_string().unwrap_or_default();
    (
        status,
        content_type,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("")
}

fn global_id(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[test]
fn every_providers_runs_courses_and_centres_are_linked_data_in_both_vocabularies() {
    let (gw, _dir) = demo("ld-all");
    for provider in ["spn", "bbplk", "bpjamsostek", "fkblkk"] {
        let (_, body) = gw.query(
            "query($p: String!) { courseRuns(first: 20, where: { provider: { _eq: $p } }) { nodes { id code course { id name } trainingCenter { id name } } } }",
            json!({ "p": provider }),
        );
        assert!(body.get("errors").is_none(), "{body}");
        let run = body["data"]["courseRuns"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| !r["course"].is_null())
            .unwrap_or_else(|| panic!("no run of {provider} with a course: {body}"))
            .clone();
        let id = run["id"].as_str().unwrap();

        let (status, content_type, doc) = fetch(&gw, &format!("/ld/{id}"), None);
        assert_eq!(status, 200, "{provider}: {doc}");
        assert!(
            content_type.starts_with("application/ld+json"),
            "{content_type}"
        );
        assert_eq!(doc["@context"], "https://schema.org/");
        assert_eq!(doc["@type"], "CourseInstance", "{doc}");
        assert_eq!(doc["@id"], format!("/ld/{id}"));
        assert!(
            doc["name"]
                .as_str()
                .unwrap()
                .contains(run["code"].as_str().unwrap()),
            "{doc}"
        );
        let course = run["course"]["id"].as_str().unwrap();
        assert_eq!(
            doc["@reverse"]["hasCourseInstance"]["@id"],
            format!("/ld/{course}")
        );

        let (status, _, ctdl) = fetch(&gw, &format!("/ld/{id}?vocab=ctdl"), None);
        assert_eq!(status, 200, "{ctdl}");
        assert_eq!(ctdl["@type"], "ceterms:ScheduledOffering", "{ctdl}");
        assert_eq!(
            ctdl["@context"],
            "https://credreg.net/ctdl/schema/context/json"
        );

        // The course lists this run among its offerings; the centre offers the course.
        let (status, _, course_doc) = fetch(&gw, &format!("/ld/{course}"), None);
        assert_eq!(status, 200, "{course_doc}");
        assert_eq!(course_doc["@type"], "Course");
        assert_eq!(course_doc["name"], run["course"]["name"]);
        let (_, _, course_ctdl) = fetch(&gw, &format!("/ld/{course}?vocab=ctdl"), None);
        assert_eq!(course_ctdl["@type"], "ceterms:Course");
        assert!(
            course_ctdl["ceterms:hasOffering"]
                .as_array()
                .is_some_and(|o| o.iter().any(|r| r["@id"] == format!("/ld/{id}"))),
            "{course_ctdl}"
        );
        if let Some(centre) = run["trainingCenter"]["id"].as_str() {
            let (status, _, centre_doc) = fetch(&gw, &format!("/ld/{centre}?vocab=ctdl"), None);
            assert_eq!(status, 200, "{centre_doc}");
            assert_eq!(centre_doc["@type"], "ceterms:CredentialOrganization");
            assert_eq!(
                centre_doc["ceterms:name"]["id"],
                run["trainingCenter"]["name"]
            );
        }
        // Nothing the gateway does not know is written as null.
        assert!(!doc.to_string().contains("null"), "{doc}");
    }
}

#[test]
fn a_programme_is_linked_data_with_the_credentials_it_prepares_for() {
    let (gw, _dir) = demo("ld-programme");
    let (_, body) = gw.query(
        "{ programs(first: 30) { nodes { id name credentials { category } courses(first: 5) { nodes { id } } } } }",
        json!(null),
    );
    assert!(body.get("errors").is_none(), "{body}");
    let programme = body["data"]["programs"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["credentials"].as_array().is_some_and(|c| !c.is_empty()))
        .unwrap_or_else(|| panic!("no programme prepares for a credential: {body}"))
        .clone();
    let id = programme["id"].as_str().unwrap();

    let (status, content_type, doc) = fetch(&gw, &format!("/ld/{id}"), None);
    assert_eq!(status, 200, "{doc}");
    assert!(
        content_type.starts_with("application/ld+json"),
        "{content_type}"
    );
    assert_eq!(doc["@type"], "EducationalOccupationalProgram", "{doc}");
    assert_eq!(doc["name"], programme["name"], "{doc}");
    let credential = &doc["occupationalCredentialAwarded"][0];
    assert_eq!(
        credential["@type"], "EducationalOccupationalCredential",
        "{doc}"
    );
    assert!(credential["credentialCategory"].is_string(), "{doc}");
    let courses = doc["hasCourse"].as_array().expect("hasCourse");
    assert_eq!(
        courses.len(),
        programme["courses"]["nodes"].as_array().unwrap().len(),
        "{doc}"
    );

    let (status, _, doc) = fetch(&gw, &format!("/ld/{id}?vocab=ctdl"), None);
    assert_eq!(status, 200, "{doc}");
    assert_eq!(doc["@type"], "ceterms:LearningProgram", "{doc}");
    let prepares = doc["ceterms:isPreparationFor"]
        .as_array()
        .expect("credentials");
    assert!(
        prepares.iter().all(|c| matches!(
            c["@type"].as_str(),
            Some("ceterms:Certification" | "ceterms:Certificate")
        )),
        "{doc}"
    );
}

#[test]
fn people_bad_ids_and_unknown_vocabularies_get_clear_errors() {
    let (gw, _dir) = demo("ld-refused");
    let (_, body) = gw.query("{ participants(first: 1) { nodes { id } } }", json!(null));
    let participant = body["data"]["participants"]["nodes"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cases = [
        (format!("/ld/{participant}"), 404, "NOT_LINKED_DATA"),
        (
            format!("/ld/{}", global_id("gw:Person:abc")),
            404,
            "NOT_LINKED_DATA",
        ),
        ("/ld/not*base64".to_owned(), 400, "INVALID_ID"),
        (format!("/ld/{}", "A".repeat(5000)), 400, "INVALID_ID"),
        (
            format!("/ld/{}", global_id("spn:Course:SPN-TC-01/No Such Course")),
            404,
            "NOT_FOUND",
        ),
        (
            format!("/ld/{}?vocab=rdfs", global_id("spn:Course:x")),
            400,
            "BAD_REQUEST",
        ),
    ];
    for (path, status, expected) in cases {
        let (got, _, body) = fetch(&gw, &path, None);
        assert_eq!((got, code(&body)), (status, expected), "{path}: {body}");
    }
}

#[test]
fn linked_data_obeys_keys_and_runs_under_persisted_queries_only() {
    let dir = scratch_dir("ld-keys");
    let store_url = format!("sqlite://{}?mode=rwc", dir.join("store.sqlite").display());
    let gw = demo_with(
        "ld-keys-gateway",
        &[
            ("SIMPUL__ACCESS__ANONYMOUS_SCOPES", ""),
            ("SIMPUL__ACCESS__PERSISTED_QUERIES_ONLY", "true"),
            ("SIMPUL__STORE__URL", &store_url),
        ],
    )
    .0;
    let partner = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let store = Store::connect(&store_url).await.expect("store");
            let bbplk = store
                .partners()
                .create(NewPartner::new("BBPLK Bekasi", "bbplk"))
                .await
                .expect("partner");
            let key = store
                .keys()
                .create(NewKey::for_partner(bbplk.id, "portal"))
                .await
                .expect("key");
            key.secret.expose().to_owned()
        });
    let spn_centre = global_id("spn:TrainingCenter:SPN-TC-01");
    let bbplk_centre = global_id("bbplk:TrainingCenter:BBPLK-BKS");

    // The catalogue is public, as on /graphql; a key that is not one is refused.
    let (status, _, doc) = fetch(&gw, &format!("/ld/{bbplk_centre}"), None);
    assert_eq!(
        (status, &doc["@type"]),
        (200, &json!("EducationalOrganization")),
        "{doc}"
    );
    let (status, _, body) = fetch(&gw, &format!("/ld/{bbplk_centre}"), Some("not-a-key"));
    assert_eq!(status, 401, "{body}");
    let (status, _, doc) = fetch(&gw, &format!("/ld/{bbplk_centre}"), Some(&partner));
    assert_eq!(
        status, 200,
        "a built-in document runs under persisted-queries-only: {doc}"
    );
    assert_eq!(doc["@type"], "EducationalOrganization");
    // The catalogue is public to every caller, partners included, exactly as on /graphql.
    let (status, _, doc) = fetch(&gw, &format!("/ld/{spn_centre}"), Some(&partner));
    assert_eq!(
        (status, &doc["name"]),
        (200, &json!("SPN Training Center Lebak")),
        "{doc}"
    );
}
