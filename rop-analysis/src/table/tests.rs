//! Unit tests of table reading and extraction.
use super::*;

fn formats_table() -> CompiledTable {
    CompiledTable::from_json(
        r#"{"id": "TBL_1755863365", "name": "Анализ конверсии", "fields": [
          {"key": "client_name", "kind": "person_name", "speaker": "client"},
          {"key": "budget_range", "kind": "money_range"},
          {"key": "object_type", "kind": "enum", "choose": "first", "values": {"квартира": ["квартира", "однушка", "двушка", "студия"], "дом": ["дом", "коттедж"]}},
          {"key": "objections", "kind": "list", "values": {"дорого": ["дорого", "дороговато"], "нужно подумать": ["подумать"]}},
          {"key": "next_action", "kind": "enum", "values": {"отправить расчет": ["отправлю расчет", "пришлю расчет"]}},
          {"key": "phone", "kind": "phone"},
          {"key": "visit_date", "kind": "date"},
          {"key": "custom_field", "kind": "regex", "pattern": "(?i)этаж\\s+(\\d+)"},
          {"key": "conversion_stage", "kind": "llm", "prompt": "На каком этапе воронки клиент?"}]}"#,
    )
    .unwrap()
}

#[test]
fn extracts_every_field_kind_from_a_russian_call() {
    let call = Transcript::from_json(
        r#"{"call_id": "c1", "date": "2025-09-17", "utterances": [
          {"speaker": "manager", "start": 0, "end": 2, "text": "Добрый день, меня зовут Анна."},
          {"speaker": "client", "start": 2, "end": 5, "text": "Здравствуйте, меня зовут сергей. Ищу двушку, может коттедж."},
          {"speaker": "client", "start": 5, "end": 8, "text": "Бюджет от пяти до семи миллионов, но это дороговато. Хочу этаж 5."},
          {"speaker": "manager", "start": 8, "end": 10, "text": "Пришлю расчет. Приезжайте завтра. Ваш телефон?"},
          {"speaker": "client", "start": 10, "end": 12, "text": "+7 916 123-45-67. Мне нужно подумать."}]}"#,
    )
    .unwrap();
    let data = formats_table().extract(&call);
    assert_eq!(data["client_name"], "Сергей");
    assert_eq!(data["budget_range"], "5-7 млн руб");
    assert_eq!(data["object_type"], "квартира");
    assert_eq!(data["objections"], "дорого; нужно подумать");
    assert_eq!(data["next_action"], "отправить расчет");
    assert_eq!(data["phone"], "79161234567");
    assert_eq!(data["visit_date"], "2025-09-18");
    assert_eq!(data["custom_field"], "5");
    assert!(!data.contains_key("conversion_stage"));
}

#[test]
fn enum_and_list_follow_the_call_order_not_the_alphabet() {
    let table = CompiledTable::from_json(
        r#"{"id": "T", "fields": [
          {"key": "kind", "kind": "enum", "choose": "first", "values": {"апартаменты": ["апартаменты"], "дом": ["коттедж"], "квартира": ["двушка"]}},
          {"key": "objections", "kind": "list", "values": {"далеко": ["далеко"], "дорого": ["дорого"], "подумать": ["подумать"]}},
          {"key": "said_by_manager", "kind": "enum", "speaker": "manager", "values": {"да": ["коттедж"]}}]}"#,
    )
    .unwrap();
    let call = Transcript::parse(
        "Клиент: Нужно подумать: двушка, может, коттедж. Дорого, но не далеко.\n\
         Клиент: Апартаменты не рассматриваю, хотя далеко.",
    )
    .unwrap();
    let data = table.extract(&call);
    assert_eq!(data["kind"], "квартира");
    // An alternative question offers options; it chooses nothing.
    let asked = Transcript::parse("Менеджер: Вам двушка или коттедж?").unwrap();
    assert!(!table.extract(&asked).contains_key("kind"));
    // «не далеко» is negated; the later «далеко» counts, after «дорого».
    assert_eq!(data["objections"], "подумать; дорого; далеко");
    // The manager said nothing: the field is absent, not "".
    assert!(!data.contains_key("said_by_manager"));
}

#[test]
fn leaves_out_fields_with_nothing_found() {
    let call = Transcript::parse("Менеджер: Добрый день").unwrap();
    assert!(formats_table().extract(&call).is_empty());
}

#[test]
fn extract_call_builds_w2_with_processing_time() {
    let call = Transcript::parse("Клиент: до 6 млн").unwrap();
    let w2 = formats_table().extract_call(&call, Some("c9".into()), None);
    assert_eq!(w2.call_id.as_str(), "c9");
    assert_eq!(w2.table_id.as_str(), "TBL_1755863365");
    assert_eq!(w2.extracted_data["budget_range"], "до 6 млн руб");
    assert!(w2.processing_time.is_some());
}

#[test]
fn rejects_a_bad_regex_naming_the_field() {
    let err = Table::from_json(
        r#"{"id": "T", "fields": [{"key": "x", "kind": "regex", "pattern": "("}]}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("table: `fields[0].pattern`"),
        "{err}"
    );
}

#[test]
fn rejects_an_empty_or_blank_canonical_value_naming_the_field() {
    for (kind, canon) in [("enum", ""), ("list", "  "), ("LIST", "\\t")] {
        let text = format!(
            r#"{{"id": "T", "fields": [{{"key": "ok", "kind": "phone"}},
               {{"key": "k", "kind": "{kind}", "values": {{"да": ["да"], "{canon}": ["зовут"]}}}}]}}"#
        );
        let err = CompiledTable::from_json(&text).unwrap_err();
        assert!(
            err.to_string().starts_with("table: `fields[1].values`"),
            "{err}"
        );
        assert!(matches!(err, Error::Invalid { .. }), "{err:?}");
    }
}

#[test]
fn an_enum_chooses_by_the_tables_priority_by_default_or_as_the_table_says() {
    let table = |choose: &str| {
        CompiledTable::from_json(&format!(
            r#"{{"id": "T", "fields": [{{"key": "step", "kind": "enum", "speaker": "manager"{choose},
              "values": {{"просмотр": ["на просмотр"], "звонок": ["перезвоню"], "расчет": ["пришлю расчет"]}}}}]}}"#
        ))
        .unwrap()
    };
    let call = Transcript::parse(
        "Менеджер: Пришлю расчет сегодня.\n\
         Менеджер: Записал вас на просмотр в субботу.\n\
         Менеджер: Перезвоню в пятницу, пришлю расчет.",
    )
    .unwrap();
    let pick = |choose: &str| table(choose).extract(&call)["step"].clone();
    assert_eq!(pick(""), "просмотр");
    assert_eq!(pick(r#", "choose": "last""#), "расчет");
    assert_eq!(pick(r#", "choose": "first""#), "расчет");
    assert_eq!(pick(r#", "choose": "priority""#), "просмотр");
    assert_eq!(pick(r#", "choose": "most""#), "расчет");
    let err = Table::from_json(
        r#"{"id": "T", "fields": [{"key": "s", "kind": "enum", "choose": "best", "values": {"a": ["a"]}}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("fields[0].choose"), "{err}");
}

#[test]
fn a_budget_is_the_clients_answer_not_the_prices_quoted() {
    let table = CompiledTable::from_json(
        r#"{"id": "T", "fields": [{"key": "budget", "kind": "money_range"}]}"#,
    )
    .unwrap();
    let budget = |text: &str| {
        table
            .extract(&Transcript::parse(text).unwrap())
            .get("budget")
            .cloned()
    };
    assert_eq!(
        budget(
            "Менеджер: Эта модель стоит два миллиона триста. Какой у вас бюджет?\n\
             Клиент: Ну, до двух двухсот где-то."
        )
        .as_deref(),
        Some("до 2.2 млн руб")
    );
    assert_eq!(
        budget("Менеджер: На какую сумму рассчитываете?\nКлиент: Два двести — два триста.")
            .as_deref(),
        Some("2.2-2.3 млн руб")
    );
    assert_eq!(
        budget("Менеджер: Какой бюджет?\nКлиент: Миллион шестьсот — это потолок.").as_deref(),
        Some("до 1.6 млн руб")
    );
    assert_eq!(
        budget("Менеджер: Бюджет у вас до двух с половиной миллионов, верно?\nКлиент: Да.")
            .as_deref(),
        Some("до 2.5 млн руб")
    );
    // A monthly payment cap is not a budget.
    assert_eq!(
        budget("Менеджер: Какой бюджет?\nКлиент: Платёж не больше двадцати пяти тысяч в месяц."),
        None
    );
}

#[test]
fn an_offer_the_other_side_turns_down_is_not_extracted() {
    let table = CompiledTable::from_json(
        r#"{"id": "T", "fields": [
          {"key": "next_action", "kind": "enum", "speaker": "manager", "values": {"отправить прайс": ["скину"]}},
          {"key": "model", "kind": "enum", "values": {"Монжаро": ["монжаро"], "F7": ["эф семь"]}}]}"#,
    )
    .unwrap();
    let call = |reply: &str| {
        Transcript::from_json(&format!(
            r#"{{"utterances": [
              {{"speaker": "client", "text": "Смотрю Монжаро."}},
              {{"speaker": "manager", "text": "Могу скинуть прайс. А эф семь не смотрите?"}},
              {{"speaker": "client", "text": "{reply}"}}]}}"#
        ))
        .unwrap()
    };
    let declined = table.extract(&call("Не, не надо пока."));
    assert!(!declined.contains_key("next_action"));
    assert_eq!(declined["model"], "Монжаро");
    let accepted = table.extract(&call("Да, скиньте."));
    assert_eq!(accepted["next_action"], "отправить прайс");
    // «Не знаю» is no refusal: «не» is not said on its own.
    let unsure = table.extract(&call("Не знаю, может быть."));
    assert_eq!(unsure["next_action"], "отправить прайс");
}
