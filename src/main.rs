//! The `chengyu-atlas` binary: everything is in the library; see [`chengyu_atlas::cli`].

// egui tessellates the map into one mesh of several megabytes per frame; glibc's allocator
// hands such blocks back to the kernel on free, so every frame paid for fresh zeroed pages
// (about 2 ms at 1920×1080). mimalloc keeps them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// mimalloc commits its 1 GiB arenas eagerly where Linux overcommits, and this kernel backs
// them with transparent huge pages: each first touch zeroed 2 MiB, and each purge and reuse
// zeroed it again. Reading a 1 000 000-row workbook spent more time in the kernel zeroing
// pages than reading (5.5 s of 10.4 s); committed on demand, 0.5 s of 5.2 s. Set before main
// (an ELF constructor), before the first arena is reserved.
#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array")]
static COMMIT_ON_DEMAND: extern "C" fn() = commit_on_demand;

#[cfg(target_os = "linux")]
extern "C" fn commit_on_demand() {
    unsafe extern "C" {
        fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
    }
    /// `mi_option_arena_eager_commit` and `mi_option_purge_delay` in mimalloc 3's `mi_option_t`.
    const ARENA_EAGER_COMMIT: std::ffi::c_int = 4;
    const PURGE_DELAY: std::ffi::c_int = 15;
    // SAFETY: sets one of mimalloc's options; it takes any value, read when an arena is made.
    unsafe { mi_option_set(ARENA_EAGER_COMMIT, 0) }
    // Freed pages go back to the kernel after 100 ms (mimalloc 3 waits a second; mimalloc 2
    // waited 10 ms): a reader's buffers no longer count in the peak of indexing what it read
    // (a 1 000 000-point CSV: 147 → 134 MiB), while a frame's mesh, freed and made again every
    // 16 ms as the map moves, still reuses its pages.
    // SAFETY: as above; read whenever memory is freed.
    unsafe { mi_option_set(PURGE_DELAY, 100) }
}

fn main() -> std::process::ExitCode {
    chengyu_atlas::cli::main(|source, basemaps, layers, workspace| {
        #[cfg(windows)]
        windows_console::close_if_own();
        chengyu_atlas::ui::run(source, basemaps, layers, workspace)
    })
}

/// The console on Windows. The binary is a console program, so that `cmd` and scripts wait for
/// its commands and see what they print (Rust writes to a console as UTF-16, so Chinese shows
/// whatever the code page); started from the Start menu or Explorer, Windows gives it a console
/// of its own, which the window closes rather than leave an empty black window behind it.
#[cfg(windows)]
mod windows_console {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
        fn FreeConsole() -> i32;
    }

    /// Closes the console when no other process shares it (it was made for this one).
    pub fn close_if_own() {
        let mut processes = [0u32; 2];
        // SAFETY: the list is as long as the count given; FreeConsole takes nothing.
        unsafe {
            if GetConsoleProcessList(processes.as_mut_ptr(), 2) == 1 {
                FreeConsole();
            }
        }
    }
}
