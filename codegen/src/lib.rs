//! `apigw-codegen`: turns a Smithy JSON AST into a Rust model crate.
//!
//! Three stages, each only talking to the next:
//!
//! 1. `read` (crate-private): a serde mirror of the JSON AST and of botocore's `paginators-1.json`;
//! 2. `ir` (crate-private): `ir::lower` runs the lowering passes, one file each in `src/ir/`, each
//!    with its unit tests: `model` (prelude, files, `apply`, mixins, targets, service
//!    closure), `traits` (trait ids, typed readers), `symbols` (every Rust name, checked
//!    for collisions), `shapes` (definitions: types, optionality, defaults, constraints),
//!    `graph` (boxing, derivable traits, validation), `operations` and `http` (typed
//!    `@http`, bindings, labels, host prefixes), `pagination`, `protocol_tests` (the
//!    `smithy.test` cases, typed), `features` (which operations reach each type). Each
//!    pass reads the merged model (borrowed, never written) and reports into a sink;
//!    structures, unions and enums are kept in one table (`defs`), a vector per kind,
//!    and referred to by copyable ids, so no lookup can miss. Every problem becomes a
//!    diagnostic naming the shape id; nothing is emitted unless the whole model is
//!    sound; what is left out (event streams, stale paginator entries) is a warning;
//! 3. `emit` (crate-private): render only (names, references and values all come settled from the IR;
//!    runtime paths from one module), one module per concern, formatted with
//!    prettyplease.
//!
//! The public surface is [`generate`] and [`resolve`], their inputs and outputs
//! ([`Input`], [`CrateConfig`], [`Generated`], [`Diagnostics`], [`Stats`], [`Resolved`]), and
//! [`write`](mod@write); the stages' own functions are the crate's.
//!
//! [`generate`] runs all three; [`write`](mod@write) puts the result on disk (all files or none)
//! or checks that what is on disk is current.
//!
//! # One member, end to end
//!
//! `Integration$TimeoutInMillis` in `model/apigatewayv2.json` targets
//! `IntegerWithLengthBetween50And30000` (an `integer` with `@range(min: 50, max: 30000)`)
//! and has `@jsonName("timeoutInMillis")`:
//!
//! - `read` keeps it as a `read::MemberRef` (target and traits, with its line and column);
//! - `ir::model` puts the structure in the shape table and checks the target exists;
//!   `ir::symbols` places `Integration` in `types` and names it; `ir::shapes` resolves
//!   the target to `ir::Ty::Integer`, reads the range through `ir::traits` into
//!   `ir::Constraints` (bounds as `ir::Number`), makes it `ir::Presence::Optional`
//!   (not `@required`), takes the wire name `timeoutInMillis` and the field name
//!   `timeout_in_millis`; `ir::graph` marks `Integration` as having something to
//!   validate and settles that on every reference to it;
//! - `emit::structure` renders the field `pub timeout_in_millis: Option<i32>` with
//!   `#[serde(rename = "timeoutInMillis")]`, `emit::builder` its setter and
//!   `emit::validate` the range check, all in `crates/apigw-model/src/types.rs`.

pub mod diag;
pub(crate) mod docs;
pub(crate) mod emit;
pub(crate) mod ir;
pub(crate) mod names;
mod prelude;
pub(crate) mod read;
pub mod write;

pub use diag::{Diagnostic, Diagnostics};
pub use emit::{CrateConfig, GeneratedFile};
pub use ir::Stats;
pub use read::Input;

/// The output of a successful run.
#[derive(Debug)]
pub struct Generated {
    /// Every file of the crate, sorted by path.
    pub files: Vec<GeneratedFile>,
    /// What the model held.
    pub stats: Stats,
    /// What was left out, and why (each one line, like an error).
    pub warnings: Diagnostics,
}

/// Reads `inputs` (Smithy JSON AST files and pagination overrides), resolves them and
/// emits the crate described by `config`. Fails with every problem found, each naming
/// its file and shape id.
pub fn generate(inputs: &[Input], config: &CrateConfig) -> Result<Generated, Diagnostics> {
    let ir = lower(inputs)?;
    Ok(Generated {
        files: emit::emit_crate(&ir, config),
        warnings: Diagnostics::sorted(ir.warnings.clone()),
        stats: ir.stats,
    })
}

/// A model read and resolved, ready to emit (what [`resolve`] gives).
#[derive(Debug)]
pub struct Resolved(ir::Ir);

impl Resolved {
    /// What the model holds.
    pub fn stats(&self) -> &Stats {
        &self.0.stats
    }
}

/// Runs the `read` and `ir` stages only (what codegen costs before emitting).
pub fn resolve(inputs: &[Input]) -> Result<Resolved, Diagnostics> {
    lower(inputs).map(Resolved)
}

fn lower(inputs: &[Input]) -> Result<ir::Ir, Diagnostics> {
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
