//! Watching a migration: poll the replication group until it is available again, showing its
//! status, the slot migration's progress as the API reports it, and the time elapsed. On a
//! terminal one line is redrawn in place; elsewhere (or with `--json`) each poll is a line.

use std::io::Write;
use std::time::Duration;

// tokio's clock: elapsed time follows the same (pausable) clock as the sleeps between polls.
use tokio::time::Instant;

use elasticache::types::ReplicationGroup;
use elasticache::Client;

/// How progress is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Display {
    /// One line, redrawn in place (a terminal).
    Live,
    /// A line per poll (a pipe or a log file).
    Lines,
    /// A JSON object per poll.
    Json,
}

/// One poll's view of the migration.
#[derive(Debug, Clone, PartialEq)]
pub struct Poll {
    /// The replication group's status (`modifying`, `available`, …).
    pub status: String,
    /// The slot migration's progress, when the API reports one.
    pub percent: Option<f64>,
    /// Time since watching started.
    pub elapsed: Duration,
}

impl Poll {
    fn from_group(group: Option<&ReplicationGroup>, elapsed: Duration) -> Poll {
        Poll {
            status: group
                .and_then(|g| g.status())
                .unwrap_or("unknown")
                .to_string(),
            percent: group
                .and_then(|g| g.pending_modified_values())
                .and_then(|p| p.resharding())
                .and_then(|r| r.slot_migration())
                .and_then(|s| s.progress_percentage()),
            elapsed,
        }
    }

    /// `modifying, slot migration 42.5%, 3m05s elapsed`.
    pub fn line(&self) -> String {
        let secs = self.elapsed.as_secs();
        let elapsed = format!("{}m{:02}s elapsed", secs / 60, secs % 60);
        match self.percent {
            Some(p) => format!("{}, slot migration {p:.1}%, {elapsed}", self.status),
            None => format!("{}, {elapsed}", self.status),
        }
    }
}

/// How waiting ended.
#[derive(Debug)]
pub enum Outcome {
    /// The group is available: the migration can be completed.
    Available(Option<Box<ReplicationGroup>>),
    /// The group reached a state the migration cannot go on from.
    Failed(String),
    /// `max_wait` passed first.
    TimedOut(Poll),
}

/// Polls `group` every `poll` until it is available, a dead end, or `max_wait` passes,
/// writing each poll to `out` as `display` says. Call errors end the wait.
pub async fn watch(
    client: &Client,
    group: &str,
    poll: Duration,
    max_wait: Duration,
    display: Display,
    out: &mut dyn Write,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    let started = Instant::now();
    loop {
        let response = client
            .describe_replication_groups()
            .replication_group_id(group)
            .send()
            .await?;
        let found = response.replication_groups().first();
        let now = Poll::from_group(found, started.elapsed());
        tracing::info!(
            replication_group = group,
            status = %now.status,
            progress = ?now.percent,
            elapsed = ?now.elapsed,
            "polled the migration"
        );
        match display {
            Display::Live => {
                // Carriage return and erase-line: the same line, redrawn.
                write!(out, "\r\x1b[2K  {}", now.line())?;
                out.flush()?;
            }
            Display::Lines => writeln!(out, "  {}", now.line())?,
            Display::Json => writeln!(
                out,
                "{}",
                serde_json::json!({
                    "step": "wait",
                    "Status": now.status,
                    "ProgressPercentage": now.percent,
                    "ElapsedSeconds": now.elapsed.as_secs(),
                })
            )?,
        }
        let done = match now.status.as_str() {
            "available" => Some(Outcome::Available(found.cloned().map(Box::new))),
            "create-failed" | "deleting" | "deleted" => Some(Outcome::Failed(now.status.clone())),
            _ if started.elapsed() + poll > max_wait => Some(Outcome::TimedOut(now)),
            _ => None,
        };
        if let Some(outcome) = done {
            if display == Display::Live {
                writeln!(out)?;
            }
            return Ok(outcome);
        }
        tokio::time::sleep(poll).await;
    }
}
