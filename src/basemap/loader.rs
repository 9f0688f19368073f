//! Tiles read and decoded off the UI thread: the frame asks for the tiles it wants, worker
//! threads take them in the order asked, and a tile nobody has asked for in the last two frames
//! is dropped unread (the user has panned on), so that a fast pan never waits behind tiles
//! that have left the screen.

use std::collections::{HashMap, VecDeque};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use super::{Package, PackageError, TileKey};

/// Turns a tile's bytes into what the caller draws, on a worker thread.
type Decode<T> = dyn Fn(TileKey, &[u8]) -> Result<T, String> + Send + Sync;

/// What became of a tile asked for.
pub enum Loaded<T> {
    Ready(T),
    /// The package has no tile there.
    Missing,
    Failed(PackageError),
    /// Nobody wanted it any more; ask again if it is wanted.
    Dropped,
}

#[derive(Default)]
struct Wanted {
    order: VecDeque<TileKey>,
    /// The frame in which each queued tile was last asked for.
    last_asked: HashMap<TileKey, u64>,
    frame: u64,
    closed: bool,
}

struct Queue {
    wanted: Mutex<Wanted>,
    wake: Condvar,
}

/// Loads tiles of one package on worker threads with `decode`, reporting through [`poll`].
///
/// [`poll`]: TileLoader::poll
pub struct TileLoader<T> {
    queue: Arc<Queue>,
    results: Receiver<(TileKey, Loaded<T>)>,
}

impl<T: Send + 'static> TileLoader<T> {
    /// Starts `threads` workers; `decode` turns a tile's bytes into what the caller draws, and
    /// `done` is called after each tile (the window asks for a repaint there).
    pub fn new(
        package: Package,
        threads: usize,
        decode: impl Fn(TileKey, &[u8]) -> Result<T, String> + Send + Sync + 'static,
        done: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let queue = Arc::new(Queue {
            wanted: Mutex::new(Wanted::default()),
            wake: Condvar::new(),
        });
        let (sender, results) = channel();
        let decode = Arc::new(decode);
        let done = Arc::new(done);
        for index in 0..threads.max(1) {
            let (queue, sender, package) = (queue.clone(), sender.clone(), package.clone());
            let (decode, done) = (decode.clone(), done.clone());
            let spawned = std::thread::Builder::new()
                .name(format!("basemap tiles {index}"))
                .spawn(move || work(&queue, &sender, &package, &*decode, &*done));
            if let Err(error) = spawned {
                eprintln!("chengyu-atlas: cannot start a thread for basemap tiles: {error}");
            }
        }
        Self { queue, results }
    }

    /// Starts a new frame: tiles not asked for in this frame or the last are dropped.
    pub fn next_frame(&self, frame: u64) {
        let mut wanted = self
            .queue
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        wanted.frame = frame;
    }

    /// Asks for a tile (again): queued if it is new, kept wanted if it is queued.
    pub fn ask(&self, key: TileKey) {
        let mut wanted = self
            .queue
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let frame = wanted.frame;
        if wanted.last_asked.insert(key, frame).is_none() {
            wanted.order.push_back(key);
            self.queue.wake.notify_one();
        }
    }

    /// Tiles waiting or being read.
    pub fn pending(&self) -> usize {
        let wanted = self
            .queue
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        wanted.last_asked.len()
    }

    /// What has been loaded since the last call.
    pub fn poll(&self) -> impl Iterator<Item = (TileKey, Loaded<T>)> + '_ {
        self.results.try_iter()
    }
}

impl<T> Drop for TileLoader<T> {
    fn drop(&mut self) {
        let mut wanted = self
            .queue
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        wanted.closed = true;
        wanted.order.clear();
        self.queue.wake.notify_all();
    }
}

fn work<T>(
    queue: &Queue,
    sender: &Sender<(TileKey, Loaded<T>)>,
    package: &Package,
    decode: &Decode<T>,
    done: &(dyn Fn() + Send + Sync),
) {
    loop {
        let (key, stale) = {
            let mut wanted = queue.wanted.lock().unwrap_or_else(PoisonError::into_inner);
            loop {
                if wanted.closed {
                    return;
                }
                if let Some(key) = wanted.order.pop_front() {
                    let asked = wanted.last_asked.get(&key).copied().unwrap_or(0);
                    break (key, asked + 1 < wanted.frame);
                }
                wanted = queue
                    .wake
                    .wait(wanted)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        let loaded = if stale {
            Loaded::Dropped
        } else {
            match package.tile(key) {
                Ok(None) => Loaded::Missing,
                Ok(Some(bytes)) => match decode(key, &bytes) {
                    Ok(value) => Loaded::Ready(value),
                    Err(why) => Loaded::Failed(PackageError::new(
                        &package.path,
                        super::ErrorKind::BadTile { tile: key, why },
                    )),
                },
                Err(error) => Loaded::Failed(error),
            }
        };
        // Forgotten only now, so that a tile being read is not queued twice.
        queue
            .wanted
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .last_asked
            .remove(&key);
        if sender.send((key, loaded)).is_err() {
            return;
        }
        done();
    }
}
