//! A general resource: common Russian given names in the nominative (a few hundred, the most
//! frequent in Russia), used to recognise a person's name said without «меня зовут». Words that
//! are also everyday nouns («Вера», «Надежда», «Любовь», «Слава», «Лев») are left out: a
//! lowercase ASR transcript could not tell them apart.

/// Male and female given names, lowercase, with `ё` where the name is written with it.
const NAMES: &[&str] = &[
    // male
    "александр",
    "алексей",
    "анатолий",
    "андрей",
    "антон",
    "аркадий",
    "арсений",
    "артём",
    "артур",
    "богдан",
    "борис",
    "вадим",
    "валентин",
    "валерий",
    "василий",
    "виктор",
    "виталий",
    "владимир",
    "владислав",
    "всеволод",
    "вячеслав",
    "геннадий",
    "георгий",
    "герман",
    "глеб",
    "григорий",
    "давид",
    "даниил",
    "данила",
    "денис",
    "дмитрий",
    "евгений",
    "егор",
    "иван",
    "игорь",
    "илья",
    "кирилл",
    "константин",
    "леонид",
    "макар",
    "максим",
    "марк",
    "матвей",
    "михаил",
    "никита",
    "николай",
    "олег",
    "павел",
    "пётр",
    "роберт",
    "родион",
    "роман",
    "руслан",
    "семён",
    "сергей",
    "станислав",
    "степан",
    "тимофей",
    "тимур",
    "фёдор",
    "филипп",
    "эдуард",
    "юрий",
    "ярослав",
    "эльдар",
    "ренат",
    "рустам",
    "марат",
    "айдар",
    "альберт",
    "эрик",
    "захар",
    "савва",
    "ефим",
    "валентин",
    "яков",
    "лука",
    "мирон",
    "тихон",
    "платон",
    "демид",
    "елисей",
    "святослав",
    "ростислав",
    "виктор",
    "вениамин",
    "владлен",
    "геннадий",
    // female
    "александра",
    "алина",
    "алиса",
    "алла",
    "алёна",
    "анастасия",
    "ангелина",
    "анжелика",
    "анна",
    "антонина",
    "валентина",
    "валерия",
    "варвара",
    "вероника",
    "виктория",
    "галина",
    "дарья",
    "диана",
    "ева",
    "евгения",
    "екатерина",
    "елена",
    "елизавета",
    "жанна",
    "зинаида",
    "зоя",
    "инна",
    "ирина",
    "карина",
    "кира",
    "клавдия",
    "кристина",
    "ксения",
    "лариса",
    "лилия",
    "людмила",
    "маргарита",
    "марина",
    "мария",
    "милана",
    "наталья",
    "наталия",
    "нина",
    "оксана",
    "олеся",
    "ольга",
    "полина",
    "раиса",
    "регина",
    "светлана",
    "софия",
    "софья",
    "таисия",
    "тамара",
    "татьяна",
    "ульяна",
    "эльвира",
    "юлия",
    "яна",
    "снежана",
    "василиса",
    "арина",
    "виолетта",
    "злата",
    "лидия",
    "нелли",
    "эмилия",
    "элина",
    "майя",
    "агата",
    "дина",
];

/// The canonical spelling of a given name (capitalised, `ё` restored) when `word` (already
/// normalised: lowercase, `ё` folded to `е`) is one.
pub(crate) fn given_name(word: &str) -> Option<String> {
    let found = BY_FOLDED.get(word)?;
    let mut chars = found.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// The names keyed by their folded spelling (`ё` → `е`), built once.
static BY_FOLDED: std::sync::LazyLock<rustc_hash::FxHashMap<String, &'static str>> =
    std::sync::LazyLock::new(|| NAMES.iter().map(|n| (n.replace('ё', "е"), *n)).collect());

/// Whether a normalised word is a patronymic («Сергеевич», «Павловна»).
pub(crate) fn is_patronymic(word: &str) -> bool {
    word.chars().count() > 6
        && ["вич", "вна", "ична", "инична"]
            .iter()
            .any(|s| word.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn given_names_are_found_with_yo_restored_and_nouns_are_not_names() {
        assert_eq!(given_name("петр").as_deref(), Some("Пётр"));
        assert_eq!(given_name("игорь").as_deref(), Some("Игорь"));
        assert_eq!(given_name("надежда"), None);
        assert_eq!(given_name("машина"), None);
        assert!(is_patronymic("сергеевич") && is_patronymic("николаевна"));
        assert!(!is_patronymic("сергей"));
    }
}
