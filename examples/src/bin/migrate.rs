//! A migration runbook: move a self-hosted Redis OSS / Valkey node into an ElastiCache
//! replication group with online migration.
//!
//! ```text
//! migrate test     --replication-group-id RG --endpoint HOST:PORT
//! migrate start    --replication-group-id RG --endpoint HOST:PORT --yes
//! migrate wait     --replication-group-id RG [--max-wait-secs 3600] [--poll-secs 15]
//! migrate complete --replication-group-id RG [--force] --yes
//! migrate run      --replication-group-id RG --endpoint HOST:PORT --yes   (all four in order)
//! ```
//! Common options: `--json` prints each step's result as JSON; `--endpoint-url URL` overrides
//! the endpoint. Region and credentials come from the environment. Starting and completing
//! change the replication group, so they need `--yes`. Any error ends the run with a message
//! and a non-zero exit.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use elasticache::types::{CustomerNodeEndpoint, ReplicationGroup};
use elasticache::Client;
use examples::{fail, parse_endpoint, Args};

const USAGE: &str = "usage: migrate <test|start|wait|complete|run> --replication-group-id ID \
[--endpoint HOST:PORT ...] [--yes] [--force] [--json] [--endpoint-url URL] [--max-wait-secs N] [--poll-secs N]";

struct Run {
    client: Client,
    group: String,
    endpoints: Vec<CustomerNodeEndpoint>,
    json: bool,
    yes: bool,
    force: bool,
    max_wait: Duration,
    poll: Duration,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = Args::from_env();
    let step = std::env::args().nth(1).unwrap_or_default();
    if args.flag("--help") || args.flag("-h") || step.is_empty() {
        println!("{USAGE}");
        return if step.is_empty() {
            ExitCode::from(2)
        } else {
            ExitCode::SUCCESS
        };
    }
    let run = match setup(&args) {
        Ok(run) => run,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match step.as_str() {
        "test" => run.test().await,
        "start" => run.start().await,
        "wait" => run.wait().await,
        "complete" => run.complete().await,
        "run" => {
            async {
                run.test().await?;
                run.start().await?;
                run.wait().await?;
                run.complete().await
            }
            .await
        }
        other => {
            eprintln!("unknown step `{other}`\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e.as_ref()),
    }
}

fn setup(args: &Args) -> Result<Run, String> {
    let group = args
        .value("--replication-group-id")
        .ok_or("--replication-group-id is required")?;
    let endpoints = args
        .values("--endpoint")
        .iter()
        .map(|text| {
            parse_endpoint(text).map(|(address, port)| {
                CustomerNodeEndpoint::builder()
                    .address(address)
                    .set_port(port)
                    .build()
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let secs = |name: &str, default: u64| -> Result<Duration, String> {
        match args.value(name) {
            None => Ok(Duration::from_secs(default)),
            Some(v) => v
                .parse()
                .map(Duration::from_secs)
                .map_err(|_| format!("{name} takes a number of seconds")),
        }
    };
    let mut config = elasticache::Config::builder();
    if let Some(url) = args.value("--endpoint-url") {
        config = config.endpoint_url(url);
    }
    Ok(Run {
        client: Client::new(&config.load_from_env("ELASTICACHE").build()),
        group,
        endpoints,
        json: args.flag("--json"),
        yes: args.flag("--yes"),
        force: args.flag("--force"),
        max_wait: secs("--max-wait-secs", 3600)?,
        poll: secs("--poll-secs", 15)?,
    })
}

type StepResult = Result<(), Box<dyn std::error::Error>>;

impl Run {
    fn need_endpoints(&self) -> Result<(), String> {
        if self.endpoints.is_empty() {
            Err("this step needs at least one --endpoint HOST:PORT (the source node)".into())
        } else {
            Ok(())
        }
    }

    fn need_yes(&self, what: &str) -> Result<(), String> {
        if self.yes {
            Ok(())
        } else {
            Err(format!(
                "{what} changes replication group {}; run again with --yes to go ahead",
                self.group
            ))
        }
    }

    fn show(&self, step: &str, group: Option<&ReplicationGroup>) {
        if self.json {
            let json = serde_json::json!({ "step": step, "ReplicationGroup": group });
            println!("{json}");
        } else {
            let status = group.and_then(|g| g.status()).unwrap_or("unknown");
            println!("{step}: replication group {} is {status}", self.group);
        }
    }

    async fn test(&self) -> StepResult {
        self.need_endpoints()?;
        let out = self
            .client
            .test_migration()
            .replication_group_id(&self.group)
            .set_customer_node_endpoint_list(Some(self.endpoints.clone()))
            .send()
            .await?;
        self.show("test", out.replication_group());
        Ok(())
    }

    async fn start(&self) -> StepResult {
        self.need_endpoints()?;
        self.need_yes("starting a migration")?;
        let out = self
            .client
            .start_migration()
            .replication_group_id(&self.group)
            .set_customer_node_endpoint_list(Some(self.endpoints.clone()))
            .send()
            .await?;
        self.show("start", out.replication_group());
        Ok(())
    }

    /// Polls the replication group, printing its status and slot-migration progress, until it
    /// is available again (the migration is then ready to complete).
    async fn wait(&self) -> StepResult {
        let started = Instant::now();
        loop {
            let out = self
                .client
                .describe_replication_groups()
                .replication_group_id(&self.group)
                .send()
                .await?;
            let group = out.replication_groups().first();
            let status = group.and_then(|g| g.status()).unwrap_or("unknown");
            let progress = group
                .and_then(|g| g.pending_modified_values())
                .and_then(|p| p.resharding())
                .and_then(|r| r.slot_migration())
                .and_then(|s| s.progress_percentage());
            if self.json {
                println!(
                    "{}",
                    serde_json::json!({ "step": "wait", "Status": status, "ProgressPercentage": progress })
                );
            } else {
                match progress {
                    Some(p) => eprintln!("  {status}, slot migration {p:.1}%"),
                    None => eprintln!("  {status}"),
                }
            }
            match status {
                "available" => {
                    self.show("wait", group);
                    return Ok(());
                }
                "create-failed" | "deleting" | "deleted" => {
                    return Err(format!(
                        "replication group {} is {status}; the migration cannot go on",
                        self.group
                    )
                    .into())
                }
                _ => {}
            }
            if started.elapsed() + self.poll > self.max_wait {
                return Err(format!(
                    "still {status} after {:?}; giving up (raise --max-wait-secs)",
                    started.elapsed()
                )
                .into());
            }
            tokio::time::sleep(self.poll).await;
        }
    }

    async fn complete(&self) -> StepResult {
        self.need_yes("completing a migration")?;
        let out = self
            .client
            .complete_migration()
            .replication_group_id(&self.group)
            .force(self.force)
            .send()
            .await?;
        self.show("complete", out.replication_group());
        Ok(())
    }
}
