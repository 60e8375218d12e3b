//! Deletes an instance.
//!
//! ```sh
//! FOTBO_TOKEN=… cargo run -p fotbo-api --example delete_instance -- INSTANCE_ID
//! ```

use fotbo_api::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let id = std::env::args()
        .nth(1)
        .ok_or_else(|| Error::InvalidRequest("usage: delete_instance INSTANCE_ID".into()))?;
    let client = Client::from_env()?;
    match client.instances_destroy().instance_id(&id).send().await {
        Ok(_) => println!("{id} is being deleted"),
        Err(e) if e.status().map(|s| s.as_u16()) == Some(404) => {
            println!("{id} does not exist (already deleted?)")
        }
        Err(e) => return Err(e),
    }
    Ok(())
}
