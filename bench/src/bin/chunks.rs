fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out)
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p)
        }
    }
}
fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let mut files = Vec::new();
    walk(dir.as_ref(), &mut files);
    let (mut same, mut differ) = (0, 0);
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let file = syn::parse_file(&text).unwrap();
        let whole = prettyplease::unparse(&file);
        let mut parts = prettyplease::unparse(&syn::File {
            shebang: None,
            attrs: file.attrs.clone(),
            items: vec![],
        });
        for item in &file.items {
            parts.push_str(&prettyplease::unparse(&syn::File {
                shebang: None,
                attrs: vec![],
                items: vec![item.clone()],
            }));
        }
        if whole == parts {
            same += 1
        } else {
            differ += 1;
            if differ < 3 {
                eprintln!(
                    "{}\n---\n{}\n---\n{}",
                    f.display(),
                    &whole[..whole.len().min(400)],
                    &parts[..parts.len().min(400)]
                );
            }
        }
    }
    eprintln!("same {same} differ {differ}");
}
