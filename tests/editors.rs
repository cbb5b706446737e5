//! For editors: `pamphlet schema` (JSON Schema of site.yaml and front matter) and
//! `pamphlet cms` (a Decap CMS config.yml), checked against what `build` accepts and refuses.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{assert_built, pamphlet, repo, stderr, Site};
use serde_json::Value;

/// Runs `pamphlet <command> --root <root> --out <out>` and asserts it succeeded.
fn run_tool(command: &str, root: &Path, out: &Path) {
    let output = pamphlet()
        .arg(command)
        .arg("--root")
        .arg(root)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// The schemas `pamphlet schema` writes for a site, by file name.
fn schemas_of(root: &Path) -> BTreeMap<String, Value> {
    let tmp = tempfile::tempdir().unwrap();
    run_tool("schema", root, tmp.path());
    std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap();
            (name, serde_json::from_str(&text).unwrap())
        })
        .collect()
}

/// What a validator built from `schema` finds wrong with `instance` (nothing: valid).
fn problems(schema: &Value, instance: &Value) -> Vec<String> {
    let validator = jsonschema::draft202012::new(schema)
        .unwrap_or_else(|e| panic!("the schema is not valid draft 2020-12: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// The front matter of a Markdown file as JSON, read as pamphlet reads YAML.
fn front_matter(text: &str) -> Result<Value, String> {
    let rest = text.strip_prefix("---\n").ok_or("no front matter")?;
    let end = rest.find("\n---").ok_or("unclosed front matter")?;
    yaml(&rest[..=end])
}

fn yaml(text: &str) -> Result<Value, String> {
    serde_saphyr::from_str::<Value>(text).map_err(|e| e.to_string())
}

#[test]
fn every_file_of_the_example_site_is_valid_against_its_schema() {
    let root = repo();
    let schemas = schemas_of(&root);
    let names: Vec<&str> = schemas.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "chapter.schema.json",
            "event.schema.json",
            "page.schema.json",
            "post.schema.json",
            "section.schema.json",
            "site.schema.json",
            "video.schema.json"
        ]
    );
    let site_yaml = yaml(&std::fs::read_to_string(root.join("site.yaml")).unwrap()).unwrap();
    let found = problems(&schemas["site.schema.json"], &site_yaml);
    assert!(found.is_empty(), "site.yaml: {found:?}");

    let config = pamphlet::config::Config::load(&root).unwrap();
    let options = pamphlet::content::LoadOptions::everything();
    let (content, errors) = pamphlet::content::load(&root, &config, options);
    assert!(errors.is_empty(), "{errors:?}");
    let mut checked = BTreeMap::<&str, usize>::new();
    for page in &content.pages {
        let kind = content.sections[&page.section].kind;
        let schema = &schemas[&format!("{}.schema.json", kind.name())];
        // A row of a `_pages.csv` is checked as the front matter it was read as.
        let text = match &page.source.row {
            Some(_) => page.source.text.clone(),
            None => std::fs::read_to_string(root.join(&page.source.file)).unwrap(),
        };
        // A translation is checked with the fields it takes from the page it translates.
        let read = match &page.source.inherited {
            Some(merged) => yaml(merged).unwrap(),
            None => front_matter(&text).unwrap(),
        };
        let found = problems(schema, &read);
        assert!(
            found.is_empty(),
            "{}: {found:?}",
            page.source.file.display()
        );
        *checked.entry(kind.name()).or_default() += 1;
    }
    for section in content
        .sections
        .values()
        .filter(|s| !s.source.text.is_empty())
    {
        let text = std::fs::read_to_string(root.join(&section.source.file)).unwrap();
        let found = problems(
            &schemas["section.schema.json"],
            &front_matter(&text).unwrap(),
        );
        assert!(
            found.is_empty(),
            "{}: {found:?}",
            section.source.file.display()
        );
    }
    for kind in ["page", "post", "event", "video", "chapter"] {
        assert!(
            checked.get(kind).is_some_and(|n| *n > 0),
            "no {kind} page: {checked:?}"
        );
    }
}

/// The bad inputs of tests/cli_errors.rs that a schema can tell from the file alone: the
/// file, and its text. (Those it cannot are refused by `build` for what is beyond one file:
/// an event ending before it starts, two pages at one address, links to missing pages or
/// headings, a recording that is not a video, a theme folder that does not exist; YAML that
/// does not parse is refused by the YAML reader before any schema, see below.)
const REFUSED: &[(&str, &str)] = &[
    ("content/blog/2017-08-06-x.md", "---\ndraft: false\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitel: A first post\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\ndraft: maybe\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\ntags: 5\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\ndate: 14/03/2017\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\nslug: ../../escaped\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\nslug: a/b\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\ndate: nope\nweight: abc\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\ntags: [policy, \"!!!\"]\n---\nBody\n"),
    ("content/blog/2017-08-06-x.md", "---\ntitle: A first post\nstart: 2017-03-14T10:00\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 14/03/2017\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nformat: online\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: in-person\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: onlin\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nregistration: {url: \"https://x.org\", closes: soon}\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nregistration: {url: x, capacity: lots}\nvenue: {name: Hall, postcod: AB1}\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nregistration:\n  url: \"javascript:alert(1)\"\n---\nBody\n"),
    ("content/events/workshop.md", "---\ntitle: A workshop\nstart: 2017-03-14T10:00\nformat: online\nrecording: videos/x.md\n---\nBody\n"),
    ("content/videos/talk.md", "---\ntitle: A talk\ndate: 2017-03-14\nprovider: youtube\nid: \"\"\n---\nBody\n"),
    ("content/videos/talk.md", "---\ntitle: A talk\nprovider: file\n---\nBody\n"),
    ("content/videos/talk.md", "---\ntitle: A talk\nid: abc\n---\nBody\n"),
    ("content/blog/_index.md", "---\ntitle: Blog\nkind: post\nsort_by: colour\n---\n"),
    ("content/blog/_index.md", "---\ntitle: Blog\nkind: posts\n---\n"),
    ("content/blog/_index.md", "---\ntitle: Blog\nkind: post\nhero: { image: [a, b], alt: Hills }\n---\n"),
    ("content/blog/_index.md", "---\ntitle: Blog\nkind: post\nhero: { cta: { label: Go } }\n---\n"),
    ("site.yaml", "title: T\nbase_url: https://x.org\npaginate: many\nlanguag: en\n"),
    ("site.yaml", "title: T\nbase_url: https://x.org\nmarkdown: { highlight_theme: Nope }\n"),
    ("site.yaml", "title: T\nbase_url: x.org\n"),
    ("site.yaml", "title: T\nbase_url: https://x.org\ntheme_options: { brand_colour: blue }\n"),
    ("site.yaml", "title: T\nbase_url: https://x.org\ntheme_options: { logos: /x.svg }\n"),
    ("site.yaml", ""),
];

/// The schema for a file of the minimal site: by its name, and its section's kind.
fn schema_for<'a>(schemas: &'a BTreeMap<String, Value>, rel: &str) -> &'a Value {
    let name = match rel {
        "site.yaml" => "site",
        _ if rel.ends_with("/_index.md") => "section",
        _ if rel.starts_with("content/blog/") => "post",
        _ if rel.starts_with("content/events/") => "event",
        _ if rel.starts_with("content/videos/") => "video",
        _ => "page",
    };
    &schemas[&format!("{name}.schema.json")]
}

#[test]
fn what_build_refuses_the_schema_refuses() {
    let schemas = schemas_of(&common::fixture("minimal"));
    for (rel, text) in REFUSED {
        let site = Site::copy("minimal");
        site.write(
            "content/videos/_index.md",
            "---\ntitle: Videos\nkind: video\n---\n",
        );
        site.write(
            "content/videos/ok.md",
            "---\ntitle: Ok\nprovider: youtube\nid: abc\n---\n",
        );
        assert_built(&site.build(&[]));
        site.write(rel, text);
        let output = site.build(&[]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "build accepted {rel}:\n{text}"
        );
        let instance = match *rel {
            "site.yaml" => yaml(text).unwrap(),
            _ => front_matter(text).unwrap(),
        };
        assert!(
            !problems(schema_for(&schemas, rel), &instance).is_empty(),
            "the schema accepts what build refuses ({}):\n{text}",
            stderr(&output).lines().next().unwrap_or_default()
        );
    }
}

#[test]
fn yaml_that_build_cannot_read_no_yaml_reader_can() {
    for text in [
        "title: Prevention: a primer\n",
        "title: \"A first post\ndraft: false\n",
        "title: A first post\ntags:\n\t- prevention\n",
    ] {
        assert!(yaml(text).is_err(), "read: {text}");
    }
}

#[test]
fn the_schema_says_what_each_field_is_for_and_which_values_it_takes() {
    let schemas = schemas_of(&common::fixture("minimal"));
    let event = &schemas["event.schema.json"];
    assert_eq!(
        event["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(event["additionalProperties"], false);
    assert_eq!(event["required"], serde_json::json!(["title", "start"]));
    let start = &event["properties"]["start"];
    assert!(start["description"]
        .as_str()
        .unwrap()
        .contains("2017-03-14T10:00"));
    assert_eq!(event["properties"]["recording"]["pattern"], "^@/");
    assert!(event["properties"].get("authors").is_none(), "a post field");
    let formats = serde_json::to_string(&event["$defs"]["EventFormat"]).unwrap();
    for value in ["in-person", "online", "hybrid"] {
        assert!(formats.contains(&format!("\"{value}\"")), "{formats}");
    }
    let video = &schemas["video.schema.json"];
    let providers = serde_json::to_string(&video["$defs"]["Provider"]).unwrap();
    assert!(providers.contains("\"vimeo\""), "{providers}");
    let site = &schemas["site.schema.json"];
    let options = &site["properties"]["theme_options"]["properties"];
    assert!(options["brand_colour"]["description"]
        .as_str()
        .unwrap()
        .contains("hex"));
}

#[test]
fn schemas_go_to_the_schemas_folder_of_the_site_and_are_the_same_each_time() {
    let site = Site::copy("minimal");
    let run = || {
        let output = pamphlet()
            .args(["schema", "--root"])
            .arg(&site.root)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        common::tree(&site.root.join("schemas"))
    };
    let first = run();
    assert_eq!(first.len(), 7, "{:?}", first.keys());
    assert_eq!(first, run());
}

#[test]
fn a_broken_site_yaml_still_gets_a_schema_with_a_warning() {
    let site = Site::copy("minimal");
    site.write("site.yaml", "title: T\npaginate: many\n");
    let output = pamphlet()
        .args(["schema", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("warning: site.yaml:2:11: paginate"),
        "{}",
        stderr(&output)
    );
    assert!(site.root.join("schemas/site.schema.json").is_file());
    let missing = pamphlet()
        .args(["schema", "--root", "/no/such/site"])
        .output()
        .unwrap();
    assert_eq!(missing.status.code(), Some(2));
}

/// The `config.yml` `pamphlet cms` writes for a site, read back as YAML.
fn cms_of(root: &Path) -> (Value, tempfile::TempDir) {
    let tmp = tempfile::tempdir().unwrap();
    run_tool("cms", root, tmp.path());
    let names = common::names_in(tmp.path());
    assert_eq!(names, ["config.yml"], "nothing but the config is written");
    let text = std::fs::read_to_string(tmp.path().join("config.yml")).unwrap();
    (yaml(&text).unwrap(), tmp)
}

/// Asserts that the CMS fields are the schema's properties (all but the free-form `extra`),
/// with the same required flags, down into nested objects.
fn assert_fields_match(fields: &Value, schema: &Value, root: &Value, at: &str) {
    let required: Vec<&str> = schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let properties = schema["properties"].as_object().unwrap();
    let fields = fields.as_array().unwrap();
    let mut named = Vec::new();
    for field in fields.iter().filter(|f| f["name"] != "body") {
        let name = field["name"].as_str().unwrap();
        named.push(name);
        let property = properties
            .get(name)
            .unwrap_or_else(|| panic!("{at}: `{name}` is not in the schema"));
        assert_eq!(
            field["required"].as_bool(),
            Some(required.contains(&name)),
            "{at}: `{name}` required flags differ"
        );
        assert!(field["hint"].is_string(), "{at}: `{name}` has no hint");
        if field["widget"] == "object" {
            let target = property["anyOf"][0]["$ref"]
                .as_str()
                .or(property["$ref"].as_str())
                .unwrap();
            let def = &root["$defs"][target.trim_start_matches("#/$defs/")];
            assert_fields_match(&field["fields"], def, root, &format!("{at}.{name}"));
        }
    }
    let mut expected: Vec<&str> = properties
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "extra")
        .collect();
    expected.sort_unstable();
    named.sort_unstable();
    assert_eq!(named, expected, "{at}: the fields are not the schema's");
}

#[test]
fn the_cms_config_has_a_collection_per_section_with_the_schemas_fields() {
    let root = repo();
    let schemas = schemas_of(&root);
    let (config, _tmp) = cms_of(&root);
    assert_eq!(config["media_folder"], "static/images");
    assert_eq!(config["public_folder"], "/images");
    assert!(config["backend"]["name"].is_string());
    let collections = config["collections"].as_array().unwrap();
    let by_name = |name: &str| {
        collections
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("no collection {name}"))
    };
    for (name, kind) in [
        ("pages", "page"),
        ("blog", "post"),
        ("events", "event"),
        ("videos", "video"),
        ("concordat", "chapter"),
    ] {
        let collection = by_name(name);
        let schema = &schemas[&format!("{kind}.schema.json")];
        assert_fields_match(&collection["fields"], schema, schema, name);
        assert_eq!(collection["create"], true);
        assert_eq!(collection["format"], "yaml-frontmatter");
        assert!(root.join(collection["folder"].as_str().unwrap()).is_dir());
        let last = collection["fields"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        assert_eq!(
            (&last["name"], &last["widget"]),
            (&"body".into(), &"markdown".into())
        );
    }
    assert_eq!(
        by_name("blog")["slug"],
        "{{year}}-{{month}}-{{day}}-{{slug}}"
    );
    assert_eq!(by_name("events")["slug"], "{{slug}}");
    let field = |collection: &str, name: &str| -> Value {
        by_name(collection)["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("no field {name} in {collection}"))
            .clone()
    };
    let start = field("events", "start");
    assert_eq!(
        (&start["widget"], &start["required"]),
        (&"datetime".into(), &true.into())
    );
    assert_eq!(start["format"], "YYYY-MM-DDTHH:mm");
    assert_eq!(field("blog", "tags")["widget"], "list");
    assert_eq!(field("events", "venue")["widget"], "object");
    let format = field("events", "format");
    assert_eq!(format["widget"], "select");
    assert_eq!(
        format["options"],
        serde_json::json!(["in-person", "online", "hybrid"])
    );
    assert_eq!(field("events", "status")["widget"], "select");
    assert_eq!(
        field("videos", "provider")["options"],
        serde_json::json!(["youtube", "vimeo", "file"])
    );
    let recording = field("events", "recording");
    assert_eq!(recording["widget"], "relation");
    assert_eq!(recording["collection"], "videos");
    assert_eq!(recording["value_field"], "@/videos/{{slug}}.md");
    assert_eq!(recording["search_fields"], serde_json::json!(["title"]));
    assert_eq!(field("videos", "event")["collection"], "events");
    assert_eq!(field("blog", "related")["multiple"], true);

    let sections = by_name("sections");
    let files = sections["files"].as_array().unwrap();
    let events = files.iter().find(|f| f["name"] == "events").unwrap();
    assert_eq!(events["file"], "content/events/_index.md");
    let section_schema = &schemas["section.schema.json"];
    assert_fields_match(
        &events["fields"],
        section_schema,
        section_schema,
        "sections",
    );
}

#[test]
fn a_site_in_two_languages_gets_one_collection_per_section_with_its_translations_beside() {
    let (config, _tmp) = cms_of(&repo());
    let collections = config["collections"].as_array().unwrap();
    let mut names: Vec<&str> = collections
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let count = names.len();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), count, "collection names repeat: {names:?}");
    let pages = collections.iter().find(|c| c["name"] == "pages").unwrap();
    assert_eq!(
        pages["label"],
        "Prevention Concordat for Better Mental Health"
    );
    let sections = collections
        .iter()
        .find(|c| c["name"] == "sections")
        .unwrap();
    let files: Vec<&str> = sections["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert!(
        files.iter().all(|f| !f.contains(".cy.")) && files.contains(&"content/events/_index.md"),
        "the sections list translations or miss originals: {files:?}"
    );
    let mut unique = files.clone();
    unique.dedup();
    assert_eq!(unique.len(), files.len(), "a section file twice: {files:?}");
    assert_eq!(config["i18n"]["structure"], "multiple_files");
    assert_eq!(config["i18n"]["default_locale"], "en-GB");
    assert_eq!(
        config["i18n"]["locales"],
        serde_json::json!(["en-GB", "cy"])
    );
    assert_eq!(config["i18n"]["omit_default_locale_from_filename"], true);
    let events = collections.iter().find(|c| c["name"] == "events").unwrap();
    assert_eq!(events["i18n"], true);
    let field = |name: &str| {
        events["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap()
            .clone()
    };
    // Text is translated; a translation takes the rest from its original.
    assert_eq!(field("title")["i18n"], true);
    assert_eq!(field("body")["i18n"], true);
    assert!(field("start").get("i18n").is_none(), "{}", field("start"));
}

#[test]
fn a_site_in_one_language_has_no_i18n_settings() {
    let (config, _tmp) = cms_of(&common::fixture("minimal"));
    assert!(config.get("i18n").is_none(), "{config}");
    for collection in config["collections"].as_array().unwrap() {
        assert!(collection.get("i18n").is_none(), "{collection}");
    }
}

#[test]
fn a_section_of_bundles_keeps_its_files_beside_each_page() {
    let site = Site::copy("minimal");
    site.write(
        "content/videos/_index.md",
        "---\ntitle: Videos\nkind: video\n---\n",
    );
    site.write(
        "content/videos/talk/index.md",
        "---\ntitle: A talk\nprovider: youtube\nid: abc\n---\n",
    );
    site.write(
        "content/videos/talk/poster.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    );
    let (config, _tmp) = cms_of(&site.root);
    let collections = config["collections"].as_array().unwrap();
    let videos = collections.iter().find(|c| c["name"] == "videos").unwrap();
    assert_eq!(videos["path"], "{{slug}}/index");
    assert_eq!(videos["media_folder"], "");
    assert_eq!(videos["public_folder"], "");
    let blog = collections.iter().find(|c| c["name"] == "blog").unwrap();
    assert!(blog.get("path").is_none(), "{blog}");
    let recording = collections.iter().find(|c| c["name"] == "events").unwrap()["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "recording")
        .unwrap()
        .clone();
    assert_eq!(recording["collection"], "videos");
}

#[test]
fn the_cms_config_goes_to_static_admin_and_needs_a_readable_site_yaml() {
    let site = Site::copy("minimal");
    let output = pamphlet()
        .args(["cms", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(
        common::names_in(&site.root.join("static/admin")),
        ["config.yml"]
    );
    site.write("site.yaml", "title: T\n");
    let output = pamphlet()
        .args(["cms", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("error: site.yaml"),
        "{}",
        stderr(&output)
    );
}

/// The minimal site with data files, a shortcode and a page template that read them.
fn site_with_data() -> Site {
    let site = Site::copy("minimal");
    site.write(
        "data/partners.csv",
        "name,url\n\"Mind, Cymru\",https://mind.example\nPublic Health Leeds,https://leeds.example\n",
    );
    site.write(
        "data/programme/leeds.yaml",
        "title: Leeds workshop\nrooms: [A, B]\n",
    );
    site.write(
        "data/contact.json",
        "{ \"email\": \"team@concordat.example\" }",
    );
    site.write(
        "templates/shortcodes/partners.html",
        "<ul>{% for p in data.partners %}<li><a href=\"{{ p.url }}\">{{ p.name }}</a></li>{% endfor %}</ul>",
    );
    site.write(
        "templates/404.html",
        "<p>Write to {{ data.contact.email }}</p>\n",
    );
    site.write(
        "content/about.md",
        "---\ntitle: About\n---\n\nOur partners:\n\n{{ partners() }}\n\n{{ programme() }}\n",
    );
    site.write(
        "templates/shortcodes/programme.html",
        "<p>{{ data.programme.leeds.title }}: {{ data.programme.leeds.rooms | join(sep=\", \") }}; {{ data.contact.email }}</p>",
    );
    site
}

#[test]
fn data_files_are_read_by_templates_and_shortcodes() {
    let site = site_with_data();
    assert_built(&site.build(&[]));
    let about = site.output_file("about/index.html");
    assert!(
        about.contains("<a href=\"https://mind.example\">Mind, Cymru</a>"),
        "{about}"
    );
    assert!(about.contains("Public Health Leeds"), "{about}");
    assert!(
        about.contains("Leeds workshop: A, B; team@concordat.example"),
        "{about}"
    );
    let not_found = site.output_file("404.html");
    assert!(
        not_found.contains("Write to team@concordat.example"),
        "{not_found}"
    );
}

#[test]
fn every_data_file_is_checked_used_or_not_with_its_line() {
    let site = site_with_data();
    site.write("data/unused.yaml", "title: A\nrooms: [A, B\n");
    site.write("data/broken.json", "{\n  \"a\": 1,\n  \"b\" 2\n}\n");
    site.write(
        "data/partners.csv",
        "name,url\nMind,https://mind.example\nLeeds\n",
    );
    site.write("data/twice.yaml", "x: 1\n");
    site.write("data/twice.csv", "x\n1\n");
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "error: data/unused.yaml:2:8: rooms: unclosed bracket",
        "error: data/broken.json:3:7: expected `:`",
        "error: data/partners.csv:3: this row has 1 fields, but the header row names 2",
        "3 | Leeds",
        "error: data/twice.yaml: `data.twice` is also given by another file of data/",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
    site.write("data/notes.txt", "not data");
    for rel in ["data/unused.yaml", "data/broken.json", "data/twice.yaml"] {
        std::fs::remove_file(site.root.join(rel)).unwrap();
    }
    site.write("data/partners.csv", "name,url\nMind,https://mind.example\n");
    let output = site.build(&[]);
    assert_built(&output);
    assert!(
        stderr(&output).contains("warning: data/notes.txt: this file is not read"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn the_example_sites_partners_are_rows_of_a_spreadsheet() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let output = common::build(&repo(), &out, &[]);
    assert_built(&output);
    let page = std::fs::read_to_string(out.join("partners/kaleidoscope/index.html")).unwrap();
    assert!(
        page.contains("<h1>Kaleidoscope Health and Care</h1>"),
        "{page}"
    );
    assert!(page.contains("twenty shared-learning events"), "{page}");
    let phe =
        std::fs::read_to_string(out.join("partners/public-health-england/index.html")).unwrap();
    assert!(
        phe.contains("href=\"/concordat/\""),
        "the body's @/ link: {phe}"
    );
    let about = std::fs::read_to_string(out.join("about/index.html")).unwrap();
    assert!(
        about.contains("href=\"/partners/public-health-england/\""),
        "{about}"
    );
    let list = std::fs::read_to_string(out.join("partners/index.html")).unwrap();
    let order: Vec<usize> = [
        "Public Health England",
        "Kaleidoscope",
        "The King",
        "Centre for Mental Health",
    ]
    .iter()
    .map(|t| list.find(t).unwrap_or_else(|| panic!("{t} is not listed")))
    .collect();
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "sorted by weight: {order:?}"
    );
    assert!(
        !out.join("partners/_pages.csv").exists(),
        "the sheet is not copied"
    );
}

const EVENTS_SHEET: &str = "content/events/_pages.csv";

#[test]
fn each_row_is_a_page_read_as_its_front_matter_would_be() {
    let site = Site::copy("minimal");
    site.write(
        EVENTS_SHEET,
        "title,start,end,venue.name,venue.postcode,registration.url,registration.capacity,tags,draft,body\n\
         \"Leeds: a workshop\",2027-03-14T10:00,,Northern Hall,LS1 5JD,https://x.example/leeds,40,\"[leeds, workshop]\",,\"The first line.\n\nA second paragraph, with a [link](@/events/workshop.md).\"\n\
         Hidden,2027-04-01T10:00,,,,,,,true,\n",
    );
    let output = site.build(&[]);
    assert_built(&output);
    let page = site.output_file("events/leeds-a-workshop/index.html");
    assert!(page.contains("Leeds: a workshop"), "{page}");
    assert!(page.contains("Northern Hall"), "{page}");
    assert!(page.contains("A second paragraph"), "{page}");
    assert!(page.contains("href=\"/events/workshop/\""), "{page}");
    assert!(site
        .output_file("tags/leeds/index.html")
        .contains("Leeds: a workshop"));
    assert!(
        !site.out.join("events/hidden").exists(),
        "a draft row is left out"
    );
    assert!(!site.out.join("events/_pages.csv").exists());
    let drafts = site.build(&["--drafts"]);
    assert_built(&drafts);
    assert!(site.out.join("events/hidden/index.html").is_file());
}

#[test]
fn an_error_in_a_row_names_the_sheet_the_row_line_and_the_field_number() {
    let site = Site::copy("minimal");
    site.write(
        EVENTS_SHEET,
        "title,start,registration.url,registration.capacity,body\n\
         Good,2027-03-14T10:00,https://x.example,10,Fine.\n\
         \"A long one\",2027-03-15T10:00,https://x.example,12,\"Line one\nline two\nline three\"\n\
         Bad start,14/03/2017,https://x.example,10,Body.\n\
         ,2027-03-16T10:00,https://x.example,lots,\"A [broken](@/events/nowhere.md) link.\"\n\
         Good,2027-03-17T10:00,,,\n",
    );
    site.write("content/events/_pages.csv.bak", "ignored");
    let output = site.build(&[]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let err = stderr(&output);
    for expected in [
        "error: content/events/_pages.csv:6:2: start: \"14/03/2017\" is not a date-time (expected 2017-03-14T10:00)",
        "error: content/events/_pages.csv:7: title: every page needs a title",
        "error: content/events/_pages.csv:7:4: registration.capacity: \"lots\" is not a whole number",
        "error: content/events/_pages.csv:8: this row's page would be content/events/good.md, as is the row on line 2",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
    site.write(
        EVENTS_SHEET,
        "title,start,slug,titel,body\n\
         One,2027-03-14T10:00,one,x,\n\
         Two,2027-03-14T10:00,workshop,,\n\
         Three,2027-03-14T10:00,,,\"See [nowhere](@/events/nowhere.md).\"\n",
    );
    let err = stderr(&site.build(&[]));
    for expected in [
        "error: content/events/_pages.csv:2:4: unknown field `titel`",
        "did you mean `title`?",
        "error: content/events/_pages.csv:4:5: broken link: @/events/nowhere.md (there is no content/events/nowhere.md)",
        "error: content/events/_pages.csv:3: this row's page would be content/events/workshop.md, as is content/events/workshop.md",
    ] {
        assert!(err.contains(expected), "stderr lacks {expected:?}:\n{err}");
    }
    let json = pamphlet()
        .args(["check", "--json", "--root"])
        .arg(&site.root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let first = &report["errors"][0];
    assert_eq!(
        (&first["file"], &first["line"], &first["col"]),
        (&"content/events/_pages.csv".into(), &2.into(), &4.into()),
        "{report}"
    );
}

#[test]
fn a_bad_header_row_is_an_error_at_its_column() {
    let site = Site::copy("minimal");
    site.write(EVENTS_SHEET, "title,start,title\nA,2027-03-14T10:00,B\n");
    let err = stderr(&site.build(&[]));
    assert!(
        err.contains("error: content/events/_pages.csv:1:3: column 3 is named `title`, as an earlier column is"),
        "{err}"
    );
    site.write(EVENTS_SHEET, "title,start\nA,2027-03-14T10:00,extra\n");
    let err = stderr(&site.build(&[]));
    assert!(
        err.contains(
            "error: content/events/_pages.csv:2: this row has 3 fields, but the header row names 2"
        ),
        "{err}"
    );
}
