//! Phrase matching as docs/formats.md states it.

use super::*;

fn occurrences(lang: Language, phrase: &str, text: &str) -> usize {
    let mut set = PhraseSet::new(&lang);
    let id = set.add(phrase).unwrap();
    set.finish();
    let found = set.find_all(&[Words::new(text)]);
    found[id as usize].len()
}

#[test]
fn matches_on_stems_case_and_yo() {
    assert_eq!(
        occurrences(Language::Ru, "квартира", "Хочу КВАРТИРУ в центре"),
        1
    );
    assert_eq!(
        occurrences(Language::Ru, "всё понятно", "все понятно, спасибо"),
        1
    );
}

#[test]
fn matches_long_words_at_edit_distance_one_only() {
    assert_eq!(
        occurrences(Language::Ru, "ипотека", "одобрят ли ипатеку"),
        1
    );
    assert_eq!(occurrences(Language::Ru, "квартира", "нужна квортира"), 1);
    assert_eq!(occurrences(Language::Ru, "район", "какой раойн"), 1);
    assert_eq!(occurrences(Language::Ru, "дом", "дым"), 0);
    assert_eq!(occurrences(Language::Ru, "окно", "окна"), 1);
    assert_eq!(occurrences(Language::Ru, "торг", "тарг"), 0);
    assert_eq!(occurrences(Language::Ru, "квартира", "квортыра"), 0);
    assert_eq!(occurrences(Language::En, "thank you", "i think so"), 0);
}

#[test]
fn allows_one_extra_word_inside_a_phrase() {
    assert_eq!(occurrences(Language::Ru, "срок сдачи", "срок у сдачи"), 1);
    assert_eq!(
        occurrences(Language::Ru, "срок сдачи", "срок этой их сдачи"),
        0
    );
    assert_eq!(
        occurrences(
            Language::Ru,
            "когда дом сдается",
            "когда этот дом у сдается"
        ),
        0
    );
}

#[test]
fn ignores_phrases_after_a_negation_in_the_same_clause() {
    assert_eq!(occurrences(Language::Ru, "подходит", "мне не подходит"), 0);
    assert_eq!(
        occurrences(Language::Ru, "подходит", "нет, это подходит"),
        1
    );
    assert_eq!(
        occurrences(Language::Ru, "не подходит", "мне не подходит"),
        1
    );
    assert_eq!(occurrences(Language::En, "sure", "i am not really sure"), 0);
}

#[test]
fn tolerates_asr_splits_and_merges() {
    let mut set = PhraseSet::new(&Language::En);
    set.add("all right");
    set.finish();
    assert_eq!(occurrences(Language::En, "alright", "all right then"), 1);
    assert_eq!(occurrences(Language::En, "all right", "alright then"), 1);
    assert_eq!(occurrences(Language::En, "goodbye", "good bye"), 1);
}

#[test]
fn the_word_cache_gives_the_same_occurrences_on_every_call_and_after_a_change() {
    let mut set = PhraseSet::new(&Language::Ru);
    let a = set.add("ипотека").unwrap();
    set.finish();
    let text = [Words::new("одобрят ли ипатеку, а рассрочка")];
    let first = set.find_all(&text);
    assert_eq!(first[a as usize].len(), 1);
    assert_eq!(set.find_all(&text), first);
    // A phrase added after scoring is found: the cached lookups of the old set are not used.
    let b = set.add("рассрочка").unwrap();
    set.finish();
    let again = set.find_all(&text);
    assert_eq!(again[a as usize], first[a as usize]);
    assert_eq!(again[b as usize].len(), 1);
}

#[test]
fn counts_repeated_occurrences() {
    assert_eq!(
        occurrences(Language::Ru, "спасибо", "спасибо, большое спасибо"),
        2
    );
}

#[test]
fn russian_words_match_on_a_shared_lemma_where_stems_differ() {
    // «даёте» and «дают» have the stems «дает» and «дают», but both are forms of «давать».
    assert_eq!(
        occurrences(Language::Ru, "мало дают", "Мало даёте, это несерьёзно."),
        1
    );
    assert_eq!(
        occurrences(Language::Ru, "посоветоваться", "посоветуюсь с женой"),
        1
    );
    // English has no dictionary here: stems only.
    assert_eq!(occurrences(Language::En, "they give", "you gave"), 0);
}

#[test]
fn edit_distance_does_not_join_two_dictionary_words_of_different_lexemes() {
    // «доброго» is one deletion from «дорого», but it is a correct form of «добрый».
    assert_eq!(occurrences(Language::Ru, "дорого", "Всего доброго!"), 0);
    assert_eq!(occurrences(Language::Ru, "вечера", "вы вчера звонили"), 0);
    // A misheard word is not in the dictionary and still matches.
    assert_eq!(
        occurrences(Language::Ru, "ипотека", "одобрят ли ипатеку"),
        1
    );
    assert_eq!(occurrences(Language::Ru, "дорого", "это дорогго"), 1);
}

#[test]
fn a_negation_after_a_contrasting_tolko_refuses_nothing() {
    // After a comma «только» means «but»: the client did buy a Monjaro, elsewhere.
    assert_eq!(
        occurrences(Language::Ru, "монжаро", "Тот же Монжаро, только не у вас."),
        1
    );
    assert_eq!(
        occurrences(Language::Ru, "монжаро", "Монжаро только не рассматриваю."),
        0
    );
}

#[test]
fn a_negation_inside_a_following_subordinate_clause_refuses_nothing() {
    assert_eq!(
        occurrences(Language::Ru, "седан", "Седан, чтобы не ломалось."),
        1
    );
    assert_eq!(
        occurrences(Language::Ru, "муж", "Может, муж скажет, что не надо."),
        1
    );
    assert_eq!(
        occurrences(
            Language::Ru,
            "тест-драйв",
            "Тест-драйв, к сожалению, сейчас не проводим."
        ),
        0
    );
}
