//! How the app reaches a service. The UI and the CLI talk to a [`Client`]; the embedded client runs
//! the service in-process on a workspace this process opened (the daemon's socket client implements
//! the same trait).

use crate::service::{ChangeEvent, Identity, Request, Response, Role, Service};
use std::sync::{Arc, mpsc};

/// Something that answers service requests for one user.
pub trait Client: Send + Sync {
    /// Run a request. Mutations return once they are durable.
    fn call(&self, req: Request) -> Response;
    /// Change events from every user, from now on.
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent>;
    /// Who this client acts as.
    fn identity(&self) -> &Identity;
    /// Where the data lives, for the status bar ("~/.local/share/spets/workspace" or a socket).
    fn location(&self) -> String;
}

/// The service in this process. The user owns the workspace, so they are its admin.
pub struct Embedded {
    service: Arc<Service>,
    who: Identity,
}

impl Embedded {
    pub fn new(service: Arc<Service>, user: String) -> Embedded {
        Embedded {
            service,
            who: Identity {
                user,
                role: Role::Admin,
            },
        }
    }

    pub fn service(&self) -> &Arc<Service> {
        &self.service
    }
}

impl Client for Embedded {
    fn call(&self, req: Request) -> Response {
        self.service.handle(&self.who, req)
    }
    fn subscribe(&self) -> mpsc::Receiver<ChangeEvent> {
        self.service.subscribe()
    }
    fn identity(&self) -> &Identity {
        &self.who
    }
    fn location(&self) -> String {
        self.service.store().path().display().to_string()
    }
}
