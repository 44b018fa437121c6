//! The runbook's `wait` against a mock that advances the migration: each poll is shown (status,
//! the slot migration's progress, elapsed time), live on one redrawn line or a line per poll,
//! and it ends when the group is available again.

use std::time::Duration;

use elasticache::config::{Credentials, MockTransport};
use elasticache::primitives::HttpResponse;
use elasticache::{Client, Config};
use examples::progress::{watch, Display, Outcome};

fn group(status: &str, percent: Option<f64>) -> HttpResponse {
    let progress = percent
        .map(|p| {
            format!(
                "<PendingModifiedValues><Resharding><SlotMigration><ProgressPercentage>{p}</ProgressPercentage>\
                 </SlotMigration></Resharding></PendingModifiedValues>"
            )
        })
        .unwrap_or_default();
    HttpResponse::new(
        200,
        vec![],
        format!(
            "<DescribeReplicationGroupsResponse><DescribeReplicationGroupsResult><ReplicationGroups>\
             <ReplicationGroup><ReplicationGroupId>rg</ReplicationGroupId><Status>{status}</Status>{progress}\
             </ReplicationGroup></ReplicationGroups></DescribeReplicationGroupsResult></DescribeReplicationGroupsResponse>"
        ),
    )
}

fn advancing_migration() -> (Client, MockTransport) {
    let mock = MockTransport::from_responses([
        group("modifying", Some(0.0)),
        group("modifying", Some(37.5)),
        group("modifying", Some(100.0)),
        group("available", None),
    ]);
    let config = Config::builder()
        .region("us-east-1")
        .credentials(Credentials::new("a", "b", None))
        .transport(mock.clone())
        .build();
    (Client::new(&config), mock)
}

async fn run(display: Display) -> (Outcome, String) {
    let (client, mock) = advancing_migration();
    let mut out = Vec::new();
    let outcome = watch(
        &client,
        "rg",
        Duration::from_secs(15),
        Duration::from_secs(3600),
        display,
        &mut out,
    )
    .await
    .unwrap();
    assert_eq!(mock.request_count(), 4, "one poll per response");
    (outcome, String::from_utf8(out).unwrap())
}

#[tokio::test(start_paused = true)]
async fn a_line_per_poll_when_not_a_terminal() {
    let (outcome, text) = run(Display::Lines).await;
    assert!(
        matches!(outcome, Outcome::Available(Some(_))),
        "{outcome:?}"
    );
    assert_eq!(
        text,
        "  modifying, slot migration 0.0%, 0m00s elapsed\n\
         \x20 modifying, slot migration 37.5%, 0m15s elapsed\n\
         \x20 modifying, slot migration 100.0%, 0m30s elapsed\n\
         \x20 available, 0m45s elapsed\n"
    );
}

#[tokio::test(start_paused = true)]
async fn one_redrawn_line_on_a_terminal() {
    let (_, text) = run(Display::Live).await;
    let frames: Vec<&str> = text.split("\r\x1b[2K").filter(|f| !f.is_empty()).collect();
    assert_eq!(frames.len(), 4, "{text:?}");
    assert_eq!(
        frames[1],
        "  modifying, slot migration 37.5%, 0m15s elapsed"
    );
    assert_eq!(
        frames[3], "  available, 0m45s elapsed\n",
        "a newline once done"
    );
}

#[tokio::test(start_paused = true)]
async fn json_objects_per_poll() {
    let (_, text) = run(Display::Json).await;
    let polls: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(polls.len(), 4);
    assert_eq!(polls[1]["ProgressPercentage"], 37.5);
    assert_eq!(polls[3]["Status"], "available");
    assert_eq!(polls[3]["ElapsedSeconds"], 45);
}

#[tokio::test(start_paused = true)]
async fn gives_up_at_the_maximum_wait() {
    let (client, _mock) = advancing_migration();
    let mut out = Vec::new();
    let outcome = watch(
        &client,
        "rg",
        Duration::from_secs(15),
        Duration::from_secs(20),
        Display::Lines,
        &mut out,
    )
    .await
    .unwrap();
    let Outcome::TimedOut(last) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(last.percent, Some(37.5));
}
