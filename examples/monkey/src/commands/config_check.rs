//! `monkey config check`: the effective settings, where each comes from, secrets hidden.

use crate::Failure;
use crate::cli::Format;
use crate::config::{Config, KNOWN};
use crate::output;
use crate::output::say;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Words that mark a setting as a secret: its value is printed as `***`.
const SECRET_WORDS: &[&str] = &["password", "secret", "token", "key_id"];

/// AWS's own variables that choose monkey's base credentials, shown when set.
const AWS_VARIABLES: &[&str] = &["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"];

/// One effective setting.
#[derive(Debug, Serialize)]
struct Setting {
    /// `data_dir`, or `section.key` as in monkey.toml.
    setting: String,
    /// The environment variable that sets it.
    variable: String,
    /// The value in effect (`***` for secrets).
    value: String,
    /// `command line`, `environment`, `file` or `default`.
    source: String,
}

/// Loads the configuration as every command does, and prints each setting with its source;
/// an invalid file or value is a usage error naming the key.
pub(crate) fn check(
    config_path: Option<&Path>,
    data_dir: &Path,
    store: Option<&str>,
    format: Format,
) -> Result<(), Failure> {
    let config = Config::load(config_path)?;
    let file = match config_path {
        Some(path) => Some(path.to_path_buf()),
        None => Some(PathBuf::from("monkey.toml")).filter(|p| p.exists()),
    };
    let aws = config.aws().map_err(|failure| name_the_key(failure, &config, file.as_deref()))?;
    config.notify().map_err(|failure| name_the_key(failure, &config, file.as_deref()))?;
    let mut settings = vec![
        Setting {
            setting: "data_dir".into(),
            variable: "MONKEY_DATA_DIR".into(),
            value: data_dir.display().to_string(),
            source: flag_source("MONKEY_DATA_DIR", Some(data_dir.as_os_str()), Path::new("./monkey-data").as_os_str()),
        },
        Setting {
            setting: "config".into(),
            variable: "MONKEY_CONFIG".into(),
            value: file.as_ref().map_or("(none)".into(), |f| f.display().to_string()),
            source: flag_source("MONKEY_CONFIG", config_path.map(Path::as_os_str), "".as_ref()),
        },
        Setting {
            setting: "store".into(),
            variable: "MONKEY_STORE".into(),
            value: store.map_or_else(|| format!("redb:{}", data_dir.join("monkey.redb").display()), str::to_owned),
            source: flag_source("MONKEY_STORE", store.map(|s| s.as_ref()), "".as_ref()),
        },
    ];
    for (section, keys) in KNOWN {
        for key in *keys {
            let variable = format!("MONKEY_{}_{}", section.to_uppercase(), key.to_uppercase());
            let source = if std::env::var_os(&variable).is_some() {
                "environment"
            } else if config.var(&variable).is_some() {
                "file"
            } else {
                "default"
            };
            let value = match (*section, *key) {
                ("aws", "endpoint_url") => aws.endpoint_url.clone().unwrap_or_else(|| "(AWS)".into()),
                ("aws", "default_region") => aws.default_region.clone(),
                ("aws", "regions") => {
                    aws.regions.as_ref().map_or_else(|| "(every enabled region)".into(), |r| r.join(","))
                }
                ("aws", "assume_role") => aws.assume_role.to_string(),
                ("aws", "max_attempts") => aws.max_attempts.to_string(),
                ("aws", "concurrency") => aws.concurrency.to_string(),
                _ => config.var(&variable).unwrap_or_else(|| "(none)".into()),
            };
            settings.push(Setting { setting: format!("{section}.{key}"), variable, value, source: source.into() });
        }
    }
    if let Ok(value) = std::env::var("MONKEY_MAIL_PASSWORD") {
        settings.push(Setting {
            setting: "mail password".into(),
            variable: "MONKEY_MAIL_PASSWORD".into(),
            value,
            source: "environment".into(),
        });
    }
    for variable in AWS_VARIABLES {
        if let Ok(value) = std::env::var(variable) {
            settings.push(Setting {
                setting: (*variable).into(),
                variable: (*variable).into(),
                value,
                source: "environment".into(),
            });
        }
    }
    for setting in &mut settings {
        let name = format!("{} {}", setting.setting, setting.variable).to_ascii_lowercase();
        if SECRET_WORDS.iter().any(|w| name.contains(w)) && !setting.value.is_empty() {
            setting.value = "***".into();
        }
    }
    match format {
        Format::Json => output::json(&settings)?,
        Format::Table => {
            let rows: Vec<Vec<String>> = settings
                .iter()
                .map(|s| vec![s.setting.clone(), s.value.clone(), s.source.clone(), s.variable.clone()])
                .collect();
            output::table(&["SETTING", "VALUE", "SOURCE", "VARIABLE"], &rows);
            if let Some(file) = &file {
                say!("\nConfiguration file {}: valid", file.display());
            }
        }
    }
    Ok(())
}

/// The source of a global option that clap reads from the command line or `variable`.
fn flag_source(variable: &str, value: Option<&std::ffi::OsStr>, default: &std::ffi::OsStr) -> String {
    let from_env = std::env::var_os(variable);
    match value {
        None => "default",
        Some(value) if from_env.as_deref() == Some(value) => "environment",
        Some(value) if value == default && from_env.is_none() => "default",
        Some(_) => "command line",
    }
    .into()
}

/// A value error of `[section] key` named as the file's key when the file set it.
fn name_the_key(failure: Failure, config: &Config, file: Option<&Path>) -> Failure {
    let message = failure.to_string();
    for (section, keys) in KNOWN {
        for key in *keys {
            let variable = format!("MONKEY_{}_{}", section.to_uppercase(), key.to_uppercase());
            let from_file = std::env::var_os(&variable).is_none() && config.var(&variable).is_some();
            if let (true, Some(file)) = (from_file && message.contains(&variable), file) {
                return Failure::usage(format!("invalid configuration {}: {section}.{key}: {message}", file.display()));
            }
        }
    }
    failure
}
