//! A real OpenID provider for the sign-in tests (npm `oidc-provider`, started from
//! `tests/oidc/provider.mjs` on 127.0.0.1), and a small HTTP client with a cookie jar that plays
//! the browser between attest and the provider. `None` from [`Provider::start`] means Node or
//! the package is missing: the test says so and passes, unless `ATTEST_REQUIRE_TOOLS` is set.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

pub struct Provider {
    child: Child,
    pub issuer: String,
    /// The client secret, given to the provider and to attest through the environment and
    /// settings, never a command line.
    pub secret: String,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Provider {
    /// Starts the provider for attest at `public_url`; `tamper` spoils its id_tokens one way
    /// (see the script).
    pub fn start(public_url: &str, tamper: Option<&str>) -> Option<Provider> {
        let (node, modules) = super::tools::node_with(
            "oidc-provider",
            "run the OpenID provider (npm oidc-provider) the sign-in tests use",
        )?;
        let secret = attest::staff::AccessToken::new().unwrap().expose().to_owned();
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/oidc/provider.mjs");
        let mut child = Command::new(node)
            .arg(script)
            .env("ATTEST_NODE_MODULES", &modules)
            .env("OIDC_CLIENT_SECRET", &secret)
            .env("OIDC_REDIRECT_URI", format!("{public_url}/staff/login/oidc/callback"))
            .env("OIDC_TAMPER", tamper.unwrap_or(""))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        out.read_line(&mut line).unwrap();
        // Keep reading what it prints: a closed pipe would end it at its next line.
        std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));
        let issuer = line.trim().strip_prefix("ISSUER ").unwrap_or_else(|| panic!("provider said {line:?}")).to_owned();
        Some(Provider { child, issuer, secret })
    }

    /// attest's settings for this provider (Entra's defaults: roles claim, Attest.* values).
    pub fn config(&self, new_accounts: attest::web::oidc::NewAccounts) -> attest::web::oidc::OidcConfig {
        attest::web::oidc::OidcConfig {
            issuer: self.issuer.clone(),
            client_id: "attest".into(),
            client_secret: attest::web::oidc::ClientSecretValue::new(self.secret.clone()),
            roles_claim: "roles".into(),
            admin_value: "Attest.Admin".into(),
            issuer_value: "Attest.Issuer".into(),
            viewer_value: "Attest.Viewer".into(),
            display_name: "Council of Europe account".into(),
            new_accounts,
        }
    }
}

/// Binds a listener for attest first, so that its public URL (the redirect URI the provider must
/// know) is known before the provider starts.
pub use super::app::listener;

/// Serves attest on `listener` with sign-in through `oidc` (and passwords); returns its address.
pub async fn serve(
    listener: std::net::TcpListener,
    db: PathBuf,
    public_url: &str,
    oidc: attest::web::oidc::OidcConfig,
) -> SocketAddr {
    let mut settings = super::settings();
    settings.public_url = public_url.into();
    let outbox = db.with_file_name("outbox");
    let opts = attest::web::ServeOptions {
        oidc: Some(oidc),
        ..super::app::serve_options(&db, super::web_config(&settings, 100), outbox)
    };
    super::app::serve(listener, opts, None).await.0
}

pub struct Res {
    pub status: u16,
    pub location: String,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl Res {
    /// `name=value` of a cookie this answer sets.
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .find(|kv| kv.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }
}

/// A browser, reduced to what the flow needs: cookies (all sent to every path of a host) and
/// requests one at a time, redirects not followed.
#[derive(Default)]
pub struct Browser {
    cookies: Vec<(String, String, String)>,
}

impl Browser {
    fn cookie_header(&self, host: &str) -> String {
        self.cookies
            .iter()
            .filter(|(h, _, _)| h == host)
            .map(|(_, n, v)| format!("{n}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn request(&mut self, method: &str, url: &str, form: Option<&str>) -> Res {
        let uri: hyper::Uri = url.parse().unwrap();
        let host = uri.authority().unwrap().to_string();
        let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
        let mut req =
            hyper::Request::builder().method(method).uri(uri.clone()).header("cookie", self.cookie_header(&host));
        if form.is_some() {
            req = req.header("content-type", "application/x-www-form-urlencoded");
        }
        let res =
            client.request(req.body(Full::new(Bytes::from(form.unwrap_or("").to_owned()))).unwrap()).await.unwrap();
        let status = res.status().as_u16();
        let location = res.headers().get("location").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default();
        let location = if location.starts_with('/') { format!("http://{host}{location}") } else { location };
        let set_cookies: Vec<String> =
            res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_owned()).collect();
        for c in &set_cookies {
            let Some((name, value)) = c.split(';').next().and_then(|kv| kv.split_once('=')) else { continue };
            self.cookies.retain(|(h, n, _)| !(h == &host && n == name));
            if !value.is_empty() && !c.to_ascii_lowercase().contains("max-age=0") {
                self.cookies.push((host.clone(), name.to_owned(), value.to_owned()));
            }
        }
        let body = String::from_utf8_lossy(&res.into_body().collect().await.unwrap().to_bytes()).into_owned();
        Res { status, location, set_cookies, body }
    }

    pub async fn get(&mut self, url: &str) -> Res {
        self.request("GET", url, None).await
    }

    /// From attest's sign-in button through the provider's login form (as `user`) to the
    /// provider's redirect back: the callback URL (with code and state), not yet visited.
    pub async fn through_provider(&mut self, attest: &str, user: &str) -> String {
        let start = self.get(&format!("{attest}/staff/login/oidc?next=/staff/events")).await;
        assert_eq!(start.status, 303, "the sign-in button leads to the provider: {}", start.body);
        let mut next = start.location;
        for _ in 0..10 {
            if next.starts_with(attest) {
                return next;
            }
            let res = if next.contains("/interaction/") {
                self.request("POST", &next, Some(&format!("prompt=login&login={user}&password=any"))).await
            } else {
                self.get(&next).await
            };
            assert!((300..400).contains(&res.status), "provider at {next}: {} {}", res.status, res.body);
            next = res.location;
        }
        panic!("the provider never sent the browser back to attest");
    }
}
