//! Putting a generated crate on disk, or checking that the one on disk is current.
//!
//! Writing is all or nothing: every changed file is first written next to its
//! destination, and only when all of them are written are they renamed into place.
//! A file that exists but does not carry the `@generated` header is never overwritten
//! or removed.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::emit::GeneratedFile;

/// Why a file on disk does not match the generator's output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staleness {
    /// The file should exist and does not.
    Missing,
    /// The file's contents differ.
    Differs,
    /// A generated file that the generator no longer produces.
    Extra,
}

/// A file that is not what the generator would write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stale {
    /// The file.
    pub path: PathBuf,
    /// Why.
    pub why: Staleness,
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = match self.why {
            Staleness::Missing => "is missing",
            Staleness::Differs => "is stale",
            Staleness::Extra => "is no longer generated",
        };
        write!(f, "{} {why}", self.path.display())
    }
}

/// What [`write`](fn@write) changed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// Files created or replaced.
    pub written: Vec<PathBuf>,
    /// Generated files removed because the generator no longer produces them.
    pub removed: Vec<PathBuf>,
}

/// Generated `.rs` files under `out` that are not in `files`.
fn extras(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let src = out.join("src");
    if src.is_dir() {
        walk(&src, &mut found)?;
    }
    let mut extra = Vec::new();
    for path in found {
        let relative = path
            .strip_prefix(out)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        if files.iter().any(|f| f.path == relative) {
            continue;
        }
        let contents = fs::read_to_string(&path).unwrap_or_default();
        if crate::emit::is_generated(&contents) {
            extra.push(path);
        }
    }
    extra.sort();
    Ok(extra)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

/// Compares `files` with what is under `out`; an empty result means current.
pub fn check(out: &Path, files: &[GeneratedFile]) -> io::Result<Vec<Stale>> {
    let mut stale = Vec::new();
    for file in files {
        let path = out.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => {}
            Ok(_) => stale.push(Stale {
                path,
                why: Staleness::Differs,
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => stale.push(Stale {
                path,
                why: Staleness::Missing,
            }),
            Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", path.display()))),
        }
    }
    for path in extras(out, files)? {
        stale.push(Stale {
            path,
            why: Staleness::Extra,
        });
    }
    Ok(stale)
}

fn staging_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.codegen-tmp"))
}

/// Writes `files` under `out`: all of them or, on any error, none. Files whose
/// contents are unchanged are not touched; generated files no longer produced are
/// removed.
pub fn write(out: &Path, files: &[GeneratedFile]) -> io::Result<Report> {
    let with_path =
        |path: &Path, e: io::Error| io::Error::new(e.kind(), format!("{}: {e}", path.display()));
    // Decide everything before touching the disk.
    let mut changed = Vec::new();
    for file in files {
        let path = out.join(&file.path);
        match fs::read_to_string(&path) {
            Ok(existing) if existing == file.contents => {}
            Ok(existing) if !crate::emit::is_generated(&existing) => {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!(
                        "{}: exists and was not written by the generator; refusing to overwrite it",
                        path.display()
                    ),
                ));
            }
            Ok(_) => changed.push((path, file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => changed.push((path, file)),
            Err(e) => return Err(with_path(&path, e)),
        }
    }
    let removed = extras(out, files)?;

    // Stage every changed file next to its destination.
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let stage =
        |staged: &mut Vec<(PathBuf, PathBuf)>, created: &mut Vec<PathBuf>| -> io::Result<()> {
            for (path, file) in &changed {
                if let Some(parent) = path.parent() {
                    let mut missing = Vec::new();
                    let mut p = parent;
                    while !p.exists() {
                        missing.push(p.to_path_buf());
                        match p.parent() {
                            Some(up) => p = up,
                            None => break,
                        }
                    }
                    fs::create_dir_all(parent).map_err(|e| with_path(parent, e))?;
                    created.extend(missing.into_iter().rev());
                }
                let tmp = staging_path(path);
                fs::write(&tmp, &file.contents).map_err(|e| with_path(&tmp, e))?;
                staged.push((tmp, path.clone()));
            }
            Ok(())
        };
    if let Err(e) = stage(&mut staged, &mut created_dirs) {
        for (tmp, _) in &staged {
            let _ = fs::remove_file(tmp);
        }
        for dir in created_dirs.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }

    let mut report = Report::default();
    for (tmp, path) in staged {
        fs::rename(&tmp, &path).map_err(|e| with_path(&path, e))?;
        report.written.push(path);
    }
    for path in removed {
        fs::remove_file(&path).map_err(|e| with_path(&path, e))?;
        report.removed.push(path);
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, body: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: format!(
                "// @generated by `cargo xtask codegen` from m.json. Do not edit by hand.\n{body}"
            ),
        }
    }

    #[test]
    fn write_then_check_is_clean_and_a_hand_edit_is_stale() {
        let dir = tempfile::tempdir().unwrap();
        let files = vec![file("src/lib.rs", "pub mod a;\n"), file("src/a.rs", "")];
        let report = write(dir.path(), &files).unwrap();
        assert_eq!(report.written.len(), 2);
        assert!(check(dir.path(), &files).unwrap().is_empty());

        fs::write(dir.path().join("src/a.rs"), "// edited\n").unwrap();
        let stale = check(dir.path(), &files).unwrap();
        assert_eq!(stale.len(), 1);
        assert_eq!(stale[0].why, Staleness::Differs);
        assert!(stale[0].to_string().ends_with("src/a.rs is stale"));
    }

    #[test]
    fn a_file_no_longer_generated_is_reported_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            &[file("src/lib.rs", ""), file("src/old.rs", "")],
        )
        .unwrap();
        let files = vec![file("src/lib.rs", "")];
        let stale = check(dir.path(), &files).unwrap();
        assert_eq!(stale[0].why, Staleness::Extra);
        let report = write(dir.path(), &files).unwrap();
        assert_eq!(report.removed, [dir.path().join("src/old.rs")]);
        assert!(!dir.path().join("src/old.rs").exists());
    }

    #[test]
    fn hand_written_files_are_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::write(dir.path().join("src/lib.rs"), "fn mine() {}\n").unwrap();
        let err = write(dir.path(), &[file("src/a.rs", ""), file("src/lib.rs", "")]).unwrap_err();
        assert!(err.to_string().contains("refusing to overwrite"), "{err}");
        assert_eq!(
            fs::read_to_string(dir.path().join("src/lib.rs")).unwrap(),
            "fn mine() {}\n"
        );
        assert!(
            !dir.path().join("src/a.rs").exists(),
            "nothing is written when one file is refused"
        );
    }

    #[test]
    fn a_failed_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        // `src` is a file, so nothing can be created below it.
        fs::write(dir.path().join("src"), "").unwrap();
        let files = vec![file("Cargo.toml", ""), file("src/lib.rs", "")];
        assert!(write(dir.path(), &files).is_err());
        let left: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["src"], "no staged or partial files remain");
    }
}
