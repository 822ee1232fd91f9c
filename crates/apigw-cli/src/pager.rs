//! Where output goes: stdout, or a pager when one is configured and stdout is a
//! terminal, as AWS CLI v2 does it.
//!
//! The pager is `AWS_PAGER` when set (an empty value turns paging off), else the
//! profile's `cli_pager`; `--no-cli-pager` turns it off. Unlike AWS CLI v2, nothing is
//! paged by default: v2 pipes every terminal output through `less` unless told not to,
//! which stops scripts and surprises users; here paging is opt-in. The command is split
//! into words as a shell would (no shell runs it, as in v2), gets `LESS=FRX` unless
//! `LESS` is set, and starts only when there is something to show.

use std::io::{self, IsTerminal, Write};
use std::process::{Child, ChildStdin, Command, Stdio};

/// The pager command to use, if any, from what was configured.
pub fn choose(no_cli_pager: bool, env: Option<String>, profile: Option<String>) -> Option<String> {
    if no_cli_pager {
        return None;
    }
    env.or(profile).filter(|p| !p.trim().is_empty())
}

/// Output to stdout or to a pager started on first write.
pub struct Sink {
    pager: Option<String>,
    child: Option<(Child, ChildStdin)>,
}

impl Sink {
    /// Stdout, or `pager` when given and stdout is a terminal.
    pub fn new(pager: Option<String>) -> Self {
        let pager = pager.filter(|_| io::stdout().is_terminal());
        Self { pager, child: None }
    }

    /// Whether output goes to a terminal (directly or through the pager).
    pub fn is_terminal(&self) -> bool {
        io::stdout().is_terminal()
    }

    /// Writes what `render` produces, flushed.
    pub fn write(
        &mut self,
        render: impl FnOnce(&mut dyn Write) -> io::Result<()>,
    ) -> io::Result<()> {
        if let Some(command) = &self.pager {
            if self.child.is_none() {
                let words = shlex::split(command)
                    .filter(|w| !w.is_empty())
                    .ok_or_else(|| {
                        io::Error::other(format!("cannot read the pager command {command:?}"))
                    })?;
                let mut process = Command::new(&words[0]);
                process.args(&words[1..]).stdin(Stdio::piped());
                if std::env::var_os("LESS").is_none() {
                    process.env("LESS", "FRX");
                }
                let mut child = process.spawn().map_err(|e| {
                    io::Error::new(e.kind(), format!("cannot start the pager {command:?}: {e}"))
                })?;
                let stdin = child
                    .stdin
                    .take()
                    .ok_or_else(|| io::Error::other("the pager has no input"))?;
                self.child = Some((child, stdin));
            }
            if let Some((_, stdin)) = &mut self.child {
                let mut out = io::BufWriter::new(stdin);
                render(&mut out)?;
                return out.flush();
            }
        }
        let stdout = io::stdout();
        let mut out = io::BufWriter::new(stdout.lock());
        render(&mut out)?;
        out.flush()
    }

    /// Closes the pager's input and waits for the user to leave it.
    pub fn finish(&mut self) {
        if let Some((mut child, stdin)) = self.child.take() {
            drop(stdin);
            let _ = child.wait();
        }
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_then_the_environment_then_the_profile() {
        let s = |v: &str| Some(v.to_owned());
        assert_eq!(choose(true, s("less"), s("more")), None);
        assert_eq!(choose(false, s("less"), s("more")), s("less"));
        assert_eq!(
            choose(false, s(""), s("more")),
            None,
            "empty AWS_PAGER: off"
        );
        assert_eq!(choose(false, None, s("more")), s("more"));
        assert_eq!(choose(false, None, None), None, "no pager by default");
    }
}
