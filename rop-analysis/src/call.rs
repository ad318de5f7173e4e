//! A call prepared once for scoring: its utterances split into normalised words, its length,
//! and the questions rules and fields ask about an occurrence (who said it, when, whether it is
//! about the past, a question, an alternative).

use crate::checklist::{SpeakerFilter, Window};
use crate::matching::Occurrence;
use crate::recognisers::Concept;
use crate::text::Words;
use crate::transcript::Transcript;

/// A transcript split into normalised words, per utterance.
pub(crate) struct PreparedCall<'t> {
    pub(crate) transcript: &'t Transcript,
    pub(crate) words: Vec<Words>,
    pub(crate) duration: Option<f64>,
    /// The manager's first utterance: where a name said without a cue is the manager's own
    /// («Кедр Моторс, Ольга, добрый день»).
    pub(crate) opening: Option<usize>,
}

impl<'t> PreparedCall<'t> {
    pub(crate) fn new(transcript: &'t Transcript) -> Self {
        Self {
            transcript,
            words: transcript
                .utterances
                .iter()
                .map(|u| Words::new(&u.text))
                .collect(),
            duration: transcript.duration(),
            opening: transcript
                .utterances
                .iter()
                .position(|u| u.speaker == crate::transcript::Speaker::Manager),
        }
    }

    /// Whether utterance `u` is the client's, states something (it is not a question), and the
    /// manager answers it right away, taking it in (the next utterance is the manager's).
    pub(crate) fn taken_in(&self, u: u32) -> bool {
        use crate::transcript::Speaker;
        let at = |i: usize| self.transcript.utterances.get(i).map(|x| &x.speaker);
        let u = u as usize;
        let asks = self
            .words
            .get(u)
            .is_some_and(|w| w.words.iter().any(|x| x.question_after));
        at(u) == Some(&Speaker::Client) && at(u + 1) == Some(&Speaker::Manager) && !asks
    }

    /// Whether an occurrence describes the past: its clause has a personal pronoun and a
    /// past-tense verb («вы к нам в салон уже приезжали?», «вы в субботу были у нас на
    /// тест-драйве»). An action of the manager (rules with `any` and no `all`: invite, say
    /// goodbye) is not done by talking about what happened before the call; information stages
    /// may recap, and a client's words may be about anything.
    /// A phrase with a present, future or imperative verb of its own («ждем вас») states its
    /// own tense, whatever verb stands next to it («записал, ждем вас»).
    pub(crate) fn in_the_past(&self, o: &Occurrence) -> bool {
        self.words.get(o.utterance as usize).is_some_and(|w| {
            crate::fields::past_clause(w, o.word as usize)
                && !(o.word..o.end)
                    .any(|k| crate::morphology::non_past_finite_verb(w.get(k as usize)))
        })
    }

    /// Whether an occurrence of a phrase in a group about `concept` is outside what the concept
    /// means: a day phrase naming a deadline or the past, a time word inside a range of hours
    /// (opening hours «с девяти утра до восьми вечера»).
    pub(crate) fn outside(&self, concept: Concept, o: &Occurrence) -> bool {
        let Some(w) = self.words.get(o.utterance as usize) else {
            return false;
        };
        let i = o.word as usize;
        match concept {
            Concept::Date => crate::fields::in_the_past_or_a_deadline(w, i),
            // A range of hours, or a time-of-day word with no hour near it («вечером
            // наберу»).
            Concept::Time => {
                let near = |k: usize| {
                    let x = w.get(k);
                    x.bytes().all(|b| b.is_ascii_digit()) && !x.is_empty()
                        || crate::fields::number_word(x).is_some()
                };
                let range = (1..=2).any(|back| {
                    i.checked_sub(back)
                        .is_some_and(|k| matches!(w.get(k), "с" | "до" | "from" | "until"))
                });
                let single = o.end == o.word + 1;
                let hour = (i.saturating_sub(2)..(i + 3).min(w.len())).any(|k| k != i && near(k));
                range || (single && !hour)
            }
            _ => false,
        }
    }

    /// Whether an occurrence sits in an alternative question («Оплата наличными или
    /// кредит?», "cash or credit?"): the sentence ends with `?` and has «или»/`or`.
    pub(crate) fn offers_options(&self, o: &Occurrence) -> bool {
        let Some(w) = self.words.get(o.utterance as usize) else {
            return false;
        };
        let i = o.word as usize;
        let start = (0..=i)
            .rev()
            .find(|&k| w.words.get(k).is_some_and(|x| x.sentence_before))
            .unwrap_or(0);
        let end = (i..w.len())
            .find(|&k| w.words.get(k).is_some_and(|x| x.question_after))
            .filter(|&q| (i + 1..=q).all(|k| !w.words.get(k).is_some_and(|x| x.sentence_before)));
        end.is_some_and(|q| (start..=q).any(|k| matches!(w.get(k), "или" | "or")))
    }

    /// Whether the other side turns down what utterance `u` says: the next utterance is the
    /// other speaker's and opens with a refusal, «Нет…», `No…`, or a bare «Не,» («Могу скинуть
    /// прайс» — «Не, не надо пока»; «Эф семь, например?» — «Нет, только Монжаро»).
    pub(crate) fn declined(&self, u: u32) -> bool {
        let u = u as usize;
        let utterances = &self.transcript.utterances;
        let (Some(this), Some(next)) = (utterances.get(u), utterances.get(u + 1)) else {
            return false;
        };
        if this.speaker == next.speaker {
            return false;
        }
        let Some(reply) = self.words.get(u + 1) else {
            return false;
        };
        match reply.get(0) {
            "нет" | "no" | "nope" => true,
            // «Не, …» (colloquial «нет»), not «Не знаю».
            "не" => reply.words.get(1).is_some_and(|w| w.break_before),
            _ => false,
        }
    }

    /// Whether utterance `u` is searched by a rule with this speaker filter and window.
    pub(crate) fn accepts(&self, u: u32, speaker: SpeakerFilter, window: Option<&Window>) -> bool {
        let Some(utt) = self.transcript.utterances.get(u as usize) else {
            return false;
        };
        if !speaker.accepts(&utt.speaker) {
            return false;
        }
        let Some(w) = window else { return true };
        if let (Some(limit), Some(start)) = (w.from_start, utt.start)
            && start >= limit
        {
            return false;
        }
        if let (Some(limit), Some(end), Some(total)) =
            (w.before_end, utt.end.or(utt.start), self.duration)
            && end < total - limit
        {
            return false;
        }
        true
    }
}
