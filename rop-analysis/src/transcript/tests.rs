//! Reading the three transcript forms.

use super::*;

#[test]
fn refuses_empty_text_and_json_that_is_not_a_transcript() {
    let err = Transcript::parse("\u{feff} \n").unwrap_err().to_string();
    assert!(err.contains("the file is empty"), "{err}");
    let err = Transcript::parse(r#"{"id": "CL", "name": "x", "stages": []}"#)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "transcript: `utterances`: missing: a transcript needs `utterances` (or `segments`); \
found keys id, name, stages (it looks like a checklist)"
    );
}

#[test]
fn keeps_the_start_time_of_an_rfc3339_date() {
    let t =
        Transcript::parse(r#"{"date": "2025-09-17T14:30:00+03:00", "utterances": []}"#).unwrap();
    assert_eq!(
        t.started_at.unwrap().to_rfc3339(),
        "2025-09-17T11:30:00+00:00"
    );
    let t = Transcript::parse(r#"{"date": "2025-09-17", "utterances": []}"#).unwrap();
    assert!(t.started_at.is_none() && t.date.is_some());
}

#[test]
fn reads_our_json_with_tolerant_numbers_and_speakers() {
    let t = Transcript::from_json(
        r#"{"call_id": 42, "language": "RU", "utterances": [
            {"speaker": "Agent", "start": "0.5", "end": 3, "text": "Добрый день"},
            {"speaker": "customer", "start": 3.4, "end": 5.0, "text": "Здравствуйте"}]}"#,
    )
    .unwrap();
    assert_eq!(t.call_id.unwrap().as_str(), "42");
    assert_eq!(t.language, Language::Ru);
    assert_eq!(t.utterances[0].speaker, Speaker::Manager);
    assert_eq!(t.utterances[0].start, Some(0.5));
    assert_eq!(t.utterances[1].speaker, Speaker::Client);
}

#[test]
fn reads_verbose_json_with_channels() {
    let t = Transcript::from_json(
        r#"{"language": "en", "segments": [
            {"start": 0, "end": 1, "text": " hello ", "channel": 0},
            {"start": 1, "end": 2, "text": "hi", "channel": "1"}]}"#,
    )
    .unwrap();
    assert_eq!(t.language, Language::En);
    assert_eq!(t.utterances[0].speaker, Speaker::Manager);
    assert_eq!(t.utterances[0].text, "hello");
    assert_eq!(t.utterances[1].speaker, Speaker::Client);
    assert_eq!(t.duration(), Some(2.0));
}

#[test]
fn reads_verbose_json_with_speakers_and_a_bare_array_of_utterances() {
    let t = Transcript::parse(
        r#"{"text": "…", "segments": [
            {"id": 0, "start": 0, "end": 1, "text": "Добрый день", "speaker": "Operator"},
            {"id": 1, "start": 1, "end": 2, "text": "Да", "speaker": "CUSTOMER"}]}"#,
    )
    .unwrap();
    assert_eq!(t.utterances[0].speaker, Speaker::Manager);
    assert_eq!(t.utterances[1].speaker, Speaker::Client);
    let bare = Transcript::parse(
        r#"[{"speaker": "agent", "start": 0, "end": 1, "text": "Добрый день"},
            {"channel": 1, "start": 1, "end": 2, "text": "Да"}]"#,
    )
    .unwrap();
    assert_eq!(bare.utterances.len(), 2);
    assert_eq!(bare.utterances[0].speaker, Speaker::Manager);
    assert_eq!(bare.utterances[1].speaker, Speaker::Client);
    let err = Transcript::parse(r#"[{"start": "x"}]"#)
        .unwrap_err()
        .to_string();
    assert!(err.contains("segments[0].start"), "{err}");
}

#[test]
fn reads_plain_text_lines_with_leading_time_stamps() {
    let t = Transcript::parse(
        "[00:01] Менеджер: Добрый день\n[01:02.5] Клиент: Да\n00:01:05 Менеджер: Итак",
    )
    .unwrap();
    assert_eq!(t.utterances.len(), 3);
    assert_eq!(t.utterances[0].speaker, Speaker::Manager);
    assert_eq!(t.utterances[0].start, Some(1.0));
    assert_eq!(t.utterances[1].text, "Да");
    assert_eq!(t.utterances[1].start, Some(62.5));
    assert_eq!(t.utterances[2].start, Some(65.0));
}

#[test]
fn reads_plain_text_lines_and_continuations() {
    let t = Transcript::parse("Менеджер: Добрый день\nпродолжение\nКлиент: Да").unwrap();
    assert_eq!(t.utterances.len(), 2);
    assert_eq!(t.utterances[0].text, "Добрый день продолжение");
    assert_eq!(t.language, Language::Ru);
}

#[test]
fn decode_errors_name_the_json_path() {
    let err = Transcript::from_json(
        r#"{"utterances": [{"speaker": "manager", "start": "abc", "text": "x"}]}"#,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("utterances[0].start"), "{err}");
}

#[test]
fn reads_the_call_date_in_either_form() {
    let a = Transcript::from_json(r#"{"date": "2025-09-17", "utterances": []}"#).unwrap();
    let b = Transcript::from_json(r#"{"date": "2025-09-17T14:30:00Z", "utterances": []}"#).unwrap();
    assert_eq!(a.date, b.date);
    assert!(a.date.is_some());
}
