//! Lists every instance of the account, page by page.
//!
//! ```sh
//! FOTBO_TOKEN=… cargo run -p fotbo-api --example list_instances
//! ```
//! `FOTBO_API_URL` points it elsewhere than https://api.fotbo.com (a staging host, a mock).

use fotbo_api::{Client, PagedRequest};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), fotbo_api::Error> {
    let client = Client::from_env()?;
    let mut instances = client.instances_list().ordering("name").stream(100);
    let mut count = 0;
    while let Some(instance) = instances.try_next().await? {
        count += 1;
        println!(
            "{:<38} {:<24} {:<10} {}",
            instance.id.as_deref().unwrap_or("?"),
            instance.name.as_deref().unwrap_or("?"),
            instance.status.as_deref().unwrap_or("?"),
            instance.access_ip.as_deref().unwrap_or("-"),
        );
    }
    println!("{count} instances");
    Ok(())
}
