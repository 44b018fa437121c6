//! Tests whether ElastiCache can migrate data into a replication group from a self-hosted
//! Redis OSS or Valkey node.
//!
//! ```text
//! test_migration --replication-group-id my-rg --endpoint 10.0.0.5:6379 [--endpoint-url URL]
//! ```
//! Region and credentials come from the environment (AWS_REGION, AWS_ACCESS_KEY_ID, …, or
//! the shared config files and AWS_PROFILE). Prints the replication group as JSON; on error,
//! prints the typed error with its request id and exits non-zero.

use std::process::ExitCode;

use elasticache::primitives::RequestId;
use elasticache::types::CustomerNodeEndpoint;
use examples::{fail, parse_endpoint, Args};

const USAGE: &str = "usage: test_migration --replication-group-id ID --endpoint HOST:PORT [--endpoint HOST:PORT ...] [--endpoint-url URL]";

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    examples::logging::init();
    let args = Args::from_env();
    if args.flag("--help") || args.flag("-h") {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let Some(group) = args.value("--replication-group-id") else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let endpoints = args.values("--endpoint");
    if endpoints.is_empty() {
        eprintln!("at least one --endpoint HOST:PORT is needed\n{USAGE}");
        return ExitCode::from(2);
    }

    let mut builder = elasticache::config::Config::builder();
    if let Some(url) = args.value("--endpoint-url") {
        builder = builder.endpoint_url(url);
    }
    let config = builder.load_from_env("ELASTICACHE").build();
    let client = elasticache::Client::new(&config);

    let mut call = client.test_migration().replication_group_id(group);
    for text in &endpoints {
        match parse_endpoint(text) {
            Ok((address, port)) => {
                call = call.customer_node_endpoint_list(
                    CustomerNodeEndpoint::builder()
                        .address(address)
                        .set_port(port)
                        .build(),
                );
            }
            Err(e) => {
                eprintln!("{e}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    match call.send().await {
        Ok(output) => {
            let json = serde_json::to_string_pretty(&output.replication_group).unwrap_or_default();
            println!("{json}");
            if let Some(id) = output.request_id() {
                eprintln!("request id: {id}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}
