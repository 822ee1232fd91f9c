//! Reading a rule set into a checked form (names bound to slots, functions known,
//! templates parsed) and evaluating it.

use std::collections::BTreeMap;

use serde_json::Value as Json;

use super::functions::Function;
use super::value::Value;
use super::{Endpoint, EndpointError, Params, Partitions, ResolveError};

/// A parameter's declared type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ParamType {
    String,
    Boolean,
    StringArray,
}

/// A declared parameter.
#[derive(Clone, Debug)]
pub(super) struct Parameter {
    pub name: String,
    pub ty: ParamType,
    pub built_in: Option<String>,
    pub default: Option<Value>,
    pub required: bool,
}

/// A step of a `getAttr` path: a field or an index.
#[derive(Clone, Debug)]
pub(super) enum PathStep {
    Field(String),
    Index(usize),
}

/// A piece of a template string.
#[derive(Clone, Debug)]
pub(super) enum Piece {
    Text(String),
    Var { slot: usize, path: Vec<PathStep> },
}

/// An expression.
#[derive(Clone, Debug)]
pub(super) enum Expr {
    /// A string literal with `{Var}` / `{Var#path}` references.
    Template(Vec<Piece>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Record(Vec<(String, Expr)>),
    Ref(usize),
    GetAttr(Box<Expr>, Vec<PathStep>),
    Call(Function, Vec<Expr>),
}

#[derive(Clone, Debug)]
struct Condition {
    expr: Expr,
    assign: Option<usize>,
}

#[derive(Clone, Debug)]
struct EndpointTemplate {
    url: Expr,
    headers: Vec<(String, Vec<Expr>)>,
    properties: Vec<(String, Expr)>,
}

#[derive(Clone, Debug)]
enum Body {
    Endpoint(EndpointTemplate),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Clone, Debug)]
struct Rule {
    conditions: Vec<Condition>,
    body: Body,
}

/// A checked endpoint rule set, ready to resolve endpoints.
#[derive(Clone, Debug)]
pub struct RuleSet {
    parameters: Vec<Parameter>,
    rules: Vec<Rule>,
    /// Parameters first, then one slot per `assign`.
    slots: usize,
}

/// Reads rules, binding names to slots as it goes.
struct Reader {
    /// Names in scope, innermost last, with their slots.
    scope: Vec<(String, usize)>,
    slots: usize,
}

fn err(at: &str, what: impl std::fmt::Display) -> EndpointError {
    EndpointError::RuleSet(format!("{at}: {what}"))
}

impl Reader {
    fn lookup(&self, name: &str, at: &str) -> Result<usize, EndpointError> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, slot)| *slot)
            .ok_or_else(|| {
                err(
                    at,
                    format!("`{name}` is not a parameter or an assigned name"),
                )
            })
    }

    fn rules(&mut self, json: &Json, at: &str) -> Result<Vec<Rule>, EndpointError> {
        let list = json
            .as_array()
            .ok_or_else(|| err(at, "`rules` is not a list"))?;
        list.iter()
            .enumerate()
            .map(|(i, r)| self.rule(r, &format!("{at}[{i}]")))
            .collect()
    }

    fn rule(&mut self, json: &Json, at: &str) -> Result<Rule, EndpointError> {
        let depth = self.scope.len();
        let conditions = match json.get("conditions") {
            None => Vec::new(),
            Some(c) => c
                .as_array()
                .ok_or_else(|| err(at, "`conditions` is not a list"))?
                .iter()
                .enumerate()
                .map(|(i, c)| self.condition(c, &format!("{at}.conditions[{i}]")))
                .collect::<Result<_, _>>()?,
        };
        let kind = json
            .get("type")
            .and_then(Json::as_str)
            .ok_or_else(|| err(at, "a rule without `type`"))?;
        let body = match kind {
            "endpoint" => {
                let e = json
                    .get("endpoint")
                    .ok_or_else(|| err(at, "an endpoint rule without `endpoint`"))?;
                Body::Endpoint(self.endpoint(e, &format!("{at}.endpoint"))?)
            }
            "error" => {
                let e = json
                    .get("error")
                    .ok_or_else(|| err(at, "an error rule without `error`"))?;
                Body::Error(self.expr(e, &format!("{at}.error"))?)
            }
            "tree" => {
                let r = json
                    .get("rules")
                    .ok_or_else(|| err(at, "a tree rule without `rules`"))?;
                Body::Tree(self.rules(r, &format!("{at}.rules"))?)
            }
            other => return Err(err(at, format!("unknown rule type `{other}`"))),
        };
        self.scope.truncate(depth);
        Ok(Rule { conditions, body })
    }

    fn condition(&mut self, json: &Json, at: &str) -> Result<Condition, EndpointError> {
        if json.get("fn").is_none() {
            return Err(err(at, "a condition that is not a function call"));
        }
        let expr = self.expr(json, at)?;
        let assign = match json.get("assign") {
            None => None,
            Some(Json::String(name)) => {
                if self.scope.iter().any(|(n, _)| n == name) {
                    return Err(err(at, format!("`{name}` is assigned twice in one scope")));
                }
                let slot = self.slots;
                self.slots += 1;
                self.scope.push((name.clone(), slot));
                Some(slot)
            }
            Some(_) => return Err(err(at, "`assign` is not a string")),
        };
        Ok(Condition { expr, assign })
    }

    fn endpoint(&mut self, json: &Json, at: &str) -> Result<EndpointTemplate, EndpointError> {
        let url = json
            .get("url")
            .ok_or_else(|| err(at, "an endpoint without `url`"))?;
        let url = self.expr(url, &format!("{at}.url"))?;
        let mut headers = Vec::new();
        if let Some(h) = json.get("headers") {
            let map = h
                .as_object()
                .ok_or_else(|| err(at, "`headers` is not an object"))?;
            for (name, values) in map {
                let list = values
                    .as_array()
                    .ok_or_else(|| err(at, format!("header {name} is not a list")))?;
                let exprs = list
                    .iter()
                    .map(|v| self.expr(v, &format!("{at}.headers.{name}")))
                    .collect::<Result<_, _>>()?;
                headers.push((name.clone(), exprs));
            }
        }
        let mut properties = Vec::new();
        if let Some(p) = json.get("properties") {
            let map = p
                .as_object()
                .ok_or_else(|| err(at, "`properties` is not an object"))?;
            for (name, value) in map {
                properties.push((
                    name.clone(),
                    self.literal(value, &format!("{at}.properties.{name}"))?,
                ));
            }
        }
        Ok(EndpointTemplate {
            url,
            headers,
            properties,
        })
    }

    /// A property value: JSON whose strings are templates.
    fn literal(&mut self, json: &Json, at: &str) -> Result<Expr, EndpointError> {
        Ok(match json {
            Json::Object(map) if map.contains_key("ref") || map.contains_key("fn") => {
                self.expr(json, at)?
            }
            Json::Object(map) => Expr::Record(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.literal(v, &format!("{at}.{k}"))?)))
                    .collect::<Result<_, EndpointError>>()?,
            ),
            Json::Array(items) => Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.literal(v, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            ),
            other => self.expr(other, at)?,
        })
    }

    fn expr(&mut self, json: &Json, at: &str) -> Result<Expr, EndpointError> {
        match json {
            Json::String(s) => Ok(Expr::Template(self.template(s, at)?)),
            Json::Bool(b) => Ok(Expr::Bool(*b)),
            Json::Number(n) => n
                .as_i64()
                .map(Expr::Int)
                .ok_or_else(|| err(at, format!("{n} is not an integer"))),
            Json::Array(items) => Ok(Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| self.expr(v, &format!("{at}[{i}]")))
                    .collect::<Result<_, _>>()?,
            )),
            Json::Object(map) => {
                if let Some(name) = map.get("ref") {
                    let name = name
                        .as_str()
                        .ok_or_else(|| err(at, "`ref` is not a string"))?;
                    return Ok(Expr::Ref(self.lookup(name, at)?));
                }
                let name = map
                    .get("fn")
                    .and_then(Json::as_str)
                    .ok_or_else(|| err(at, "an object that is neither `ref` nor `fn`"))?;
                let at = format!("{at} ({name})");
                let function = Function::named(name)
                    .ok_or_else(|| err(&at, format!("unknown function `{name}`")))?;
                let argv = map
                    .get("argv")
                    .and_then(Json::as_array)
                    .ok_or_else(|| err(&at, "`argv` is not a list"))?;
                if let Some(arity) = function.arity()
                    && argv.len() != arity
                {
                    return Err(err(
                        &at,
                        format!("takes {arity} argument(s), given {}", argv.len()),
                    ));
                }
                if function == Function::GetAttr {
                    let target = self.expr(&argv[0], &at)?;
                    let path = argv[1]
                        .as_str()
                        .ok_or_else(|| err(&at, "the path is not a string"))?;
                    let path = parse_path(path).map_err(|e| err(&at, e))?;
                    return Ok(Expr::GetAttr(Box::new(target), path));
                }
                let args = argv
                    .iter()
                    .map(|a| self.expr(a, &at))
                    .collect::<Result<_, _>>()?;
                Ok(Expr::Call(function, args))
            }
            Json::Null => Err(err(at, "null is not an expression")),
        }
    }

    /// `text{Var}more{Var#a.b[0]}`, with `{{` and `}}` for literal braces.
    fn template(&self, text: &str, at: &str) -> Result<Vec<Piece>, EndpointError> {
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((i, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let close = text[i..]
                        .find('}')
                        .ok_or_else(|| err(at, format!("unclosed `{{` in template {text:?}")))?;
                    let inner = &text[i + 1..i + close];
                    let (name, path) = match inner.split_once('#') {
                        Some((n, p)) => (n, parse_path(p).map_err(|e| err(at, e))?),
                        None => (inner, Vec::new()),
                    };
                    if name.is_empty() {
                        return Err(err(at, format!("empty reference in template {text:?}")));
                    }
                    let slot = self.lookup(name, at)?;
                    if !literal.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut literal)));
                    }
                    pieces.push(Piece::Var { slot, path });
                    while chars.peek().is_some_and(|(j, _)| *j <= i + close) {
                        chars.next();
                    }
                }
                '}' => return Err(err(at, format!("unmatched `}}` in template {text:?}"))),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() || pieces.is_empty() {
            pieces.push(Piece::Text(literal));
        }
        Ok(pieces)
    }
}

/// `a.b[2].c` or `[0]`: fields and indexes.
pub(super) fn parse_path(path: &str) -> Result<Vec<PathStep>, String> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (field, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !field.is_empty() {
            steps.push(PathStep::Field(field.to_owned()));
        } else if rest.is_empty() {
            return Err(format!("bad attribute path {path:?}"));
        }
        while !rest.is_empty() {
            let close = rest
                .find(']')
                .ok_or_else(|| format!("bad attribute path {path:?}"))?;
            let index = rest[1..close]
                .parse()
                .map_err(|_| format!("bad index in attribute path {path:?}"))?;
            steps.push(PathStep::Index(index));
            rest = &rest[close + 1..];
            if !rest.is_empty() && !rest.starts_with('[') {
                return Err(format!("bad attribute path {path:?}"));
            }
        }
    }
    Ok(steps)
}

/// Follows `path` into `value`.
pub(super) fn get_path<'v>(value: &'v Value, path: &[PathStep]) -> Option<&'v Value> {
    path.iter().try_fold(value, |v, step| match (step, v) {
        (PathStep::Field(name), v) => v.get(name),
        (PathStep::Index(i), Value::Array(items)) => items.get(*i),
        _ => None,
    })
}

fn parameter(name: &str, json: &Json) -> Result<Parameter, EndpointError> {
    let at = format!("parameter {name}");
    let ty = match json.get("type").and_then(Json::as_str) {
        Some(t) if t.eq_ignore_ascii_case("string") => ParamType::String,
        Some(t) if t.eq_ignore_ascii_case("boolean") => ParamType::Boolean,
        Some(t) if t.eq_ignore_ascii_case("stringArray") => ParamType::StringArray,
        Some(t) => return Err(err(&at, format!("unknown parameter type `{t}`"))),
        None => return Err(err(&at, "no `type`")),
    };
    let default = match json.get("default") {
        None | Some(Json::Null) => None,
        Some(d) => {
            let v = Value::from_json(d).ok_or_else(|| err(&at, "a default with a null"))?;
            if !matches_type(&v, ty) {
                return Err(err(&at, format!("default {d} is not of its type")));
            }
            Some(v)
        }
    };
    Ok(Parameter {
        name: name.to_owned(),
        ty,
        built_in: json
            .get("builtIn")
            .and_then(Json::as_str)
            .map(str::to_owned),
        default,
        required: json
            .get("required")
            .and_then(Json::as_bool)
            .unwrap_or(false),
    })
}

fn matches_type(value: &Value, ty: ParamType) -> bool {
    match (value, ty) {
        (Value::Str(_), ParamType::String) | (Value::Bool(_), ParamType::Boolean) => true,
        (Value::Array(items), ParamType::StringArray) => {
            items.iter().all(|i| matches!(i, Value::Str(_)))
        }
        _ => false,
    }
}

/// What evaluating a list of rules came to.
enum Outcome {
    Endpoint(Endpoint),
    Error(String),
    NoMatch,
}

struct Eval<'a> {
    slots: Vec<Option<Value>>,
    partitions: &'a Partitions,
}

impl RuleSet {
    /// Reads and checks a rule set (the value of the `smithy.rules#endpointRuleSet`
    /// trait, or a botocore `endpoint-rule-set-1.json`).
    pub fn from_json(json: &Json) -> Result<Self, EndpointError> {
        let declared = json
            .get("parameters")
            .and_then(Json::as_object)
            .ok_or_else(|| err("rule set", "no `parameters` object"))?;
        let parameters: Vec<Parameter> = declared
            .iter()
            .map(|(name, p)| parameter(name, p))
            .collect::<Result<_, _>>()?;
        let mut reader = Reader {
            scope: parameters
                .iter()
                .enumerate()
                .map(|(i, p)| (p.name.clone(), i))
                .collect(),
            slots: parameters.len(),
        };
        let rules_json = json
            .get("rules")
            .ok_or_else(|| err("rule set", "no `rules`"))?;
        let rules = reader.rules(rules_json, "rules")?;
        Ok(Self {
            parameters,
            rules,
            slots: reader.slots,
        })
    }

    /// A rule set a generated crate carries as JSON. It was checked when the crate was
    /// generated, so a failure here is a generator bug and panics naming the problem.
    pub fn embedded(json: &str) -> Self {
        let value: Json = serde_json::from_str(json)
            .unwrap_or_else(|e| panic!("the embedded endpoint rule set is not JSON: {e}"));
        Self::from_json(&value)
            .unwrap_or_else(|e| panic!("the embedded {e} (it was checked when generated)"))
    }

    /// The declared parameters: name, built-in (`AWS::Region`, `AWS::UseFIPS`,
    /// `AWS::UseDualStack`, `SDK::Endpoint`, ...) and default.
    pub fn parameters(&self) -> impl Iterator<Item = (&str, Option<&str>, Option<&Value>)> {
        self.parameters
            .iter()
            .map(|p| (p.name.as_str(), p.built_in.as_deref(), p.default.as_ref()))
    }

    /// The name of the parameter filled from `built_in`, if the rule set has one.
    pub fn parameter_for_built_in(&self, built_in: &str) -> Option<&str> {
        self.parameters
            .iter()
            .find(|p| p.built_in.as_deref() == Some(built_in))
            .map(|p| p.name.as_str())
    }

    /// Resolves the endpoint for `params` with the partition table `partitions`.
    pub fn resolve(
        &self,
        params: &Params,
        partitions: &Partitions,
    ) -> Result<Endpoint, ResolveError> {
        let mut slots = vec![None; self.slots];
        for (slot, p) in self.parameters.iter().enumerate() {
            let value = params.get(&p.name).cloned().or_else(|| p.default.clone());
            if let Some(v) = &value
                && !matches_type(v, p.ty)
            {
                return Err(ResolveError::new(format!(
                    "parameter {} is not a {:?}",
                    p.name, p.ty
                )));
            }
            if value.is_none() && p.required {
                return Err(ResolveError::new(format!(
                    "a required parameter was not set: {}",
                    p.name
                )));
            }
            slots[slot] = value;
        }
        let mut eval = Eval { slots, partitions };
        match eval.rules(&self.rules) {
            Outcome::Endpoint(e) => Ok(e),
            Outcome::Error(message) => Err(ResolveError::new(message)),
            Outcome::NoMatch => Err(ResolveError::new("no endpoint rule matched the parameters")),
        }
    }
}

impl Eval<'_> {
    fn rules(&mut self, rules: &[Rule]) -> Outcome {
        for rule in rules {
            if !self.conditions(&rule.conditions) {
                continue;
            }
            match &rule.body {
                Body::Endpoint(e) => return self.endpoint(e),
                Body::Error(message) => {
                    let mut text = String::new();
                    if let Some(v) = self.expr(message) {
                        v.write_to(&mut text);
                    }
                    return Outcome::Error(text);
                }
                Body::Tree(rules) => match self.rules(rules) {
                    Outcome::NoMatch => {}
                    done => return done,
                },
            }
        }
        Outcome::NoMatch
    }

    fn conditions(&mut self, conditions: &[Condition]) -> bool {
        for c in conditions {
            let value = self.expr(&c.expr);
            let holds = match &value {
                None | Some(Value::Bool(false)) => false,
                Some(_) => true,
            };
            if !holds {
                return false;
            }
            if let Some(slot) = c.assign {
                self.slots[slot] = value;
            }
        }
        true
    }

    fn endpoint(&mut self, e: &EndpointTemplate) -> Outcome {
        let Some(url) = self.expr(&e.url).and_then(|v| match v {
            Value::Str(s) => Some(s),
            _ => None,
        }) else {
            return Outcome::Error("the endpoint's URL is not a string".into());
        };
        let mut headers = BTreeMap::new();
        for (name, values) in &e.headers {
            let values = values
                .iter()
                .filter_map(|v| self.expr(v))
                .map(|v| {
                    let mut s = String::new();
                    v.write_to(&mut s);
                    s
                })
                .collect();
            headers.insert(name.clone(), values);
        }
        let mut properties = serde_json::Map::new();
        for (name, value) in &e.properties {
            if let Some(v) = self.expr(value) {
                properties.insert(name.clone(), v.to_json());
            }
        }
        Outcome::Endpoint(Endpoint {
            url,
            headers,
            properties,
        })
    }

    fn expr(&mut self, expr: &Expr) -> Option<Value> {
        match expr {
            Expr::Template(pieces) => {
                if let [Piece::Text(t)] = pieces.as_slice() {
                    return Some(Value::Str(t.clone()));
                }
                let mut out = String::new();
                for piece in pieces {
                    match piece {
                        Piece::Text(t) => out.push_str(t),
                        Piece::Var { slot, path } => {
                            let value = self.slots[*slot].as_ref()?;
                            get_path(value, path)?.write_to(&mut out);
                        }
                    }
                }
                Some(Value::Str(out))
            }
            Expr::Bool(b) => Some(Value::Bool(*b)),
            Expr::Int(i) => Some(Value::Int(*i)),
            Expr::Array(items) => Some(Value::Array(
                items.iter().map(|i| self.expr(i)).collect::<Option<_>>()?,
            )),
            Expr::Record(fields) => Some(Value::Record(
                fields
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.expr(v)?)))
                    .collect(),
            )),
            Expr::Ref(slot) => self.slots[*slot].clone(),
            Expr::GetAttr(target, path) => {
                let target = self.expr(target)?;
                get_path(&target, path).cloned()
            }
            Expr::Call(function, args) => {
                let args: Vec<Option<Value>> = args.iter().map(|a| self.expr(a)).collect();
                function.call(&args, self.partitions)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(parameters: Json, rules: Json) -> Result<RuleSet, EndpointError> {
        RuleSet::from_json(&json!({"version": "1.0", "parameters": parameters, "rules": rules}))
    }

    fn region() -> Json {
        json!({"Region": {"type": "string", "builtIn": "AWS::Region"}})
    }

    /// What is wrong with a rule set is found when it is read, and named.
    #[test]
    fn a_bad_rule_set_is_refused_when_read() {
        let cases = [
            (
                json!({"R": {"type": "number"}}),
                json!([]),
                "unknown parameter type `number`",
            ),
            (
                region(),
                json!([{"type": "endpoint", "conditions": [{"fn": "nope", "argv": []}], "endpoint": {"url": "x"}}]),
                "unknown function `nope`",
            ),
            (
                region(),
                json!([{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Zone}"}}]),
                "`Zone` is not a parameter or an assigned name",
            ),
            (
                region(),
                json!([{"type": "error", "conditions": [], "error": "bad {Region"}]),
                "unclosed `{`",
            ),
            (
                region(),
                json!([{"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}, true]}], "endpoint": {"url": "x"}}]),
                "takes 1 argument(s), given 2",
            ),
            (
                region(),
                json!([{"type": "magic", "conditions": []}]),
                "unknown rule type `magic`",
            ),
        ];
        for (parameters, body, want) in cases {
            let err = rules(parameters, body).unwrap_err().to_string();
            assert!(err.contains(want), "{err} (want {want})");
        }
    }

    /// A name assigned in one rule is not visible in the next.
    #[test]
    fn assignments_are_scoped_to_their_rule() {
        let err = rules(
            region(),
            json!([
                {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                 "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{P#dnsSuffix}"}}]},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{P#name}"}}
            ]),
        )
        .unwrap_err();
        assert!(err.to_string().contains("`P` is not a parameter"), "{err}");
    }

    /// Templates: references, attribute paths, escaped braces; an unmatched tree falls
    /// through to the next rule; a required parameter without a value is an error.
    #[test]
    fn templates_paths_and_tree_fall_through() {
        let set = rules(
            json!({"Region": {"type": "string"}, "Arn": {"type": "string"},
                   "Must": {"type": "boolean", "required": true, "default": true}}),
            json!([
                {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Arn"}]},
                                                 {"fn": "aws.parseArn", "argv": [{"ref": "Arn"}], "assign": "A"}],
                 "rules": [{"type": "endpoint",
                            "conditions": [{"fn": "stringEquals", "argv": [{"fn": "getAttr", "argv": [{"ref": "A"}, "resourceId[1]"]}, "b"]}],
                            "endpoint": {"url": "https://{A#resourceId[0]}.{A#region}.x/{{literal}}",
                                         "properties": {"n": [{"k": "{A#service}"}], "flag": true}}}]},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://fallback.{Region}"}}
            ]),
        )
        .unwrap();
        let mut params = Params::new();
        params
            .set_str("Region", "r1")
            .set_str("Arn", "arn:aws:svc:r2:1:a/b");
        let e = set.resolve(&params, Partitions::builtin()).unwrap();
        assert_eq!(e.url, "https://a.r2.x/{literal}");
        assert_eq!(
            serde_json::Value::Object(e.properties),
            json!({"n": [{"k": "svc"}], "flag": true})
        );
        params.set_str("Arn", "arn:aws:svc:r2:1:a/c");
        let e = set.resolve(&params, Partitions::builtin()).unwrap();
        assert_eq!(
            e.url, "https://fallback.r1",
            "the tree matched nothing: next rule"
        );
        let mut wrong = Params::new();
        wrong.set_bool("Region", true);
        assert!(
            set.resolve(&wrong, Partitions::builtin()).is_err(),
            "a wrong type"
        );
    }
}
