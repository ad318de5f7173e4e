//! Careless input refused by the CLI with a message naming the problem (exit status 1), and
//! speaker labels mapped by the user.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CHECKLIST: &str = r#"{"id": "CL_CLINIC", "name": "Запись в клинику", "stages": [
  {"id": "S_GREET", "name": "Приветствие", "rules": {"any": ["добрый день"]}},
  {"id": "S_NAME", "name": "Назвал клинику", "rules": {"any": ["клиника"]}},
  {"id": "S_WISH", "name": "Пациент сказал, что хочет", "rules": {"speaker": "client", "any": ["записаться"]}}]}"#;

const CLINIC_CALL: &str = "Администратор: Клиника «Улыбка», добрый день!\n\
Пациент: Здравствуйте, хочу записаться к стоматологу.\n\
Администратор: Конечно, на какой день?";

/// A fresh directory with `files` written into it.
fn dir_with(tag: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rop-cli-input-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    dir
}

fn score(dir: &Path, checklist: &str, extra: &[&str], call: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_rop-analysis"))
        .arg("score")
        .arg("--checklist")
        .arg(dir.join(checklist))
        .args(extra)
        .arg(dir.join(call))
        .output()
        .unwrap()
}

fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(out.stdout.is_empty(), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn completion(out: &Output) -> i64 {
    assert!(out.status.success(), "{out:?}");
    let w1: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    w1["completion_percentage"].as_i64().unwrap()
}

#[test]
fn an_empty_transcript_file_is_refused() {
    let dir = dir_with("empty", &[("c.json", CHECKLIST), ("call.txt", "  \n")]);
    let err = refused(&score(&dir, "c.json", &[], "call.txt"));
    assert!(
        err.contains("call.txt: transcript: `.`: the file is empty"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_checklist_passed_as_a_transcript_is_refused() {
    let dir = dir_with("swap", &[("c.json", CHECKLIST)]);
    let err = refused(&score(&dir, "c.json", &[], "c.json"));
    assert!(
        err.contains("c.json: transcript: `utterances`: missing: a transcript needs `utterances` (or `segments`); found keys id, name, stages (it looks like a checklist)"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_transcript_without_utterances_is_refused() {
    let dir = dir_with(
        "none",
        &[
            ("c.json", CHECKLIST),
            ("call.json", r#"{"call_id": "x", "utterances": []}"#),
        ],
    );
    let err = refused(&score(&dir, "c.json", &[], "call.json"));
    assert!(
        err.contains("call.json: transcript: `utterances`: no utterances"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_transcript_without_a_recognised_speaker_is_refused_naming_its_labels() {
    let dir = dir_with(
        "labels",
        &[("c.json", CHECKLIST), ("call.txt", CLINIC_CALL)],
    );
    let err = refused(&score(&dir, "c.json", &[], "call.txt"));
    assert!(
        err.contains("unknown speaker labels: \"Администратор\" ×2, \"Пациент\" ×1"),
        "{err}"
    );
    assert!(err.contains("--speaker-label LABEL=manager"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn speaker_labels_from_the_command_line_or_the_checklist_map_the_roles() {
    let with_labels = CHECKLIST.replacen(
        "{\"id\": \"CL_CLINIC\",",
        "{\"id\": \"CL_CLINIC\", \"speaker_labels\": {\"Администратор\": \"manager\", \"пациент\": \"Client\"},",
        1,
    );
    let dir = dir_with(
        "mapped",
        &[
            ("c.json", CHECKLIST),
            ("c2.json", &with_labels),
            ("call.txt", CLINIC_CALL),
        ],
    );
    let cli = score(
        &dir,
        "c.json",
        &[
            "--speaker-label",
            "Администратор=manager",
            "--speaker-label",
            "Пациент=client",
        ],
        "call.txt",
    );
    assert_eq!(completion(&cli), 100);
    assert!(cli.stderr.is_empty(), "{cli:?}");
    assert_eq!(completion(&score(&dir, "c2.json", &[], "call.txt")), 100);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn some_unknown_labels_are_a_warning_naming_them() {
    let call = format!("{CLINIC_CALL}\nВрач: Я приму вас в среду.");
    let dir = dir_with("warn", &[("c.json", CHECKLIST), ("call.txt", &call)]);
    let out = score(
        &dir,
        "c.json",
        &[
            "--speaker-label",
            "Администратор=manager",
            "--speaker-label",
            "Пациент=client",
        ],
        "call.txt",
    );
    assert_eq!(completion(&out), 100);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("call.txt: warning: unknown speaker labels \"Врач\" ×1"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bad_speaker_label_option_or_key_is_refused() {
    let bad_key = CHECKLIST.replacen(
        "{\"id\": \"CL_CLINIC\",",
        "{\"id\": \"CL_CLINIC\", \"speaker_labels\": {\"Врач\": \"boss\"},",
        1,
    );
    let dir = dir_with(
        "bad",
        &[
            ("c.json", CHECKLIST),
            ("c2.json", &bad_key),
            ("call.txt", CLINIC_CALL),
        ],
    );
    let err = refused(&score(
        &dir,
        "c.json",
        &["--speaker-label", "Врач=boss"],
        "call.txt",
    ));
    assert!(
        err.contains("--speaker-label \"Врач=boss\": speaker_labels: `Врач`: unknown role \"boss\": expected manager or client"),
        "{err}"
    );
    let err = refused(&score(&dir, "c2.json", &[], "call.txt"));
    assert!(
        err.contains("c2.json: checklist: invalid JSON at `speaker_labels`"),
        "{err}"
    );
    assert!(err.contains("unknown role \"boss\""), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}
