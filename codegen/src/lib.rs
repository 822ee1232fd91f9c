//! `apigw-codegen`: turns a Smithy JSON AST into a Rust model crate.
//!
//! Three stages, each only talking to the next:
//!
//! 1. [`read`]: a serde mirror of the JSON AST and of botocore's `paginators-1.json`;
//! 2. [`ir`]: the resolved shape graph (prelude, `apply`, mixins, closure, symbol
//!    table, optionality, constraints, boxing, pagination), validated with errors that
//!    name the shape id;
//! 3. [`emit`]: `quote!` per shape kind, formatted with prettyplease.
//!
//! [`generate`] runs all three; [`write`] puts the result on disk (all files or none)
//! or checks that what is on disk is current.

pub mod diag;
pub mod docs;
pub mod emit;
pub mod ir;
pub mod names;
mod prelude;
pub mod read;
pub mod write;

pub use diag::{Diagnostic, Diagnostics};
pub use emit::{CrateConfig, GeneratedFile};
pub use read::Input;

/// The output of a successful run.
#[derive(Debug)]
pub struct Generated {
    /// Every file of the crate, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// What the model held.
    pub stats: ir::Stats,
}

/// Reads `inputs` (Smithy JSON AST files and pagination overrides), resolves them and
/// emits the crate described by `config`. Fails with every problem found, each naming
/// its file and shape id.
pub fn generate(inputs: &[Input], config: &CrateConfig) -> Result<Generated, Diagnostics> {
    let ir = resolve(inputs)?;
    Ok(Generated {
        files: emit::emit_crate(&ir, config),
        stats: ir.stats,
    })
}

/// Runs the `read` and `ir` stages only.
pub fn resolve(inputs: &[Input]) -> Result<ir::Ir, Diagnostics> {
    let mut errors = Vec::new();
    let mut sources = Vec::new();
    for input in inputs {
        match read::parse(input) {
            Ok(source) => sources.push(source),
            Err(found) => errors.extend(found),
        }
    }
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors));
    }
    ir::lower(sources).map_err(Diagnostics::sorted)
}
