//! Every Rust name the generator emits is decided here: types, modules, fields, variants.
//!
//! One function per context, each escaping Rust keywords its own way; per-scope tables
//! resolve collisions deterministically (the later member, in model order, gets a suffix).

use std::collections::BTreeSet;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span};

/// Rust's strict and reserved keywords (2021 edition, plus `gen`, reserved in 2024).
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen",
];

/// Keywords that cannot be raw identifiers; these get a `_` suffix instead.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Names generated code itself uses inside a structure's impl or its builder.
const RESERVED_MEMBERS: &[&str] = &["builder", "build"];

/// Names the generated enums use for themselves.
const RESERVED_VARIANTS: &[&str] = &["Unknown", "Self"];

/// Is this a Rust keyword?
pub fn is_keyword(s: &str) -> bool {
    KEYWORDS.contains(&s)
}

/// The identifier for a name decided here: raw (`r#type`) for keywords that allow it.
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) && !NOT_RAW.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A type name: UpperCamelCase of the shape name (`MultiAZStatus` → `MultiAzStatus`).
pub fn type_name(shape_name: &str) -> String {
    let name = shape_name.to_upper_camel_case();
    if name == "Self" {
        "SelfShape".to_string()
    } else {
        name
    }
}

/// A module (and file) name for a type: snake_case, keywords suffixed with `_` so the file
/// name stays plain (`type_.rs`).
pub fn module_name(type_name: &str) -> String {
    let name = type_name.to_snake_case();
    if is_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// Names `Client` itself uses; an operation with one of them gets `_operation` appended.
const RESERVED_CLIENT_METHODS: &[&str] = &["new", "from_env", "config"];

/// The `Client` method of an operation: snake_case of its name (`TestMigration` →
/// `test_migration`), keywords raw, names the client reserves suffixed.
pub fn operation_method(operation: &str) -> String {
    let name = operation.to_snake_case();
    if RESERVED_CLIENT_METHODS.contains(&name.as_str()) || NOT_RAW.contains(&name.as_str()) {
        format!("{name}_operation")
    } else {
        name
    }
}

/// The Rust names of one operation, decided by [`OperationScope`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// Module (and file) name under `operation/` (`describe_cache_clusters`).
    pub module: String,
    /// `Client` method name (usually the module name).
    pub method: String,
    /// Stem of the operation's types (`{stem}FluentBuilder`, `{stem}Error`, …): the name
    /// itself when it is already UpperCamelCase, else its UpperCamelCase form.
    pub type_stem: String,
}

/// Operation names within one crate. Smithy names such as `DescribeCacheClusters` and
/// `DescribeCacheClusters_` are distinct but convert to one module, method and type stem; the
/// later one (give operations in sorted order) gets `_2`/`2`, `_3`/`3`, … so both compile.
#[derive(Default)]
pub struct OperationScope {
    modules: BTreeSet<String>,
    stems: BTreeSet<String>,
}

impl OperationScope {
    /// Decides the names of an operation.
    pub fn operation(&mut self, name: &str) -> OperationNames {
        let base = name.to_snake_case();
        let mut snake = base.clone();
        let mut n = 2;
        // Every name derived from the snake form must be free: the module (keyword-escaped)
        // and the method (reserved names suffixed).
        while self.modules.contains(&module_name(&snake))
            || self.modules.contains(&operation_method(&snake))
        {
            snake = format!("{base}_{n}");
            n += 1;
        }
        let module = module_name(&snake);
        let method = operation_method(&snake);
        self.modules.insert(module.clone());
        self.modules.insert(method.clone());

        let camel = name.starts_with(|c: char| c.is_ascii_uppercase())
            && name.chars().all(|c| c.is_ascii_alphanumeric());
        let base = if camel {
            name.to_string()
        } else {
            type_name(name)
        };
        let mut stem = base.clone();
        let mut n = 2;
        while self.stems.contains(&stem) {
            stem = format!("{base}{n}");
            n += 1;
        }
        self.stems.insert(stem.clone());
        OperationNames {
            module,
            method,
            type_stem: stem,
        }
    }
}

/// The builder type of a structure.
pub fn builder_name(type_name: &str) -> String {
    format!("{type_name}Builder")
}

/// snake_case with keywords that cannot be raw suffixed (`self` → `self_`).
fn snake(name: &str) -> String {
    let s = name.to_snake_case();
    if s.is_empty() {
        "value".to_string()
    } else if s.starts_with(|c: char| c.is_ascii_digit()) {
        format!("v{s}")
    } else if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else {
        s
    }
}

/// Field names within one structure. Every field also claims `set_<field>` (its builder
/// setter), so `Foo` and `SetFoo` cannot produce clashing methods.
#[derive(Default)]
pub struct FieldScope {
    taken: BTreeSet<String>,
}

impl FieldScope {
    /// Decides the field name for a member; later collisions get `_2`, `_3`, …
    pub fn field(&mut self, member_name: &str) -> String {
        let base = snake(member_name);
        let base = if RESERVED_MEMBERS.contains(&base.as_str()) {
            format!("{base}_value")
        } else {
            base
        };
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) || self.taken.contains(&format!("set_{candidate}")) {
            candidate = format!("{base}_{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        self.taken.insert(format!("set_{candidate}"));
        candidate
    }
}

/// Variant names within one enum or union.
#[derive(Default)]
pub struct VariantScope {
    taken: BTreeSet<String>,
}

impl VariantScope {
    /// Decides a variant name from a member name or a wire value: UpperCamelCase, a `V`
    /// prefix before a leading digit, `Value` after names the enum reserves.
    pub fn variant(&mut self, name: &str) -> String {
        let mut base = name.to_upper_camel_case();
        if base.is_empty() {
            base = "Empty".to_string();
        }
        if base.starts_with(|c: char| c.is_ascii_digit()) {
            base = format!("V{base}");
        }
        if RESERVED_VARIANTS.contains(&base.as_str()) {
            base = format!("{base}Value");
        }
        let mut candidate = base.clone();
        let mut n = 2;
        while self.taken.contains(&candidate) {
            candidate = format!("{base}{n}");
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_escape_and_deduplicate() {
        let mut s = FieldScope::default();
        assert_eq!(s.field("Type"), "type");
        assert_eq!(s.field("self"), "self_");
        assert_eq!(s.field("FooBar"), "foo_bar");
        assert_eq!(s.field("fooBar"), "foo_bar_2");
        assert_eq!(s.field("builder"), "builder_value");
        assert_eq!(s.field("Foo"), "foo");
        assert_eq!(s.field("SetFoo"), "set_foo_2");
        assert_eq!(ident("type").to_string(), "r#type");
    }

    #[test]
    fn operations_that_convert_alike_stay_distinct() {
        let mut s = OperationScope::default();
        let a = s.operation("DescribeCacheClusters");
        let b = s.operation("DescribeCacheClusters_");
        assert_eq!(
            (a.module.as_str(), a.method.as_str(), a.type_stem.as_str()),
            (
                "describe_cache_clusters",
                "describe_cache_clusters",
                "DescribeCacheClusters"
            )
        );
        assert_eq!(
            (b.module.as_str(), b.method.as_str(), b.type_stem.as_str()),
            (
                "describe_cache_clusters_2",
                "describe_cache_clusters_2",
                "DescribeCacheClusters2"
            )
        );
        // Names that need no change keep their usual forms.
        let c = s.operation("Match");
        assert_eq!((c.module.as_str(), c.method.as_str()), ("match_", "match"));
        let d = s.operation("Config");
        assert_eq!(
            (d.module.as_str(), d.method.as_str()),
            ("config", "config_operation")
        );
        assert_eq!(
            s.operation("DescribeDBClusters").type_stem,
            "DescribeDBClusters"
        );
        assert_eq!(s.operation("describe_things").type_stem, "DescribeThings");
    }

    #[test]
    fn variants_are_readable() {
        let mut s = VariantScope::default();
        assert_eq!(s.variant("r6g.large"), "R6gLarge");
        assert_eq!(s.variant("SINGLE_AZ"), "SingleAz");
        assert_eq!(s.variant("1st-choice"), "V1stChoice");
        assert_eq!(s.variant("unknown"), "UnknownValue");
        assert_eq!(s.variant("single_az"), "SingleAz2");
        assert_eq!(s.variant("Self"), "SelfValue");
    }
}
