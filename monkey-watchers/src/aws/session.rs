//! Settings and per-account sessions: base credentials, AssumeRole into each account, and
//! clients that honour an endpoint override (moto, LocalStack, VPC endpoints).

use aws_config::sts::AssumeRoleProvider;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_ec2::config::{Credentials, SharedCredentialsProvider};
use monkey_core::model::{Account, AccountNumber};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedSemaphorePermit, Semaphore};

/// How monkey reaches AWS.
#[derive(Clone)]
pub struct AwsSettings {
    /// Send every request here instead of AWS (`aws.endpoint_url`, `MONKEY_AWS_ENDPOINT_URL`);
    /// S3 then uses path-style addressing.
    pub endpoint_url: Option<String>,
    /// Per-region endpoints, overriding `endpoint_url` for those regions.
    pub region_endpoints: BTreeMap<String, String>,
    /// The region for global services and region discovery.
    pub default_region: String,
    /// Only these regions, instead of every region the account has enabled.
    pub regions: Option<Vec<String>>,
    /// An access key and secret instead of the default credential chain.
    pub static_credentials: Option<(String, String)>,
    /// Assume each account's role (`arn:aws:iam::<number>:role/<role_name>`); otherwise use
    /// the base credentials for every account.
    pub assume_role: bool,
    /// Attempts per request, retries included (throttling and 5xx, with jittered backoff).
    pub max_attempts: u32,
    /// Requests in flight at once per (account, region, service).
    pub concurrency: usize,
}

impl Default for AwsSettings {
    fn default() -> Self {
        Self {
            endpoint_url: None,
            region_endpoints: BTreeMap::new(),
            default_region: "us-east-1".to_owned(),
            regions: None,
            static_credentials: None,
            assume_role: true,
            max_attempts: 5,
            concurrency: 4,
        }
    }
}

impl AwsSettings {
    /// Settings from `MONKEY_AWS_*` environment variables over the defaults.
    pub fn from_env() -> Result<Self, monkey_core::ModelError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// Settings from variables looked up by `var`: `MONKEY_AWS_ENDPOINT_URL`,
    /// `MONKEY_AWS_DEFAULT_REGION`, `MONKEY_AWS_REGIONS` (comma-separated),
    /// `MONKEY_AWS_ASSUME_ROLE` (true/false), `MONKEY_AWS_MAX_ATTEMPTS`, `MONKEY_AWS_CONCURRENCY`.
    /// Credentials come from the default chain (`AWS_ACCESS_KEY_ID`, profiles, roles).
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, monkey_core::ModelError> {
        let mut settings = Self::default();
        let field = |name: &'static str, input: &str, reason: &str| monkey_core::ModelError::Field {
            field: name,
            input: input.to_owned(),
            reason: reason.to_owned(),
        };
        if let Some(url) = var("MONKEY_AWS_ENDPOINT_URL").filter(|u| !u.trim().is_empty()) {
            if !(url.starts_with("http://") || url.starts_with("https://")) {
                return Err(field("MONKEY_AWS_ENDPOINT_URL", &url, "expected an http:// or https:// URL"));
            }
            settings.endpoint_url = Some(url.trim().to_owned());
        }
        if let Some(region) = var("MONKEY_AWS_DEFAULT_REGION").filter(|r| !r.trim().is_empty()) {
            settings.default_region = region.trim().to_owned();
        }
        if let Some(regions) = var("MONKEY_AWS_REGIONS").filter(|r| !r.trim().is_empty()) {
            settings.regions =
                Some(regions.split(',').map(|r| r.trim().to_owned()).filter(|r| !r.is_empty()).collect());
        }
        if let Some(text) = var("MONKEY_AWS_ASSUME_ROLE") {
            settings.assume_role = match text.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" | "1" => true,
                "false" | "no" | "0" => false,
                _ => return Err(field("MONKEY_AWS_ASSUME_ROLE", &text, "expected true or false")),
            };
        }
        let at_least_one = |name: &'static str| -> Result<Option<usize>, monkey_core::ModelError> {
            var(name)
                .map(|text| {
                    text.trim()
                        .parse()
                        .ok()
                        .filter(|n| *n >= 1)
                        .ok_or_else(|| field(name, &text, "expected a whole number of at least 1"))
                })
                .transpose()
        };
        if let Some(attempts) = at_least_one("MONKEY_AWS_MAX_ATTEMPTS")? {
            settings.max_attempts = u32::try_from(attempts).unwrap_or(u32::MAX);
        }
        if let Some(concurrency) = at_least_one("MONKEY_AWS_CONCURRENCY")? {
            settings.concurrency = concurrency;
        }
        Ok(settings)
    }
}

// Hand-written so the secret key never reaches a log.
impl fmt::Debug for AwsSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSettings")
            .field("endpoint_url", &self.endpoint_url)
            .field("region_endpoints", &self.region_endpoints)
            .field("default_region", &self.default_region)
            .field("regions", &self.regions)
            .field("static_credentials", &self.static_credentials.as_ref().map(|(key, _)| (key, "<secret>")))
            .field("assume_role", &self.assume_role)
            .field("max_attempts", &self.max_attempts)
            .field("concurrency", &self.concurrency)
            .finish()
    }
}

/// Whose turn a permit is: (account, region, service).
type Turn = (AccountNumber, String, &'static str);

/// Base AWS configuration plus one cached configuration per account; credentials obtained
/// through AssumeRole are cached by the SDK and refreshed before they expire.
pub struct AwsSession {
    settings: AwsSettings,
    base: SdkConfig,
    accounts: Mutex<HashMap<AccountNumber, SdkConfig>>,
    limits: std::sync::Mutex<HashMap<Turn, Arc<Semaphore>>>,
}

impl fmt::Debug for AwsSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AwsSession").field("settings", &self.settings).finish_non_exhaustive()
    }
}

impl AwsSession {
    /// Loads the base configuration: static credentials if set, else the default chain
    /// (environment, profile, web identity, container and instance metadata).
    pub async fn new(settings: AwsSettings) -> Self {
        let retry = aws_config::retry::RetryConfig::standard().with_max_attempts(settings.max_attempts.max(1));
        let mut loader = aws_config::defaults(BehaviorVersion::latest())
            .region(Region::new(settings.default_region.clone()))
            .retry_config(retry);
        if let Some(url) = &settings.endpoint_url {
            loader = loader.endpoint_url(url.clone());
        }
        if let Some((key, secret)) = &settings.static_credentials {
            loader = loader.credentials_provider(Credentials::new(key, secret, None, None, "monkey-static"));
        }
        let base = loader.load().await;
        Self { settings, base, accounts: Mutex::new(HashMap::new()), limits: std::sync::Mutex::new(HashMap::new()) }
    }

    /// The settings this session was made with.
    pub fn settings(&self) -> &AwsSettings {
        &self.settings
    }

    /// The base configuration: monkey's own credentials, for calls made as monkey (SES mail).
    pub fn base_config(&self) -> &SdkConfig {
        &self.base
    }

    /// The configuration for calls into `account`: its role assumed (with its external id),
    /// or the base credentials when `assume_role` is off.
    pub async fn account_config(&self, account: &Account) -> SdkConfig {
        if !self.settings.assume_role {
            return self.base.clone();
        }
        let mut accounts = self.accounts.lock().await;
        if let Some(config) = accounts.get(&account.number) {
            return config.clone();
        }
        let mut role = AssumeRoleProvider::builder(account.role_arn()).session_name("monkey").configure(&self.base);
        if let Some(external_id) = &account.external_id {
            role = role.external_id(external_id.clone());
        }
        let provider = role.build().await;
        let config = self.base.to_builder().credentials_provider(SharedCredentialsProvider::new(provider)).build();
        accounts.insert(account.number.clone(), config.clone());
        config
    }

    /// Waits for a turn to call `service` in `region` of `account`: at most
    /// `settings.concurrency` collections at once per (account, region, service), across all
    /// watchers, so that AWS's per-account rate limits hold when many run together.
    pub async fn permit(&self, account: &AccountNumber, region: &str, service: &'static str) -> OwnedSemaphorePermit {
        let semaphore = {
            // A poisoned lock only means another task panicked while holding it; the map is intact.
            let mut limits = self.limits.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let key = (account.clone(), region.to_owned(), service);
            Arc::clone(limits.entry(key).or_insert_with(|| Arc::new(Semaphore::new(self.settings.concurrency.max(1)))))
        };
        loop {
            // The semaphore is never closed; acquiring only waits.
            if let Ok(permit) = Arc::clone(&semaphore).acquire_owned().await {
                return permit;
            }
        }
    }

    /// The endpoint for `region`, if overridden.
    fn endpoint(&self, region: &str) -> Option<&str> {
        self.settings.region_endpoints.get(region).or(self.settings.endpoint_url.as_ref()).map(String::as_str)
    }

    /// An EC2 client for `region`.
    pub fn ec2(&self, config: &SdkConfig, region: &str) -> aws_sdk_ec2::Client {
        let mut builder = aws_sdk_ec2::config::Builder::from(config).region(Region::new(region.to_owned()));
        if let Some(url) = self.endpoint(region) {
            builder = builder.endpoint_url(url);
        }
        aws_sdk_ec2::Client::from_conf(builder.build())
    }

    /// An S3 client for `region`; path-style when an endpoint is overridden.
    pub fn s3(&self, config: &SdkConfig, region: &str) -> aws_sdk_s3::Client {
        let mut builder = aws_sdk_s3::config::Builder::from(config).region(Region::new(region.to_owned()));
        if let Some(url) = self.endpoint(region) {
            builder = builder.endpoint_url(url).force_path_style(true);
        }
        aws_sdk_s3::Client::from_conf(builder.build())
    }

    /// An IAM client (a global service, reached in the default region).
    pub fn iam(&self, config: &SdkConfig) -> aws_sdk_iam::Client {
        let mut builder = aws_sdk_iam::config::Builder::from(config);
        if let Some(url) = self.endpoint(&self.settings.default_region) {
            builder = builder.endpoint_url(url);
        }
        aws_sdk_iam::Client::from_conf(builder.build())
    }

    /// An S3 Control client (account-wide S3 settings, reached in the default region).
    pub fn s3control(&self, config: &SdkConfig) -> aws_sdk_s3control::Client {
        let mut builder = aws_sdk_s3control::config::Builder::from(config);
        if let Some(url) = self.endpoint(&self.settings.default_region) {
            builder = builder.endpoint_url(url).use_dual_stack(false).endpoint_resolver(S3ControlEndpoint::default());
        }
        aws_sdk_s3control::Client::from_conf(builder.build())
    }
}

/// S3 Control's endpoint rules put the account id in front of the host, an overridden
/// endpoint's too (`http://123456789012.127.0.0.1:5555`). An IP address or `localhost` (moto,
/// LocalStack) cannot take that label, so there the account travels in the `x-amz-account-id`
/// header alone, which is what those servers read; a named endpoint (a VPC endpoint) keeps the
/// SDK's rules.
#[derive(Debug, Default)]
struct S3ControlEndpoint(aws_sdk_s3control::config::endpoint::DefaultResolver);

impl aws_sdk_s3control::config::endpoint::ResolveEndpoint for S3ControlEndpoint {
    fn resolve_endpoint<'a>(
        &'a self,
        params: &'a aws_sdk_s3control::config::endpoint::Params,
    ) -> aws_sdk_s3control::config::endpoint::EndpointFuture<'a> {
        use aws_sdk_s3control::config::endpoint::{Endpoint, EndpointFuture};
        match params.endpoint() {
            Some(url) if takes_no_host_label(url) => {
                EndpointFuture::ready(Ok(Endpoint::builder().url(url.to_owned()).build()))
            }
            _ => self.0.resolve_endpoint(params),
        }
    }
}

/// Whether `url`'s host is an IP address or `localhost`.
fn takes_no_host_label(url: &str) -> bool {
    let authority = url.split_once("://").map_or(url, |(_, rest)| rest).split('/').next().unwrap_or_default();
    if authority.parse::<std::net::SocketAddr>().is_ok()
        || authority.trim_matches(['[', ']']).parse::<std::net::IpAddr>().is_ok()
    {
        return true;
    }
    authority.rsplit_once(':').map_or(authority, |(host, _)| host).eq_ignore_ascii_case("localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_from_variables() {
        let vars: HashMap<&str, &str> = [
            ("MONKEY_AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("MONKEY_AWS_REGIONS", "us-east-1, eu-west-1,"),
            ("MONKEY_AWS_ASSUME_ROLE", "false"),
            ("MONKEY_AWS_MAX_ATTEMPTS", "3"),
        ]
        .into();
        let settings = AwsSettings::from_vars(|k| vars.get(k).map(|v| (*v).to_owned())).unwrap();
        assert_eq!(settings.endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
        assert_eq!(settings.regions, Some(vec!["us-east-1".to_owned(), "eu-west-1".to_owned()]));
        assert!(!settings.assume_role);
        assert_eq!(settings.max_attempts, 3);
        assert_eq!(settings.default_region, "us-east-1");
        for (name, bad) in [
            ("MONKEY_AWS_ENDPOINT_URL", "localhost:5000"),
            ("MONKEY_AWS_ASSUME_ROLE", "maybe"),
            ("MONKEY_AWS_MAX_ATTEMPTS", "0"),
            ("MONKEY_AWS_CONCURRENCY", "many"),
        ] {
            let err = AwsSettings::from_vars(|k| (k == name).then(|| bad.to_owned())).unwrap_err();
            assert!(err.to_string().contains(name), "{err}");
        }
        assert_eq!(AwsSettings::from_vars(|_| None).unwrap().endpoint_url, None);
    }

    #[tokio::test]
    async fn permits_limit_each_account_region_and_service() {
        let session = AwsSession::new(AwsSettings {
            concurrency: 2,
            static_credentials: Some(("k".into(), "s".into())),
            ..AwsSettings::default()
        })
        .await;
        let account = AccountNumber::parse("123456789012").unwrap();
        let first = session.permit(&account, "us-east-1", "ec2").await;
        let _second = session.permit(&account, "us-east-1", "ec2").await;
        let third = session.permit(&account, "us-east-1", "ec2");
        tokio::pin!(third);
        let waited = tokio::time::timeout(std::time::Duration::from_millis(50), &mut third).await;
        assert!(waited.is_err(), "a third collection waits for a turn");
        // Other regions and services have turns of their own.
        let _other = session.permit(&account, "eu-west-1", "ec2").await;
        let _s3 = session.permit(&account, "us-east-1", "s3").await;
        drop(first);
        let _third = tokio::time::timeout(std::time::Duration::from_secs(1), third).await.expect("freed turn");
    }

    #[test]
    fn debug_output_hides_the_secret() {
        let settings =
            AwsSettings { static_credentials: Some(("AKIDEXAMPLE".into(), "s3cr3t".into())), ..AwsSettings::default() };
        let shown = format!("{settings:?}");
        assert!(shown.contains("AKIDEXAMPLE"));
        assert!(!shown.contains("s3cr3t"), "{shown}");
    }
}
