//! Creates an instance from what `create_options` offers, then waits for it to run.
//!
//! ```sh
//! FOTBO_TOKEN=… cargo run -p fotbo-api --example create_instance -- my-server 'Long-Passw0rd!-here'
//! ```
//! Ordering an instance costs money: this example really orders one.

use std::time::Duration;

use fotbo_api::{types, Client, Error, InstanceStatus};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "fotbo-api-example".into());
    let password = args
        .next()
        .ok_or_else(|| Error::InvalidRequest("usage: create_instance NAME ROOT_PASSWORD".into()))?;
    let client = Client::from_env()?;

    // What a new instance may be made of.
    let options = client.instances_create_options().send().await?.into_inner();
    let missing = |what: &str| Error::InvalidRequest(format!("create_options offers no {what}"));
    let region = options
        .selected_region
        .clone()
        .ok_or_else(|| missing("region"))?;
    let flavor = options
        .flavor
        .iter()
        .find(|f| f.out_of_stock != Some(true))
        .and_then(|f| f.id.clone())
        .ok_or_else(|| missing("flavor in stock"))?;
    let image = options
        .boot_sources
        .as_ref()
        .and_then(|b| b.image.first())
        .and_then(|i| i.id)
        .ok_or_else(|| missing("image"))?;
    let network = options
        .nics
        .first()
        .and_then(|n| n.id.clone())
        .ok_or_else(|| missing("network"))?;
    let client_id = options
        .client
        .as_ref()
        .and_then(|c| c.id)
        .ok_or_else(|| missing("client"))?;

    let body = types::InstancesCreateBody {
        boot_source: types::InstancesCreateBodyBootSource {
            source_type: "image".into(),
            source_id: image.to_string(),
            cinder_az: None,
            create_new_volume: None,
            delete_on_termination: None,
            volume_size: None,
            volume_type: None,
        },
        client: client_id,
        flavor,
        name: name.clone(),
        nics: vec![network],
        number_of_instances: None,
        region,
        // Only name, boot source, flavor, region and client are required by the server; an
        // instance reached by SSH key only leaves the password out and sets `ssh_keys`.
        root_password: Some(password),
        ssh_keys: None,
        user_data: None,
    };
    // POST is sent once, never retried by the client: a repeat would order a second instance.
    let created = client
        .instances_create()
        .body(body)
        .send()
        .await?
        .into_inner();
    println!("ordered {name}; operation {:?}", created.operation_id);

    // The answer names the operation, not the instance: find it by name.
    let found = client
        .instances_list()
        .name(name.as_str())
        .send()
        .await?
        .into_inner();
    let id = found
        .objects
        .first()
        .and_then(|i| i.id.clone())
        .ok_or_else(|| Error::InvalidRequest(format!("no instance named {name} yet")))?;
    let instance = client
        .wait_for_instance_status(&id, InstanceStatus::Active, Duration::from_secs(600))
        .await?;
    println!(
        "{id} is {} at {}",
        instance.status.unwrap_or_default(),
        instance.access_ip.unwrap_or_default()
    );
    Ok(())
}
