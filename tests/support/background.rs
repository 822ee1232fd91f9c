//! A TCP server on 127.0.0.1 run in a thread of its own (with its own single-threaded
//! runtime), handing each accepted connection to a task; the test servers are built on
//! it. It stops, and its thread is joined, when dropped.

use std::future::Future;
use std::net::SocketAddr;

/// The running accept loop.
pub struct Background {
    /// The address it listens on.
    pub addr: SocketAddr,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Background {
    /// Listens on 127.0.0.1:`port` (0: any free port, chosen by the system, so no other
    /// process can take it first) and serves each connection with `serve`.
    pub fn start<F, Fut>(port: u16, serve: F) -> Self
    where
        F: Fn(tokio::net::TcpStream) -> Fut + Send + 'static,
        Fut: Future<Output = ()> + Send + 'static,
    {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (shutdown_tx, mut shutdown_rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                    .await
                    .expect("bind 127.0.0.1");
                let addr: SocketAddr = listener.local_addr().expect("local address");
                ready_tx.send(addr).expect("report the address");
                loop {
                    tokio::select! {
                        _ = &mut shutdown_rx => break,
                        accepted = listener.accept() => {
                            if let Ok((stream, _)) = accepted {
                                tokio::spawn(serve(stream));
                            }
                        }
                    }
                }
            });
        });
        let addr = ready_rx.recv().expect("the server starts");
        Self {
            addr,
            shutdown: Some(shutdown_tx),
            thread: Some(thread),
        }
    }
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
