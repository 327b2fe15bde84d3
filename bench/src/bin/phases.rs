use std::time::Instant;
fn main() {
    let spec = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let mut last = t;
    let mut lap = |name: &str| {
        let now = Instant::now();
        eprintln!("{name:>12}: {:7.1} ms", (now - last).as_secs_f64() * 1e3);
        last = now;
    };
    let root = generator::resolve::absolute(std::path::Path::new(&spec));
    let bundle = generator::resolve::bundle(&root, &Default::default()).unwrap();
    lap("bundle");
    let findings = generator::shape::check(&bundle.document, &root);
    lap("shape");
    let openapi: openapiv3::OpenAPI = serde_path_to_error::deserialize(&bundle.document).unwrap();
    lap("openapiv3");
    let origins = Default::default();
    let api = generator::ir::operations::lower_api(&openapi, &origins, &root).unwrap();
    lap("lower");
    let files = generator::emit::rust_files(&api);
    lap("emit");
    let mut n = 0;
    for f in &files {
        n += generator::emit::format_file(f, "//").unwrap().len();
    }
    lap("format");
    drop(files);
    lap("drop");
    let context = generator::render::Context::new(&api, "x", "y");
    let r = generator::render::render_all(&context, "//").unwrap();
    lap("render");
    eprintln!("{n} {} {}", r.len(), findings.warnings.len());
    eprintln!("total {:.1}", t.elapsed().as_secs_f64() * 1e3);
}
