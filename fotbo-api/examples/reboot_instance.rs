//! Reboots an instance and waits until it is active again.
//!
//! ```sh
//! FOTBO_TOKEN=… cargo run -p fotbo-api --example reboot_instance -- INSTANCE_ID
//! ```

use std::time::Duration;

use fotbo_api::{Client, Error, InstanceStatus};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let id = std::env::args()
        .nth(1)
        .ok_or_else(|| Error::InvalidRequest("usage: reboot_instance INSTANCE_ID".into()))?;
    let client = Client::from_env()?;
    let answer = client
        .instances_reboot()
        .instance_id(&id)
        .send()
        .await?
        .into_inner();
    println!("{}", answer.detail.as_deref().unwrap_or("reboot accepted"));
    let instance = client
        .wait_for_instance_status(&id, InstanceStatus::Active, Duration::from_secs(300))
        .await?;
    println!("{id} is {}", instance.status.unwrap_or_default());
    Ok(())
}
