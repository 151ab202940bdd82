//! `monkey user`: the people who log in to the web UI and API, and their API tokens.

use crate::Failure;
use crate::cli::{Format, UserCommand};
use crate::output;
use crate::output::say;
use monkey_core::model::{Role, User, now};
use monkey_core::store::Store;
use monkey_web::auth::{password, tokens};
use std::io::BufRead;

/// Runs one `monkey user` command.
pub(crate) async fn run(store: &dyn Store, command: UserCommand) -> Result<(), Failure> {
    match command {
        UserCommand::Create { email, role, password_stdin, no_password } => {
            let mut user = User::new(&email, parse_role(&role)?)?;
            if store.user(&user.email).await?.is_some() {
                return Err(Failure::usage(format!(
                    "{} already exists; `monkey user set-role` changes it",
                    user.email
                )));
            }
            if !no_password {
                user.password_hash = Some(hashed(&read_password(password_stdin, &user.email)?)?);
            }
            store.put_user(&user).await?;
            say!("created {} ({})", user.email, user.role);
        }
        UserCommand::List { format } => {
            let users = store.users().await?;
            match format {
                Format::Json => {
                    let shown: Vec<serde_json::Value> = users
                        .iter()
                        .map(|u| {
                            serde_json::json!({
                                "email": u.email,
                                "role": u.role,
                                "active": u.active,
                                "password": u.password_hash.is_some(),
                                "tokens": u.api_tokens.iter().map(|t| serde_json::json!({"id": t.id, "name": t.name})).collect::<Vec<_>>(),
                            })
                        })
                        .collect();
                    output::json(&shown)?;
                }
                Format::Table => {
                    let rows: Vec<Vec<String>> = users
                        .iter()
                        .map(|u| {
                            vec![
                                u.email.clone(),
                                u.role.to_string(),
                                if u.active { "yes" } else { "no" }.into(),
                                if u.password_hash.is_some() { "yes" } else { "no" }.into(),
                                u.api_tokens.len().to_string(),
                            ]
                        })
                        .collect();
                    output::table(&["E-MAIL", "ROLE", "ACTIVE", "PASSWORD", "TOKENS"], &rows);
                }
            }
        }
        UserCommand::SetRole { email, role } => {
            let mut user = existing(store, &email).await?;
            user.role = parse_role(&role)?;
            store.put_user(&user).await?;
            say!("{} is now {}", user.email, user.role);
        }
        UserCommand::Password { email, password_stdin } => {
            let mut user = existing(store, &email).await?;
            user.password_hash = Some(hashed(&read_password(password_stdin, &user.email)?)?);
            store.put_user(&user).await?;
            say!("password of {} set", user.email);
        }
        UserCommand::Activate { email } => set_active(store, &email, true).await?,
        UserCommand::Deactivate { email } => set_active(store, &email, false).await?,
        UserCommand::Delete { email } => {
            if !store.delete_user(&email).await? {
                return Err(Failure::usage(format!("no user {email}")));
            }
            say!("deleted {email}");
        }
        UserCommand::Token { email, name } => {
            let mut user = existing(store, &email).await?;
            let (text, token) = tokens::issue(&name, now()).map_err(|e| Failure::Runtime(anyhow::anyhow!(e)))?;
            user.api_tokens.push(token);
            store.put_user(&user).await?;
            eprintln!(
                "API token for {} ({name}); it is shown only now, send it as `Authorization: Bearer <token>`:",
                user.email
            );
            say!("{text}");
        }
    }
    Ok(())
}

async fn set_active(store: &dyn Store, email: &str, active: bool) -> Result<(), Failure> {
    let mut user = existing(store, email).await?;
    user.active = active;
    store.put_user(&user).await?;
    say!("{} {}", user.email, if active { "can log in" } else { "can no longer log in" });
    Ok(())
}

async fn existing(store: &dyn Store, email: &str) -> Result<User, Failure> {
    store.user(email).await?.ok_or_else(|| Failure::usage(format!("no user {email}; `monkey user list` shows them")))
}

fn parse_role(text: &str) -> Result<Role, Failure> {
    text.parse::<Role>()
        .map_err(|_| Failure::usage(format!("unknown role {text:?}; expected View, Comment, Justify or Admin")))
}

fn hashed(text: &str) -> Result<String, Failure> {
    password::hash_password(text).map_err(|e| Failure::usage(e.to_string()))
}

/// One line from standard input, or a prompt (twice, without echo) on a terminal.
fn read_password(from_stdin: bool, email: &str) -> Result<String, Failure> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password(format!("Password for {email}: ")).map_err(|e| {
        Failure::usage(format!("cannot read the password (use --password-stdin without a terminal): {e}"))
    })?;
    let second =
        rpassword::prompt_password("Again: ").map_err(|e| Failure::usage(format!("cannot read the password: {e}")))?;
    if first != second {
        return Err(Failure::usage("the passwords differ"));
    }
    Ok(first)
}
