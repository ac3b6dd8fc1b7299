# docs/rules/ is generated from the rule table and the golden cases (scripts/gen-docs.sh):
# regenerate it and compare, so a rule cannot change without its page.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
PLIMSOLL=$PL_ROOT/build/plimsoll "$PL_ROOT/scripts/gen-docs.sh" "$tmp/rules" >/dev/null
for f in "$tmp"/rules/*.md; do
	name=$(basename "$f")
	if cmp -s "$f" "$PL_ROOT/docs/rules/$name"; then ok "docs/rules/$name is current"
	else not_ok "docs/rules/$name is stale: run scripts/gen-docs.sh"; fi
done
for f in "$PL_ROOT"/docs/rules/*.md; do
	[ -e "$tmp/rules/$(basename "$f")" ] || not_ok "docs/rules/$(basename "$f") has no rule"
done
