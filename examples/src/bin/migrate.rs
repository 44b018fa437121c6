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
//! the endpoint. `RUST_LOG=info` logs calls, retries and polls (`debug`: every attempt). Region and credentials come from the environment. Starting and completing
//! change the replication group, so they need `--yes`. Any error ends the run with a message
//! and a non-zero exit.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::Duration;

use elasticache::types::{CustomerNodeEndpoint, ReplicationGroup};
use elasticache::Client;
use examples::progress::{watch, Display, Outcome};
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
    examples::logging::init();
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

    /// Watches the replication group until it is available again (the migration is then
    /// ready to complete): live on a terminal, a line per poll elsewhere, JSON with `--json`.
    /// Ctrl-C stops watching and leaves the migration running.
    async fn wait(&self) -> StepResult {
        let display = if self.json {
            Display::Json
        } else if std::io::stderr().is_terminal() {
            Display::Live
        } else {
            Display::Lines
        };
        let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
        // Progress goes where people look: JSON to stdout with the other results, text to stderr.
        let out: &mut dyn std::io::Write = if self.json { &mut stdout } else { &mut stderr };
        let watching = watch(
            &self.client,
            &self.group,
            self.poll,
            self.max_wait,
            display,
            out,
        );
        let outcome = tokio::select! {
            outcome = watching => outcome?,
            _ = tokio::signal::ctrl_c() => {
                eprintln!(
                    "\ninterrupted: stopped watching; the migration of {} goes on in ElastiCache, untouched \
                     (run `migrate wait` to watch it again)",
                    self.group
                );
                std::process::exit(130);
            }
        };
        match outcome {
            Outcome::Available(group) => {
                self.show("wait", group.as_deref());
                Ok(())
            }
            Outcome::Failed(status) => Err(format!(
                "replication group {} is {status}; the migration cannot go on",
                self.group
            )
            .into()),
            Outcome::TimedOut(last) => Err(format!(
                "still {} after {:?}; giving up (raise --max-wait-secs)",
                last.status, last.elapsed
            )
            .into()),
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
