//! Check-worthiness: a sentence in, a score in 0-1 out. Factual, specific, verifiable
//! statements (figures, named people and bodies, events, dates, attributed statements) score
//! high; opinion, questions and scene-setting score low.
//!
//! Interim version: a transparent feature score. It is replaced by the trained model.

/// Scores sentences for check-worthiness.
#[derive(Debug, Clone, Default)]
pub struct CheckWorthiness;

impl CheckWorthiness {
    pub fn builtin() -> Self {
        CheckWorthiness
    }

    pub fn score(&self, sentence: &str) -> f64 {
        let words: Vec<&str> = sentence.split_whitespace().collect();
        if words.len() < 4 {
            return 0.05;
        }
        let mut z = -1.0;
        if sentence.chars().any(|c| c.is_ascii_digit()) {
            z += 1.2;
        }
        let capitals = words.iter().skip(1).filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
        z += (capitals as f64 * 0.35).min(1.4);
        let lower = sentence.to_lowercase();
        for cue in
            [" said", " told", "according to", " reported", " has ", " have ", " killed", " suspended", " halted"]
        {
            if lower.contains(cue) {
                z += 0.4;
            }
        }
        if sentence.trim_end().ends_with('?') {
            z -= 1.5;
        }
        1.0 / (1.0 + (-z).exp())
    }
}
