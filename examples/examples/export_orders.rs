//! Export a CRM's deals over Universe (U3 `export`) as a stream: the client pages through
//! `offset`/`limit` lazily until `total_count`, so millions of deals never sit in memory at once.
//!
//! ```sh
//! cargo run -p mock-server &
//! cargo run -p examples --example export_orders
//! cargo run -p examples --example export_orders -- 1657620100 2   # since (Unix s), page size
//! ```
//!
//! Environment: `CRM_URL` (`http://127.0.0.1:8712`), `CRM_LOGIN` / `CRM_PASSWORD` (`mock`).

use examples::env_or;
use futures::StreamExt;
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_orders: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let since: i64 = args.next().map_or(Ok(0), |s| s.parse())?;
    let page: Option<u64> = args.next().map(|s| s.parse()).transpose()?;
    let since = chrono::DateTime::from_timestamp(since, 0).ok_or("since: out of range")?;

    let crm = universe_api::Client::builder()
        .base_url(env_or("CRM_URL", examples::DEFAULT_CRM_URL))
        .credentials(env_or("CRM_LOGIN", "mock"), env_or("CRM_PASSWORD", "mock"))
        .build()?;

    // The statuses and managers come with every page; fetch them once for readable names.
    let scheme = crm.import_scheme().await?;
    let status_name = |id: Option<&universe_api::StatusId>| {
        id.and_then(|id| scheme.statuses.iter().find(|s| &s.id == id))
            .map_or("—", |s| s.name.as_str())
    };

    // `None` as the page size lets the CRM choose; the stream follows its `pagination.limit`.
    let mut orders = crm.export_orders_stream(since, page);
    let mut count = 0u64;
    let mut sum = universe_api::Decimal::ZERO;
    while let Some(order) = orders.next().await {
        let order = order?; // an error ends the export; the pages before it were printed
        count += 1;
        sum += order.price.unwrap_or_default();
        println!(
            "{:>5}  {}  {:<10} {:<12} price {:>12}  manager {}",
            order.id,
            order.date_create.format("%Y-%m-%d %H:%M"),
            order.name,
            status_name(order.status.as_ref()),
            order.price.map(|p| p.to_string()).unwrap_or_default(),
            order.manager_id.as_ref().map_or("—", |m| m.as_str()),
        );
    }
    // Money is a `Decimal` (never `f64`): the sum keeps every kopeck.
    println!("{count} deal(s) since {since}, total price {sum:.2}");
    Ok(())
}
