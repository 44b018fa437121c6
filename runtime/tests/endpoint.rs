//! The endpoint rules interpreter on hand-written rule sets, written as static data the way
//! the generator emits them: evaluation semantics, templates, results, errors, and every
//! library function.

use aws_lite_runtime::endpoint::{
    partition, resolve, Call, Condition, EndpointErrorKind, Expr, Literal, Param, ParamKind,
    Params, Rule, RuleSet, Value,
};
use aws_lite_runtime::Document;

const fn call(name: &'static str, args: &'static [Expr]) -> Call {
    Call { name, args }
}

const fn cond(name: &'static str, args: &'static [Expr]) -> Condition {
    Condition {
        func: call(name, args),
        assign: None,
    }
}

const fn bind(name: &'static str, args: &'static [Expr], to: &'static str) -> Condition {
    Condition {
        func: call(name, args),
        assign: Some(to),
    }
}

const fn url(conditions: &'static [Condition], url: &'static str) -> Rule {
    Rule::Endpoint {
        conditions,
        url: Expr::String(url),
        headers: &[],
        properties: &[],
    }
}

const fn error(conditions: &'static [Condition], message: &'static str) -> Rule {
    Rule::Error {
        conditions,
        message: Expr::String(message),
    }
}

// ---------------------------------------------------------------------------------------
// Semantics

/// A rule set in the shape of AWS's regional services, with a few extras to exercise
/// assignment scope, tree exhaustion, headers and properties.
static REGIONAL: RuleSet = RuleSet {
    parameters: &[
        Param {
            name: "Region",
            builtin: Some("AWS::Region"),
            kind: ParamKind::String,
            required: false,
            default: None,
        },
        Param {
            name: "UseFIPS",
            builtin: Some("AWS::UseFIPS"),
            kind: ParamKind::Boolean,
            required: true,
            default: Some(Literal::Bool(false)),
        },
        Param {
            name: "Endpoint",
            builtin: Some("SDK::Endpoint"),
            kind: ParamKind::String,
            required: false,
            default: None,
        },
        Param {
            name: "Stage",
            builtin: None,
            kind: ParamKind::String,
            required: true,
            default: Some(Literal::Str("prod")),
        },
        Param {
            name: "Zones",
            builtin: None,
            kind: ParamKind::StringArray,
            required: false,
            default: Some(Literal::Array(&[Literal::Str("z1"), Literal::Str("z2")])),
        },
    ],
    rules: &[
        // A custom endpoint: parsed, then used piecewise.
        Rule::Tree {
            conditions: &[cond("isSet", &[Expr::Ref("Endpoint")])],
            rules: &[
                error(
                    &[cond(
                        "booleanEquals",
                        &[Expr::Ref("UseFIPS"), Expr::Bool(true)],
                    )],
                    "Invalid Configuration: FIPS and custom endpoint are not supported",
                ),
                Rule::Endpoint {
                    conditions: &[bind("parseURL", &[Expr::Ref("Endpoint")], "Url")],
                    url: Expr::String("{Url#scheme}://{Url#authority}{Url#normalizedPath}{Stage}"),
                    headers: &[("x-stage", &[Expr::String("{Stage}"), Expr::Ref("Stage")])],
                    properties: &[],
                },
                // Reached only when parseURL fails: the tree then ends in this error.
                error(&[], "Invalid Configuration: bad endpoint {Endpoint}"),
            ],
        },
        // Assigns `P`, then fails on a later condition: `P` must not leak to the next rule.
        url(
            &[
                cond("isSet", &[Expr::Ref("Region")]),
                bind("aws.partition", &[Expr::Ref("Region")], "P"),
                cond(
                    "stringEquals",
                    &[Expr::Ref("Region"), Expr::String("leak-test")],
                ),
                cond("booleanEquals", &[Expr::Bool(true), Expr::Bool(false)]),
            ],
            "https://never",
        ),
        Rule::Tree {
            conditions: &[
                cond("isSet", &[Expr::Ref("Region")]),
                bind("aws.partition", &[Expr::Ref("Region")], "PartitionResult"),
            ],
            rules: &[
                Rule::Tree {
                    conditions: &[cond(
                        "booleanEquals",
                        &[Expr::Ref("UseFIPS"), Expr::Bool(true)],
                    )],
                    rules: &[
                        Rule::Endpoint {
                            conditions: &[cond(
                                "booleanEquals",
                                &[
                                    Expr::Call(&call(
                                        "getAttr",
                                        &[
                                            Expr::Ref("PartitionResult"),
                                            Expr::String("supportsFIPS"),
                                        ],
                                    )),
                                    Expr::Bool(true),
                                ],
                            )],
                            url: Expr::String(
                                "https://svc-fips.{Region}.{PartitionResult#dnsSuffix}",
                            ),
                            headers: &[],
                            properties: &[(
                                "authSchemes",
                                Literal::Array(&[Literal::Object(&[
                                    ("name", Literal::Str("sigv4")),
                                    ("signingRegion", Literal::Str("{Region}")),
                                    ("disableDoubleEncoding", Literal::Bool(true)),
                                    ("priority", Literal::Int(-1)),
                                ])]),
                            )],
                        },
                        // No fallback here: when FIPS is unsupported the tree is exhausted.
                    ],
                },
                // `{P}` is out of scope here (it was assigned by an earlier, failed rule).
                Rule::Endpoint {
                    conditions: &[cond(
                        "stringEquals",
                        &[Expr::Ref("Region"), Expr::String("leak-test")],
                    )],
                    url: Expr::String("https://{P#name}"),
                    headers: &[],
                    properties: &[],
                },
                url(
                    &[cond(
                        "stringEquals",
                        &[Expr::String("{Region}"), Expr::String("{{literal}}")],
                    )],
                    "https://{{braces}}.{Region}",
                ),
                Rule::Endpoint {
                    conditions: &[],
                    url: Expr::String("https://svc.{Region}.{PartitionResult#dnsSuffix}"),
                    headers: &[(
                        "x-zone",
                        &[Expr::Call(&call(
                            "getAttr",
                            &[Expr::Ref("Zones"), Expr::String("[1]")],
                        ))],
                    )],
                    properties: &[
                        ("partition", Literal::Str("{PartitionResult#name}")),
                        (
                            "nested",
                            Literal::Object(&[
                                (
                                    "list",
                                    Literal::Array(&[Literal::Int(1), Literal::Bool(false)]),
                                ),
                                ("empty", Literal::Object(&[])),
                            ]),
                        ),
                    ],
                },
            ],
        },
        error(&[], "Invalid Configuration: Missing Region"),
    ],
};

fn ok(set: &RuleSet, params: Params) -> aws_lite_runtime::endpoint::Endpoint {
    resolve(set, &params).unwrap_or_else(|e| panic!("expected an endpoint, got: {e}"))
}

fn err(set: &RuleSet, params: Params) -> (EndpointErrorKind, String) {
    match resolve(set, &params) {
        Ok(e) => panic!("expected an error, got {}", e.url),
        Err(e) => (e.kind(), e.to_string()),
    }
}

#[test]
fn regional_endpoint_with_partition_and_defaults() {
    let e = ok(&REGIONAL, Params::new().set_str("Region", "eu-west-1"));
    assert_eq!(e.url, "https://svc.eu-west-1.amazonaws.com");
    // The StringArray default applies, and getAttr indexes it.
    assert_eq!(
        e.headers,
        vec![("x-zone".to_string(), vec!["z2".to_string()])]
    );
    assert_eq!(e.header("X-Zone"), Some(&["z2".to_string()][..]));
    assert_eq!(
        e.property("partition"),
        Some(&Document::String("aws".into()))
    );
    assert_eq!(
        e.property("nested"),
        Some(&Document::Object(
            [
                ("empty".to_string(), Document::Object(Default::default())),
                (
                    "list".to_string(),
                    Document::Array(vec![Document::Number("1".into()), Document::Bool(false)])
                ),
            ]
            .into_iter()
            .collect()
        ))
    );
    let e = ok(&REGIONAL, Params::new().set_str("Region", "cn-north-1"));
    assert_eq!(e.url, "https://svc.cn-north-1.amazonaws.com.cn");
}

#[test]
fn fips_properties_are_templated() {
    let e = ok(
        &REGIONAL,
        Params::new()
            .set_str("Region", "us-gov-west-1")
            .set_bool("UseFIPS", true),
    );
    assert_eq!(e.url, "https://svc-fips.us-gov-west-1.amazonaws.com");
    let scheme = Document::Object(
        [
            ("disableDoubleEncoding", Document::Bool(true)),
            ("name", Document::String("sigv4".into())),
            ("priority", Document::Number("-1".into())),
            ("signingRegion", Document::String("us-gov-west-1".into())),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    );
    assert_eq!(
        e.property("authSchemes"),
        Some(&Document::Array(vec![scheme]))
    );
    assert!(e.headers.is_empty());
}

#[test]
fn a_tree_ends_in_its_own_error() {
    // parseURL gives no value for "not a url", so the tree's last rule, an error, applies.
    let (kind, msg) = err(&REGIONAL, Params::new().set_str("Endpoint", "not a url"));
    assert_eq!(kind, EndpointErrorKind::Rule);
    assert_eq!(msg, "Invalid Configuration: bad endpoint not a url");
}

#[test]
fn exhausted_tree_does_not_fall_through() {
    static SET: RuleSet = RuleSet {
        parameters: &[Param {
            name: "A",
            builtin: None,
            kind: ParamKind::Boolean,
            required: false,
            default: None,
        }],
        rules: &[
            Rule::Tree {
                conditions: &[cond("isSet", &[Expr::Ref("A")])],
                rules: &[url(
                    &[cond("booleanEquals", &[Expr::Ref("A"), Expr::Bool(true)])],
                    "https://a",
                )],
            },
            url(&[], "https://fallback"),
        ],
    };
    assert_eq!(ok(&SET, Params::new().set_bool("A", true)).url, "https://a");
    assert_eq!(ok(&SET, Params::new()).url, "https://fallback");
    let (kind, _) = err(&SET, Params::new().set_bool("A", false));
    assert_eq!(kind, EndpointErrorKind::NoMatch);
}

#[test]
fn top_level_exhaustion_is_an_error() {
    static SET: RuleSet = RuleSet {
        parameters: &[],
        rules: &[url(
            &[cond(
                "booleanEquals",
                &[Expr::Bool(true), Expr::Bool(false)],
            )],
            "https://x",
        )],
    };
    let (kind, msg) = err(&SET, Params::new());
    assert_eq!(kind, EndpointErrorKind::NoMatch);
    assert!(!msg.is_empty());
}

#[test]
fn custom_endpoint_and_its_errors() {
    let e = ok(
        &REGIONAL,
        Params::new().set_str("Endpoint", "https://example.com:8443/base"),
    );
    assert_eq!(e.url, "https://example.com:8443/base/prod");
    assert_eq!(
        e.headers,
        vec![(
            "x-stage".to_string(),
            vec!["prod".to_string(), "prod".to_string()]
        )]
    );
    assert_eq!(e.properties, Document::Object(Default::default()));
    let e = ok(
        &REGIONAL,
        Params::new()
            .set_str("Endpoint", "http://10.0.0.1")
            .set_str("Stage", "beta"),
    );
    assert_eq!(e.url, "http://10.0.0.1/beta");
    let (kind, msg) = err(
        &REGIONAL,
        Params::new()
            .set_str("Endpoint", "https://example.com")
            .set_bool("UseFIPS", true),
    );
    assert_eq!(kind, EndpointErrorKind::Rule);
    assert_eq!(
        msg,
        "Invalid Configuration: FIPS and custom endpoint are not supported"
    );
}

#[test]
fn rule_errors_are_exact() {
    let (kind, msg) = err(&REGIONAL, Params::new());
    assert_eq!(kind, EndpointErrorKind::Rule);
    assert_eq!(msg, "Invalid Configuration: Missing Region");
    let e = resolve(&REGIONAL, &Params::new()).unwrap_err();
    assert_eq!(e.message(), "Invalid Configuration: Missing Region");
}

#[test]
fn assignments_do_not_outlive_their_rule() {
    // The second rule assigned `P` then failed; the later rule reading `{P#name}` finds no
    // such variable, which is a malformed rule set rather than a silent value.
    let (kind, msg) = err(&REGIONAL, Params::new().set_str("Region", "leak-test"));
    assert_eq!(kind, EndpointErrorKind::InvalidRuleSet, "{msg}");
    assert!(msg.contains('P'), "{msg}");
}

#[test]
fn template_escapes() {
    let e = ok(&REGIONAL, Params::new().set_str("Region", "{literal}"));
    assert_eq!(e.url, "https://{braces}.{literal}");
}

#[test]
fn parameters_are_checked() {
    static SET: RuleSet = RuleSet {
        parameters: &[Param {
            name: "Needed",
            builtin: None,
            kind: ParamKind::String,
            required: true,
            default: None,
        }],
        rules: &[url(&[], "https://{Needed}")],
    };
    let (kind, msg) = err(&SET, Params::new());
    assert_eq!(kind, EndpointErrorKind::MissingParameter);
    assert!(msg.contains("Needed"));
    // Value::None is the same as unset.
    let (kind, _) = err(&SET, Params::new().set("Needed", Value::None));
    assert_eq!(kind, EndpointErrorKind::MissingParameter);
    let (kind, msg) = err(&SET, Params::new().set_bool("Needed", true));
    assert_eq!(kind, EndpointErrorKind::InvalidParameter);
    assert!(msg.contains("must be a string"), "{msg}");
    // Unknown names are ignored; later sets replace earlier ones.
    let p = Params::new()
        .set_str("Needed", "a")
        .set_bool("Other", true)
        .set_str("Needed", "b");
    assert_eq!(ok(&SET, p).url, "https://b");
    let (kind, _) = err(
        &REGIONAL,
        Params::new()
            .set_str("Region", "us-east-1")
            .set_string_array("UseFIPS", ["x"]),
    );
    assert_eq!(kind, EndpointErrorKind::InvalidParameter);
    let (kind, _) = err(
        &REGIONAL,
        Params::new()
            .set_str("Region", "us-east-1")
            .set("Zones", Value::Array(vec![Value::Bool(true)])),
    );
    assert_eq!(kind, EndpointErrorKind::InvalidParameter);
    let mut p = Params::new();
    p.insert("Region", "us-west-2".into());
    p.insert("Zones", Value::Array(vec!["a".into(), "b".into()]));
    assert_eq!(
        ok(&REGIONAL, p).header("x-zone"),
        Some(&["b".to_string()][..])
    );
}

#[test]
fn url_and_message_can_be_references_or_calls() {
    static SET: RuleSet = RuleSet {
        parameters: &[Param {
            name: "S",
            builtin: None,
            kind: ParamKind::String,
            required: false,
            default: None,
        }],
        rules: &[
            Rule::Endpoint {
                conditions: &[cond("stringEquals", &[Expr::Ref("S"), Expr::String("ref")])],
                url: Expr::Ref("S"),
                headers: &[],
                properties: &[],
            },
            Rule::Endpoint {
                conditions: &[cond("isSet", &[Expr::Ref("S")])],
                url: Expr::Call(&call("uriEncode", &[Expr::Ref("S")])),
                headers: &[],
                properties: &[],
            },
            Rule::Error {
                conditions: &[],
                message: Expr::Call(&call("coalesce", &[Expr::Ref("S"), Expr::String("no S")])),
            },
        ],
    };
    assert_eq!(ok(&SET, Params::new().set_str("S", "ref")).url, "ref");
    assert_eq!(ok(&SET, Params::new().set_str("S", "a b")).url, "a%20b");
    assert_eq!(err(&SET, Params::new()).1, "no S");
}

#[test]
fn malformed_rule_sets_are_errors_not_panics() {
    static CASES: &[Rule] = &[
        url(&[cond("frobnicate", &[])], "https://x"),
        url(&[cond("isSet", &[])], "https://x"),
        url(
            &[cond("not", &[Expr::Bool(true), Expr::Bool(true)])],
            "https://x",
        ),
        url(
            &[cond("stringEquals", &[Expr::Bool(true), Expr::String("x")])],
            "https://x",
        ),
        url(
            &[cond("getAttr", &[Expr::Ref("S"), Expr::Bool(true)])],
            "https://x",
        ),
        url(
            &[cond("getAttr", &[Expr::Ref("S"), Expr::String("a..b")])],
            "https://x",
        ),
        url(
            &[cond("getAttr", &[Expr::Ref("S"), Expr::String("a[x]")])],
            "https://x",
        ),
        url(
            &[cond(
                "ite",
                &[Expr::String("x"), Expr::Bool(true), Expr::Bool(false)],
            )],
            "https://x",
        ),
        url(&[cond("coalesce", &[])], "https://x"),
        url(&[cond("isSet", &[Expr::Ref("Nope")])], "https://x"),
        url(&[], "https://{Nope}"),
        url(&[], "https://{S"),
        url(&[], "https://S}"),
        url(&[], "https://{S{x}}"),
        url(&[], "https://{Arr}"),
        Rule::Endpoint {
            conditions: &[],
            url: Expr::Bool(true),
            headers: &[],
            properties: &[],
        },
        Rule::Error {
            conditions: &[],
            message: Expr::Call(&call("parseURL", &[Expr::String("nope")])),
        },
    ];
    for (i, rule) in CASES.iter().enumerate() {
        let set = RuleSet {
            parameters: &[
                Param {
                    name: "S",
                    builtin: None,
                    kind: ParamKind::String,
                    required: true,
                    default: Some(Literal::Str("s")),
                },
                Param {
                    name: "Arr",
                    builtin: None,
                    kind: ParamKind::StringArray,
                    required: true,
                    default: Some(Literal::Array(&[])),
                },
            ],
            rules: std::slice::from_ref(rule),
        };
        let (kind, msg) = err(&set, Params::new());
        assert_eq!(kind, EndpointErrorKind::InvalidRuleSet, "case {i}: {msg}");
    }
    // An unknown function with an empty argument is still reported.
    static UNSET: RuleSet = RuleSet {
        parameters: &[Param {
            name: "S",
            builtin: None,
            kind: ParamKind::String,
            required: false,
            default: None,
        }],
        rules: &[url(&[cond("frobnicate", &[Expr::Ref("S")])], "https://x")],
    };
    assert_eq!(
        err(&UNSET, Params::new()).0,
        EndpointErrorKind::InvalidRuleSet
    );
}

fn leak<T>(v: T) -> &'static T {
    Box::leak(Box::new(v))
}

#[test]
fn deep_nesting_is_bounded() {
    // `not(not(…(true)…))`, deeper than any real rule set.
    let mut e = Expr::Bool(true);
    for _ in 0..10_000 {
        e = Expr::Call(leak(Call {
            name: "not",
            args: std::slice::from_ref(leak(e)),
        }));
    }
    let Expr::Call(c) = e else { unreachable!() };
    let rules = leak([url(
        std::slice::from_ref(leak(Condition {
            func: *c,
            assign: None,
        })),
        "https://x",
    )]);
    let set = RuleSet {
        parameters: &[],
        rules,
    };
    assert_eq!(
        err(&set, Params::new()).0,
        EndpointErrorKind::InvalidRuleSet
    );

    // Tree rules nested just as deep.
    let mut r = url(&[], "https://deep");
    for _ in 0..10_000 {
        r = Rule::Tree {
            conditions: &[],
            rules: std::slice::from_ref(leak(r)),
        };
    }
    let set = RuleSet {
        parameters: &[],
        rules: std::slice::from_ref(leak(r)),
    };
    assert_eq!(
        err(&set, Params::new()).0,
        EndpointErrorKind::InvalidRuleSet
    );

    // Modest nesting is fine.
    let mut r = url(&[], "https://shallow");
    for _ in 0..20 {
        r = Rule::Tree {
            conditions: &[],
            rules: std::slice::from_ref(leak(r)),
        };
    }
    let set = RuleSet {
        parameters: &[],
        rules: std::slice::from_ref(leak(r)),
    };
    assert_eq!(ok(&set, Params::new()).url, "https://shallow");
}

// ---------------------------------------------------------------------------------------
// Library functions: each test runs conditions over parameters `S`, `T` (strings), `B`
// (boolean, default false) and `A` (string array), and reports whether they all held.

static PARAMS: &[Param] = &[
    Param {
        name: "S",
        builtin: None,
        kind: ParamKind::String,
        required: false,
        default: None,
    },
    Param {
        name: "T",
        builtin: None,
        kind: ParamKind::String,
        required: false,
        default: None,
    },
    Param {
        name: "B",
        builtin: None,
        kind: ParamKind::Boolean,
        required: true,
        default: Some(Literal::Bool(false)),
    },
    Param {
        name: "A",
        builtin: None,
        kind: ParamKind::StringArray,
        required: false,
        default: None,
    },
];

fn holds(conditions: &'static [Condition], params: Params) -> bool {
    let rules = leak([url(conditions, "https://held"), error(&[], "failed")]);
    let set = RuleSet {
        parameters: PARAMS,
        rules,
    };
    match resolve(&set, &params) {
        Ok(_) => true,
        Err(e) if e.kind() == EndpointErrorKind::Rule => false,
        Err(e) => panic!("unexpected error: {e}"),
    }
}

fn s(v: &str) -> Params {
    Params::new().set_str("S", v)
}

#[test]
fn is_set_and_not() {
    static IS_SET: &[Condition] = &[cond("isSet", &[Expr::Ref("S")])];
    assert!(holds(IS_SET, s("")));
    assert!(!holds(IS_SET, Params::new()));
    // isSet looks at presence, not truthiness.
    static B_SET: &[Condition] = &[cond("isSet", &[Expr::Ref("B")])];
    assert!(holds(B_SET, Params::new()));
    static NOT_SET: &[Condition] = &[cond(
        "not",
        &[Expr::Call(&call("isSet", &[Expr::Ref("S")]))],
    )];
    assert!(holds(NOT_SET, Params::new()));
    assert!(!holds(NOT_SET, s("x")));
    static NOT_B: &[Condition] = &[cond("not", &[Expr::Ref("B")])];
    assert!(holds(NOT_B, Params::new()));
    assert!(!holds(NOT_B, Params::new().set_bool("B", true)));
    // A condition that evaluates to false fails even with `assign`.
    static ASSIGN_FALSE: &[Condition] = &[bind("isSet", &[Expr::Ref("S")], "X")];
    assert!(!holds(ASSIGN_FALSE, Params::new()));
}

#[test]
fn boolean_and_string_equals() {
    static B_FALSE: &[Condition] = &[cond("booleanEquals", &[Expr::Ref("B"), Expr::Bool(false)])];
    assert!(holds(B_FALSE, Params::new()), "the default applies");
    assert!(!holds(B_FALSE, Params::new().set_bool("B", true)));
    static S_EQ: &[Condition] = &[cond("stringEquals", &[Expr::Ref("S"), Expr::String("abc")])];
    assert!(holds(S_EQ, s("abc")));
    assert!(!holds(S_EQ, s("abd")));
    assert!(
        !holds(S_EQ, Params::new()),
        "an unset argument fails the condition"
    );
    static TEMPLATE_EQ: &[Condition] = &[cond(
        "stringEquals",
        &[Expr::String("{S}-{T}"), Expr::String("a-b")],
    )];
    assert!(holds(TEMPLATE_EQ, s("a").set_str("T", "b")));
}

#[test]
fn get_attr_paths() {
    static RESOURCE: &[Condition] = &[
        bind("aws.parseArn", &[Expr::Ref("S")], "Arn"),
        bind(
            "getAttr",
            &[Expr::Ref("Arn"), Expr::String("resourceId[1]")],
            "Id",
        ),
        cond("stringEquals", &[Expr::Ref("Id"), Expr::Ref("T")]),
        cond(
            "stringEquals",
            &[Expr::String("{Arn#resourceId[0]}"), Expr::String("vpc")],
        ),
    ];
    assert!(holds(
        RESOURCE,
        s("arn:aws:ec2:us-east-1:1:vpc/vpc-1").set_str("T", "vpc-1")
    ));
    // An index past the end is empty.
    assert!(!holds(
        RESOURCE,
        s("arn:aws:ec2:us-east-1:1:vpc").set_str("T", "vpc")
    ));
    static MISSING_KEY: &[Condition] = &[cond(
        "isSet",
        &[Expr::Call(&call(
            "getAttr",
            &[
                Expr::Call(&call("parseURL", &[Expr::Ref("S")])),
                Expr::String("nope"),
            ],
        ))],
    )];
    assert!(!holds(MISSING_KEY, s("https://x")));
    static ARRAY_INDEX: &[Condition] = &[cond(
        "stringEquals",
        &[
            Expr::Call(&call("getAttr", &[Expr::Ref("A"), Expr::String("[2]")])),
            Expr::String("c"),
        ],
    )];
    assert!(holds(
        ARRAY_INDEX,
        Params::new().set_string_array("A", ["a", "b", "c"])
    ));
    assert!(!holds(
        ARRAY_INDEX,
        Params::new().set_string_array("A", ["a"])
    ));
    // Through an array literal and a nested path.
    static LITERAL_ARRAY: &[Condition] = &[cond(
        "stringEquals",
        &[
            Expr::Call(&call(
                "getAttr",
                &[
                    Expr::Array(&[Expr::String("x"), Expr::Ref("S")]),
                    Expr::String("[1]"),
                ],
            )),
            Expr::String("y"),
        ],
    )];
    assert!(holds(LITERAL_ARRAY, s("y")));
}

#[test]
fn parse_url() {
    static PARTS: &[Condition] = &[
        bind("parseURL", &[Expr::Ref("S")], "U"),
        cond(
            "stringEquals",
            &[
                Expr::String("{U#scheme}|{U#authority}|{U#path}|{U#normalizedPath}"),
                Expr::Ref("T"),
            ],
        ),
        cond(
            "booleanEquals",
            &[
                Expr::Call(&call("getAttr", &[Expr::Ref("U"), Expr::String("isIp")])),
                Expr::Ref("B"),
            ],
        ),
    ];
    let case =
        |url: &str, want: &str, ip: bool| holds(PARTS, s(url).set_str("T", want).set_bool("B", ip));
    assert!(case("https://example.com", "https|example.com||/", false));
    assert!(case(
        "http://example.com:80/foo/bar",
        "http|example.com:80|/foo/bar|/foo/bar/",
        false
    ));
    assert!(case("https://127.0.0.1", "https|127.0.0.1||/", true));
    assert!(case("https://[fe80::1]", "https|[fe80::1]||/", true));
    assert!(case(
        "https://example.com/a/",
        "https|example.com|/a/|/a/",
        false
    ));
    // A query makes the URL invalid (empty), failing the condition.
    assert!(!case("https://example.com:8443?foo=bar&faz=baz", "", false));
    assert!(!case("example.com", "", false));
}

#[test]
fn substring() {
    static SUB: &[Condition] = &[
        bind(
            "substring",
            &[Expr::Ref("S"), Expr::Int(1), Expr::Int(4), Expr::Ref("B")],
            "Sub",
        ),
        cond("stringEquals", &[Expr::Ref("Sub"), Expr::Ref("T")]),
    ];
    assert!(holds(SUB, s("abcdefg").set_str("T", "bcd")));
    assert!(holds(
        SUB,
        s("abcdefg").set_str("T", "def").set_bool("B", true)
    ));
    assert!(holds(SUB, s("abcd").set_str("T", "bcd")));
    assert!(!holds(SUB, s("abc").set_str("T", "bc")), "too short");
    assert!(
        !holds(SUB, s("a\u{e9}cdef").set_str("T", "\u{e9}cd")),
        "non-ASCII"
    );
}

#[test]
fn uri_encode() {
    static ENC: &[Condition] = &[cond(
        "stringEquals",
        &[
            Expr::Call(&call("uriEncode", &[Expr::Ref("S")])),
            Expr::Ref("T"),
        ],
    )];
    assert!(holds(ENC, s("a/b c~d").set_str("T", "a%2Fb%20c~d")));
    assert!(holds(ENC, s("\u{e9}*").set_str("T", "%C3%A9%2A")));
}

#[test]
fn is_valid_host_label() {
    static LABEL: &[Condition] = &[cond("isValidHostLabel", &[Expr::Ref("S"), Expr::Ref("B")])];
    assert!(holds(LABEL, s("my-bucket1")));
    assert!(!holds(LABEL, s("a.b")));
    assert!(holds(LABEL, s("a.b").set_bool("B", true)));
    assert!(!holds(LABEL, s("-a")));
    assert!(!holds(LABEL, s("a..b").set_bool("B", true)));
    assert!(!holds(LABEL, s(&"a".repeat(64))));
}

#[test]
fn coalesce_ite_and_split() {
    static COALESCE: &[Condition] = &[cond(
        "stringEquals",
        &[
            Expr::Call(&call(
                "coalesce",
                &[Expr::Ref("S"), Expr::Ref("T"), Expr::String("z")],
            )),
            Expr::String("t"),
        ],
    )];
    assert!(holds(COALESCE, Params::new().set_str("T", "t")));
    assert!(!holds(COALESCE, s("s").set_str("T", "t")));
    static ITE: &[Condition] = &[cond(
        "stringEquals",
        &[
            Expr::Call(&call(
                "ite",
                &[Expr::Ref("B"), Expr::String("yes"), Expr::String("no")],
            )),
            Expr::Ref("S"),
        ],
    )];
    assert!(holds(ITE, s("no")));
    assert!(holds(ITE, s("yes").set_bool("B", true)));
    static SPLIT: &[Condition] = &[
        bind(
            "split",
            &[Expr::Ref("S"), Expr::String("--"), Expr::Int(0)],
            "Parts",
        ),
        cond(
            "stringEquals",
            &[Expr::String("{Parts#[1]}"), Expr::Ref("T")],
        ),
        cond(
            "not",
            &[Expr::Call(&call(
                "isSet",
                &[Expr::Call(&call(
                    "getAttr",
                    &[Expr::Ref("Parts"), Expr::String("[3]")],
                ))],
            ))],
        ),
    ];
    assert!(holds(SPLIT, s("--x-s3--azid").set_str("T", "x-s3")));
    assert!(
        !holds(SPLIT, s("a--b--c--d").set_str("T", "b")),
        "has a fourth part"
    );
}

#[test]
fn aws_partition() {
    static PART: &[Condition] = &[
        bind("aws.partition", &[Expr::Ref("S")], "P"),
        cond(
            "stringEquals",
            &[
                Expr::String(
                    "{P#name} {P#dnsSuffix} {P#dualStackDnsSuffix} {P#implicitGlobalRegion}",
                ),
                Expr::Ref("T"),
            ],
        ),
        cond(
            "booleanEquals",
            &[
                Expr::Call(&call(
                    "getAttr",
                    &[Expr::Ref("P"), Expr::String("supportsDualStack")],
                )),
                Expr::Ref("B"),
            ],
        ),
        cond(
            "booleanEquals",
            &[
                Expr::Bool(true),
                Expr::Call(&call(
                    "getAttr",
                    &[Expr::Ref("P"), Expr::String("supportsFIPS")],
                )),
            ],
        ),
    ];
    let case = |region: &str, want: &str, dual: bool| {
        holds(PART, s(region).set_str("T", want).set_bool("B", dual))
    };
    assert!(case(
        "us-east-1",
        "aws amazonaws.com api.aws us-east-1",
        true
    ));
    assert!(
        case("af-south-9", "aws amazonaws.com api.aws us-east-1", true),
        "by pattern"
    );
    assert!(
        case("moon-1", "aws amazonaws.com api.aws us-east-1", true),
        "fallback"
    );
    assert!(case(
        "aws-global",
        "aws amazonaws.com api.aws us-east-1",
        true
    ));
    assert!(case(
        "cn-northwest-1",
        "aws-cn amazonaws.com.cn api.amazonwebservices.com.cn cn-northwest-1",
        true
    ));
    assert!(case(
        "us-gov-east-1",
        "aws-us-gov amazonaws.com api.aws us-gov-west-1",
        true
    ));
    assert!(case(
        "us-iso-west-1",
        "aws-iso c2s.ic.gov c2s.ic.gov us-iso-east-1",
        false
    ));
    assert!(case(
        "us-isob-east-1",
        "aws-iso-b sc2s.sgov.gov sc2s.sgov.gov us-isob-east-1",
        false
    ));
    assert!(case(
        "eu-isoe-west-1",
        "aws-iso-e cloud.adc-e.uk cloud.adc-e.uk eu-isoe-west-1",
        false
    ));
    assert!(case(
        "us-isof-south-1",
        "aws-iso-f csp.hci.ic.gov csp.hci.ic.gov us-isof-south-1",
        false
    ));
    assert!(case(
        "eusc-de-east-1",
        "aws-eusc amazonaws.eu amazonaws.eu eusc-de-east-1",
        false
    ));
    assert!(case(
        "eusc-de-south-4",
        "aws-eusc amazonaws.eu amazonaws.eu eusc-de-east-1",
        false
    ));
    // The table itself.
    let ids: Vec<_> = partition::PARTITIONS.iter().map(|p| p.id).collect();
    assert_eq!(
        ids,
        [
            "aws",
            "aws-cn",
            "aws-us-gov",
            "aws-iso",
            "aws-iso-b",
            "aws-iso-e",
            "aws-iso-f",
            "aws-eusc"
        ]
    );
}

#[test]
fn aws_parse_arn() {
    static ARN: &[Condition] = &[
        bind("aws.parseArn", &[Expr::Ref("S")], "Arn"),
        cond(
            "stringEquals",
            &[
                Expr::String("{Arn#partition}|{Arn#service}|{Arn#region}|{Arn#accountId}|{Arn#resourceId[0]}"),
                Expr::Ref("T"),
            ],
        ),
    ];
    let case = |arn: &str, want: &str| holds(ARN, s(arn).set_str("T", want));
    assert!(case(
        "arn:aws:sns:us-west-2:012345678910:example-sns-topic-name",
        "aws|sns|us-west-2|012345678910|example-sns-topic-name"
    ));
    assert!(case(
        "arn:aws:iam::012345678910:user/johndoe",
        "aws|iam||012345678910|user"
    ));
    assert!(case("arn:aws:s3:::bucket_name", "aws|s3|||bucket_name"));
    assert!(!case("11111111-2222-3333-4444-555555555555", ""));
    assert!(!case("arn:aws:s3:::", "aws|s3|||"));
}

#[test]
fn aws_is_virtual_hostable_s3_bucket() {
    static BUCKET: &[Condition] = &[cond(
        "aws.isVirtualHostableS3Bucket",
        &[Expr::Ref("S"), Expr::Ref("B")],
    )];
    assert!(holds(BUCKET, s("my-bucket")));
    assert!(!holds(BUCKET, s("my.bucket")));
    assert!(holds(BUCKET, s("my.bucket").set_bool("B", true)));
    assert!(!holds(BUCKET, s("My-Bucket")));
    assert!(!holds(BUCKET, s("ab")));
    assert!(!holds(BUCKET, s("192.168.5.4").set_bool("B", true)));
    assert!(!holds(BUCKET, s("a-.b").set_bool("B", true)));
}
