//! Prints what the privacy guard finds in a text file or in the text given on the command line:
//! `cargo run --example privacy_scan -- FILE` or `-- --text "MRN: 4471823"`.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let text = match args.as_slice() {
        [flag, text] if flag == "--text" => text.clone(),
        [file] => std::fs::read_to_string(file).expect("readable file"),
        _ => {
            eprintln!("usage: privacy_scan FILE | --text TEXT");
            std::process::exit(2);
        }
    };
    for hit in radpress::checks::privacy::scan_source(&text) {
        println!(
            "{:>6}..{:<6} {:<16} {:?}",
            hit.start,
            hit.end,
            hit.rule,
            &text[hit.start..hit.end]
        );
    }
}
