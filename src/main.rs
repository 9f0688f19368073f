fn main() -> std::process::ExitCode {
    chengyu_atlas::cli::main()
}
