//! Error messages are part of the API: pinned here.

use rop_analysis::{Checklist, CompiledTable, Transcript};

#[test]
fn decode_errors_name_the_document_and_the_json_path() {
    let err =
        Checklist::from_json(r#"{"stages": [{"id": "S1", "weight": "heavy", "prompt": "p"}]}"#)
            .unwrap_err();
    insta::assert_snapshot!(err, @r#"checklist: invalid JSON at `stages[0].weight`: invalid value "heavy": invalid digit found in string at line 1 column 42"#);
    let err = Transcript::from_json(r#"{"utterances": {"speaker": "manager"}}"#).unwrap_err();
    insta::assert_snapshot!(err, @"transcript: invalid JSON at `utterances`: invalid type: map, expected a sequence at line 1 column 15");
    let err = Checklist::from_json(r#"{"stages": [{"id": "S1", "rules": {"anyy": ["a"]}}]}"#)
        .unwrap_err();
    insta::assert_snapshot!(err, @"checklist: `stages[0].rules.anyy`: unknown key: expected one of `speaker`, `any`, `all`, `none`, `window`, `min_count`");
}

#[test]
fn validation_errors_name_the_field() {
    let err =
        Checklist::from_json(r#"{"stages": [{"id": "S1", "rules": {"all": [[]]}}]}"#).unwrap_err();
    insta::assert_snapshot!(err, @"checklist: `stages[0].rules.all[0]`: group is empty");
    let err = Checklist::from_json(r#"{"pass_threshold": 120, "stages": []}"#).unwrap_err();
    insta::assert_snapshot!(err, @"checklist: `pass_threshold`: 120 is above 100");
    let err = CompiledTable::from_json(r#"{"id": "T", "fields": [{"key": "k", "kind": "enum"}]}"#)
        .unwrap_err();
    insta::assert_snapshot!(err, @"table: `fields[0].values`: an enum or list field needs values");
}
