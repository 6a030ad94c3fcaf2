//! Prints what the privacy guard finds in a text file or in the text given on the command line:
//! `cargo run --example privacy_scan -- FILE`, `-- --text "MRN: 4471823"`, or `-- --bench FILE`
//! for the time each detector takes.
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let [flag, file] = args.as_slice()
        && flag == "--bench"
    {
        let text = std::fs::read_to_string(file).expect("readable file");
        for (part, ms) in radpress::checks::privacy::bench_parts(&text, 200) {
            println!("{part:<10} {:.3} ms a scan", ms / 200.0);
        }
        return;
    }
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
