//! What the exit code tells a script. One list ([`CODES`]), printed by `--help` and made into
//! the man page's EXIT STATUS and README's table.

use std::process::ExitCode;

/// The outcomes a command can end with, from best to worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Everything was read and done.
    Done,
    /// Some of the data could not be read (a file, or features in it); the rest was used.
    DataProblems,
    /// Some input lines could not be read or understood; the others were answered.
    InputProblems,
    /// Some output could not be written; the rest was.
    OutputFailed,
    /// The command line was wrong; nothing was done.
    Usage,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Done => 0,
            Outcome::DataProblems => 1,
            Outcome::Usage => 2,
            Outcome::InputProblems => 3,
            Outcome::OutputFailed => 4,
        }
    }

    /// The worse of two outcomes.
    pub fn and(self, other: Outcome) -> Outcome {
        self.max(other)
    }
}

impl From<Outcome> for ExitCode {
    fn from(outcome: Outcome) -> Self {
        ExitCode::from(outcome.code())
    }
}

/// Every outcome with what it tells a script: `--help`, the man page and README are made
/// from this list.
pub const CODES: &[(Outcome, &str)] = &[
    (Outcome::Done, "everything was read and done"),
    (
        Outcome::DataProblems,
        "some data could not be read, or was changed in reading (a file refused, features left out, columns exchanged by their values; stderr says which); the rest was used",
    ),
    (
        Outcome::Usage,
        "the command line was wrong; nothing was done",
    ),
    (
        Outcome::InputProblems,
        "some input lines could not be read or understood (identify); the others were answered",
    ),
    (
        Outcome::OutputFailed,
        "some output could not be written (export); the rest was",
    ),
];

/// What is returned when several outcomes apply.
pub const SEVERAL: &str = "When several apply, the highest is returned.";

/// The table in `--help`.
pub fn table() -> String {
    let mut out = String::from("EXIT CODES:\n");
    for (outcome, meaning) in CODES {
        out.push_str(&format!("    {}    {meaning}\n", outcome.code()));
    }
    out.push_str(&format!("    {SEVERAL}\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_code_once_in_order() {
        let codes: Vec<u8> = CODES.iter().map(|(outcome, _)| outcome.code()).collect();
        assert_eq!(codes, [0, 1, 2, 3, 4]);
        for outcome in [
            Outcome::Done,
            Outcome::DataProblems,
            Outcome::Usage,
            Outcome::InputProblems,
            Outcome::OutputFailed,
        ] {
            assert_eq!(
                table()
                    .matches(&format!("    {}    ", outcome.code()))
                    .count(),
                1,
                "{outcome:?}"
            );
        }
        assert_eq!(
            Outcome::DataProblems.and(Outcome::OutputFailed),
            Outcome::OutputFailed
        );
    }
}
