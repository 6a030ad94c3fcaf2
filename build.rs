//! Rebuild when the built-in default theme changes: `include_dir!` embeds themes/default, and
//! cargo does not know to watch it otherwise.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=starters");
}
