//! OpenAPI 3.1 building blocks for the API crates' `openapi` modules (feature `openapi`).
//!
//! The crates derive [`schemars::JsonSchema`] on their own serde types; [`Components`] collects
//! those schemas under `#/components/schemas`, [`tolerant`] widens a derived schema to what the
//! crates' tolerant readers accept (docs/protocol.md §0 rule 2), [`Op`] assembles one
//! operation, and [`check_document`] keeps a checked-in document equal to the generated one.
//!
//! ```
//! use http_plumbing::openapi::{Components, Op};
//! let mut c = Components::new();
//! let op = Op::new("U1", "List the statuses").response(200, "the scheme", c.schema::<String>());
//! let doc = serde_json::json!({"paths": {"/x": {"get": op.build()}}, "components": c.build()});
//! assert_eq!(doc["paths"]["/x"]["get"]["operationId"], "U1");
//! ```

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

pub use schemars;

/// The pattern of a decimal integer written as a string (`"42"`, `"-1"`), as readers accept it.
pub const INTEGER_TEXT: &str = r"^\s*[-+]?[0-9]+\s*$";

/// The pattern of a decimal number written as a string (`"1500.50"`).
pub const NUMBER_TEXT: &str = r"^\s*[-+]?[0-9]+(\.[0-9]+)?\s*$";

/// The boolean words readers accept in place of `true` / `false`.
pub const BOOLEAN_WORDS: [&str; 8] = ["true", "false", "1", "0", "yes", "no", "on", "off"];

/// The text every document's `info.description` carries about tolerant schemas.
pub const TOLERANCE_NOTE: &str = "Schemas describe what the services **accept** and, inside that, \
what they **write**: where a reader is tolerant (docs/protocol.md §0 rule 2), a property's schema \
is a `oneOf` (`anyOf` where the branches overlap) whose first branch (title `written`) is the canonical form every writer emits and \
whose other branches (title `accepted`) are what readers also take — numbers written as strings, \
booleans as words, ids as numbers (an optional property's `written` branch admits `null`: some \
writers emit it for an absent value, others leave the property out). Enumerations marked `x-tolerant-enum` are read in any case and \
unknown values are kept rather than refused; writers emit only the listed values.";

/// Collects the schemas of the Rust types under `#/components/schemas`.
#[derive(Debug)]
pub struct Components {
    generator: SchemaGenerator,
    extra: Map<String, Value>,
}

impl Default for Components {
    fn default() -> Self {
        Self::new()
    }
}

impl Components {
    /// A JSON Schema 2020-12 generator (what OpenAPI 3.1 uses) describing what the types
    /// deserialize, with definitions at `#/components/schemas`.
    pub fn new() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        });
        Self {
            generator: settings.into_generator(),
            extra: Map::new(),
        }
    }

    /// The schema of `T` (a `$ref` into the components for named types), widened by [`tolerant`].
    pub fn schema<T: JsonSchema>(&mut self) -> Value {
        let mut v = self.generator.subschema_for::<T>().to_value();
        tolerant(&mut v);
        v
    }

    /// Adds a hand-assembled named schema (an error body, a union) and returns its `$ref`.
    pub fn named(&mut self, name: &str, schema: Value) -> Value {
        self.extra.insert(name.to_owned(), schema);
        json!({"$ref": format!("#/components/schemas/{name}")})
    }

    /// The properties of `T`'s object schema, widened by [`tolerant`], in declaration order
    /// where the schema keeps it: `(name, schema, required)`. For query parameters built from a
    /// request type.
    pub fn properties<T: JsonSchema>(&mut self) -> Vec<(String, Value, bool)> {
        let r = self.generator.subschema_for::<T>().to_value();
        let def = match r.get("$ref").and_then(Value::as_str) {
            Some(p) => {
                let name = p.rsplit('/').next().unwrap_or_default();
                self.generator
                    .definitions()
                    .get(name)
                    .cloned()
                    .unwrap_or(Value::Null)
            }
            None => r,
        };
        let required: Vec<&str> = def["required"]
            .as_array()
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let Some(props) = def["properties"].as_object() else {
            return Vec::new();
        };
        props
            .iter()
            .map(|(k, v)| {
                let mut v = v.clone();
                tolerant(&mut v);
                (k.clone(), v, required.contains(&k.as_str()))
            })
            .collect()
    }

    /// The generator, for `schema_with` helpers that need sub-schemas.
    pub fn generator(&mut self) -> &mut SchemaGenerator {
        &mut self.generator
    }

    /// `{"schemas": {...}}`, every derived schema widened by [`tolerant`], sorted by name.
    pub fn build(mut self) -> Value {
        let mut all: Vec<(String, Value)> = self
            .generator
            .take_definitions(true)
            .into_iter()
            .map(|(k, mut v)| {
                tolerant(&mut v);
                (k, v)
            })
            .collect();
        all.extend(self.extra);
        all.sort_by(|a, b| a.0.cmp(&b.0));
        json!({"schemas": all.into_iter().collect::<Map<_, _>>()})
    }
}

/// A list of strings as [`crate::lenient::string_list`] reads it: written as an array; also
/// read from one string or a comma-separated string (form bodies). For
/// `#[schemars(schema_with = "http_plumbing::openapi::string_list")]`.
pub fn string_list(_: &mut SchemaGenerator) -> Schema {
    schemars::json_schema!({
        "description": "Written as an array of strings; one string or a comma-separated string (`\"a,b\"`) is also read.",
        "anyOf": [
            {"title": "written", "type": "array", "items": {"type": "string"}},
            {"title": "accepted", "type": ["string", "null"]}
        ]
    })
}

/// Widens a derived (written) schema in place to what the tolerant readers accept:
///
/// - `integer` / `number` → `oneOf` [written, a numeric string];
/// - `boolean` → `oneOf` [written, one of [`BOOLEAN_WORDS`]];
/// - a plain `string` (no `format`, `pattern` or `enum`) → `oneOf` [written, a number];
/// - an `x-tolerant-enum` is read in any case and unknown values are kept: its `enum` moves to
///   the `written` branch of an `anyOf` whose other branch accepts any string.
///
/// Idempotent: an already widened schema (`title` `written`) is left alone.
pub fn tolerant(v: &mut Value) {
    let Value::Object(map) = v else {
        return;
    };
    let widened = |m: &Map<String, Value>| {
        ["oneOf", "anyOf"]
            .iter()
            .find_map(|k| m.get(*k))
            .and_then(|o| o.get(0))
            .and_then(|b| b.get("title"))
            .is_some_and(|t| t == "written")
    };
    if widened(map)
        || matches!(
            map.get("title").and_then(Value::as_str),
            Some("written" | "accepted")
        )
    {
        return;
    }
    for (key, child) in map.iter_mut() {
        match key.as_str() {
            "properties" | "patternProperties" | "$defs" => {
                if let Value::Object(props) = child {
                    props.values_mut().for_each(tolerant);
                }
            }
            "items" | "additionalProperties" | "not" => tolerant(child),
            "oneOf" | "anyOf" | "allOf" | "prefixItems" => {
                if let Value::Array(list) = child {
                    list.iter_mut().for_each(tolerant);
                }
            }
            _ => {}
        }
    }
    let ty = map.get("type").cloned();
    let (written, accepted) = match ty.as_ref() {
        Some(Value::String(t)) => (t.as_str(), None),
        // `["integer", "null"]` (an `Option`): widen the non-null part; `null` stays written.
        Some(Value::Array(ts)) if ts.len() == 2 && ts.contains(&json!("null")) => {
            let t = ts.iter().find_map(|t| t.as_str().filter(|t| *t != "null"));
            (t.unwrap_or(""), Some("null"))
        }
        _ => ("", None),
    };
    let alternative = if map.contains_key("x-tolerant-enum") {
        let known = map.remove("enum");
        let mut w = json!({"type": "string", "title": "written"});
        if let Some(k) = known {
            w["enum"] = k;
        }
        map.remove("type");
        map.remove("x-tolerant-enum");
        let any = json!({"type": "string", "title": "accepted",
            "description": "any case; a value not listed is kept as received"});
        map.insert("anyOf".into(), json!([w, any]));
        map.insert("x-tolerant-enum".into(), json!(true));
        return;
    } else {
        match written {
            "integer" => json!({"type": "string", "pattern": INTEGER_TEXT}),
            "number" => json!({"type": "string", "pattern": NUMBER_TEXT}),
            "boolean" => json!({"type": "string", "enum": BOOLEAN_WORDS}),
            "string"
                if !map.contains_key("format")
                    && !map.contains_key("pattern")
                    && !map.contains_key("enum")
                    && !map.contains_key("const") =>
            {
                json!({"type": "number"})
            }
            _ => return,
        }
    };
    // Keep annotations at the top; move the written constraints into the first branch.
    let mut w = Map::new();
    // An absent optional value may be written as `null` (fields not skipped when empty).
    match accepted {
        Some(n) => w.insert("type".into(), json!([written, n])),
        None => w.insert("type".into(), json!(written)),
    };
    w.insert("title".into(), json!("written"));
    for k in [
        "format",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "pattern",
        "enum",
    ] {
        if let Some(x) = map.remove(k) {
            w.insert(k.into(), x);
        }
    }
    map.remove("type");
    let mut alt = alternative;
    alt["title"] = json!("accepted");
    map.insert("oneOf".into(), json!([Value::Object(w), alt]));
}

/// One OpenAPI operation under assembly.
#[derive(Debug, Clone)]
pub struct Op {
    op: Map<String, Value>,
}

impl Op {
    /// An operation with the protocol id (`R1`, `P12`…) as `operationId` and a one-line summary.
    pub fn new(id: &str, summary: &str) -> Self {
        let mut op = Map::new();
        op.insert("operationId".into(), json!(id));
        op.insert("summary".into(), json!(format!("{id}: {summary}")));
        op.insert("responses".into(), json!({}));
        Self { op }
    }

    /// Sets `description` (Markdown).
    #[must_use]
    pub fn describe(mut self, text: &str) -> Self {
        self.op.insert("description".into(), json!(text));
        self
    }

    /// Adds a tag.
    #[must_use]
    pub fn tag(mut self, tag: &str) -> Self {
        push(&mut self.op, "tags", json!(tag));
        self
    }

    /// Adds a query (`in` = `query`), path, or header parameter.
    #[must_use]
    pub fn param(
        mut self,
        place: &str,
        name: &str,
        required: bool,
        desc: &str,
        schema: Value,
    ) -> Self {
        let required = required || place == "path";
        push(
            &mut self.op,
            "parameters",
            json!({"name": name, "in": place, "required": required, "description": desc, "schema": schema}),
        );
        self
    }

    /// Adds a raw parameter object (for `style`/`explode` variants).
    #[must_use]
    pub fn param_object(mut self, param: Value) -> Self {
        push(&mut self.op, "parameters", param);
        self
    }

    /// Sets the request body: one schema under each media type, with named examples.
    #[must_use]
    pub fn body(
        mut self,
        required: bool,
        media: &[&str],
        schema: Value,
        examples: &[(&str, Value)],
    ) -> Self {
        let mut content = Map::new();
        for m in media {
            let mut mt = json!({"schema": schema});
            if !examples.is_empty() && (m.contains("json") || media.len() == 1) {
                mt["examples"] = examples_object(examples);
            }
            content.insert((*m).to_owned(), mt);
        }
        self.op.insert(
            "requestBody".into(),
            json!({"required": required, "content": content}),
        );
        self
    }

    /// Adds (or extends) a JSON response.
    #[must_use]
    pub fn response(self, status: u16, desc: &str, schema: Value) -> Self {
        self.response_with(status, desc, "application/json", schema, &[])
    }

    /// Adds a response with a media type and named examples; `schema` `null` means no body.
    #[must_use]
    pub fn response_with(
        mut self,
        status: u16,
        desc: &str,
        media: &str,
        schema: Value,
        examples: &[(&str, Value)],
    ) -> Self {
        let mut r = json!({"description": desc});
        if !schema.is_null() {
            let mut mt = json!({"schema": schema});
            if !examples.is_empty() {
                mt["examples"] = examples_object(examples);
            }
            r["content"] = json!({ media: mt });
        }
        if let Some(Value::Object(rs)) = self.op.get_mut("responses") {
            rs.insert(status.to_string(), r);
        }
        self
    }

    /// Adds a response header to an already added response.
    #[must_use]
    pub fn response_header(mut self, status: u16, name: &str, desc: &str, schema: Value) -> Self {
        if let Some(r) = self
            .op
            .get_mut("responses")
            .and_then(|rs| rs.get_mut(status.to_string()))
        {
            r["headers"][name] = json!({"description": desc, "schema": schema});
        }
        self
    }

    /// Sets `security` (a list of alternatives, each a scheme name).
    #[must_use]
    pub fn security(mut self, schemes: &[&str]) -> Self {
        let list: Vec<Value> = schemes.iter().map(|s| json!({ *s: [] })).collect();
        self.op.insert("security".into(), Value::Array(list));
        self
    }

    /// Sets an extension or any other key.
    #[must_use]
    pub fn set(mut self, key: &str, value: Value) -> Self {
        self.op.insert(key.into(), value);
        self
    }

    /// The operation object.
    pub fn build(self) -> Value {
        Value::Object(self.op)
    }
}

fn push(op: &mut Map<String, Value>, key: &str, v: Value) {
    match op.get_mut(key) {
        Some(Value::Array(a)) => a.push(v),
        _ => {
            op.insert(key.into(), json!([v]));
        }
    }
}

fn examples_object(examples: &[(&str, Value)]) -> Value {
    let map: Map<String, Value> = examples
        .iter()
        .map(|(name, v)| ((*name).to_owned(), json!({"value": v})))
        .collect();
    Value::Object(map)
}

/// Inserts `op` under `paths[path][method]` (creating the path item).
pub fn add_path(paths: &mut Map<String, Value>, path: &str, method: &str, op: Value) {
    let item = paths
        .entry(path.to_owned())
        .or_insert_with(|| Value::Object(Map::new()));
    item[method] = op;
}

/// Sets a document's `servers` to one URL (the mock serves its documents with its own address).
pub fn with_server(mut doc: Value, url: &str, description: &str) -> Value {
    doc["servers"] = json!([{"url": url, "description": description}]);
    doc
}

/// The document as checked in: pretty JSON with a trailing newline.
pub fn to_pretty(doc: &Value) -> String {
    let mut s = serde_json::to_string_pretty(doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Compares `doc` with the file at `path`; with `UPDATE_OPENAPI=1` in the environment, rewrites
/// the file instead. The error says which file differs and how to regenerate it.
pub fn check_document(path: &std::path::Path, doc: &Value) -> Result<(), String> {
    let fresh = to_pretty(doc);
    if std::env::var_os("UPDATE_OPENAPI").is_some_and(|v| v == "1") {
        return std::fs::write(path, fresh).map_err(|e| format!("writing {}: {e}", path.display()));
    }
    let old = std::fs::read_to_string(path).unwrap_or_default();
    if old == fresh {
        return Ok(());
    }
    let line = old
        .lines()
        .zip(fresh.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| old.lines().count().min(fresh.lines().count()));
    Err(format!(
        "{} differs from the generated document (first at line {}); \
         run `UPDATE_OPENAPI=1 cargo test --all-features` and review the diff",
        path.display(),
        line + 1
    ))
}

/// The `written` projection of a schema (or a whole document): every `oneOf` / `anyOf` whose
/// first branch is titled `written` becomes that branch (annotations kept) and tolerant enums
/// lose their catch-all — what the crates' writers emit, for checking a writer's output.
pub fn written(schema: &Value) -> Value {
    match schema {
        Value::Object(map) => {
            let mut out = Map::new();
            let mut chosen = None;
            for key in ["oneOf", "anyOf"] {
                if let Some(first) = map.get(key).and_then(|b| b.get(0))
                    && first.get("title").is_some_and(|t| t == "written")
                {
                    chosen = Some((key, first));
                }
            }
            for (k, v) in map {
                if chosen.is_some_and(|(key, _)| key == k) {
                    continue;
                }
                out.insert(k.clone(), written(v));
            }
            if let Some((_, first)) = chosen
                && let Value::Object(branch) = written(first)
            {
                out.extend(branch);
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(written).collect()),
        other => other.clone(),
    }
}

/// A standalone JSON Schema for `#/components/schemas/{name}` of `doc`, in its `written`
/// projection when `written_only` (see [`written`]), for a JSON Schema validator.
pub fn component_schema(doc: &Value, name: &str, written_only: bool) -> Value {
    let components = if written_only {
        written(&doc["components"])
    } else {
        doc["components"].clone()
    };
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": components,
    })
}

/// One example of a document with the schema it must satisfy.
#[derive(Debug, Clone)]
pub struct Example {
    /// Where it sits: `POST /api/v1/calls requestBody application/json "vendor example"`.
    pub location: String,
    /// The media type's schema, standalone: the document's `components` ride along so that
    /// `#/components/schemas/…` references resolve.
    pub schema: Value,
    /// The example's value.
    pub value: Value,
}

/// Every named example of the document's operations and webhooks (request bodies and
/// responses), each with its schema, for a JSON Schema validator.
pub fn examples(doc: &Value) -> Vec<Example> {
    let mut out = Vec::new();
    let components = doc.get("components").cloned().unwrap_or(Value::Null);
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = doc.get(section) else {
            continue;
        };
        for (path, item) in items {
            let Value::Object(methods) = item else {
                continue;
            };
            for (method, op) in methods {
                for p in op["parameters"].as_array().into_iter().flatten() {
                    let (schema, exs) = match p.get("content") {
                        Some(c) => (
                            &c["application/json"]["schema"],
                            &c["application/json"]["examples"],
                        ),
                        None => (&p["schema"], &p["examples"]),
                    };
                    for (name, ex) in exs.as_object().into_iter().flatten() {
                        out.push(Example {
                            location: format!(
                                "{} {path} parameter {} {name:?}",
                                method.to_uppercase(),
                                p["name"]
                            ),
                            schema: json!({
                                "$schema": "https://json-schema.org/draft/2020-12/schema",
                                "allOf": [schema.clone()],
                                "components": components.clone(),
                            }),
                            value: ex["value"].clone(),
                        });
                    }
                }
                let mut contents = vec![("requestBody".to_owned(), &op["requestBody"]["content"])];
                if let Value::Object(rs) = &op["responses"] {
                    for (status, r) in rs {
                        contents.push((status.clone(), &r["content"]));
                    }
                }
                for (what, content) in contents {
                    let Value::Object(media) = content else {
                        continue;
                    };
                    for (mt, body) in media {
                        let Value::Object(exs) = &body["examples"] else {
                            continue;
                        };
                        for (name, ex) in exs {
                            out.push(Example {
                                location: format!(
                                    "{} {path} {what} {mt} {name:?}",
                                    method.to_uppercase()
                                ),
                                schema: json!({
                                    "$schema": "https://json-schema.org/draft/2020-12/schema",
                                    "allOf": [body["schema"].clone()],
                                    "components": components.clone(),
                                }),
                                value: ex["value"].clone(),
                            });
                        }
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerant_widens_numbers_booleans_strings_and_keeps_constraints_written() {
        let mut s = json!({"type": "object", "properties": {
            "n": {"type": "integer", "minimum": 0, "description": "d"},
            "b": {"type": "boolean"},
            "s": {"type": "string"},
            "u": {"type": "string", "format": "uri"},
            "o": {"type": ["integer", "null"]},
        }});
        tolerant(&mut s);
        let p = &s["properties"];
        assert_eq!(
            p["n"]["oneOf"][0],
            json!({"type": "integer", "title": "written", "minimum": 0})
        );
        assert_eq!(p["n"]["oneOf"][1]["pattern"], INTEGER_TEXT);
        assert_eq!(p["n"]["description"], "d");
        assert_eq!(p["b"]["oneOf"][1]["enum"][0], "true");
        assert_eq!(p["s"]["oneOf"][1]["type"], "number");
        assert_eq!(p["u"], json!({"type": "string", "format": "uri"}));
        assert_eq!(p["o"]["oneOf"][0]["type"], json!(["integer", "null"]));
        let again = s.clone();
        tolerant(&mut s);
        assert_eq!(s, again);
    }

    #[test]
    fn tolerant_enum_accepts_any_string_and_writes_the_list() {
        let mut s = json!({"type": "string", "enum": ["in", "out"], "x-tolerant-enum": true});
        tolerant(&mut s);
        assert_eq!(s["anyOf"][0]["enum"], json!(["in", "out"]));
        assert_eq!(s["anyOf"][1]["title"], "accepted");
        assert!(s.get("enum").is_none());
    }

    #[test]
    fn check_document_reports_the_first_differing_line() {
        let dir = std::env::temp_dir().join(format!("openapi-check-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("x.json");
        std::fs::write(&path, "{\n  \"a\": 1\n}\n").unwrap();
        assert!(check_document(&path, &json!({"a": 1})).is_ok());
        let err = check_document(&path, &json!({"a": 2})).unwrap_err();
        assert!(
            err.contains("line 2") && err.contains("UPDATE_OPENAPI=1"),
            "{err}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
