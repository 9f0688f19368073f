//! The `chengyu-atlas` binary: everything is in the library; see [`chengyu_atlas::cli`].

// egui tessellates the map into one mesh of several megabytes per frame; glibc's allocator
// hands such blocks back to the kernel on free, so every frame paid for fresh zeroed pages
// (about 2 ms at 1920×1080). mimalloc keeps them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    chengyu_atlas::cli::main(chengyu_atlas::ui::run)
}
