use super::*;
use serde_json::json;

fn result(call: &str, manager: &str, completion: u32, stages: &[(&str, i32)]) -> ChecklistResult {
    let stages: Vec<serde_json::Value> = stages
        .iter()
        .map(|(name, score)| {
            json!({"stage_id": format!("S_{name}"), "stage_name": name, "score": score,
                   "status": if *score > 0 { "completed" } else { "failed" }})
        })
        .collect();
    serde_json::from_value(json!({
        "call_id": call, "manager_id": manager, "checklist_name": "CL",
        "total_score": 0, "max_score": 0, "completion_percentage": completion,
        "stages": stages, "timestamp": "2025-09-17T14:30:00Z"
    }))
    .unwrap()
}

fn office(id: &str, title: &str, managers: &[&str], leaders: &[&str]) -> Office {
    serde_json::from_value(json!({
        "office_id": id, "office_title": title, "managers_ids": managers, "leader_ids": leaders
    }))
    .unwrap()
}

fn manager(id: &str, name: &str, surname: &str) -> Manager {
    serde_json::from_value(json!({"manager_id": id, "name": name, "surname": surname})).unwrap()
}

fn fixture() -> (Vec<ChecklistResult>, Vec<Office>, Vec<Manager>) {
    let results = vec![
        result("c1", "m1", 100, &[("A", 1), ("B", 1)]),
        result("c2", "m1", 50, &[("A", 1), ("B", -1)]),
        result("c3", "m2", 0, &[("A", -1), ("B", -1)]),
        result("c4", "m3", 50, &[("A", -1), ("B", 1)]),
        result("c5", "m9", 100, &[("A", 1)]),
    ];
    let offices = vec![
        office("o1", "Центр", &["m1", "m2"], &[]),
        office("o2", "Север", &["m2"], &["m3"]),
        office("o3", "Пустой", &["m7"], &[]),
    ];
    let managers = vec![
        manager("m3", "Пётр", "Сидоров"),
        manager("m1", "Анна", "Иванова"),
        manager("m2", "Олег", "Петров"),
        manager("m8", "Без", "Звонков"),
    ];
    (results, offices, managers)
}

#[test]
fn overall_numbers_are_the_mean_and_pass_rates_of_all_calls() {
    let (r, o, m) = fixture();
    let rep = Report::build(&r, &o, &m);
    assert_eq!(rep.calls, 5);
    assert_eq!(rep.overall.average_completion, Some(60.0)); // (100+50+0+50+100)/5
    let a = &rep.overall.stages[0];
    assert_eq!(
        (a.stage_name.as_str(), a.judged, a.passed, a.pass_rate),
        ("A", 5, 3, 60.0)
    );
    let b = &rep.overall.stages[1];
    assert_eq!((b.judged, b.passed, b.pass_rate), (4, 2, 50.0));
    let weak: Vec<&str> = rep
        .overall
        .weakest_stages
        .iter()
        .map(|s| s.stage_name.as_str())
        .collect();
    assert_eq!(weak, ["B", "A"]);
}

#[test]
fn managers_in_several_offices_count_in_each_and_leaders_are_members() {
    let (r, o, m) = fixture();
    let rep = Report::build(&r, &o, &m);
    let centre = &rep.offices[0];
    assert_eq!(centre.summary.calls, 3); // m1 ×2, m2 ×1
    assert_eq!(centre.summary.average_completion, Some(50.0));
    let north = &rep.offices[1];
    assert_eq!(
        north.members,
        [ManagerId::from("m2"), ManagerId::from("m3")]
    );
    assert_eq!(north.summary.calls, 2); // m2 and leader m3
    assert_eq!(north.summary.average_completion, Some(25.0));
    let empty = &rep.offices[2];
    assert_eq!(
        (empty.summary.calls, empty.summary.average_completion),
        (0, None)
    );
    let m2 = rep
        .managers
        .iter()
        .find(|x| x.manager_id.as_str() == "m2")
        .unwrap();
    assert_eq!(m2.office_ids, [OfficeId::from("o1"), OfficeId::from("o2")]);
}

#[test]
fn managers_absent_from_the_structure_go_to_the_unassigned_group_last() {
    let (r, o, m) = fixture();
    let rep = Report::build(&r, &o, &m);
    let last = rep.offices.last().unwrap();
    assert!(last.is_unassigned());
    assert_eq!(last.office_title, UNASSIGNED_TITLE);
    assert_eq!(last.members, [ManagerId::from("m9")]);
    assert_eq!(last.summary.calls, 1);
    let m9 = rep.managers.last().unwrap();
    assert_eq!((m9.name.as_str(), m9.known), ("m9", false));
}

#[test]
fn managers_follow_the_managers_list_and_skip_those_without_calls() {
    let (r, o, m) = fixture();
    let rep = Report::build(&r, &o, &m);
    let ids: Vec<&str> = rep.managers.iter().map(|x| x.manager_id.as_str()).collect();
    assert_eq!(ids, ["m3", "m1", "m2", "m9"]);
    assert_eq!(rep.managers[1].name, "Иванова Анна");
    let m1 = &rep.managers[1].summary;
    assert_eq!((m1.calls, m1.average_completion), (2, Some(75.0)));
    assert_eq!(m1.stages[1].pass_rate, 50.0);
}

#[test]
fn results_without_a_manager_id_get_a_visible_name() {
    let rep = Report::build(&[result("c1", "", 100, &[("A", 1)])], &[], &[]);
    assert_eq!(rep.managers[0].name, crate::NO_MANAGER_NAME);
    assert!(rep.render_text().contains(crate::NO_MANAGER_NAME));
}

#[test]
fn repeated_deliveries_are_dropped_keeping_the_last() {
    let mut results = vec![result("c1", "m1", 0, &[("A", -1)])];
    results.push(result("c1", "m1", 100, &[("A", 1)]));
    let rep = Report::build(&results, &[], &[]);
    assert_eq!((rep.calls, rep.duplicates_dropped), (1, 1));
    assert_eq!(rep.overall.average_completion, Some(100.0));
    assert!(rep.overall.weakest_stages.is_empty());
}

#[test]
fn short_form_results_without_status_pass_on_positive_score() {
    let r: ChecklistResult = serde_json::from_str(
        r#"{"call_id":"c","manager_id":"m","total_score":1,"max_score":2,
            "stages":[{"stage_name":"A","score":1},{"stage_name":"B","score":"-1"}]}"#,
    )
    .unwrap();
    let rep = Report::build(&[r], &[], &[]);
    let s = &rep.overall.stages;
    assert_eq!((s[0].passed, s[1].passed), (1, 0));
    assert_eq!(rep.overall.average_completion, Some(50.0));
}

#[test]
fn empty_input_gives_an_empty_report_in_every_form() {
    let rep = Report::build(&[], &[], &[]);
    assert_eq!((rep.calls, rep.overall.average_completion), (0, None));
    assert!(rep.offices.is_empty() && rep.managers.is_empty());
    assert!(rep.render_text().contains("(нет)"));
    assert!(rep.render_html().contains("нет данных"));
    assert_eq!(
        rep.to_json()["overall"]["average_completion"],
        serde_json::Value::Null
    );
}

#[test]
fn json_has_documented_field_names() {
    let (r, o, m) = fixture();
    let v = Report::build(&r, &o, &m).to_json();
    assert_eq!(v["calls"], 5);
    assert_eq!(v["offices"][0]["office_id"], "o1");
    assert_eq!(v["offices"][3]["office_id"], serde_json::Value::Null);
    assert_eq!(v["managers"][0]["summary"]["average_completion"], 50.0);
    assert_eq!(v["overall"]["stages"][0]["stage_id"], "S_A");
    assert_eq!(v["first_timestamp"], "2025-09-17T14:30:00Z");
}

#[test]
fn text_table_aligns_cyrillic_and_names_weakest_stages() {
    let (r, o, m) = fixture();
    let text = Report::build(&r, &o, &m).render_text();
    assert!(
        text.starts_with("Звонков: 5, период 2025-09-17 … 2025-09-17\nСредняя полнота: 60.0 %\n")
    );
    assert!(text.contains("Центр"));
    assert!(text.contains("(Без офиса)"));
    assert!(text.contains("B (0.0%)"));
    // Every row of the offices table is as wide as its header rule or narrower.
    let lines: Vec<&str> = text.lines().collect();
    let header = lines.iter().position(|l| l.starts_with("Офис ")).unwrap();
    let rule = lines[header + 1].chars().count();
    assert!(
        lines[header + 2..header + 6]
            .iter()
            .all(|l| l.chars().count() <= rule)
    );
}

#[test]
fn text_table_neutralises_control_characters_in_names() {
    let results = vec![result("c1", "m\n1", 10, &[("X\u{1b}[31m", -1)])];
    let text = Report::build(&results, &[], &[]).render_text();
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("m 1"));
}

#[test]
fn html_escapes_every_piece_of_user_text() {
    let evil = "<script>alert('x')</script>&\"";
    let results = vec![result("c1", evil, 40, &[(evil, -1)])];
    let offices = vec![office("o<1>", evil, &[evil], &[])];
    let managers = vec![manager(evil, evil, evil)];
    let html = Report::build(&results, &offices, &managers).render_html();
    assert!(!html.contains("<script>"));
    assert!(!html.contains("alert('x')"));
    assert!(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;"));
    assert!(html.contains("o&lt;1&gt;"));
}

#[test]
fn html_is_self_contained_with_an_inline_svg_chart() {
    let (r, o, m) = fixture();
    let html = Report::build(&r, &o, &m).render_html();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(html.matches("<rect ").count() >= 3 + 4 + 2);
    assert!(!html.contains("src=") && !html.contains("<script"));
    // Links stay inside the page (the drill-down's anchors).
    assert!(html.matches("href=\"").count() == html.matches("href=\"#").count());
    assert!(html.trim_end().ends_with("</html>"));
}

#[test]
fn escape_replaces_the_five_html_specials() {
    assert_eq!(html::escape(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&#39;");
    assert_eq!(html::escape("Привет"), "Привет");
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn arb_results() -> impl Strategy<Value = Vec<ChecklistResult>> {
        let one = (
            0u8..20,
            0u8..5,
            0u32..=100,
            proptest::collection::vec((0u8..4, any::<bool>()), 0..5),
        );
        proptest::collection::vec(one, 0..40).prop_map(|rows| {
            rows.into_iter()
                .map(|(call, m, completion, stages)| {
                    let stages: Vec<(String, i32)> = stages
                        .into_iter()
                        .map(|(s, ok)| (format!("st{s}"), if ok { 1 } else { -1 }))
                        .collect();
                    let refs: Vec<(&str, i32)> =
                        stages.iter().map(|(n, s)| (n.as_str(), *s)).collect();
                    result(&format!("c{call}"), &format!("m{m}"), completion, &refs)
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn numbers_stay_in_bounds_and_every_call_is_counted_once_per_manager(results in arb_results()) {
            let offices = vec![office("o1", "A", &["m0", "m1"], &["m2"]), office("o2", "B", &["m1"], &[])];
            let managers = vec![manager("m0", "X", "Y"), manager("m3", "Z", "W")];
            let rep = Report::build(&results, &offices, &managers);
            prop_assert_eq!(rep.calls + rep.duplicates_dropped, results.len());
            let per_manager: usize = rep.managers.iter().map(|m| m.summary.calls).sum();
            prop_assert_eq!(per_manager, rep.calls);
            let summaries = std::iter::once(&rep.overall)
                .chain(rep.offices.iter().map(|o| &o.summary))
                .chain(rep.managers.iter().map(|m| &m.summary));
            for s in summaries {
                if let Some(a) = s.average_completion {
                    prop_assert!((0.0..=100.0).contains(&a));
                }
                prop_assert_eq!(s.average_completion.is_none(), s.calls == 0);
                for st in &s.stages {
                    prop_assert!(st.passed <= st.judged && (0.0..=100.0).contains(&st.pass_rate));
                }
                prop_assert!(s.weakest_stages.len() <= WEAKEST_STAGES);
            }
            let html = rep.render_html();
            prop_assert!(html.ends_with("</html>\n"));
        }
    }
}

#[test]
fn html_is_russian_and_drills_down_to_every_stage_of_every_call() {
    let mut results = fixture().0;
    results[0].stages[0].comment = "Найдено: «добрый день».".to_owned();
    results[0].stages[0].quote = "Добрый день, агентство «Сэттл»!".to_owned();
    results[1].timestamp = None;
    let (_, o, m) = fixture();
    let rep = Report::build(&results, &o, &m);
    assert_eq!(rep.undated, 1);
    let html = rep.render_html();
    // Labels are Russian: no English group title, the period is the calls' own.
    assert!(!html.contains("unassigned"), "{html}");
    assert!(html.contains("Без офиса"));
    assert!(html.contains("период звонков: <b>17.09.2025 — 17.09.2025</b> (без даты: 1)"));
    // One <details> per manager with calls, one per call, each with a row per stage.
    assert_eq!(html.matches("<details class=\"manager\"").count(), 4);
    assert_eq!(html.matches("<details class=\"call\">").count(), 5);
    assert!(html.contains("<details class=\"manager\" id=\"m1\"><summary>Иванова Анна — 2 звонка, средняя полнота 75.0 %</summary>"), "{html}");
    assert!(html.contains("<summary>Звонок c1 · 17.09.2025 14:30 · полнота 100 % · этапов выполнено 2 из 2 · CL</summary>"), "{html}");
    assert!(html.contains("<summary>Звонок c2 · дата неизвестна · полнота 50 % · этапов выполнено 1 из 2 · CL</summary>"), "{html}");
    assert!(html.contains(
        "<tr class=\"ok\"><td>A</td><td class=\"v\">выполнен</td><td class=\"n\">—</td>\
<td class=\"c\">Найдено: «добрый день».</td><td class=\"q\">Добрый день, агентство «Сэттл»!</td></tr>"
    ), "{html}");
    assert!(html.contains("<tr class=\"fail\"><td>B</td><td class=\"v\">не выполнен</td>"));
    // The managers table links to each manager's calls.
    assert!(html.contains("<a href=\"#m1\">Иванова Анна</a>"));
}

#[test]
fn html_period_is_unknown_without_dates_and_plural_forms_agree() {
    let mut r = fixture().0;
    for x in &mut r {
        x.timestamp = None;
    }
    let html = Report::build(&r, &[], &[]).render_html();
    assert!(html.contains("период звонков неизвестен"));
    assert_eq!(html_calls_word(1), "1 звонок");
    assert_eq!(html_calls_word(3), "3 звонка");
    assert_eq!(html_calls_word(11), "11 звонков");
    assert_eq!(html_calls_word(22), "22 звонка");
}

fn html_calls_word(n: usize) -> String {
    let (r, o, m) = fixture();
    let mut results = Vec::new();
    for i in 0..n {
        let mut x = r[0].clone();
        x.call_id = format!("x{i}").into();
        results.push(x);
    }
    let html = Report::build(&results, &o, &m).render_html();
    let start = html.find("Иванова Анна — ").unwrap() + "Иванова Анна — ".len();
    html[start..].split(',').next().unwrap().to_owned()
}
