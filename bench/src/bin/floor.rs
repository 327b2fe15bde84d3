use std::time::Instant;
fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out)
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p)
        }
    }
}
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut files = Vec::new();
    walk(dir.as_ref(), &mut files);
    files.sort();
    for _ in 0..8 {
        let t = Instant::now();
        let mut n = 0;
        for f in &files {
            let text = std::fs::read_to_string(f).unwrap();
            let v: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
            n += matches!(v, serde_yaml::Value::Mapping(_)) as usize;
        }
        eprintln!(
            "{} files {n} maps {:.1} ms",
            files.len(),
            t.elapsed().as_secs_f64() * 1e3
        );
    }
}
