//! Windows only (x86_64-pc-windows-gnu, linked by MinGW): the program's icon and version in the
//! .exe, which Explorer, the taskbar and the Start menu show, and every C and C++ runtime linked
//! in (OpenH264's libstdc++, MinGW's threads) so that the .exe runs without MinGW's DLLs beside
//! it. Elsewhere this does nothing.

use std::{env, path::PathBuf, process::Command};

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=assets/windows/chengyu-atlas.ico");
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let target_env = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if target_os != "windows" || target_env != "gnu" {
        return;
    }
    // `-static` for the C runtime's own libraries; OpenH264's libstdc++ named here because the
    // cc crate is told (.cargo/config.toml) not to link it as a DLL, and after every object
    // that needs it.
    // MinGW's runtime libraries again after it: libstdc++ needs them, and the linker reads
    // each library once, in order.
    for arg in [
        "-static",
        "-Wl,-Bstatic",
        "-Wl,--start-group",
        "-lstdc++",
        "-lgcc",
        "-lgcc_eh",
        "-lpthread",
        "-lmingwex",
        "-lmsvcrt",
        "-lkernel32",
        "-Wl,--end-group",
    ] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }

    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let icon = manifest.join("assets/windows/chengyu-atlas.ico");
    let version = env::var("CARGO_PKG_VERSION").expect("cargo sets it");
    let numbers: Vec<u16> = version
        .split(['.', '-', '+'])
        .take(3)
        .map(|part| part.parse().unwrap_or(0))
        .collect();
    let [major, minor, patch] = [0, 1, 2].map(|i| numbers.get(i).copied().unwrap_or(0));
    // A resource script in UTF-8 (windres is told so); the strings are what Explorer's
    // Properties ▸ Details shows.
    let script = format!(
        r#"#pragma code_page(65001)
1 ICON "{icon}"
1 VERSIONINFO
FILEVERSION {major},{minor},{patch},0
PRODUCTVERSION {major},{minor},{patch},0
FILEOS 0x40004
FILETYPE 0x1
BEGIN
  BLOCK "StringFileInfo"
  BEGIN
    BLOCK "080404b0"
    BEGIN
      VALUE "CompanyName", "Chengyu Atlas"
      VALUE "FileDescription", "成渝科创地图 Chengyu Atlas"
      VALUE "FileVersion", "{version}"
      VALUE "InternalName", "chengyu-atlas"
      VALUE "LegalCopyright", "MIT OR Apache-2.0"
      VALUE "OriginalFilename", "chengyu-atlas.exe"
      VALUE "ProductName", "成渝科创地图 Chengyu Atlas"
      VALUE "ProductVersion", "{version}"
    END
  END
  BLOCK "VarFileInfo"
  BEGIN
    VALUE "Translation", 0x0804, 1200
  END
END
"#,
        icon = icon.display().to_string().replace('\\', "/"),
    );
    let rc = out.join("chengyu-atlas.rc");
    let object = out.join("chengyu-atlas-resources.o");
    std::fs::write(&rc, script).expect("write the resource script in OUT_DIR");
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let windres = env::var("WINDRES").unwrap_or_else(|_| format!("{arch}-w64-mingw32-windres"));
    let status = Command::new(&windres)
        .args(["--codepage=65001", "-O", "coff", "-i"])
        .arg(&rc)
        .arg("-o")
        .arg(&object)
        .status();
    match status {
        Ok(status) if status.success() => {
            println!("cargo:rustc-link-arg-bins={}", object.display());
        }
        // The program works without its icon: said, not fatal.
        _ => println!(
            "cargo:warning={windres} could not compile the icon and version resource: the .exe has none (apt-get install binutils-mingw-w64-x86-64)"
        ),
    }
}
