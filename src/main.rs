//! The `attest` command: parse the arguments, start logging, dispatch.

use std::io::IsTerminal;

use clap::Parser;

/// Rendering a certificate allocates thousands of small objects; mimalloc makes bulk issuing
/// about 15-20 % faster than the system allocator (measured with `cargo bench --bench issue`).
/// It is built without transparent huge pages (see Cargo.toml): a cold import faulted them in
/// at great cost.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // `attest attendance x | head` must end quietly, not panic on a closed pipe.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info.payload().downcast_ref::<String>().map(String::as_str).unwrap_or("");
        if msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default_hook(info);
    }));
    let cli = attest::cli::Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "warn".into()))
        .with_writer(std::io::stderr)
        // Colour codes only for a person at a terminal: journald, `docker logs` and log files
        // got escape sequences in every line (NO_COLOR, https://no-color.org, turns them off too).
        .with_ansi(std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none())
        .init();
    match attest::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
