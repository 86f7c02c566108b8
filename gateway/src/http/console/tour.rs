//! The README's tour ("A five-minute tour") as GraphiQL's first tabs: every `graphql` block of
//! that section, in order, headed by a comment with the sentence before it. An anonymous
//! operation gets a name made of that sentence's first words, so that each tab has a title.
//! The README is compiled in: the tabs are the tour of the build.

const README: &str = include_str!("../../../../README.md");
const SECTION: &str = "## A five-minute tour";

/// One tab: a query and its variables (JSON text, empty when it takes none).
#[derive(Debug, PartialEq)]
pub(super) struct Tab {
    pub query: String,
    pub variables: String,
}

/// The tour's tabs, from a README's text.
pub(super) fn tabs(readme: &str) -> Vec<Tab> {
    let Some(start) = readme.find(SECTION) else {
        return Vec::new();
    };
    let section = &readme[start + SECTION.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut tabs = Vec::new();
    // The paragraph before a block; `ended` once a blank line closes it.
    let mut prose: Vec<&str> = Vec::new();
    let mut ended = false;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "```graphql" {
            let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
            let sentence = first_sentence(&prose.join(" "));
            tabs.push(tab(&sentence, &block.join("\n")));
            prose.clear();
            ended = false;
        } else if line.trim().starts_with("```") {
            lines
                .by_ref()
                .take_while(|l| l.trim() != "```")
                .for_each(drop);
            prose.clear();
            ended = false;
        } else if line.trim().is_empty() {
            ended = true;
        } else {
            if ended {
                prose.clear();
                ended = false;
            }
            prose.push(line.trim());
        }
    }
    tabs
}

/// The first sentence of a paragraph, without Markdown's backticks.
fn first_sentence(paragraph: &str) -> String {
    let text = paragraph.replace('`', "");
    let end = text
        .find(". ")
        .map(|i| i + 1)
        .unwrap_or(text.len())
        .min(200);
    let mut end = end;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    text[..end].trim().to_owned()
}

fn tab(sentence: &str, block: &str) -> Tab {
    let trimmed = block.trim_start();
    let query = if trimmed.starts_with('{') {
        format!("query {} {trimmed}", operation_name(sentence))
    } else {
        trimmed.to_owned()
    };
    let variables = if query.contains("($id: ID!)") {
        "{ \"id\": \"paste a person.id from the tab before\" }".to_owned()
    } else {
        String::new()
    };
    let comment = if sentence.is_empty() {
        String::new()
    } else {
        format!("# {sentence}\n")
    };
    Tab {
        query: format!("{comment}{query}\n"),
        variables,
    }
}

/// `Providers and their training centres:` → `ProvidersAndTheirTrainingCentres`.
fn operation_name(sentence: &str) -> String {
    let clause = sentence
        .split([':', ',', '.', '('])
        .next()
        .unwrap_or_default();
    let name: String = clause
        .split_whitespace()
        .take(5)
        .map(|word| {
            let word: String = word.chars().filter(char::is_ascii_alphanumeric).collect();
            let mut chars = word.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect();
    match name.chars().next() {
        Some(c) if c.is_ascii_alphabetic() => name,
        _ => format!("Tour{name}"),
    }
}

/// The tabs of this build's README as JSON, safe inside a `<script type="application/json">`.
pub(super) fn tabs_json() -> String {
    let tabs: Vec<serde_json::Value> = tabs(README)
        .into_iter()
        .map(|t| serde_json::json!({ "query": t.query, "variables": t.variables }))
        .collect();
    serde_json::Value::Array(tabs)
        .to_string()
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_graphql_block_of_the_tour_is_a_named_tab() {
        let readme = "# X\n\n## A five-minute tour\n\nPaste these.\n\nProviders and their \
                      training centres:\n\n```graphql\n{\n  providers { key }\n}\n```\n\nthen, \
                      with a `person.id`:\n\n```graphql\nquery Person($id: ID!) {\n  person(id: \
                      $id) { id }\n}\n```\n\n## Next\n\n```graphql\n{ other }\n```\n";
        let tabs = tabs(readme);
        assert_eq!(tabs.len(), 2, "{tabs:?}");
        assert_eq!(
            tabs[0].query,
            "# Providers and their training centres:\nquery ProvidersAndTheirTrainingCentres \
             {\n  providers { key }\n}\n"
        );
        assert!(tabs[0].variables.is_empty());
        assert!(tabs[1]
            .query
            .starts_with("# then, with a person.id:\nquery Person($id: ID!)"));
        assert!(tabs[1].variables.contains("\"id\""));
    }

    #[test]
    fn the_readme_tour_gives_tabs_that_parse() {
        let tabs = tabs(README);
        assert!(tabs.len() >= 5, "{tabs:?}");
        for tab in &tabs {
            async_graphql::parser::parse_query(&tab.query)
                .unwrap_or_else(|e| panic!("{e}: {}", tab.query));
        }
    }
}
