//! A `money_range` field over a whole call: the amount one side states as its own (a budget),
//! told apart from the prices the other side quotes.

use super::money::{money_in, multiplier};
use crate::checklist::SpeakerFilter;
use crate::engine::PreparedCall;
use crate::transcript::Speaker;

/// Word beginnings of a question about money (sum, budget, money, cost, price, roubles,
/// paying, spending).
const MONEY_STEMS: &[&str] = &[
    "сумм",
    "бюджет",
    "деньг",
    "денег",
    "стоим",
    "цен",
    "руб",
    "плат",
    "потрат",
    "рассчитыва",
    "budget",
    "price",
    "cost",
    "spend",
    "afford",
    "pay",
    "amount",
];

/// The amount side `whose` states (the client by default), in this order of preference:
/// 1. their answer to the other side's question («Какой бюджет?» — «До двух двухсот»), read
///    in the call's scale (millions when any million was mentioned), so colloquial amounts
///    count;
/// 2. an amount with its unit in their own turns;
/// 3. an amount in the other side's recap question they confirm («бюджет до двух с
///    половиной, верно?» — «Да»).
///
/// Monthly amounts («двадцать пять тысяч в месяц») are not a budget. Without speaker roles in
/// the transcript, the first amount anywhere.
pub(crate) fn stated_amount(call: &PreparedCall<'_>, whose: SpeakerFilter) -> Option<String> {
    let utterances = &call.transcript.utterances;
    let (own, other) = match whose {
        SpeakerFilter::Manager => (Speaker::Manager, Speaker::Client),
        _ => (Speaker::Client, Speaker::Manager),
    };
    if !utterances.iter().any(|u| u.speaker == own) {
        return utterances.iter().find_map(|u| money_in(&u.text, None));
    }
    let millions = call
        .words
        .iter()
        .any(|w| w.iter().any(|x| multiplier(x).is_some_and(|m| m >= 1e6)));
    // Without a unit word anywhere, a small bare number is millions («два двести»).
    let scale = Some(if millions { 1e6 } else { 0.0 });
    let monthly = |k: usize| {
        call.words.get(k).is_some_and(|w| {
            w.iter()
                .any(|x| x.starts_with("месяц") || x == "ежемесячно")
        })
    };
    let asks = |k: usize| {
        call.words
            .get(k)
            .is_some_and(|w| w.words.iter().any(|x| x.question_after))
    };
    let pairs = || utterances.iter().enumerate().zip(utterances.iter().skip(1));
    let about_money = |k: usize| {
        call.words.get(k).is_some_and(|w| {
            w.iter()
                .any(|x| MONEY_STEMS.iter().any(|s| x.starts_with(s)))
        })
    };
    let answer = pairs().find_map(|((k, q), a)| {
        (q.speaker == other && a.speaker == own && asks(k) && about_money(k) && !monthly(k + 1))
            .then(|| money_in(&a.text, scale))
            .flatten()
    });
    answer
        .or_else(|| {
            utterances
                .iter()
                .enumerate()
                .filter(|(k, u)| u.speaker == own && !monthly(*k))
                .find_map(|(_, u)| money_in(&u.text, None))
        })
        .or_else(|| {
            pairs().find_map(|((k, q), a)| {
                let yes = call
                    .words
                    .get(k + 1)
                    .is_some_and(|w| matches!(w.get(0), "да" | "верно" | "yes" | "точно"));
                (q.speaker == other
                    && a.speaker == own
                    && asks(k)
                    && yes
                    && about_money(k)
                    && !monthly(k))
                .then(|| money_in(&q.text, scale))
                .flatten()
            })
        })
}
