//! Checklists and tables are read strictly: a typo is an error naming it with its JSON path,
//! never a silently different score.

use rop_analysis::{Checklist, CompiledChecklist, CompiledTable, Error, Table};

fn checklist_error(text: &str) -> String {
    let err = Checklist::from_json(text).unwrap_err();
    assert!(
        matches!(err, Error::Invalid { .. } | Error::Decode { .. }),
        "{err:?}"
    );
    err.to_string()
}

fn table_error(text: &str) -> String {
    Table::from_json(text).unwrap_err().to_string()
}

#[test]
fn an_unknown_key_in_rules_is_named_with_its_path() {
    let err = checklist_error(
        r#"{"stages": [{"id": "A", "rules": {"any": ["a"]}}, {"id": "B", "rules": {"any": ["b"]}},
            {"id": "C", "rules": {"anyy": ["c"]}}]}"#,
    );
    assert!(
        err.starts_with("checklist: `stages[2].rules.anyy`: unknown key"),
        "{err}"
    );
}

#[test]
fn unknown_keys_at_every_level_of_a_checklist_are_errors() {
    for (text, path) in [
        (r#"{"stagez": []}"#, "`stagez`"),
        (
            r#"{"stages": [{"id": "A", "prompt": "p", "wieght": 2}]}"#,
            "`stages[0].wieght`",
        ),
        (
            r#"{"stages": [{"id": "A", "rules": {"any": ["a"], "window": {"from_begin": 30}}}]}"#,
            "`stages[0].rules.window.from_begin`",
        ),
        (
            r#"{"stages": [{"id": "A", "prompt": "p", "applies_when": {"any": ["a"], "speakers": "client"}}]}"#,
            "`stages[0].applies_when.speakers`",
        ),
    ] {
        let err = checklist_error(text);
        assert!(err.contains(path), "{path}: {err}");
    }
}

#[test]
fn empty_rule_lists_are_errors_but_an_empty_none_is_not() {
    let err = checklist_error(r#"{"stages": [{"id": "A", "rules": {"any": []}}]}"#);
    assert!(
        err.contains("stages[0].rules.any") && err.contains("empty"),
        "{err}"
    );
    let err = checklist_error(r#"{"stages": [{"id": "A", "rules": {"all": []}}]}"#);
    assert!(
        err.contains("stages[0].rules.all") && err.contains("empty"),
        "{err}"
    );
    let err = checklist_error(r#"{"stages": [{"id": "A", "rules": {"all": [["a"], []]}}]}"#);
    assert!(err.contains("stages[0].rules.all[1]"), "{err}");
    // «Nothing forbidden» is a meaningful empty list.
    Checklist::from_json(r#"{"stages": [{"id": "A", "rules": {"any": ["a"], "none": []}}]}"#)
        .unwrap();
}

#[test]
fn an_unknown_built_in_condition_is_an_error() {
    let err = checklist_error(
        r#"{"stages": [{"id": "A", "rules": {"all": [["завтра"], ["{timeofday}"]]}}]}"#,
    );
    assert!(
        err.contains("stages[0].rules.all[1][0]") && err.contains("{time}"),
        "{err}"
    );
    CompiledChecklist::from_json(
        r#"{"stages": [{"id": "A", "rules": {"all": [["{date}"], ["{time}"]]}}]}"#,
    )
    .unwrap();
}

#[test]
fn an_unknown_field_kind_or_key_in_a_table_is_named_with_its_path() {
    let err = table_error(
        r#"{"id": "T", "fields": [{"key": "a", "kind": "phone"}, {"key": "b", "kind": "date"},
            {"key": "c", "kind": "phone"}, {"key": "d", "kind": "timeofday"}]}"#,
    );
    assert!(
        err.starts_with(r#"table: `fields[3].kind`: unknown kind "timeofday""#),
        "{err}"
    );
    let err = table_error(
        r#"{"id": "T", "fields": [{"key": "a", "kind": "phone", "speeker": "client"}]}"#,
    );
    assert!(err.contains("`fields[0].speeker`: unknown key"), "{err}");
    let err = table_error(r#"{"id": "T", "fields": [{"key": "a", "kind": "enum", "values": {}}]}"#);
    assert!(err.contains("fields[0].values"), "{err}");
}

#[test]
fn a_checklist_given_as_a_table_and_the_reverse_are_told_apart() {
    let checklist = r#"{"id": "CL", "stages": [{"id": "A", "rules": {"any": ["a"]}}]}"#;
    let table = r#"{"id": "T", "fields": [{"key": "a", "kind": "phone"}]}"#;
    let err = CompiledTable::from_json(checklist).unwrap_err().to_string();
    assert!(err.contains("this is a checklist"), "{err}");
    let err = CompiledChecklist::from_json(table).unwrap_err().to_string();
    assert!(err.contains("this is an analytic table"), "{err}");
}
