//! The JSON every command writes keeps to its documented schema (`docs/schemas/*.schema.json`).
//!
//! Each schema is the structure of the command's output on the embedded data: object keys (all
//! required), value types, and the structure of list items, and what every field means with its unit
//! (`schema_fields.rs`). A change to a command's JSON, or a field without a description, fails here until
//! the schema is regenerated on purpose (`UPDATE_SCHEMAS=1 cargo test -p corridor-cli schemas`) and the
//! change is reviewed in the diff, so scripts reading the output learn of it.

use super::json;
use super::schema_fields::{FIELDS, SUMMARIES};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;
use std::path::Path;

/// The commands whose JSON is documented, with the arguments that produce it.
const COMMANDS: &[(&str, &[&str])] = &[
    ("allocate", &["allocate"]),
    (
        "capacity",
        &[
            "capacity",
            "--commodity",
            "crude",
            "--from",
            "KZ",
            "--avoid",
            "RU,CN",
        ],
    ),
    (
        "routes",
        &[
            "routes",
            "--commodity",
            "crude",
            "--from",
            "KZ",
            "--avoid",
            "RU,CN",
        ],
    ),
    ("contingency", &["contingency", "--elements", "countries"]),
    (
        "risk",
        &["risk", "--samples", "50", "--seed", "1", "--threads", "1"],
    ),
    ("indices", &["indices"]),
    ("pathway", &["pathway", "--years", "2024..2025"]),
    ("calibrate", &["calibrate", "--year", "2024"]),
    ("backtest", &["backtest", "--years", "2023..2024"]),
    ("compare", &["compare", "kazakh-crude-2024", "ots-2030"]),
    ("network", &["network"]),
    ("run", &["run"]),
];

/// The type name of a JSON value, as JSON Schema spells it.
fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Merges two schemas of values seen in the same place (items of one list, or two runs).
fn merge(a: Value, b: Value) -> Value {
    let types = |s: &Value| -> Vec<String> {
        match &s["type"] {
            Value::String(t) => vec![t.clone()],
            Value::Array(ts) => ts
                .iter()
                .filter_map(|t| t.as_str().map(String::from))
                .collect(),
            _ => Vec::new(),
        }
    };
    let mut all = types(&a);
    for t in types(&b) {
        if !all.contains(&t) {
            all.push(t);
        }
    }
    // An integer where a number was seen is a number.
    if all.contains(&"number".to_string()) {
        all.retain(|t| t != "integer");
    }
    all.sort();
    let mut out = Map::new();
    out.insert(
        "type".into(),
        if all.len() == 1 {
            Value::String(all[0].clone())
        } else {
            json!(all)
        },
    );
    if let (Some(pa), Some(pb)) = (a.get("properties"), b.get("properties")) {
        let (pa, pb) = (
            pa.as_object().cloned().unwrap_or_default(),
            pb.as_object().cloned().unwrap_or_default(),
        );
        let mut props = Map::new();
        for (k, v) in pa.iter() {
            props.insert(
                k.clone(),
                match pb.get(k) {
                    Some(w) => merge(v.clone(), w.clone()),
                    None => v.clone(),
                },
            );
        }
        for (k, v) in pb.iter().filter(|(k, _)| !pa.contains_key(*k)) {
            props.insert(k.clone(), v.clone());
        }
        let required: Vec<Value> = pa
            .keys()
            .filter(|k| pb.contains_key(*k))
            .map(|k| Value::String(k.clone()))
            .collect();
        out.insert("properties".into(), Value::Object(props));
        out.insert("required".into(), Value::Array(required));
    } else if let Some(p) = a.get("properties").or_else(|| b.get("properties")) {
        out.insert("properties".into(), p.clone());
        if let Some(r) = a.get("required").or_else(|| b.get("required")) {
            out.insert("required".into(), r.clone());
        }
    }
    match (a.get("items"), b.get("items")) {
        (Some(x), Some(y)) => {
            out.insert("items".into(), merge(x.clone(), y.clone()));
        }
        (Some(x), None) | (None, Some(x)) => {
            out.insert("items".into(), x.clone());
        }
        (None, None) => {}
    }
    Value::Object(out)
}

/// The structure of a value: its type, an object's keys, the merged structure of a list's items.
fn infer(v: &Value) -> Value {
    let mut out = Map::new();
    out.insert("type".into(), Value::String(type_of(v).into()));
    match v {
        Value::Object(map) => {
            let props: Map<String, Value> =
                map.iter().map(|(k, x)| (k.clone(), infer(x))).collect();
            out.insert(
                "required".into(),
                Value::Array(map.keys().map(|k| Value::String(k.clone())).collect()),
            );
            out.insert("properties".into(), Value::Object(props));
        }
        Value::Array(items) => {
            if let Some(schema) = items.iter().map(infer).reduce(merge) {
                out.insert("items".into(), schema);
            }
        }
        _ => {}
    }
    Value::Object(out)
}

/// The description of field `key` at `path` (`links[].capacity`) of `command`'s output, in an object
/// named `parent`; see `schema_fields.rs` for the order of lookup.
fn describe(
    command: &str,
    path: &str,
    parent: &str,
    key: &str,
    used: &mut BTreeSet<&'static str>,
) -> Option<&'static str> {
    let full = format!("{command}:{path}");
    let scoped = format!("{parent}.{key}");
    [full.as_str(), scoped.as_str(), key].iter().find_map(|k| {
        let (name, text) = FIELDS.iter().find(|(name, _)| name == k)?;
        used.insert(name);
        Some(*text)
    })
}

/// Sets the title and description of `command`'s schema and of every field in it; the fields without a
/// description go to `missing`.
fn annotate(
    schema: &mut Value,
    command: &str,
    args: &[&str],
    used: &mut BTreeSet<&'static str>,
    missing: &mut Vec<String>,
) {
    fn fields(
        schema: &mut Value,
        command: &str,
        path: &str,
        parent: &str,
        used: &mut BTreeSet<&'static str>,
        missing: &mut Vec<String>,
    ) {
        if let Some(Value::Object(props)) = schema.get_mut("properties") {
            for (key, sub) in props.iter_mut() {
                let at = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                match (describe(command, &at, parent, key, used), &mut *sub) {
                    (Some(text), Value::Object(m)) => {
                        m.insert("description".into(), json!(text));
                    }
                    _ => missing.push(format!("{command}:{at}")),
                }
                fields(sub, command, &at, key, used, missing);
            }
        }
        if let Some(items) = schema.get_mut("items") {
            fields(items, command, &format!("{path}[]"), parent, used, missing);
        }
    }
    let summary = SUMMARIES
        .iter()
        .find(|(c, _)| *c == command)
        .map(|(_, s)| *s);
    if let Value::Object(m) = schema {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        m.insert(
            "title".into(),
            json!(format!("corridor {command} --format json")),
        );
        m.insert(
            "description".into(),
            json!(format!(
                "{} Written by `corridor {} --format json` (the structure here is that of this run on the embedded data). Numbers are exact to 12 significant digits; volumes are annual rates in the unit named by the `unit` field beside them, money in USD (or MUSD where the name says so), shares from 0 to 1.",
                summary.unwrap_or_else(|| {
                    missing.push(format!("{command}: no summary in SUMMARIES"));
                    ""
                }),
                args.join(" ")
            )),
        );
    }
    fields(schema, command, "", command, used, missing);
}

/// Where `value` breaks `schema`: a missing required key, an unknown key, or a wrong type.
fn check(value: &Value, schema: &Value, at: &str, out: &mut Vec<String>) {
    let allowed: Vec<&str> = match &schema["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let t = type_of(value);
    let ok = allowed.contains(&t) || (t == "integer" && allowed.contains(&"number"));
    if !ok {
        out.push(format!("{at}: {t}, documented as {allowed:?}"));
        return;
    }
    match value {
        Value::Object(map) => {
            let props = schema["properties"]
                .as_object()
                .cloned()
                .unwrap_or_default();
            for key in schema["required"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
                if !map.contains_key(key) {
                    out.push(format!("{at}.{key}: missing"));
                }
            }
            for (k, v) in map {
                match props.get(k) {
                    Some(s) => check(v, s, &format!("{at}.{k}"), out),
                    None => out.push(format!("{at}.{k}: not in the schema")),
                }
            }
        }
        Value::Array(items) => {
            if let Some(s) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    check(v, s, &format!("{at}[{i}]"), out);
                }
            }
        }
        _ => {}
    }
}

#[test]
fn every_command_s_json_keeps_to_its_documented_schema() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/schemas");
    let update = std::env::var_os("UPDATE_SCHEMAS").is_some();
    let mut problems = Vec::new();
    let (mut used, mut missing) = (BTreeSet::new(), Vec::new());
    for (name, args) in COMMANDS {
        let mut full: Vec<&str> = args.to_vec();
        full.extend(["--format", "json"]);
        let output = json(&full);
        let path = dir.join(format!("{name}.schema.json"));
        if update {
            let mut schema = infer(&output);
            annotate(&mut schema, name, args, &mut used, &mut missing);
            std::fs::create_dir_all(&dir).expect("docs/schemas");
            let text = serde_json::to_string_pretty(&schema).expect("json") + "\n";
            std::fs::write(&path, text).expect("write schema");
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{}: {e} (regenerate with UPDATE_SCHEMAS=1)", path.display())
        });
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        check(&output, &schema, name, &mut problems);
        let mut described = schema.clone();
        annotate(&mut described, name, args, &mut used, &mut missing);
        if described != schema {
            problems.push(format!(
                "{name}: its descriptions differ from schema_fields.rs"
            ));
        }
    }
    let unused: Vec<&str> = FIELDS
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| !used.contains(name))
        .collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "every field of the JSON needs a description, and every description a field: add these to \
         crates/corridor-cli/tests/it/schema_fields.rs\n{}\nand remove these from it:\n{}",
        missing.join("\n"),
        unused.join("\n")
    );
    assert!(
        problems.is_empty(),
        "JSON output differs from docs/schemas (regenerate with UPDATE_SCHEMAS=1 if intended):\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_schema_check_catches_a_missing_key_and_a_wrong_type() {
    let schema = infer(&json!({"capacity": 7.5, "routes": [{"links": ["btc"]}]}));
    let mut problems = Vec::new();
    check(
        &json!({"capacity": "7.5", "routes": [{}]}),
        &schema,
        "x",
        &mut problems,
    );
    assert_eq!(
        problems,
        [
            "x.capacity: string, documented as [\"number\"]",
            "x.routes[0].links: missing"
        ]
    );
}

#[test]
fn a_field_without_a_description_is_reported() {
    let mut schema = infer(&json!({"capacity": 7.5, "no_such_field": 1}));
    let (mut used, mut missing) = (BTreeSet::new(), Vec::new());
    annotate(
        &mut schema,
        "capacity",
        &["capacity"],
        &mut used,
        &mut missing,
    );
    assert_eq!(missing, ["capacity:no_such_field"]);
    assert_eq!(
        schema["properties"]["capacity"]["description"],
        "The most that can move per year, in `unit`."
    );
}
