//! The Rust SDK deployment of the sdk-tests ITs: the core scenarios every SDK's deployment serves
//! under the same names (see ../README.md). The counters below live in this process only, so a
//! test can tell a journaled step (run once) from a replayed one (never re-run).

use restate_sdk::prelude::*;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;
use tokio::net::TcpListener;

/// How often each `ctx.run` closure executed in this process, by key.
static SIDE_EFFECTS: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

fn bump(key: &str) -> u64 {
    let mut guard = SIDE_EFFECTS.lock().unwrap();
    let map = guard.get_or_insert_with(HashMap::new);
    let n = map.entry(key.to_string()).or_insert(0);
    *n += 1;
    *n
}

fn count(key: &str) -> u64 {
    let guard = SIDE_EFFECTS.lock().unwrap();
    guard.as_ref().and_then(|m| m.get(key).copied()).unwrap_or(0)
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Steps {
    ran: String,
    total: u64,
}

struct Counter;

#[restate_sdk::object]
impl Counter {
    #[handler]
    async fn add(&self, ctx: ObjectContext<'_>, value: u64) -> HandlerResult<u64> {
        let total = ctx.get::<u64>("count").await?.unwrap_or(0) + value;
        ctx.set("count", total);
        Ok(total)
    }

    #[handler]
    async fn get(&self, ctx: SharedObjectContext<'_>) -> HandlerResult<u64> {
        Ok(ctx.get::<u64>("count").await?.unwrap_or(0))
    }
}

struct Flow;

#[restate_sdk::service]
impl Flow {
    /// A journaled side effect, a durable sleep, a call and a delayed send; each is replayed, not re-run.
    #[handler]
    async fn steps(&self, ctx: Context<'_>, key: String) -> HandlerResult<Json<Steps>> {
        let k = key.clone();
        let ran = ctx
            .run(|| async move {
                bump(&k);
                Ok(format!("ran-{k}"))
            })
            .name("effect")
            .await?;
        ctx.sleep(Duration::from_millis(50)).await?;
        let total = ctx.object_client::<CounterClient>(key.clone()).add(10).call().await?;
        ctx.object_client::<CounterClient>(format!("{key}-later"))
            .add(1)
            .send_after(Duration::from_millis(100));
        Ok(Json(Steps { ran, total }))
    }

    #[handler(name = "sideEffects")]
    async fn side_effects(&self, _ctx: Context<'_>, key: String) -> HandlerResult<u64> {
        Ok(count(&key))
    }

    /// A run that fails twice with a retryable error and succeeds on its third attempt.
    #[handler]
    async fn flaky(&self, ctx: Context<'_>, key: String) -> HandlerResult<u64> {
        let k = key.clone();
        let attempts = ctx
            .run(|| async move {
                let n = bump(&k);
                if n < 3 {
                    return Err(HandlerError::from(std::io::Error::other(format!("attempt {n}"))));
                }
                Ok(n)
            })
            .retry_policy(RunRetryPolicy::default().initial_delay(Duration::from_millis(10)))
            .name("flaky")
            .await?;
        Ok(attempts)
    }

    /// A journaled run, then a long durable sleep during which a test kills the server.
    #[handler]
    async fn crash(&self, ctx: Context<'_>, key: String) -> HandlerResult<String> {
        let k = key.clone();
        ctx.run(|| async move {
            bump(&k);
            Ok(())
        })
        .name("effect")
        .await?;
        ctx.sleep(Duration::from_secs(3)).await?;
        Ok(format!("done-{key}"))
    }
}

struct AwakeableHolder;

#[restate_sdk::object]
impl AwakeableHolder {
    #[handler]
    async fn hold(&self, ctx: ObjectContext<'_>, id: String) -> HandlerResult<()> {
        ctx.set("id", id);
        Ok(())
    }

    #[handler(name = "getId")]
    async fn get_id(&self, ctx: SharedObjectContext<'_>) -> HandlerResult<String> {
        Ok(ctx.get::<String>("id").await?.unwrap_or_default())
    }
}

struct Waiter;

#[restate_sdk::service]
impl Waiter {
    /// Publishes an awakeable's id to AwakeableHolder/{key} and returns what resolves it.
    #[handler(name = "waitFor")]
    async fn wait_for(&self, ctx: Context<'_>, key: String) -> HandlerResult<String> {
        let (id, promise) = ctx.awakeable::<String>();
        ctx.object_client::<AwakeableHolderClient>(key).hold(id).send();
        Ok(format!("resolved:{}", promise.await?))
    }
}

struct Signup;

#[restate_sdk::workflow]
impl Signup {
    #[handler]
    async fn run(&self, ctx: WorkflowContext<'_>, email: String) -> HandlerResult<String> {
        let approval = ctx.promise::<String>("approval").await?;
        Ok(format!("{email}:{approval}"))
    }

    #[handler]
    async fn approve(&self, ctx: SharedWorkflowContext<'_>, decision: String) -> HandlerResult<()> {
        ctx.resolve_promise("approval", decision);
        Ok(())
    }
}

#[tokio::main]
async fn main() {
    // port 0: the test reads the bound port from this line
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    println!("listening on {}", listener.local_addr().unwrap());
    HttpServer::new(
        Endpoint::builder()
            .bind(Counter)
            .bind(Flow)
            .bind(AwakeableHolder)
            .bind(Waiter)
            .bind(Signup)
            .build(),
    )
    .serve(listener)
    .await;
}
