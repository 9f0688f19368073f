//! What the exit code tells a script. One table, printed by `--help` and copied into README.

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

/// The table in `--help` and README.
pub const TABLE: &str = "\
EXIT CODES:
    0    everything was read and done
    1    some data could not be read (a file, or features in it); the rest was used
    2    the command line was wrong; nothing was done
    3    some input lines could not be read or understood; the others were answered
    4    some output could not be written; the rest was
    When several apply, the highest is returned.
";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lists_every_code() {
        for outcome in [
            Outcome::Done,
            Outcome::DataProblems,
            Outcome::Usage,
            Outcome::InputProblems,
            Outcome::OutputFailed,
        ] {
            assert!(
                TABLE.contains(&format!("    {}    ", outcome.code())),
                "{outcome:?}"
            );
        }
        assert_eq!(
            Outcome::DataProblems.and(Outcome::OutputFailed),
            Outcome::OutputFailed
        );
        assert_eq!(Outcome::Usage.code(), 2);
    }
}
