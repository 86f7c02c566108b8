//! Which requests need personal data in clear from the adapters: those that select a personal
//! field (`nik`, `fullName`, …). Only then, and only for a caller with `pii:read`, does the
//! engine set `include_pii` on its adapter calls; a gateway that does not need personal data
//! never holds it.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};

/// The output fields that carry personal data in clear (`Participant`, `UnionMembership`,
/// `Outcome`, `CredentialAward`): every field whose resolver goes through the personal-data guard. A field of
/// another type with the same name (`TrainingCenter.address`) only makes the engine ask for
/// more than it needs, never less.
pub const PERSONAL_FIELDS: &[&str] = &[
    "nik",
    "kpj",
    "fullName",
    "birthDate",
    "birthPlace",
    "address",
    "domicileVillage",
    "phone",
    "email",
    "layoffDate",
    "lastEmployer",
    "cardNumber",
    "disability",
    "monthlyRevenue",
    // Participant.socialSecurity: looked up by the record's KPJ.
    "socialSecurity",
    // CredentialAward: certificate numbers identify their holder.
    "number",
    "registrationNumber",
];

/// Whether any operation or fragment of the document selects a personal field.
pub fn selects_personal_data(document: &ExecutableDocument) -> bool {
    let mut sets: Vec<&SelectionSet> = document
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .collect();
    sets.extend(
        document
            .fragments
            .values()
            .map(|f| &f.node.selection_set.node),
    );
    // Iterative: a deep document must not exhaust the stack here.
    while let Some(set) = sets.pop() {
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    if PERSONAL_FIELDS.contains(&field.node.name.node.as_str()) {
                        return true;
                    }
                    sets.push(&field.node.selection_set.node);
                }
                Selection::InlineFragment(fragment) => sets.push(&fragment.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selects(query: &str) -> bool {
        selects_personal_data(&async_graphql::parser::parse_query(query).unwrap())
    }

    #[test]
    fn personal_fields_are_found_anywhere() {
        assert!(!selects(
            "{ participants { nodes { nikMasked birthYear } } }"
        ));
        assert!(selects("{ participants { nodes { nik } } }"));
        assert!(selects(
            "{ participants { nodes { ...P } } } fragment P on Participant { fullName }"
        ));
        assert!(selects(
            "{ node(id: \"x\") { ... on Participant { unionMembership { cardNumber } } } }"
        ));
        assert!(selects(
            "query A { providers { key } } query B { participants { nodes { p: phone } } }"
        ));
    }

    /// Every field the schema describes as personal data is in the list.
    #[test]
    fn the_list_covers_every_personal_field() {
        let sdl = crate::graphql::sdl();
        let mut found = Vec::new();
        for ty in [
            "type Participant ",
            "type UnionMembership ",
            "type Outcome ",
        ] {
            let start = sdl.find(ty).expect(ty);
            let body = &sdl[start..start + sdl[start..].find("\n}").unwrap()];
            let (mut description, mut inside) = (String::new(), false);
            for line in body.lines().skip(1).map(str::trim) {
                if line == "\"\"\"" {
                    inside = !inside;
                    if inside {
                        description.clear();
                    }
                } else if inside {
                    description.push_str(line);
                } else if !line.is_empty() {
                    let name = line.split(['(', ':']).next().unwrap_or_default();
                    let text = description.to_lowercase();
                    if (text.contains("(personal") || text.contains("personal data)"))
                        && !text.contains("never personal")
                    {
                        found.push(name.to_owned());
                    }
                }
            }
        }
        assert!(found.len() >= 14, "{found:?}");
        for name in &found {
            assert!(
                PERSONAL_FIELDS.contains(&name.as_str()),
                "{name} is not listed"
            );
        }
    }
}
