//! `mock-server`: starts the mock ROP, PBX and CRM on loopback; see the crate README.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use mock_server::{Config, MockServers};

/// Stateful mock PBX, CRM and «Цифровой РОП» with an admin API under `/__admin/`.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// TOML configuration file (every key has a default).
    #[arg(long, env = "MOCK_SERVER_CONFIG")]
    config: Option<PathBuf>,
    /// Address all services bind to (default 127.0.0.1).
    #[arg(long)]
    bind: Option<IpAddr>,
    /// Port of the mock ROP (default 8710).
    #[arg(long)]
    rop_port: Option<u16>,
    /// Port of the mock PBX (default 8711).
    #[arg(long)]
    pbx_port: Option<u16>,
    /// Port of the mock CRM (default 8712).
    #[arg(long)]
    crm_port: Option<u16>,
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .init();
    let args = Args::parse();
    let mut config = match &args.config {
        Some(path) => match Config::from_file(path) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("mock-server: {e}");
                return ExitCode::from(2);
            }
        },
        None => Config::default(),
    }
    .with_env_secrets();
    if let Some(b) = args.bind {
        config.bind = b;
    }
    if let Some(p) = args.rop_port {
        config.rop.port = p;
    }
    if let Some(p) = args.pbx_port {
        config.pbx.port = p;
    }
    if let Some(p) = args.crm_port {
        config.crm.port = p;
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("mock-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
}

async fn run(config: Config) -> ExitCode {
    let mocks = match MockServers::start(config).await {
        Ok(m) => m,
        Err(e) => {
            eprintln!("mock-server: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{}", mocks.banner());
    let summary = {
        let counts = mocks.counters();
        tokio::spawn(async move {
            let mut last = (0, 0, 0);
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
            loop {
                tick.tick().await;
                let now = counts.get();
                if now != last {
                    tracing::info!(
                        rop = now.0,
                        pbx = now.1,
                        crm = now.2,
                        "requests served so far"
                    );
                    last = now;
                }
            }
        })
    };
    shutdown_signal().await;
    summary.abort();
    let (rop, pbx, crm) = mocks.request_counts();
    tracing::info!(rop, pbx, crm, "shutting down; requests served");
    mocks.shutdown().await;
    ExitCode::SUCCESS
}

async fn shutdown_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
