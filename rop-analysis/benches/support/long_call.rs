//! Long calls for the benchmarks, two ways:
//!
//! - [`from_ru_dev`]: real calls of a data set laid out like `ru-dev` (the directory in
//!   `RU_DEV_DIR`) concatenated into one ~7,000-word call (times shifted, speakers kept), with
//!   the data set's own checklist and table;
//! - [`generated`]: a built-in generator when no data set is at hand. It is not a dozen repeated
//!   sentences: a word-bigram chain over a varied Russian sales corpus writes new sentences,
//!   with prices, dates and phone numbers drawn at random and ~8 % of words altered the way
//!   ASR alters them (a letter dropped, doubled or swapped), so the vocabulary grows with the
//!   call as in a real one (≈ 2,000 distinct word forms in 7,000 words).
//!
//! Both are deterministic (a seeded xorshift generator).
#![allow(dead_code)]

use rop_analysis::{Speaker, Transcript, Utterance};
use std::collections::HashMap;
use std::path::Path;

/// A 10-stage real-estate checklist for the generated calls.
pub(crate) const REALTY_CHECKLIST: &str = r#"{
  "id": "CL_BENCH", "name": "Первичный звонок (бенчмарк)", "language": "ru", "pass_threshold": 100,
  "stages": [
    {"id": "S1", "name": "Приветствие", "rules": {"any": ["добрый день", "здравствуйте", "доброе утро"], "window": {"from_start": 60}}},
    {"id": "S2", "name": "Представился", "rules": {"any": ["меня зовут", "агентство недвижимости"]}},
    {"id": "S3", "name": "Критерии поиска", "rules": {"all": [["комнат", "однушка", "двушка", "трешка"], ["район"], ["срок сдачи", "когда сдается"]]}},
    {"id": "S4", "name": "Бюджет", "rules": {"any": ["бюджет", "какую сумму", "рассчитываете"]}},
    {"id": "S5", "name": "Ипотека", "rules": {"any": ["ипотека", "первоначальный взнос", "одобрение банка"]}},
    {"id": "S6", "name": "Презентация объекта", "weight": 2, "rules": {"all": [["планировка"], ["инфраструктура", "школа", "детский сад"]]}},
    {"id": "S7", "name": "Отработка возражений", "rules": {"any": ["понимаю ваши сомнения", "давайте посчитаем"], "none": ["это не мои проблемы"]}},
    {"id": "S8", "name": "Назначение показа", "critical": true, "rules": {"any": ["показ", "приезжайте", "встретимся на объекте"]}},
    {"id": "S9", "name": "Контакты", "rules": {"any": ["ваш телефон", "запишу номер", "отправлю в вотсап"], "min_count": 1}},
    {"id": "S10", "name": "Прощание", "rules": {"any": ["до свидания", "всего доброго", "хорошего дня"], "window": {"before_end": 120}}}
  ]}"#;

/// A 7-field table for the generated calls.
pub(crate) const REALTY_TABLE: &str = r#"{
  "id": "TBL_BENCH", "name": "Анализ конверсии",
  "fields": [
    {"key": "client_name", "kind": "person_name", "speaker": "client"},
    {"key": "budget_range", "kind": "money_range"},
    {"key": "object_type", "kind": "enum", "values": {"квартира": ["квартира", "однушка", "двушка", "студия"], "дом": ["дом", "коттедж"]}},
    {"key": "objections", "kind": "list", "values": {"дорого": ["дорого", "дороговато"], "нужно подумать": ["подумать"], "далеко": ["далеко от метро"]}},
    {"key": "phone", "kind": "phone"},
    {"key": "visit_date", "kind": "date"},
    {"key": "floor", "kind": "regex", "pattern": "(?i)этаж\\s+(\\d+)"}
  ]}"#;

/// Words in a 45-minute call (≈ 155 words a minute).
pub(crate) const LONG_CALL_WORDS: usize = 7_000;

/// The corpus the generator's chain is trained on: one sentence a line, `M|` manager, `C|` client.
const CORPUS: &str = "\
M|Добрый день, агентство недвижимости «Сэттл», меня зовут Анна, чем могу помочь?
C|Здравствуйте, я увидел объявление о продаже квартиры в новом доме возле парка.
M|Подскажите, пожалуйста, сколько комнат вам нужно и какой район вы рассматриваете?
C|Нам нужна двушка, можно трешка, главное чтобы рядом была школа и детский сад.
M|Понимаю, у нас есть несколько вариантов в Приморском районе и на Васильевском острове.
C|А когда сдается дом, и какой срок сдачи указан в договоре долевого участия?
M|Срок сдачи второй квартал следующего года, застройщик надежный, все дома сданы вовремя.
C|Какой этаж, и есть ли балкон или лоджия, окна куда выходят, во двор или на дорогу?
M|Квартира на девятом этаже, застекленная лоджия, окна выходят во двор без машин.
C|А сколько стоит такая квартира, и можно ли оформить ипотеку с господдержкой?
M|Стоимость от семи миллионов, ипотека от шести процентов, первоначальный взнос от двадцати процентов.
C|Честно говоря, дороговато выходит, нам нужно подумать и посоветоваться с женой.
M|Понимаю ваши сомнения, давайте посчитаем ежемесячный платеж, это займет пару минут.
C|Хорошо, у нас есть материнский капитал, его можно использовать как часть взноса?
M|Да, материнский капитал принимают все банки-партнеры, я пришлю список документов.
C|А парковка во дворе есть, или нужно покупать машиноместо в подземном паркинге?
M|Подземный паркинг на сто двадцать мест, машиноместо можно купить отдельно или в рассрочку.
C|Мы сейчас живем в однушке на окраине, ребенок подрос, стало совсем тесно.
M|Тогда посмотрите планировку с кухней-гостиной, она очень популярна у семей с детьми.
C|Интересно, а отделка какая, черновая или можно сразу заехать и жить?
M|Есть варианты с чистовой отделкой, в ванной плитка, на полу ламинат, двери установлены.
C|А сколько идти до метро пешком, и ходят ли автобусы до центра города?
M|До метро двенадцать минут пешком, рядом остановка, автобусы ходят каждые десять минут.
C|Меня еще интересует, какая управляющая компания и сколько стоит коммуналка зимой.
M|Управляющая компания от застройщика, тариф средний по району, счетчики на воду и тепло.
C|Скажите, а торг уместен, или цена окончательная и скидок не бывает?
M|Скидка возможна при полной оплате, и еще до конца месяца действует акция на кладовки.
C|Мне нужно обсудить с семьей, давайте я вам перезвоню в пятницу после обеда.
M|Конечно, а давайте я запишу ваш телефон и отправлю подборку в вотсап сегодня вечером.
C|Да, записывайте, и пришлите, пожалуйста, планировки и расчет по ипотеке.
M|Если удобно, приезжайте на показ в субботу, я покажу квартиру, двор и детскую площадку.
C|В субботу мы можем после двенадцати, только возьмем детей, им тоже интересно.
M|Отлично, встретимся на объекте у офиса продаж, я вас встречу на входе.
C|А документы какие с собой взять, паспорт нужен или пока достаточно посмотреть?
M|На показ достаточно паспорта, а для брони понадобится заявление и небольшой депозит.
C|Бюджет у нас примерно от шести до восьми миллионов, больше мы не потянем.
M|В этот бюджет хорошо укладывается евродвушка на средних этажах с видом на парк.
C|Евродвушка это сколько квадратных метров, и кухня там отдельная или совмещенная?
M|Сорок два квадратных метра, кухня совмещена с гостиной, спальня отдельная с окном.
C|А соседи кто, много ли сдают квартиры, не будет ли шумно по ночам?
M|Дом семейный, большинство покупают для себя, в договоре управления есть правила тишины.
C|Понятно, а если мы продадим свою однушку, вы поможете с продажей?
M|Да, у нас есть услуга альтернативной сделки, оценим вашу квартиру бесплатно.
C|Это удобно, потому что без продажи старой квартиры нам не хватит на взнос.
M|Давайте я передам ваш запрос коллеге, он позвонит завтра и назначит оценку.
C|Подождите, меня перебивают, секундочку, да, я слушаю, продолжайте, пожалуйста.
M|Ничего страшного, я говорю, что расчет пришлю до конца дня, проверьте почту.
C|Спасибо, вы очень подробно рассказали, теперь картина гораздо понятнее.
M|Рада помочь, если появятся вопросы, звоните в любое время с девяти до девяти.
C|А в выходные вы работаете, или офис продаж закрыт по воскресеньям?
M|Офис продаж работает без выходных, в воскресенье до шести вечера.
C|Хорошо, тогда до субботы, и напомните мне, пожалуйста, адрес офиса.
M|Адрес отправлю сообщением вместе с картой и схемой проезда на машине.
M|Спасибо за звонок, всего доброго, хорошего дня и до встречи на показе!
C|И вам спасибо, до свидания.
";

const NAMES: &[&str] = &[
    "Анна",
    "Сергей",
    "Марина",
    "Олег",
    "Татьяна",
    "Игорь",
    "Екатерина",
    "Дмитрий",
    "Наталья",
    "Павел",
    "Ольга",
    "Алексей",
    "Светлана",
    "Виктор",
    "Юлия",
    "Роман",
];
const MONTHS: &[&str] = &[
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];

/// A tiny deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// One word as ASR garbles it: a letter dropped, doubled or two letters swapped.
fn garble(word: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_owned();
    }
    let i = 1 + rng.below(chars.len() - 2);
    let mut out = chars.clone();
    match rng.below(3) {
        0 => {
            out.remove(i);
        }
        1 => out.insert(i, chars[i]),
        _ => out.swap(i, i - 1),
    }
    out.into_iter().collect()
}

/// Something with digits or names drawn at random, as calls are full of them.
fn detail(rng: &mut Rng) -> String {
    match rng.below(5) {
        0 => format!(
            "+7 9{:02} {:03}-{:02}-{:02}",
            rng.below(100),
            rng.below(1000),
            rng.below(100),
            rng.below(100)
        ),
        1 => format!("{} {}", 1 + rng.below(28), MONTHS[rng.below(MONTHS.len())]),
        2 => format!("{},{} млн", 3 + rng.below(12), rng.below(10)),
        3 => format!(
            "квартира {} на {} этаже",
            1 + rng.below(400),
            2 + rng.below(24)
        ),
        _ => NAMES[rng.below(NAMES.len())].to_owned(),
    }
}

/// A call of about `words` words from the built-in generator; `seed` varies it.
pub(crate) fn generated(words: usize, seed: u64) -> Transcript {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    // Bigram chain per speaker: word → next words; sentence starts kept apart.
    let mut chains: HashMap<(bool, &str), Vec<&str>> = HashMap::new();
    let mut starts: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
    for line in CORPUS.lines() {
        let Some((who, text)) = line.split_once('|') else {
            continue;
        };
        let manager = who == "M";
        let ws: Vec<&str> = text.split_whitespace().collect();
        if let Some(first) = ws.first() {
            starts[usize::from(manager)].push(first);
        }
        for pair in ws.windows(2) {
            chains.entry((manager, pair[0])).or_default().push(pair[1]);
        }
    }
    let mut utterances = vec![
        Utterance::new(
            Speaker::Manager,
            "Добрый день, агентство недвижимости «Сэттл», меня зовут Анна, чем могу помочь?",
        )
        .at(0.0, 4.0),
    ];
    let (mut total, mut t) = (utterances[0].text.split_whitespace().count(), 4.5);
    let mut manager = false;
    while total < words {
        let mut text: Vec<String> = Vec::new();
        let sentences = 1 + rng.below(3);
        for _ in 0..sentences {
            let pool = &starts[usize::from(manager)];
            let mut w = pool[rng.below(pool.len())];
            for _ in 0..(6 + rng.below(14)) {
                text.push(if rng.below(12) == 0 {
                    garble(w, &mut rng)
                } else {
                    w.to_owned()
                });
                if rng.below(12) == 0 {
                    text.push(detail(&mut rng));
                }
                match chains.get(&(manager, w)) {
                    Some(next) => w = next[rng.below(next.len())],
                    None => break,
                }
            }
        }
        let n = text.len();
        total += n;
        let secs = n as f64 / 2.6;
        utterances.push(
            Utterance::new(
                if manager {
                    Speaker::Manager
                } else {
                    Speaker::Client
                },
                text.join(" "),
            )
            .at(t, t + secs),
        );
        t += secs + 0.4;
        manager = !manager;
    }
    utterances.push(
        Utterance::new(
            Speaker::Manager,
            "Спасибо за звонок, завтра жду вас на показе, всего доброго, хорошего дня!",
        )
        .at(t, t + 4.0),
    );
    Transcript {
        call_id: Some(format!("generated_{seed}").into()),
        date: chrono::NaiveDate::from_ymd_opt(2025, 9, 17),
        utterances,
        ..Transcript::default()
    }
}

/// The data set's checklist and table (JSON text) and a call of about `words` words made of
/// its calls concatenated, starting at call number `start` (wrapping around); `None` when the
/// directory does not hold a data set.
pub(crate) fn from_ru_dev(
    dir: &Path,
    words: usize,
    start: usize,
) -> Option<(String, String, Transcript)> {
    let checklist = std::fs::read_to_string(dir.join("checklist.json")).ok()?;
    let table = std::fs::read_to_string(dir.join("table.json")).ok()?;
    let mut files: Vec<_> = std::fs::read_dir(dir.join("calls"))
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    if files.is_empty() {
        return None;
    }
    let mut utterances: Vec<Utterance> = Vec::new();
    let (mut total, mut offset) = (0usize, 0.0f64);
    for k in 0.. {
        let f = &files[(start + k) % files.len()];
        let call = Transcript::parse(&std::fs::read_to_string(f).ok()?).ok()?;
        let end = call.duration().unwrap_or(0.0);
        for mut u in call.utterances {
            total += u.text.split_whitespace().count();
            u.start = u.start.map(|s| s + offset);
            u.end = u.end.map(|s| s + offset);
            utterances.push(u);
        }
        offset += end + 1.0;
        if total >= words || k > 10 * files.len() {
            break;
        }
    }
    let call = Transcript {
        call_id: Some(format!("ru_dev_long_{start}").into()),
        date: chrono::NaiveDate::from_ymd_opt(2026, 10, 6),
        utterances,
        ..Transcript::default()
    };
    Some((checklist, table, call))
}

/// `(utterances, words, distinct lowercase word forms)` of a call.
pub(crate) fn stats(call: &Transcript) -> (usize, usize, usize) {
    let mut distinct = std::collections::HashSet::new();
    let mut words = 0;
    for u in &call.utterances {
        for w in u.text.split_whitespace() {
            words += 1;
            distinct.insert(w.to_lowercase());
        }
    }
    (call.utterances.len(), words, distinct.len())
}
