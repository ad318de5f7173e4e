//! Sync offices and managers into «Цифровой РОП» (R3 `offices-update`, R4 `managers-update`):
//! managers from the CRM (Universe U1 `import_scheme`), offices from the PBX's departments
//! (`/crmapi/v1/groups`), PBX logins mapped to CRM manager ids.
//!
//! ```sh
//! cargo run -p mock-server &
//! cargo run -p examples --example sync_offices_managers
//! ```
//!
//! Environment (defaults fit the mock server): `ROP_URL`, `ROP_API_KEY`, `CRM_URL`,
//! `CRM_LOGIN`, `CRM_PASSWORD`, `PBX_URL`, `VATS_API_KEY` (`mock-vats-key`), `PBX_LOGINS`
//! (`admin=72,director=73,user1=74`).

use examples::{BridgeConfig, env_or};
use futures::TryStreamExt;
use rop_api::{Manager, Office};
use std::process::ExitCode;
use vats_api::v1::{ListQuery, Role};

#[tokio::main]
async fn main() -> ExitCode {
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("sync_offices_managers: {e}");
            ExitCode::FAILURE
        }
    }
}

/// «Иванова Марина Михайловна» → surname, name, middle name.
fn split_name(full: &str) -> (String, String, Option<String>) {
    let mut parts = full.split_whitespace();
    let surname = parts.next().unwrap_or_default().to_owned();
    let name = parts.next().unwrap_or_default().to_owned();
    let rest: Vec<&str> = parts.collect();
    let middle = (!rest.is_empty()).then(|| rest.join(" "));
    (surname, name, middle)
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = BridgeConfig::from_env()?;
    let crm = examples::Crm::new(config.clone())?;
    let pbx = vats_api::v1::Client::builder()
        .base_url(format!(
            "{}/crmapi/v1/",
            env_or("PBX_URL", examples::DEFAULT_PBX_URL)
        ))
        .api_key(env_or("VATS_API_KEY", "mock-vats-key"))
        .build()?;

    // Managers: the CRM is the source of truth for people.
    let scheme = crm.universe().import_scheme().await?;
    let managers: Vec<Manager> = scheme
        .managers
        .iter()
        .map(|m| {
            let (surname, name, middlename) = split_name(&m.name);
            Manager {
                manager_id: m.id.as_str().into(),
                name,
                surname,
                middlename,
            }
        })
        .collect();

    // Offices: one per PBX department; admins lead, everyone else sells. Members without a CRM
    // manager id (no entry in PBX_LOGINS) are left out.
    let users: Vec<_> = pbx.users_stream(ListQuery::default()).try_collect().await?;
    let groups: Vec<_> = pbx
        .groups_stream(ListQuery::default())
        .try_collect()
        .await?;
    let offices: Vec<Office> = groups
        .iter()
        .map(|g| {
            let mut office = Office {
                office_title: g.name.clone(),
                office_id: g.id.as_str().into(),
                leader_ids: Vec::new(),
                managers_ids: Vec::new(),
            };
            for member in &g.users {
                let Some(id) = config.pbx_logins.get(member.login.as_str()) else {
                    continue;
                };
                let is_admin = users
                    .iter()
                    .any(|u| u.login == member.login && u.role == Role::Admin);
                if is_admin {
                    office.leader_ids.push(id.as_str().into());
                } else {
                    office.managers_ids.push(id.as_str().into());
                }
            }
            office
        })
        .collect();

    // R4 then R3 (offices refer to managers). Both are upserts: run it as often as you like.
    let stored = crm.rop().update_managers(&managers).await?;
    println!("ROP stored {stored} manager(s)");
    for m in &managers {
        println!("  {} {} {}", m.manager_id, m.surname, m.name);
    }
    let stored = crm.rop().update_offices(&offices).await?;
    println!("ROP stored {stored} office(s)");
    for o in &offices {
        println!(
            "  {} «{}»: leaders {:?}, managers {:?}",
            o.office_id, o.office_title, o.leader_ids, o.managers_ids
        );
    }
    Ok(())
}
