//! The stylesheet takes every colour from Headlamp's theme (the `--ai-*` variables set by
//! frontend/js/theme.js), so light, dark and custom themes all look native.

const STYLE: &str = include_str!("../src/style.css");

/// Colour values CSS accepts other than through `var(...)`.
fn colour_literals(css: &str) -> Vec<String> {
    const NAMED: &[&str] = &[
        "white", "black", "red", "green", "blue", "gray", "grey", "yellow", "orange", "purple", "silver",
        "navy",
    ];
    let mut found = Vec::new();
    // Comments may name colours in prose.
    let mut text = String::new();
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    for (n, line) in text.lines().enumerate() {
        let Some((_, value)) = line.split_once(':') else { continue };
        let lower = value.to_lowercase();
        let hex = lower
            .match_indices('#')
            .any(|(i, _)| lower[i + 1..].chars().take_while(char::is_ascii_hexdigit).count() >= 3);
        let function = ["rgb(", "rgba(", "hsl(", "hsla(", "hwb(", "lab(", "lch(", "oklch(", "color("]
            .iter()
            .any(|f| lower.contains(f));
        let named =
            lower.split(|c: char| !c.is_ascii_alphabetic() && c != '-').any(|word| NAMED.contains(&word));
        if hex || function || named {
            found.push(format!("line {}: {}", n + 1, line.trim()));
        }
    }
    found
}

#[test]
fn the_stylesheet_has_no_colour_of_its_own() {
    assert_eq!(colour_literals(STYLE), Vec::<String>::new());
}

#[test]
fn the_check_finds_colour_literals() {
    let css = ".a { color: #fff; }\n.b { background: rgb(1, 2, 3); }\n.c { border-color: red; }\n.d { white-space: nowrap; }\n/* a white comment */\n.e { color: var(--ai-text); }";
    assert_eq!(colour_literals(css).len(), 3, "{:?}", colour_literals(css));
}
