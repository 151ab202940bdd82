//! `monkey outbox`: what waits to be delivered, what was, and what was given up.

use crate::Failure;
use crate::cli::Format;
use crate::output;
use crate::output::say;
use monkey_core::model::OutboxState;
use monkey_core::store::Store;
use serde::Serialize;

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    channel: String,
    state: OutboxState,
    attempts: u32,
    queued_at: String,
    next_attempt_at: String,
    recipients: &'a [String],
    subject: &'a str,
    last_error: Option<&'a str>,
}

/// Prints at most `limit` outbox entries, newest first.
pub(crate) async fn list(store: &dyn Store, limit: usize, format: Format) -> Result<(), Failure> {
    let entries = store.outbox(limit).await?;
    let rows: Vec<Row<'_>> = entries
        .iter()
        .map(|e| Row {
            id: &e.message.id,
            channel: e.channel.to_string(),
            state: e.state,
            attempts: e.attempts,
            queued_at: e.queued_at.to_string(),
            next_attempt_at: e.next_attempt_at.to_string(),
            recipients: &e.message.recipients,
            subject: &e.message.subject,
            last_error: e.last_error.as_deref(),
        })
        .collect();
    match format {
        Format::Json => output::json(&rows)?,
        Format::Table => {
            if rows.is_empty() {
                say!("The outbox is empty.");
                return Ok(());
            }
            let table: Vec<Vec<String>> = rows
                .iter()
                .map(|r| {
                    let state = match r.state {
                        OutboxState::Waiting => format!("waiting until {}", r.next_attempt_at),
                        OutboxState::Delivered => format!("delivered {}", r.next_attempt_at),
                        OutboxState::Abandoned => format!("given up {}", r.next_attempt_at),
                    };
                    vec![
                        r.queued_at.clone(),
                        r.channel.clone(),
                        state,
                        r.attempts.to_string(),
                        r.recipients.join(", "),
                        r.subject.to_owned(),
                        r.last_error.unwrap_or_default().to_owned(),
                    ]
                })
                .collect();
            output::table(&["QUEUED", "CHANNEL", "STATE", "ATTEMPTS", "TO", "SUBJECT", "LAST ERROR"], &table);
        }
    }
    Ok(())
}
