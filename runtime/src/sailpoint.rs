//! What only SailPoint's APIs have, in a module the generator includes for SailPoint's specs
//! alone (it knows them by their `x-sailpoint-*` extensions or servers; `--sailpoint`):
//! [`Client::from_env`], the experimental operations' opt-in and header, and configuration as
//! SailPoint's SDKs and CLI keep it, looked up in this order:
//!
//! 1. the environment: `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`;
//! 2. `./config.json`: `{"BaseURL": ..., "ClientId": ..., "ClientSecret": ...}`;
//! 3. the CLI's `~/.sailpoint/config.yaml`: `activeenvironment: NAME` and
//!    `environments.NAME.baseurl`, `environments.NAME.pat.clientid` / `.clientsecret`.
//!
//! The first source that exists is used whole, and any key missing from it is an error naming
//! that source and key (mixing sources would make it unclear which tenant a secret belongs to).

// A SailPoint spec without experimental operations never calls `Client::experimental`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use reqwest::RequestBuilder;

use crate::runtime::{BuildError, Client, ClientBuilder, ConfigError, Error, Secret, TokenUrl};
use crate::API_PATH;

/// Where a tenant hands out access tokens, below its root URL.
const TOKEN_PATH: &str = "/oauth/token";

impl Client {
    /// A client configured as SailPoint's tools are: from `SAIL_BASE_URL`, `SAIL_CLIENT_ID` and
    /// `SAIL_CLIENT_SECRET`, else `./config.json`, else `~/.sailpoint/config.yaml` (see
    /// [`Config`]), with tokens fetched and refreshed for you.
    ///
    /// ```no_run
    /// # fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = client_runtime::Client::from_env()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_env() -> Result<Self, BuildError> {
        let config = Config::load().map_err(BuildError::Config)?;
        Self::builder().config(&config).build()
    }

    /// Refuses an experimental operation unless the client opted in, and marks the request.
    pub(crate) fn experimental<E>(
        &self,
        operation: &str,
        request: RequestBuilder,
    ) -> Result<RequestBuilder, Error<E>> {
        if !self.experimental_enabled() {
            return Err(Error::InvalidRequest(format!(
                "`{operation}` is experimental: it may change without notice; \
                 enable it with ClientBuilder::experimental(true)"
            )));
        }
        Ok(request.header("X-SailPoint-Experimental", "true"))
    }
}

impl ClientBuilder {
    /// Base URL and personal access token from a [`Config`]: tokens come from the tenant's
    /// `/oauth/token`.
    pub fn config(self, config: &Config) -> Self {
        let base = format!("{}{API_PATH}", config.base_url.trim_end_matches('/'));
        self.base_url(&base).with_client_credentials(
            &config.client_id,
            config.client_secret.expose(),
            TokenUrl::Relative(TOKEN_PATH),
        )
    }

    /// Allows calling operations SailPoint marks experimental (they may change without notice);
    /// those requests then carry `X-SailPoint-Experimental: true`.
    pub fn experimental(self, enabled: bool) -> Self {
        self.with_experimental(enabled)
    }
}

/// A tenant and a personal access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The tenant's API root without the version (`https://acme.api.identitynow.com`).
    pub base_url: String,
    /// The personal access token's client id.
    pub client_id: String,
    /// The personal access token's secret.
    pub client_secret: Secret,
    /// Where it came from, for messages.
    pub source: String,
}

impl Config {
    /// Looks in the environment, `./config.json` and `~/.sailpoint/config.yaml`, in that order.
    pub fn load() -> Result<Config, ConfigError> {
        let home = std::env::var_os("HOME")
            .or_else(|| std::env::var_os("USERPROFILE"))
            .map(PathBuf::from);
        Self::load_from(
            |name| std::env::var(name).ok(),
            Path::new("config.json"),
            home.as_deref(),
        )
    }

    /// [`Config::load`] with the environment, working-directory file and home directory given.
    pub fn load_from(
        env: impl Fn(&str) -> Option<String>,
        config_json: &Path,
        home: Option<&Path>,
    ) -> Result<Config, ConfigError> {
        const ENV_KEYS: [&str; 3] = ["SAIL_BASE_URL", "SAIL_CLIENT_ID", "SAIL_CLIENT_SECRET"];
        if ENV_KEYS.iter().any(|k| env(k).is_some()) {
            let source = "environment";
            let get = |key: &str| {
                env(key)
                    .filter(|v| !v.trim().is_empty())
                    .ok_or_else(|| missing(source, key))
            };
            return Config::checked(
                get(ENV_KEYS[0])?,
                get(ENV_KEYS[1])?,
                get(ENV_KEYS[2])?,
                source,
                "SAIL_BASE_URL",
            );
        }
        if config_json.exists() {
            return Self::from_json(config_json);
        }
        if let Some(cli) = home
            .map(|h| h.join(".sailpoint/config.yaml"))
            .filter(|p| p.exists())
        {
            return Self::from_cli_yaml(&cli);
        }
        Err(ConfigError {
            source: "environment, ./config.json and ~/.sailpoint/config.yaml".into(),
            key: None,
            message:
                "none of them is present; set SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"
                    .into(),
        })
    }

    fn from_json(path: &Path) -> Result<Config, ConfigError> {
        let (source, text) = read_source(path)?;
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|err| ConfigError {
            source: source.clone(),
            key: None,
            message: format!("is not valid JSON: {err}"),
        })?;
        let get = |key: &str| match value.get(key) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => Ok(s.clone()),
            Some(_) => Err(ConfigError {
                source: source.clone(),
                key: Some(key.into()),
                message: "must be a non-empty string".into(),
            }),
            None => Err(missing(&source, key)),
        };
        Config::checked(
            get("BaseURL")?,
            get("ClientId")?,
            get("ClientSecret")?,
            &source,
            "BaseURL",
        )
    }

    fn from_cli_yaml(path: &Path) -> Result<Config, ConfigError> {
        let (source, text) = read_source(path)?;
        let entries = flat_yaml(&text).map_err(|message| ConfigError {
            source: source.clone(),
            key: None,
            message,
        })?;
        let get = |key: &str| {
            entries
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.clone())
                .filter(|v| !v.is_empty())
                .ok_or_else(|| missing(&source, key))
        };
        let active = get("activeenvironment")?;
        let prefix = format!("environments.{active}");
        let base_key = format!("{prefix}.baseurl");
        let base_url = get(&base_key)?;
        let client_id = get(&format!("{prefix}.pat.clientid"))?;
        let client_secret = get(&format!("{prefix}.pat.clientsecret")).map_err(|mut err| {
            err.message.push_str(
                " (newer CLIs keep the secret in the OS keyring: set SAIL_CLIENT_SECRET instead)",
            );
            err
        })?;
        Config::checked(base_url, client_id, client_secret, &source, &base_key)
    }

    fn checked(
        base_url: String,
        client_id: String,
        client_secret: String,
        source: &str,
        base_key: &str,
    ) -> Result<Config, ConfigError> {
        let trimmed = base_url.trim().trim_end_matches('/').to_string();
        if !(trimmed.starts_with("https://") || trimmed.starts_with("http://")) {
            return Err(ConfigError {
                source: source.into(),
                key: Some(base_key.into()),
                message: format!(
                    "must be an http(s) URL such as https://acme.api.identitynow.com, \
                     found {trimmed:?}"
                ),
            });
        }
        Ok(Config {
            base_url: trimmed,
            client_id: client_id.trim().into(),
            client_secret: Secret::new(client_secret.trim()),
            source: source.into(),
        })
    }
}

fn missing(source: &str, key: &str) -> ConfigError {
    ConfigError {
        source: source.into(),
        key: Some(key.into()),
        message: "is missing or empty".into(),
    }
}

/// A configuration file's name (for messages) and text.
fn read_source(path: &Path) -> Result<(String, String), ConfigError> {
    let source = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok((source, text)),
        Err(err) => Err(ConfigError {
            source,
            key: None,
            message: err.to_string(),
        }),
    }
}

/// Reads the block-mapping subset of YAML that the CLI writes (nested `key: value` lines,
/// comments, quoted scalars) into dotted keys: `environments.acme.pat.clientid`. A full YAML
/// parser would be one more dependency for every user, for six keys.
fn flat_yaml(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut entries = Vec::new();
    let mut parents: Vec<(usize, String)> = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let line = strip_comment(raw);
        if line.trim().is_empty() || line.trim() == "---" {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let Some((key, value)) = line.trim().split_once(':') else {
            if line.trim_start().starts_with("- ") {
                continue; // Lists hold nothing we read.
            }
            return Err(format!("line {}: expected `key: value`", number + 1));
        };
        while parents.last().is_some_and(|(level, _)| *level >= indent) {
            parents.pop();
        }
        let key = unquote(key.trim());
        let path = parents
            .iter()
            .map(|(_, k)| k.as_str())
            .chain([key.as_str()])
            .collect::<Vec<_>>()
            .join(".");
        let value = value.trim();
        if value.is_empty() {
            parents.push((indent, key));
        } else {
            entries.push((path, unquote(value)));
        }
    }
    Ok(entries)
}

fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    for (i, c) in line.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if i == 0 || line[..i].ends_with(char::is_whitespace) => return &line[..i],
            _ => {}
        }
    }
    line
}

fn unquote(value: &str) -> String {
    let value = value.trim();
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return value[1..value.len() - 1].to_string();
        }
    }
    value.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::Method;

    #[test]
    fn experimental_operations_need_opting_in_and_then_say_so() {
        let client = Client::builder()
            .base_url("https://acme.example/v3")
            .build()
            .unwrap();
        let request = client
            .request(Method::POST, "/beta", "application/json")
            .unwrap();
        let refused = client
            .experimental::<()>("createWidget", request)
            .unwrap_err();
        assert!(
            matches!(&refused, Error::InvalidRequest(reason) if reason.contains("createWidget"))
        );

        let client = Client::builder()
            .base_url("https://acme.example/v3")
            .experimental(true)
            .build()
            .unwrap();
        let request = client
            .request(Method::POST, "/beta", "application/json")
            .unwrap();
        let request = client
            .experimental::<()>("createWidget", request)
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(request.headers()["x-sailpoint-experimental"], "true");
        let plain = client
            .request(Method::GET, "/items", "application/json")
            .unwrap()
            .build()
            .unwrap();
        assert!(plain.headers().get("x-sailpoint-experimental").is_none());
    }

    fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
        move |key| {
            pairs
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn environment_comes_first_and_names_a_missing_key() {
        let config = Config::load_from(
            env(&[
                ("SAIL_BASE_URL", "https://acme.api.identitynow.com/"),
                ("SAIL_CLIENT_ID", "id"),
                ("SAIL_CLIENT_SECRET", "s"),
            ]),
            Path::new("/nonexistent/config.json"),
            None,
        )
        .unwrap();
        assert_eq!(config.base_url, "https://acme.api.identitynow.com");
        assert_eq!(config.client_secret.expose(), "s");
        assert!(!format!("{config:?}").contains("\"s\""));
        let err = Config::load_from(
            env(&[("SAIL_BASE_URL", "https://a")]),
            Path::new("/nonexistent"),
            None,
        )
        .unwrap_err();
        assert_eq!(
            (err.source.as_str(), err.key.as_deref()),
            ("environment", Some("SAIL_CLIENT_ID"))
        );
    }

    #[test]
    fn config_json_then_cli_yaml() {
        let dir = std::env::temp_dir().join(format!("cfg-test-{}", std::process::id()));
        std::fs::create_dir_all(dir.join(".sailpoint")).unwrap();
        let json = dir.join("config.json");
        std::fs::write(
            &json,
            r#"{"BaseURL": "https://j.api.identitynow.com", "ClientId": "jid"}"#,
        )
        .unwrap();
        let err = Config::load_from(env(&[]), &json, Some(&dir)).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("ClientSecret"));
        std::fs::write(
            dir.join(".sailpoint/config.yaml"),
            concat!(
                "authmode: pat\n",
                "activeenvironment: acme # the tenant\n",
                "environments:\n",
                "  acme:\n",
                "    baseurl: \"https://acme.api.identitynow.com\"\n",
                "    pat:\n",
                "      clientid: yid\n",
                "      clientsecret: 'ysecret'\n",
                "  other:\n",
                "    baseurl: https://other\n",
            ),
        )
        .unwrap();
        let config = Config::load_from(env(&[]), &dir.join("absent.json"), Some(&dir)).unwrap();
        assert_eq!(config.base_url, "https://acme.api.identitynow.com");
        assert_eq!(
            (config.client_id.as_str(), config.client_secret.expose()),
            ("yid", "ysecret")
        );
        std::fs::write(
            dir.join(".sailpoint/config.yaml"),
            "activeenvironment: acme\nenvironments:\n  acme:\n    baseurl: ftp://x\n",
        )
        .unwrap();
        let err = Config::load_from(env(&[]), &dir.join("absent.json"), Some(&dir)).unwrap_err();
        assert_eq!(err.key.as_deref(), Some("environments.acme.pat.clientid"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
