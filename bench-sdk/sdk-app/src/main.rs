//! `sdk-app REPLICATION_GROUP_ID HOST:PORT`: the same program as `ours-app`, with
//! aws-config and aws-sdk-elasticache.

use std::process::ExitCode;

use aws_sdk_elasticache::error::DisplayErrorContext;
use aws_sdk_elasticache::types::CustomerNodeEndpoint;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(group), Some(endpoint)) = (args.next(), args.next()) else {
        eprintln!("usage: sdk-app REPLICATION_GROUP_ID HOST:PORT");
        return ExitCode::from(2);
    };
    let (host, port) = endpoint.rsplit_once(':').unwrap_or((&endpoint, "6379"));
    let Ok(port) = port.parse::<i32>() else {
        eprintln!("bad port in {endpoint}");
        return ExitCode::from(2);
    };
    let config = aws_config::load_from_env().await;
    let client = aws_sdk_elasticache::Client::new(&config);
    let result = client
        .test_migration()
        .replication_group_id(group)
        .customer_node_endpoint_list(CustomerNodeEndpoint::builder().address(host).port(port).build())
        .send()
        .await;
    match result {
        Ok(out) => {
            println!("{}", out.replication_group().and_then(|g| g.replication_group_id()).unwrap_or(""));
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}", DisplayErrorContext(&e));
            ExitCode::FAILURE
        }
    }
}
