fn main() {
    let text = std::fs::read_to_string("/work/main/content/education/contrast-dye.md").unwrap();
    let list = radpress::checks::plain_language::PlainLanguage::builtin();
    let t = std::time::Instant::now();
    let mut n = 0.0;
    let mut hits = 0;
    for _ in 0..10_000 {
        n += radpress::checks::readability::analyse(&text).unwrap().readability.fk_grade;
        hits += list.find(&radpress::checks::plain_language::mask_markdown(&text)).len();
    }
    println!("{:?} {n} {hits}", t.elapsed());
}
