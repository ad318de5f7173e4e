//! Negation around a phrase occurrence: a negation just before it, or a refusal just after.

use crate::text::Words;

const NEGATIONS: &[&str] = &[
    "не", "нет", "без", "not", "no", "without", "dont", "didnt", "doesnt", "cant", "cannot",
    "wont", "isnt", "wasnt", "havent",
];

pub(super) fn is_negation(word: &str) -> bool {
    NEGATIONS.contains(&word)
}

/// Whether word `i` follows a negation within two words, inside the same clause.
pub(super) fn negated(words: &Words, i: usize) -> bool {
    for back in 1..=4usize {
        let Some(k) = i.checked_sub(back) else {
            return false;
        };
        if words.words.get(k + 1).is_some_and(|w| w.break_before) {
            return false;
        }
        // Two words back any negation counts; further back only a negated modal verb, whose
        // scope is the rest of the clause («не буду вас грузить ценами», «не могу записать»).
        if is_negation(words.get(k)) && (back <= 2 || is_modal(words.get(k + 1))) {
            return true;
        }
    }
    false
}

/// Russian modal and auxiliary verbs that carry a negation over the verb after them.
fn is_modal(word: &str) -> bool {
    matches!(
        word,
        "буду"
            | "будем"
            | "будет"
            | "могу"
            | "можем"
            | "может"
            | "стану"
            | "станем"
            | "хочу"
            | "хотим"
            | "планируем"
            | "собираюсь"
            | "собираемся"
    )
}

/// How many words (of three letters or more) after a phrase a negation still takes it back.
const NEGATION_AFTER: usize = 4;

/// Whether a negation follows the phrase ending before word `end` in the same sentence, within
/// [`NEGATION_AFTER`] words: «в салон пока не приглашаю», «тест-драйв, к сожалению, сейчас не
/// проводим», «про бюджет сейчас не буду спрашивать». A question is not a refusal («тест-драйв
/// не хотите?» offers one).
pub(super) fn refused(words: &Words, end: usize) -> bool {
    let mut counted = 0;
    for j in end..words.len() {
        let Some(w) = words.words.get(j) else {
            return false;
        };
        if w.sentence_before || counted >= NEGATION_AFTER {
            return false;
        }
        let form = words.get(j);
        if matches!(form, "не" | "нет" | "not") {
            return !question(words, j);
        }
        // A conjunction starts another clause: «дорого, но не далеко».
        if matches!(
            form,
            "но" | "а" | "и" | "или" | "зато" | "однако" | "хотя" | "but" | "and" | "or"
        ) {
            return false;
        }
        // After a comma «только» is «but»: «тот же Монжаро, только не у вас» buys a Monjaro.
        if w.break_before && form == "только" {
            return false;
        }
        // So does a subordinate clause after a comma: its negation is its own («седан, чтобы
        // не ломалось», «муж скажет, что не надо»).
        if w.break_before && is_subordinator(form) {
            return false;
        }
        if form.chars().count() > 2 {
            counted += 1;
        }
    }
    false
}

/// A conjunction or relative word that opens a subordinate clause.
fn is_subordinator(word: &str) -> bool {
    matches!(
        word,
        "что"
            | "чтобы"
            | "если"
            | "когда"
            | "который"
            | "которая"
            | "которое"
            | "которые"
            | "потому"
            | "because"
            | "that"
            | "if"
            | "when"
            | "which"
    )
}

/// Whether the sentence around word `i` ends with a question mark.
fn question(words: &Words, i: usize) -> bool {
    for j in i..words.len() {
        if words.words.get(j).is_some_and(|w| w.question_after) {
            return true;
        }
        if words.words.get(j + 1).is_some_and(|w| w.sentence_before) {
            return false;
        }
    }
    false
}
