//! One MIME rendering of a message for every mail transport: SMTP sends it, SES sends it raw.

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use monkey_core::notifier::{Message, NotifyError};

/// The mail of `message` from `sender`: `To` every recipient, a `Message-ID` made from the
/// message id (so a resent duplicate is recognisable), and plain-text and HTML alternatives.
pub(crate) fn build(notifier: &str, message: &Message, sender: &str) -> Result<lettre::Message, NotifyError> {
    let refuse = |reason: String| NotifyError {
        notifier: notifier.to_owned(),
        message_id: message.id.clone(),
        reason,
        retryable: false,
    };
    if message.recipients.is_empty() {
        return Err(refuse("the message has no recipients".into()));
    }
    let from: Mailbox = sender.parse().map_err(|e| refuse(format!("the sender {sender:?} is not an address: {e}")))?;
    let mut builder = lettre::Message::builder()
        .from(from)
        .subject(message.subject.clone())
        .message_id(Some(message_id(&message.id)));
    for recipient in &message.recipients {
        let to: Mailbox =
            recipient.parse().map_err(|e| refuse(format!("the recipient {recipient:?} is not an address: {e}")))?;
        builder = builder.to(to);
    }
    let text = SinglePart::builder().header(ContentType::TEXT_PLAIN).body(message.text.clone());
    let built = match &message.html {
        Some(html) => builder.multipart(
            MultiPart::alternative()
                .singlepart(text)
                .singlepart(SinglePart::builder().header(ContentType::TEXT_HTML).body(html.clone())),
        ),
        None => builder.singlepart(text),
    };
    built.map_err(|e| refuse(format!("cannot build the mail: {e}")))
}

/// `<id@monkey>` with every character outside `[A-Za-z0-9.-]` of the id replaced by `.`.
pub(crate) fn message_id(id: &str) -> String {
    let local: String = id.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '.' }).collect();
    format!("<{local}@monkey>")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a test fails by panicking
mod tests {
    use super::*;

    fn message(recipients: &[&str]) -> Message {
        Message {
            id: "change/123456789012/s3/17".into(),
            recipients: recipients.iter().map(|r| (*r).to_owned()).collect(),
            subject: "[prod] Changes in s3 — ünïcode".into(),
            text: "plain".into(),
            html: Some("<p>html</p>".into()),
        }
    }

    #[test]
    fn both_parts_and_the_id_are_in_the_mail() {
        let mail = build("smtp", &message(&["a@example.com", "b@example.com"]), "monkey@example.com").unwrap();
        let text = String::from_utf8(mail.formatted()).unwrap();
        assert!(text.contains("Message-ID: <change.123456789012.s3.17@monkey>"), "{text}");
        assert!(text.contains("multipart/alternative"));
        assert!(text.contains("text/plain") && text.contains("text/html"));
        assert!(text.contains("To: a@example.com, b@example.com"), "{text}");
    }

    #[test]
    fn bad_addresses_are_refused_for_good() {
        for (recipients, sender) in
            [(vec![], "monkey@example.com"), (vec!["nope"], "monkey@example.com"), (vec!["a@b.c"], "x")]
        {
            let error = build("smtp", &message(&recipients), sender).unwrap_err();
            assert!(!error.retryable, "{error}");
        }
    }
}
