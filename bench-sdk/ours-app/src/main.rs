//! `ours-app REPLICATION_GROUP_ID HOST:PORT`: region, credentials and endpoint URL from the
//! environment; one TestMigration call; prints the replication group id or the error.

use std::process::ExitCode;

use elasticache::types::CustomerNodeEndpoint;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(group), Some(endpoint)) = (args.next(), args.next()) else {
        eprintln!("usage: ours-app REPLICATION_GROUP_ID HOST:PORT");
        return ExitCode::from(2);
    };
    let (host, port) = endpoint.rsplit_once(':').unwrap_or((&endpoint, "6379"));
    let Ok(port) = port.parse::<i32>() else {
        eprintln!("bad port in {endpoint}");
        return ExitCode::from(2);
    };
    let client = elasticache::Client::from_env();
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
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
